/**
 * Catching up on one conversation: pages of `conversation.sync` after the
 * last seq the client has, until the server says there is no more. The page
 * size is the server's alone (`hasMore` in the ack), so no client copies it.
 */
import type { MessageDTO } from '@parley/protocol';

export interface SyncPage {
  messages: MessageDTO[];
  hasMore: boolean;
}

/**
 * Fetches pages from `lastSeq()` on and hands each message to `receive`.
 * Stops when `hasMore` is false, or when a page did not move `lastSeq`
 * (nothing a client could take from it: asking again would loop).
 */
export async function syncAfter(
  fetchPage: (afterSeq: number) => Promise<SyncPage>,
  lastSeq: () => number,
  receive: (message: MessageDTO) => void,
): Promise<void> {
  for (;;) {
    const from = lastSeq();
    const { messages, hasMore } = await fetchPage(from);
    for (const message of messages) receive(message);
    if (!hasMore || lastSeq() <= from) return;
  }
}
