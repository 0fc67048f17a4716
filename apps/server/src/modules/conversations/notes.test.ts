/**
 * Notes and what messages do, on a real PostgreSQL and real sockets: a note
 * (an internal message) is the operators' alone — numbered in their sequence,
 * never in the visitor's, answering nobody; the row each message leaves is
 * decided by the server and carried by its event; a retried message is
 * announced again; an offline request's writes commit or roll back together.
 */
import type { ConversationDTO, MessageCreatedDTO, MessageDTO } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../events/domain-events.js';
import { api, type TestSocket } from '../../testing/clients.js';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { routingSettingsUpdater } from '../routing/settings.js';
import { offlineRequestCreator } from './commands.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
  // These tests are about what a note and a reply do to the row (a reply claims an unassigned chat):
  // in the shared-queue mode nothing is assigned before the first reply (routing has its own tests).
  await routingSettingsUpdater(parley.services.ctx.db, parley.demoSiteId, { mode: 'queue' });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const send = <T = MessageDTO>(socket: TestSocket, data: object) =>
  socket.request<{ message: T }>('message.send', data).then((ack) => ack.message);

/** The operators' event for a message, with the row it left. */
const createdEvent = (socket: TestSocket, id: string) =>
  socket.waitFor<MessageCreatedDTO>('message.created', (e) => e.message.id === id);

describe('notes', () => {
  it("take the operators' next seq, not the visitor's, and answer nobody", async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    const question = await send(visitor.socket, { clientId: newClientId(), text: 'Where is my order?' });
    const conversationId = question.conversationId;

    const note = await send(operator.socket, {
      conversationId,
      clientId: newClientId(),
      text: 'Check the warehouse first',
      visibility: 'internal',
    });
    expect(note).toMatchObject({ seq: 2, visibility: 'internal' });
    const { conversation: afterNote } = await createdEvent(operator.socket, note.id);
    // For operators the note is the row's last message, marked; the visitor still waits, unassigned.
    expect(afterNote).toMatchObject({
      lastSeq: 2,
      lastMessage: { text: 'Check the warehouse first', authorKind: 'operator', visibility: 'internal' },
      lastActivityAt: note.createdAt,
      unreadCount: 1,
      waitingSince: question.createdAt,
      assigneeId: null,
    });

    const reply = await send(operator.socket, {
      conversationId,
      clientId: newClientId(),
      text: 'On its way',
    });
    expect(reply).toMatchObject({ seq: 3, visibility: 'public' });
    const { conversation: afterReply } = await createdEvent(operator.socket, reply.id);
    expect(afterReply).toMatchObject({
      lastSeq: 3,
      lastMessage: { text: 'On its way', visibility: 'public' },
      unreadCount: 0,
      waitingSince: null,
      assigneeId: operator.session.operator.id,
    });

    // The visitor counts 1, 2: no gap where the note sits, so nothing to resync and nothing to infer.
    const seen = await visitor.socket.waitForMessage((m) => m.id === reply.id);
    expect(seen.seq).toBe(2);
    expect(visitor.socket.messagesReceived().map((m) => [m.seq, m.text])).toEqual([
      [1, 'Where is my order?'],
      [2, 'On its way'],
    ]);
    // The visitor resumes in its own numbering; operators in theirs, notes included.
    const sync = (socket: TestSocket, afterSeq: number) =>
      socket
        .request<{ messages: MessageDTO[] }>('conversation.sync', { conversationId, afterSeq })
        .then(({ messages }) => messages.map((m) => [m.seq, m.visibility, m.text]));
    expect(await sync(visitor.socket, 0)).toEqual([
      [1, 'public', 'Where is my order?'],
      [2, 'public', 'On its way'],
    ]);
    expect(await sync(visitor.socket, 1)).toEqual([[2, 'public', 'On its way']]);
    expect(await sync(operator.socket, 1)).toEqual([
      [2, 'internal', 'Check the warehouse first'],
      [3, 'public', 'On its way'],
    ]);
    // The next visitor message continues both numberings.
    const next = await send(visitor.socket, { clientId: newClientId(), text: 'Thanks!' });
    expect(next.seq).toBe(3);
    expect((await operator.socket.waitForMessage((m) => m.id === next.id)).seq).toBe(4);
    // A resume past the note finds the message whose seq (4) is ahead of its visitor seq (3).
    expect(await sync(visitor.socket, 2)).toEqual([[3, 'public', 'Thanks!']]);
    expect(await sync(visitor.socket, 3)).toEqual([]);
  });

  it('can be written over HTTP too, and are refused with a clear error for an unknown visibility', async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    const question = await send(visitor.socket, { clientId: newClientId(), text: 'Hello' });
    const path = `/api/conversations/${question.conversationId}/messages`;
    const auth = { cookie: operator.session.cookie, csrfToken: operator.session.csrfToken };
    const { body } = await api<{ message: MessageDTO }>(parley.url, path, {
      ...auth,
      body: { clientId: newClientId(), text: 'Returning customer', visibility: 'internal' },
    });
    expect(body.message).toMatchObject({ seq: 2, visibility: 'internal' });
    await expect(
      api(parley.url, path, { ...auth, body: { clientId: newClientId(), text: 'x', visibility: 'secret' } }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      operator.socket.request('message.send', {
        conversationId: question.conversationId,
        clientId: newClientId(),
        text: 'x',
        visibility: 'secret',
      }),
    ).rejects.toMatchObject({ frame: { error: { code: 'bad_request' } } });
  });
});

