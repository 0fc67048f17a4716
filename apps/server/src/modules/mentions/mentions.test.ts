/**
 * Mentions in notes, on real sockets and PostgreSQL: the colleague named
 * with `@` gets a live `mention.created` on their own consoles only (not the
 * author's, not other operators'), the mention is stored so an operator who
 * was offline finds it later, a retried note mentions nobody twice, a reply
 * (public) mentions nobody, and marking read refuses ids that are not yours.
 */
import { API_PATHS, type MentionDTO, type MentionList, type MessageDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, type OperatorSession, TestSocket } from '../../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';

let parley: TestParley;
let maria: OperatorSession;
let lev: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  maria = (await addOperator(parley, 'Maria Petrova')).session;
  lev = (await addOperator(parley, 'Lev')).session;
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const as = (who: OperatorSession) => ({ cookie: who.cookie, csrfToken: who.csrfToken });
const mentionsOf = (who: OperatorSession) =>
  api<MentionList>(parley.url, API_PATHS.mentions, as(who)).then((r) => r.body);

describe('mentions', () => {
  it("reach the named colleague live and stay in their list until read; nobody else's", async () => {
    const admin = await connectOperator(parley);
    const visitor = await connectVisitor(parley);
    const { message: question } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'Can I pay by invoice?',
    });
    const mariaSocket = await TestSocket.operator(parley.wsUrl, maria.cookie);
    await mariaSocket.waitFor('session.ready');
    const levSocket = await TestSocket.operator(parley.wsUrl, lev.cookie);
    await levSocket.waitFor('session.ready');

    const clientId = newClientId();
    const noteText = '@maria petrova, do we invoice private buyers?';
    const { message: note } = await admin.socket.request<{ message: MessageDTO }>('message.send', {
      conversationId: question.conversationId,
      clientId,
      text: noteText,
      visibility: 'internal',
    });
    const live = await mariaSocket.waitFor<MentionDTO>('mention.created');
    expect(live).toMatchObject({
      messageId: note.id,
      conversationId: question.conversationId,
      siteId: parley.demoSiteId,
      authorName: 'Admin',
      text: noteText,
      readAt: null,
    });
    // Lev, offline for this (never named), and the author get no mention.
    await levSocket.waitForMessage((m) => m.id === note.id);
    expect(levSocket.events.some((e) => e.type === 'mention.created')).toBe(false);
    expect(admin.socket.events.some((e) => e.type === 'mention.created')).toBe(false);
    await mariaSocket.close();
    await levSocket.close();

    // Maria was away: her list has it, unread. A retry of the note mentions her once.
    await admin.socket.request('message.send', {
      conversationId: question.conversationId,
      clientId,
      text: noteText,
      visibility: 'internal',
    });
    let list = await mentionsOf(maria);
    expect(list.unreadCount).toBe(1);
    expect(list.items.map((m) => m.id)).toEqual([live.id]);
    expect((await mentionsOf(lev)).items).toEqual([]);

    // A public reply naming her notifies nobody: mentions live in notes.
    await admin.socket.request('message.send', {
      conversationId: question.conversationId,
      clientId: newClientId(),
      text: '@Maria Petrova will write to you about invoices',
    });
    expect((await mentionsOf(maria)).unreadCount).toBe(1);

    // Lev cannot mark Maria's mention read: 404, nothing written.
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(
      api(parley.url, API_PATHS.mentionsRead, { ...as(lev), body: { ids: [live.id] } }),
    ).rejects.toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);

    list = (
      await api<MentionList>(parley.url, API_PATHS.mentionsRead, { ...as(maria), body: { ids: [live.id] } })
    ).body;
    expect(list.unreadCount).toBe(0);
    expect(list.items[0]?.readAt).not.toBeNull();
  });

  it('a visitor cannot write a note: the frame is refused and nothing is stored', async () => {
    const visitor = await connectVisitor(parley);
    await visitor.socket.request('message.send', { clientId: newClientId(), text: 'hello' });
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(
      visitor.socket.request('message.send', {
        clientId: newClientId(),
        text: '@Lev secret note',
        visibility: 'internal',
      }),
    ).rejects.toMatchObject({ frame: { error: { code: 'bad_request' } } });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });
});
