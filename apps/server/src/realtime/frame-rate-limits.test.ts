/**
 * Frames that cost others: a flood of `typing.set` reaches operators as a few
 * coalesced events a second (the last state always arrives), and
 * `conversation.sync` is limited per visitor and per operator.
 */
import { type MessageDTO, RATE_LIMITS, type TypingDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestSocket } from '../testing/clients.js';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

async function startChat() {
  const operator = await connectOperator(parley);
  const visitor = await connectVisitor(parley);
  const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'hello',
  });
  return { operator, visitor, conversationId: message.conversationId };
}

const typingSeen = (socket: TestSocket, authorKind: TypingDTO['authorKind']) =>
  socket.events.filter((e) => e.type === 'typing.updated' && (e.data as TypingDTO).authorKind === authorKind);

/** The most announcements `RATE_LIMITS.typingAnnouncementsPerSecond` allows over `ms`, plus the trailing one. */
const allowedOver = (ms: number) => Math.ceil((ms / 1000) * RATE_LIMITS.typingAnnouncementsPerSecond) + 2;

describe('typing floods', () => {
  it("reach operators as a few events a second, ending with the visitor's latest draft", async () => {
    const { operator, visitor } = await startChat();
    const frames = 300;
    const started = Date.now();
    for (let i = 1; i <= frames; i++)
      await visitor.socket.request('typing.set', { typing: true, preview: `draft ${i}` });
    const last = await operator.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.preview === `draft ${frames}`,
    );
    expect(last.typing).toBe(true);
    expect(typingSeen(operator.socket, 'visitor').length).toBeLessThanOrEqual(
      allowedOver(Date.now() - started),
    );

    // Stopping is never coalesced away.
    await visitor.socket.request('typing.set', { typing: true, preview: 'one more' });
    await visitor.socket.request('typing.set', { typing: false });
    await operator.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.authorKind === 'visitor' && !t.typing,
    );
  });

  it("reach the visitor as a few events a second from an operator's console too", async () => {
    const { operator, visitor, conversationId } = await startChat();
    const started = Date.now();
    for (let i = 0; i < 200; i++)
      await operator.socket.request('typing.set', { conversationId, typing: i % 2 === 0 });
    await operator.socket.request('typing.set', { conversationId, typing: false });
    await visitor.socket.waitFor<TypingDTO>('typing.updated', (t) => !t.typing);
    await new Promise((resolve) => setTimeout(resolve, 1000 / RATE_LIMITS.typingAnnouncementsPerSecond));
    const seen = typingSeen(visitor.socket, 'operator');
    expect(seen.length).toBeLessThanOrEqual(allowedOver(Date.now() - started));
    expect((seen.at(-1)?.data as TypingDTO | undefined)?.typing).toBe(false);
  });
});

describe('conversation.sync', () => {
  it('is limited per visitor per minute', async () => {
    const { visitor, conversationId } = await startChat();
    for (let i = 0; i < RATE_LIMITS.visitorSyncsPerMinute; i++)
      await visitor.socket.request('conversation.sync', { conversationId, afterSeq: 0 });
    await expect(
      visitor.socket.request('conversation.sync', { conversationId, afterSeq: 0 }),
    ).rejects.toMatchObject({ frame: { error: { code: 'rate_limited' } } });
  });

  it('is limited per operator per minute', async () => {
    const { operator, conversationId } = await startChat();
    for (let i = 0; i < RATE_LIMITS.operatorSyncsPerMinute; i++)
      await operator.socket.request('conversation.sync', { conversationId, afterSeq: 0 });
    await expect(
      operator.socket.request('conversation.sync', { conversationId, afterSeq: 0 }),
    ).rejects.toMatchObject({ frame: { error: { code: 'rate_limited' } } });
  });
});
