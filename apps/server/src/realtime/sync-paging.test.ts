/**
 * `conversation.sync` answers in pages and says whether more follow
 * (`hasMore`), to visitors and operators alike: clients page until it is
 * false and never need to know the page size.
 */
import { LIMITS, type MessageDTO, type SyncAck } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';
import { SYNC_PAGE_SIZE } from './visitor-frames.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

describe('conversation.sync paging', () => {
  it('says hasMore while a page is full, and false on the last one', { timeout: 60_000 }, async () => {
    const visitor = await connectVisitor(parley);
    const operator = await connectOperator(parley);
    const { message: first } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'hello',
    });
    const conversationId = first.conversationId;
    // One more than a page, so the second page holds exactly one message.
    // In rounds below the socket's queue cap (LIMITS.socketQueue), as a well-behaved client sends.
    const round = LIMITS.socketQueue.frames / 2;
    for (let sent = 0; sent < SYNC_PAGE_SIZE; sent += round) {
      const replies = Array.from({ length: Math.min(round, SYNC_PAGE_SIZE - sent) }, (_, i) =>
        operator.socket.request('message.send', {
          conversationId,
          clientId: newClientId(),
          text: `r${sent + i}`,
        }),
      );
      await Promise.all(replies);
    }

    for (const socket of [visitor.socket, operator.socket]) {
      const page1 = await socket.request<SyncAck>('conversation.sync', { conversationId, afterSeq: 0 });
      expect(page1.messages).toHaveLength(SYNC_PAGE_SIZE);
      expect(page1.hasMore).toBe(true);
      const last = page1.messages.at(-1)?.seq ?? 0;
      const page2 = await socket.request<SyncAck>('conversation.sync', { conversationId, afterSeq: last });
      expect(page2.messages.map((m) => m.seq)).toEqual([SYNC_PAGE_SIZE + 1]);
      expect(page2.hasMore).toBe(false);
      const empty = await socket.request<SyncAck>('conversation.sync', {
        conversationId,
        afterSeq: SYNC_PAGE_SIZE + 1,
      });
      expect(empty).toEqual({ messages: [], hasMore: false });
    }
  });
});
