/**
 * What a file is, decided by its content alone: the first bytes are matched
 * against known signatures (`file-type`), and a file with no signature counts
 * as text only if it is UTF-8 without control characters and does not start
 * the way a browser would take for HTML. The name and the declared type are
 * never consulted: a "photo.png" whose bytes are an HTML page is HTML.
 */
import { FILE_TYPES, type FileType } from '@parley/protocol';
import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes are enough to recognise every allowed type. */
export const SNIFF_BYTES = 4100;

export type Detected = { kind: 'type'; type: FileType } | { kind: 'html' } | { kind: 'other'; type: string };

const KNOWN = new Set<string>(FILE_TYPES);

/**
 * The leading tags by which browsers sniff HTML (the WHATWG MIME sniffing
 * table), plus SVG and XML, which can carry scripts too.
 */
const LOOKS_LIKE_MARKUP =
  /^\s*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--|\?xml|svg)[\s>/]/i;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what marks a file as binary
const BINARY_CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** Detects the type of a file from its first bytes (`SNIFF_BYTES` of them, or the whole file if shorter). */
export async function detectContentType(head: Uint8Array, wholeFile: boolean): Promise<Detected> {
  const signature = await fileTypeFromBuffer(head);
  if (signature) {
    if (KNOWN.has(signature.mime)) return { kind: 'type', type: signature.mime as FileType };
    if (/html|svg|xml/.test(signature.mime)) return { kind: 'html' };
    return { kind: 'other', type: signature.mime };
  }
  let text: string;
  try {
    // A multi-byte character may be cut at the end of the head: only a whole file must end cleanly.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !wholeFile });
  } catch {
    return { kind: 'other', type: 'application/octet-stream' };
  }
  const body = text.replace(/^\uFEFF/, '');
  if (LOOKS_LIKE_MARKUP.test(body)) return { kind: 'html' };
  if (BINARY_CONTROL.test(body)) return { kind: 'other', type: 'application/octet-stream' };
  return { kind: 'type', type: 'text/plain' };
}