describe('a retried message', () => {
  it('is announced again, so a publish lost after the commit reaches the other side once', async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    await send(visitor.socket, { clientId: newClientId(), text: 'first' });

    // The bus is away for one publish: the message is stored, its announcement is lost.
    const bus = parley.services.ctx.bus;
    const publish = bus.publish.bind(bus);
    let dropped = 0;
    bus.publish = async (event: DomainEvent) => {
      if (event.type === 'message.created' && dropped === 0) {
        dropped++;
        throw new Error('bus unavailable');
      }
      return publish(event);
    };
    const clientId = newClientId();
    try {
      await expect(send(visitor.socket, { clientId, text: 'lost in transit' })).rejects.toMatchObject({
        frame: { error: { code: 'internal' } },
      });
    } finally {
      bus.publish = publish;
    }
    expect(dropped).toBe(1);

    // The client retries with the same client id: acked with the original, and announced.
    const retried = await send(visitor.socket, { clientId, text: 'lost in transit' });
    expect(retried.seq).toBe(2);
    const seen = await operator.socket.waitForMessage((m) => m.id === retried.id);
    expect(seen).toMatchObject({ seq: 2, text: 'lost in transit' });
    // A later message proves the event order; the retried one arrived exactly once.
    const later = await send(visitor.socket, { clientId: newClientId(), text: 'later' });
    await operator.socket.waitForMessage((m) => m.id === later.id);
    const ids = operator.socket.messagesReceived().map((m) => m.id);
    expect(ids.filter((id) => id === retried.id)).toHaveLength(1);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM messages WHERE client_id = ${clientId}`.execute(parley.services.ctx.db);
    expect(rows[0]?.n).toBe(1);
  });

  it("is announced again with the conversation's current row for operators", async () => {
    const operator = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    const clientId = newClientId();
    const first = await send(visitor.socket, { clientId, text: 'hello' });
    const reply = await send(operator.socket, {
      conversationId: first.conversationId,
      clientId: newClientId(),
      text: 'hi',
    });
    await send(visitor.socket, { clientId, text: 'hello' });
    const events = () =>
      operator.socket.events
        .filter((e) => e.type === 'message.created')
        .map((e) => e.data as MessageCreatedDTO)
        .filter((e) => e.message.id === first.id);
    await expect.poll(() => events().length).toBe(2);
    // Applied by a console that keeps the newest snapshot, the re-announced row does not step back.
    expect(events()[1]?.conversation).toMatchObject({ lastSeq: reply.seq, unreadCount: 0 });
  });
});

describe('offline requests', () => {
  it('roll back the contacts with the message when the transaction fails after the append', async () => {
    const db = parley.services.ctx.db;
    const visitor = await connectVisitor(parley);
    const visitorId = visitor.session.visitorId;
    // A failure at commit, after both writes: a deferred check that refuses this one message.
    await sql`
      CREATE FUNCTION refuse_poisoned_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.text = 'poisoned request' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`
      CREATE CONSTRAINT TRIGGER refuse_poisoned_message AFTER INSERT ON messages
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_message()`.execute(db);
    try {
      await expect(
        offlineRequestCreator(parley.services.ctx, {
          siteId: parley.demoSiteId,
          visitorId,
          clientId: newClientId(),
          email: 'poisoned@shop.example',
          phone: '+374 10 000000',
          text: 'poisoned request',
        }),
      ).rejects.toThrow(/refused at commit/);
    } finally {
      await sql`DROP TRIGGER refuse_poisoned_message ON messages`.execute(db);
      await sql`DROP FUNCTION refuse_poisoned_message()`.execute(db);
    }
    const stored = await db
      .selectFrom('visitors')
      .select(['email', 'phone'])
      .where('id', '=', visitorId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ email: null, phone: null });
    const conversations = await db
      .selectFrom('conversations')
      .select('id')
      .where('visitor_id', '=', visitorId)
      .execute();
    expect(conversations).toEqual([]);

    // Nothing half-done stands in the way: the same request goes through afterwards.
    const result = await offlineRequestCreator(parley.services.ctx, {
      siteId: parley.demoSiteId,
      visitorId,
      clientId: newClientId(),
      email: 'fine@shop.example',
      phone: null,
      text: 'a fine request',
    });
    expect(result).toMatchObject({ duplicate: false, message: { seq: 1, text: 'a fine request' } });
    const conversation = await db
      .selectFrom('conversations')
      .select(['channel', 'last_seq', 'last_public_seq'])
      .where('id', '=', result.conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation).toEqual({ channel: 'offline_request', last_seq: 1, last_public_seq: 1 });
  });

  it('acks a retried request with the original, announced again', async () => {
    const operator = await connectOperator(parley, { online: false });
    const visitor = await connectVisitor(parley);
    const props = {
      siteId: parley.demoSiteId,
      visitorId: visitor.session.visitorId,
      clientId: newClientId(),
      email: 'again@shop.example',
      phone: null,
      text: 'call me back',
    };
    const first = await offlineRequestCreator(parley.services.ctx, props);
    const again = await offlineRequestCreator(parley.services.ctx, props);
    expect(again).toMatchObject({ duplicate: true, conversationId: first.conversationId });
    expect(again.message).toEqual(first.message);
    await expect
      .poll(() => operator.socket.messagesReceived().filter((m) => m.id === first.message.id).length)
      .toBe(2);
    const rows = operator.socket.events
      .filter((e) => e.type === 'conversation.created')
      .map((e) => (e.data as ConversationDTO).id)
      .filter((id) => id === first.conversationId);
    expect(rows).toHaveLength(1);
  });
});
