/**
 * Where the links are in a message's text, for both clients to render as
 * text nodes and safe anchors (never HTML). Only http(s) addresses become
 * links; any other scheme (javascript:, data:, …) stays plain text.
 *
 * Punctuation that ends the sentence is not part of the address: `.,;:!?…`,
 * the Armenian full stop `։`, closing quotes `»`, and a closing bracket that
 * has no opener inside the address — so `(see https://shop.example/a)` loses
 * its `)` while `https://en.wikipedia.org/wiki/Tie_(knot)` keeps it.
 */

/** A piece of text, or a link with the text it shows. */
export type LinkPart = string | { href: string; label: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'«]+/gi;
const SENTENCE_END = /[.,;:!?…։»]$/;
/** Bracket pairs, opener before closer. */
const BRACKETS = '()[]{}';

/** @example linkParts('see https://shop.example/a.') // ['see ', { href: 'https://shop.example/a', label: 'https://shop.example/a' }, '.'] */
export function linkParts(text: string): LinkPart[] {
  const parts: LinkPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const label = trimTrailing(match[0]);
    const href = safeHttpUrl(label);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href, label });
    last = start + label.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The address as a link target, only when it is a plain web address. */
export function safeHttpUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function trimTrailing(raw: string): string {
  let url = raw;
  for (;;) {
    const end = url.slice(-1);
    const at = BRACKETS.indexOf(end);
    const unopened = at % 2 === 1 && count(url, BRACKETS[at - 1] ?? '') < count(url, end);
    if (SENTENCE_END.test(end) || unopened) url = url.slice(0, -1);
    else return url;
  }
}

const count = (text: string, char: string) => text.split(char).length;
