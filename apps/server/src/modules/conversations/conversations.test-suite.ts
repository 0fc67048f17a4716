/**
 * The message path end to end over real sockets and a real PostgreSQL:
 * idempotent retries, resume after reconnect, ordering under concurrent
 * senders, closing and reopening, offline requests, text kept verbatim.
 */
import type {
  ConversationDetail,
  ConversationDTO,
  ConversationList,
  MessageCreatedDTO,
  MessageDTO,
  OfflineRequestResponse,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley, type TestParleyOptions } from '../../testing/test-parley.js';
import { routingSettingsUpdater } from '../routing/settings.js';

/** Defines the suite against one database target; each *.test.ts file beside this one picks a target. */
export function defineConversationSuite(database: NonNullable<TestParleyOptions['database']>): void {
  let parley: TestParley;

  beforeAll(async () => {
    // The per-visitor message limit has its own test; here one visitor sends bursts on purpose.
    parley = await startTestParley({ database, env: { VISITOR_MESSAGES_PER_MINUTE: '1000' } });
    // The message path as such: in the shared-queue mode nothing is assigned before the first reply,
    // which claims the chat (automatic assignment has its own suite, modules/routing).
    await routingSettingsUpdater(parley.services.ctx.db, parley.demoSiteId, { mode: 'queue' });
  });
  afterEach(closeAllSockets);
  afterAll(async () => {
    await parley?.close();
  });

  const send = (socket: { request: <T>(t: string, d: unknown) => Promise<T> }, data: unknown) =>
    socket.request<{ message: MessageDTO }>('message.send', data).then((ack) => ack.message);

  describe('sending', () => {
    it('delivers a visitor message to the operator and the reply back, with the operator name', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const sent = await send(visitor.socket, { clientId: newClientId(), text: 'Do you have size 42?' });
      expect(sent.seq).toBe(1);
      const created = await operator.socket.waitFor<ConversationDTO>(
        'conversation.created',
        (c) => c.id === sent.conversationId,
      );
      expect(created.visitorId).toBe(visitor.session.visitorId);
      const seen = await operator.socket.waitForMessage((m) => m.id === sent.id);
      expect(seen.text).toBe('Do you have size 42?');

      const reply = await send(operator.socket, {
        conversationId: sent.conversationId,
        clientId: newClientId(),
        text: 'Yes!',
      });
      const received = await visitor.socket.waitFor<MessageDTO>('message.created', (m) => m.id === reply.id);
      expect(received).toMatchObject({ seq: 2, author: { kind: 'operator', name: 'Admin' } });
      await Promise.all([operator.socket.close(), visitor.socket.close()]);
    });

    it('stores a retried send once and acks the retry with the original', async () => {
      const visitor = await connectVisitor(parley);
      const clientId = newClientId();
      const first = await send(visitor.socket, { clientId, text: 'once' });
      const retries = await Promise.all(
        [1, 2, 3].map(() => send(visitor.socket, { clientId, text: 'once' })),
      );
      expect(retries.map((m) => m.id)).toEqual([first.id, first.id, first.id]);

      // A retry from another connection (after a reconnect) is still the same message.
      const again = await connectVisitor(parley, visitor.session.visitorToken);
      expect((await send(again.socket, { clientId, text: 'once' })).id).toBe(first.id);
      const { rows } = await parley.services.database.pool.query(
        'SELECT count(*)::int AS n FROM messages WHERE client_id = $1',
        [clientId],
      );
      expect(rows[0].n).toBe(1);
      await Promise.all([visitor.socket.close(), again.socket.close()]);
    });

    it('is idempotent over HTTP for operators too', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const first = await send(visitor.socket, { clientId: newClientId(), text: 'hello' });
      const clientId = newClientId();
      const path = `/api/conversations/${first.conversationId}/messages`;
      const options = {
        cookie: operator.session.cookie,
        csrfToken: operator.session.csrfToken,
        body: { clientId, text: 'hi' },
      };
      const a = await api<{ message: MessageDTO }>(parley.url, path, options);
      const b = await api<{ message: MessageDTO }>(parley.url, path, options);
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.message.id).toBe(a.body.message.id);
      await Promise.all([operator.socket.close(), visitor.socket.close()]);
    });

    it('keeps seqs gapless and each sender in its own order under concurrent senders', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const opening = await send(visitor.socket, { clientId: newClientId(), text: 'start' });
      const conversationId = opening.conversationId;
      const visitorTabs = await Promise.all(
        [1, 2].map(() => connectVisitor(parley, visitor.session.visitorToken)),
      );
      const senders = [
        ...visitorTabs.map((tab, t) => ({
          socket: tab.socket,
          data: (i: number) => ({ clientId: newClientId(), text: `v${t}-${i}` }),
        })),
        {
          socket: operator.socket,
          data: (i: number) => ({ conversationId, clientId: newClientId(), text: `o-${i}` }),
        },
      ];
      await Promise.all(
        senders.map(async (s) =>
          Promise.all(Array.from({ length: 15 }, (_, i) => send(s.socket, s.data(i)))),
        ),
      );

      const { body } = await api<{ messages: MessageDTO[] }>(
        parley.url,
        `/api/conversations/${conversationId}/messages?afterSeq=0&limit=200`,
        {
          cookie: operator.session.cookie,
        },
      );
      expect(body.messages.map((m) => m.seq)).toEqual(Array.from({ length: 46 }, (_, i) => i + 1));
      for (const prefix of ['v0-', 'v1-', 'o-']) {
        const mine = body.messages
          .filter((m) => m.text.startsWith(prefix))
          .map((m) => Number(m.text.slice(prefix.length)));
        expect(mine).toEqual(Array.from({ length: 15 }, (_, i) => i));
      }
      await Promise.all([
        operator.socket.close(),
        visitor.socket.close(),
        ...visitorTabs.map((t) => t.socket.close()),
      ]);
    });

    it('opens one conversation when several tabs of a new visitor write first at once', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const tabs = [
        visitor,
        ...(await Promise.all([1, 2, 3].map(() => connectVisitor(parley, visitor.session.visitorToken)))),
      ];
      const sent = await Promise.all(
        tabs.map((tab, i) => send(tab.socket, { clientId: newClientId(), text: `hello from tab ${i}` })),
      );
      const conversationIds = new Set(sent.map((m) => m.conversationId));
      expect(conversationIds.size).toBe(1);
      expect(sent.map((m) => m.seq).sort()).toEqual([1, 2, 3, 4]);
      await operator.socket.waitForMessage((m) => conversationIds.has(m.conversationId) && m.seq === 4);
      const announced = operator.socket.events
        .filter((e) => e.type === 'conversation.created')
        .map((e) => (e.data as ConversationDTO).id)
        .filter((id) => conversationIds.has(id));
      expect(announced).toHaveLength(1);
    });
  });

  describe('resume after reconnect', () => {
    it('returns exactly the messages sent while the visitor was away', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const first = await send(visitor.socket, { clientId: newClientId(), text: 'are you there?' });
      await visitor.socket.close();

      for (const text of ['yes', 'we are', 'here']) {
        await send(operator.socket, { conversationId: first.conversationId, clientId: newClientId(), text });
      }
      const back = await connectVisitor(parley, visitor.session.visitorToken);
      const { messages } = await back.socket.request<{ messages: MessageDTO[] }>('conversation.sync', {
        conversationId: first.conversationId,
        afterSeq: first.seq,
      });
      expect(messages.map((m) => [m.seq, m.text])).toEqual([
        [2, 'yes'],
        [3, 'we are'],
        [4, 'here'],
      ]);
      // And the whole history comes with a new session on the next page.
      expect(back.session.history.map((m) => m.text)).toEqual(['are you there?', 'yes', 'we are', 'here']);
      await Promise.all([operator.socket.close(), back.socket.close()]);
    });

    it("refuses to sync another visitor's conversation", async () => {
      const alice = await connectVisitor(parley);
      const mallory = await connectVisitor(parley);
      const message = await send(alice.socket, { clientId: newClientId(), text: 'private' });
      await expect(
        mallory.socket.request('conversation.sync', { conversationId: message.conversationId, afterSeq: 0 }),
      ).rejects.toMatchObject({ frame: { error: { code: 'not_found' } } });
      await Promise.all([alice.socket.close(), mallory.socket.close()]);
    });
  });

  describe('closing and reopening', () => {
    it('closes, starts a new conversation on the next visitor message, and refuses to reopen a second open one', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const first = await send(visitor.socket, { clientId: newClientId(), text: 'first question' });
      const auth = { cookie: operator.session.cookie, csrfToken: operator.session.csrfToken, body: {} };

      const closed = await api<{ conversation: ConversationDTO }>(
        parley.url,
        `/api/conversations/${first.conversationId}/close`,
        auth,
      );
      // Closing settles it: the unanswered question no longer waits, nor after a reopen.
      expect(closed.body.conversation).toMatchObject({
        status: 'closed',
        unreadCount: 0,
        waitingSince: null,
      });
      await visitor.socket.waitFor(
        'conversation.updated',
        (c: { id: string; status: string }) => c.status === 'closed',
      );
      await expect(
        send(operator.socket, {
          conversationId: first.conversationId,
          clientId: newClientId(),
          text: 'late',
        }),
      ).rejects.toMatchObject({ frame: { error: { code: 'conflict' } } });

      const second = await send(visitor.socket, { clientId: newClientId(), text: 'second question' });
      expect(second.conversationId).not.toBe(first.conversationId);
      expect(second.seq).toBe(1);

      await expect(
        api(parley.url, `/api/conversations/${first.conversationId}/reopen`, auth),
      ).rejects.toMatchObject({ status: 409 });
      await api(parley.url, `/api/conversations/${second.conversationId}/close`, auth);
      const reopened = await api<{ conversation: ConversationDTO }>(
        parley.url,
        `/api/conversations/${first.conversationId}/reopen`,
        auth,
      );
      expect(reopened.body.conversation).toMatchObject({
        status: 'open',
        closedAt: null,
        unreadCount: 0,
        waitingSince: null,
      });
      const reply = await send(operator.socket, {
        conversationId: first.conversationId,
        clientId: newClientId(),
        text: 'back',
      });
      expect(reply.seq).toBe(2);
      await Promise.all([operator.socket.close(), visitor.socket.close()]);
    });
  });

  describe('retry after close', () => {
    it('acks a retry of a message whose conversation closed meanwhile, without opening a new one', async () => {
      const operator = await connectOperator(parley);
      const visitor = await connectVisitor(parley);
      const clientId = newClientId();
      const first = await send(visitor.socket, { clientId, text: 'sent before close' });
      const auth = { cookie: operator.session.cookie, csrfToken: operator.session.csrfToken, body: {} };
      await api(parley.url, `/api/conversations/${first.conversationId}/close`, auth);
      const countConversations = async () =>
        (
          await parley.services.database.pool.query(
            'SELECT count(*)::int AS n FROM conversations WHERE visitor_id = $1',
            [visitor.session.visitorId],
          )
        ).rows[0].n;
      const before = await countConversations();
      // The same socket remembers the (now closed) conversation; a new socket does not: both paths.
      expect((await send(visitor.socket, { clientId, text: 'sent before close' })).id).toBe(first.id);
      const again = await connectVisitor(parley, visitor.session.visitorToken);
      expect((await send(again.socket, { clientId, text: 'sent before close' })).id).toBe(first.id);
      expect(await countConversations()).toBe(before);
    });
  });

  describe('offline requests', () => {
    it('stores a request while nobody is online and shows it in the requests list', async () => {
      const visitor = await connectVisitor(parley);
      expect(visitor.session.online).toBe(false);
      const clientId = newClientId();
      const request = {
        headers: { authorization: `Bearer ${visitor.session.visitorToken}` },
        body: {
          clientId,
          email: 'buyer@example.com',
          phone: '+7 900 000-00-00',
          text: 'Call me about the sofa',
        },
      };
      const stored = await api<OfflineRequestResponse>(parley.url, '/api/widget/requests', request);
      expect(stored.status).toBe(201);
      const retried = await api<OfflineRequestResponse>(parley.url, '/api/widget/requests', request);
      expect(retried.body.message.id).toBe(stored.body.message.id);

      const operator = await connectOperator(parley, { online: false });
      const { body } = await api<ConversationList>(parley.url, '/api/conversations?channel=offline_request', {
        cookie: operator.session.cookie,
      });
      const listed = body.items.find((c) => c.id === stored.body.conversationId);
      expect(listed).toMatchObject({
        channel: 'offline_request',
        lastMessage: { text: 'Call me about the sofa' },
      });
      const { body: card } = await api<{ visitor: { email: string; phone: string } }>(
        parley.url,
        `/api/visitors/${visitor.session.visitorId}`,
        {
          cookie: operator.session.cookie,
        },
      );
      expect(card.visitor).toMatchObject({ email: 'buyer@example.com', phone: '+7 900 000-00-00' });
      await Promise.all([operator.socket.close(), visitor.socket.close()]);
    });

    it('tells visitors when an operator comes online and goes away', async () => {
      const visitor = await connectVisitor(parley);
      const operator = await connectOperator(parley);
      await visitor.socket.waitFor('availability.updated', (a: { online: boolean }) => a.online);
      await operator.socket.close();
      await visitor.socket.waitFor('availability.updated', (a: { online: boolean }) => !a.online);
      await visitor.socket.close();
    });
  });

  describe('text is stored and returned verbatim', () => {
    it.each([
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"><svg/onload=alert(1)>',
      "javascript:alert('x')",
      'Привет! Բարև! 👋 &amp; &lt;b&gt;',
    ])('%s', async (payload) => {
      const visitor = await connectVisitor(parley);
      const message = await send(visitor.socket, { clientId: newClientId(), text: payload });
      expect(message.text).toBe(payload);
      const again = await connectVisitor(parley, visitor.session.visitorToken);
      expect(again.session.history.at(-1)?.text).toBe(payload);
      await Promise.all([visitor.socket.close(), again.socket.close()]);
    });
  });

  describe('inbox pagination', () => {
    it('walks every conversation exactly once with the cursor', async () => {
      for (let i = 0; i < 7; i++) {
        const visitor = await connectVisitor(parley);
        await send(visitor.socket, { clientId: newClientId(), text: `page test ${i}` });
        await visitor.socket.close();
      }
      const operator = await connectOperator(parley, { online: false });
      const seen: string[] = [];
      const seenAt: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const { body } = await api<ConversationList>(parley.url, query, { cookie: operator.session.cookie });
        seen.push(...body.items.map((c) => c.id));
        seenAt.push(...body.items.map((c) => c.lastActivityAt));
        cursor = body.nextCursor;
      } while (cursor);
      const { rows } = await parley.services.database.pool.query(
        'SELECT count(*)::int AS n FROM conversations',
      );
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(rows[0].n);
      const activity = seenAt.map((at) => Date.parse(at));
      expect(activity).toEqual([...activity].sort((a, b) => b - a));
      await operator.socket.close();
    });
  });

  describe('the inbox row', () => {
    /** The conversation as the Open list, its detail, and the visitor's card each present it. */
    async function presented(cookie: string, conversation: { id: string; visitorId: string }) {
      const list = await api<ConversationList>(parley.url, '/api/conversations?status=open&channel=chat', {
        cookie,
      });
      const detail = await api<ConversationDetail>(parley.url, `/api/conversations/${conversation.id}`, {
        cookie,
      });
      const card = await api<{ conversations: ConversationDTO[] }>(
        parley.url,
        `/api/visitors/${conversation.visitorId}`,
        { cookie },
      );
      const views = [
        list.body.items.find((c) => c.id === conversation.id),
        detail.body.conversation,
        card.body.conversations.find((c) => c.id === conversation.id),
      ];
      // All three come from one query: whatever one says, the others say too.
      expect(views[1]).toEqual(views[0]);
      expect(views[2]).toEqual(views[0]);
      // Reads carry the row's tags; the message path's snapshot leaves them out (clients keep theirs).
      const { tagIds, closeReasonTagId, ...row } = views[0] ?? ({} as ConversationDTO);
      expect({ tagIds, closeReasonTagId }).toEqual({ tagIds: [], closeReasonTagId: null });
      return row;
    }

    it('tells who wrote last and when, in lists, details and live events alike', async () => {
      const admin = await connectOperator(parley);
      const anna = await addOperator(parley, 'Anna');
      const visitor = await connectVisitor(parley);

      const question = await send(visitor.socket, {
        clientId: newClientId(),
        text: 'Is the blue one in stock?',
      });
      const scope = { id: question.conversationId, visitorId: visitor.session.visitorId };
      const created = await admin.socket.waitFor<ConversationDTO>(
        'conversation.created',
        (c) => c.id === scope.id,
      );
      expect(created).toMatchObject({
        lastActivityAt: question.createdAt,
        lastMessage: { text: 'Is the blue one in stock?', authorKind: 'visitor', authorName: null },
      });
      expect(await presented(admin.session.cookie, scope)).toEqual(created);

      // Anna answers first over HTTP: the reply assigns the conversation to her, announced with her name.
      const { body } = await api<{ message: MessageDTO }>(
        parley.url,
        `/api/conversations/${scope.id}/messages`,
        {
          cookie: anna.session.cookie,
          csrfToken: anna.session.csrfToken,
          body: { clientId: newClientId(), text: 'Yes, in every size' },
        },
      );
      const reply = body.message;
      // The reply's event carries the row as the reply left it.
      const { conversation: assigned } = await admin.socket.waitFor<MessageCreatedDTO>(
        'message.created',
        (e) => e.message.id === reply.id,
      );
      expect(assigned).toMatchObject({
        assigneeId: anna.operator.id,
        lastActivityAt: reply.createdAt,
        lastMessage: { text: 'Yes, in every size', authorKind: 'operator', authorName: 'Anna' },
      });
      expect(await presented(admin.session.cookie, scope)).toEqual(assigned);

      // The name is read when the row is: Anna's new name shows on her old reply.
      await api(parley.url, '/api/operators/me', {
        method: 'PATCH',
        cookie: anna.session.cookie,
        csrfToken: anna.session.csrfToken,
        body: { displayName: 'Anna Petrosyan' },
      });
      expect((await presented(admin.session.cookie, scope))?.lastMessage?.authorName).toBe('Anna Petrosyan');

      // A visitor who has given a name is named; one who has not stays null (the console shows its label).
      await parley.services.database.pool.query("UPDATE visitors SET name = 'Marta' WHERE id = $1", [
        scope.visitorId,
      ]);
      const thanks = await send(visitor.socket, { clientId: newClientId(), text: 'Great, thanks' });
      expect(await presented(admin.session.cookie, scope)).toMatchObject({
        visitorName: 'Marta',
        lastActivityAt: thanks.createdAt,
        lastMessage: { authorKind: 'visitor', authorName: 'Marta', createdAt: thanks.createdAt },
      });
    });

    it('puts a reopened conversation first: reopening is activity, and the list and events say so', async () => {
      const admin = await connectOperator(parley);
      const auth = { cookie: admin.session.cookie, csrfToken: admin.session.csrfToken, body: {} };
      const early = await connectVisitor(parley);
      const earlyMessage = await send(early.socket, { clientId: newClientId(), text: 'An old question' });
      await api(parley.url, `/api/conversations/${earlyMessage.conversationId}/close`, auth);
      const late = await connectVisitor(parley);
      const lateMessage = await send(late.socket, { clientId: newClientId(), text: 'A new question' });

      const openList = async () =>
        (
          await api<ConversationList>(parley.url, '/api/conversations?status=open&channel=chat', {
            cookie: admin.session.cookie,
          })
        ).body.items;
      expect((await openList())[0]).toMatchObject({
        id: lateMessage.conversationId,
        lastActivityAt: lateMessage.createdAt,
      });

      const reopened = await api<{ conversation: ConversationDTO }>(
        parley.url,
        `/api/conversations/${earlyMessage.conversationId}/reopen`,
        auth,
      );
      const announced = await admin.socket.waitFor<ConversationDTO>(
        'conversation.updated',
        (c) => c.id === earlyMessage.conversationId && c.status === 'open',
      );
      expect(announced).toEqual(reopened.body.conversation);
      // The row keeps its last message; only its activity moves, past the newer conversation's.
      expect(announced.lastMessage?.createdAt).toBe(earlyMessage.createdAt);
      expect(Date.parse(announced.lastActivityAt)).toBeGreaterThan(Date.parse(lateMessage.createdAt));
      const items = await openList();
      expect(items.slice(0, 2).map((c) => c.id)).toEqual([
        earlyMessage.conversationId,
        lateMessage.conversationId,
      ]);
      expect(items[0]).toEqual(announced);
    });
  });
}
