/**
 * Visitor and operator text as React text nodes (never HTML), with plain
 * http(s) addresses (found by `linkParts`, shared with the widget) turned
 * into links that open in a new tab without giving the opened page a handle
 * on the console.
 */
import { linkParts } from '@parley/client';

export function RichText({ text }: { text: string }) {
  const parts = linkParts(text);
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
