/** Text from a search result with its matching parts in <mark>: every part rendered as text. */
import type { HighlightedText } from '@parley/protocol';

export function Highlighted({ parts }: { parts: HighlightedText }) {
  return (
    <>
      {parts.map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder; the index is their identity
        part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>,
      )}
    </>
  );
}
