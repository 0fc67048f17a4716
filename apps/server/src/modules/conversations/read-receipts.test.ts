/**
 * Read receipts on a real PostgreSQL and real sockets: the visitor's read
 * reaches operators in their numbering (notes counted), an operator's read
 * reaches the visitor in theirs; a read that moves nothing announces nothing,
 * and a seq past the last message is refused with nothing written.
 */
import { API_PATHS, type MessageDTO, type ReadReceiptDTO } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSocket } from '../../testing/clients.js';
import { startVisitorSession } from '../../testing/clients.js';
import {
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const send = (socket: TestSocket, data: object) =>
  socket.request<{ message: MessageDTO }>('message.send', data).then((ack) => ack.message);

async function errorOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    const frame = (error as { frame?: { error: { code: string; message: string } } }).frame;
    if (frame) return frame.error;
    throw error;
  }
  throw new Error('the frame was not refused');
}

/** A question, a note and a reply: the reply is seq 3 for operators and 2 for the visitor. */
async function conversationWithNote() {
  const operator = await connectOperator(parley);
  const visitor = await connectVisitor(parley);
  const question = await send(visitor.socket, { clientId: newClientId(), text: 'Is it waterproof?' });
  const conversationId = question.conversationId;
  await send(operator.socket, {
    conversationId,
    clientId: newClientId(),
    text: 'Ask the supplier',
    visibility: 'internal',
  });
  const reply = await send(operator.socket, { conversationId, clientId: newClientId(), text: 'Yes, fully' });
  await visitor.socket.waitForMessage((m) => m.id === reply.id);
  return { operator, visitor, conversationId, reply };
}

const readRow = (conversationId: string) =>
  parley.services.ctx.db
    .selectFrom('conversations')
    .select(['visitor_read_seq', 'operator_read_seq'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();

describe('read receipts', () => {
  it('tell operators, in their numbering, how far the visitor has seen; once per change', async () => {
    const { operator, visitor, conversationId, reply } = await conversationWithNote();
    expect(reply.seq).toBe(3);
    await visitor.socket.request('conversation.read', { conversationId, seq: 2 });
    const receipt = await operator.socket.waitFor<ReadReceiptDTO>('conversation.read');
    expect(receipt).toEqual({ conversationId, seq: 3 });
    expect(await readRow(conversationId)).toEqual({ visitor_read_seq: 3, operator_read_seq: 0 });

    // The same read again, or an older one: nothing written, nothing announced.
    const before = await snapshotRows(parley.services.ctx.db);
    await visitor.socket.request('conversation.read', { conversationId, seq: 2 });
    await visitor.socket.request('conversation.read', { conversationId, seq: 1 });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
    // A later message proves the order: had a second receipt been sent, it would have arrived first.
    const later = await send(operator.socket, {
      conversationId,
      clientId: newClientId(),
      text: 'Anything else?',
    });
    await operator.socket.waitForMessage((m) => m.id === later.id);
    expect(operator.socket.events.filter((e) => e.type === 'conversation.read')).toHaveLength(1);

    // The row the console loads carries it too.
    const detail = await fetch(`${parley.url}${API_PATHS.conversation(conversationId)}`, {
      headers: { cookie: operator.session.cookie },
    }).then((r) => r.json() as Promise<{ conversation: { visitorReadSeq: number } }>);
    expect(detail.conversation.visitorReadSeq).toBe(3);
  });

  it('tell the visitor, in its numbering, how far an operator has read; and the next session says so', async () => {
    const { operator, visitor, conversationId } = await conversationWithNote();
    // The operator has read everything (seq 3, the reply); the visitor's last public message is its 2.
    await operator.socket.request('conversation.read', { conversationId, seq: 3 });
    expect(await visitor.socket.waitFor<ReadReceiptDTO>('conversation.read')).toEqual({
      conversationId,
      seq: 2,
    });
    expect((await readRow(conversationId)).operator_read_seq).toBe(2);
    // Operators are not told of their own reading.
    expect(operator.socket.events.some((e) => e.type === 'conversation.read')).toBe(false);
    const again = await startVisitorSession(parley.url, 'demo', visitor.session.visitorToken);
    expect(again.operatorReadSeq).toBe(2);
  });

  it('refuse a seq past the last message, on either side, writing nothing', async () => {
    const { operator, visitor, conversationId } = await conversationWithNote();
    const stranger = await connectVisitor(parley);
    const before = await snapshotRows(parley.services.ctx.db);
    expect(await errorOf(visitor.socket.request('conversation.read', { conversationId, seq: 3 }))).toEqual({
      code: 'bad_request',
      message: "seq 3 is beyond the conversation's last message (2)",
    });
    expect(await errorOf(operator.socket.request('conversation.read', { conversationId, seq: 4 }))).toEqual({
      code: 'bad_request',
      message: "seq 4 is beyond the conversation's last message (3)",
    });
    expect(
      (await errorOf(visitor.socket.request('conversation.read', { conversationId, seq: -1 }))).code,
    ).toBe('bad_request');
    expect(
      (await errorOf(stranger.socket.request('conversation.read', { conversationId, seq: 1 }))).code,
    ).toBe('not_found');
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });

  it('keep their columns out of every index: the row is rewritten per message, and an index would be too', async () => {
    const { rows } = await sql<{ indexdef: string }>`
      SELECT indexdef FROM pg_indexes WHERE tablename = 'conversations'`.execute(parley.services.ctx.db);
    expect(rows.length).toBeGreaterThan(0);
    for (const { indexdef } of rows) expect(indexdef).not.toMatch(/read_seq/);
  });
});
