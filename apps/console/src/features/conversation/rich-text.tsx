/**
 * Visitor and operator text as React text nodes (never HTML), with plain
 * http(s) addresses turned into links that open in a new tab without giving
 * the opened page a handle on the console.
 */
import { safeHttpUrl } from '../../lib/safe-url';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// Trailing punctuation usually ends the sentence, not the address.
const TRAILING = /[.,;:!?)\]]+$/;

export function RichText({ text }: { text: string }) {
  const parts: (string | { href: string; label: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const raw = match[0].replace(TRAILING, '');
    const start = match.index ?? 0;
    const href = safeHttpUrl(raw);
    if (!href) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href, label: raw });
    last = start + raw.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never reorder
          <span key={i}>{part}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never reorder
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">
            {part.label}
          </a>
        ),
      )}
    </>
  );
}
