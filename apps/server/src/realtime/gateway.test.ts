/** Live signals over real sockets: typing (with the sneak peek for operators only), presence with open-chat counts, page changes. */
import {
  API_PATHS,
  type MessageDTO,
  type OperatorPresenceDTO,
  type TypingDTO,
  type VisitorDTO,
  type WidgetSessionResponse,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, TestSocket } from '../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
} from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';
import { PAGE_UPDATES_PER_MINUTE } from './visitor-frames.js';

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

describe('typing', () => {
  it("shows operators the visitor's draft, and visitors only that the operator types", async () => {
    const { operator, visitor, conversationId } = await startChat();
    await visitor.socket.request('typing.set', { typing: true, preview: 'Do you deliver to Yere' });
    const seen = await operator.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.authorKind === 'visitor',
    );
    expect(seen).toMatchObject({ conversationId, typing: true, preview: 'Do you deliver to Yere' });

    // The operator's typing is the marker: sent after the visitor's draft went out to the conversation,
    // it reaches the visitor after anything that draft caused. So if it is the first typing event the
    // visitor gets, the draft was not echoed back — known at once, without waiting to see.
    await operator.socket.request('typing.set', { conversationId, typing: true });
    const heard = await visitor.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.authorKind === 'operator',
    );
    expect(heard).toMatchObject({ typing: true, preview: null, operator: { displayName: 'Admin' } });
    const typingSeenByVisitor = () =>
      visitor.socket.events.filter((e) => e.type === 'typing.updated').map((e) => e.data as TypingDTO);
    expect(typingSeenByVisitor()).toEqual([heard]);

    // Again with the visitor's next draft, and the operator stopping as the marker: still nothing else.
    await visitor.socket.request('typing.set', { typing: true, preview: 'Do you deliver to Yerevan?' });
    await operator.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.preview === 'Do you deliver to Yerevan?',
    );
    await operator.socket.request('typing.set', { conversationId, typing: false });
    const stopped = await visitor.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) => t.authorKind === 'operator' && !t.typing,
    );
    expect(typingSeenByVisitor()).toEqual([heard, stopped]);
  });
});

describe('presence', () => {
  it("counts an operator's open conversations once they reply, and drops them when the console disconnects", async () => {
    const { operator, conversationId } = await startChat();
    await operator.socket.request('message.send', {
      conversationId,
      clientId: newClientId(),
      text: 'Hi, I am here',
    });
    const mine = (p: { operators: OperatorPresenceDTO[] }) =>
      p.operators.find((o) => o.displayName === 'Admin');
    const withChat = await operator.socket.waitFor<{ operators: OperatorPresenceDTO[] }>(
      'presence.updated',
      (p) => (mine(p)?.openConversations ?? 0) >= 1,
    );
    expect(mine(withChat)).toMatchObject({ status: 'online', connected: true });

    // A colleague's console watches Admin leave (Admin's own second tab would keep Admin connected).
    const { session } = await addOperator(parley, 'Colleague');
    const watcher = { socket: await TestSocket.operator(parley.wsUrl, session.cookie) };
    await watcher.socket.waitFor('session.ready');
    await operator.socket.close();
    const after = await watcher.socket.waitFor<{ operators: OperatorPresenceDTO[] }>(
      'presence.updated',
      (p) => mine(p)?.connected === false,
    );
    expect(mine(after)?.connected).toBe(false);
    await watcher.socket.close();
  });
});

describe('visitor pages', () => {
  it('updates the visitor card when the visitor moves to another page', async () => {
    const { operator, visitor } = await startChat();
    await visitor.socket.request('visitor.page', { url: 'https://shop.example/cart', title: 'Cart' });
    const card = await operator.socket.waitFor<VisitorDTO>(
      'visitor.updated',
      (v) => v.currentPage?.url === 'https://shop.example/cart',
    );
    expect(card).toMatchObject({
      id: visitor.session.visitorId,
      currentPage: { title: 'Cart' },
      browser: 'Chrome 131',
      os: 'Linux',
    });
  });

  it('keeps the page a visitor arrives on, and where from, without secrets', async () => {
    const { body } = await api<WidgetSessionResponse>(parley.url, API_PATHS.widgetSession, {
      body: {
        siteKey: 'demo',
        page: { url: 'https://shop.example/reset?token=reset-secret&step=2', title: 'New password' },
        referrer: 'https://mail.example/open?sid=mail-session&m=1',
      },
    });
    const stored = await parley.services.ctx.db
      .selectFrom('visitors')
      .select(['current_url', 'referrer'])
      .where('id', '=', body.visitorId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      current_url: 'https://shop.example/reset?step=2',
      referrer: 'https://mail.example/open?m=1',
    });
  });

  it('shows where the visitor is without the secrets the address carried', async () => {
    const { operator, visitor } = await startChat();
    await visitor.socket.request('visitor.page', {
      url: 'https://shop.example/account/callback?lang=en#access_token=live-token&state=s1',
      title: 'Signed in',
    });
    const card = await operator.socket.waitFor<VisitorDTO>('visitor.updated', (v) =>
      Boolean(v.currentPage?.url.startsWith('https://shop.example/account/callback')),
    );
    expect(card.currentPage?.url).toBe('https://shop.example/account/callback?lang=en#state=s1');
    const stored = await parley.services.ctx.db
      .selectFrom('visitors')
      .select('current_url')
      .where('id', '=', visitor.session.visitorId)
      .executeTakeFirstOrThrow();
    expect(stored.current_url).not.toContain('live-token');
  });

  it('stops following a page that changes more often than a person browses, without writing', async () => {
    const { operator, visitor } = await startChat();
    const visit = (n: number) =>
      visitor.socket.request('visitor.page', { url: `https://shop.example/p/${n}`, title: `Page ${n}` });
    for (let n = 1; n <= PAGE_UPDATES_PER_MINUTE; n++) await visit(n);
    await operator.socket.waitFor<VisitorDTO>(
      'visitor.updated',
      (v) => v.currentPage?.url === `https://shop.example/p/${PAGE_UPDATES_PER_MINUTE}`,
    );
    await expect(visit(PAGE_UPDATES_PER_MINUTE + 1)).rejects.toMatchObject({
      frame: { error: { code: 'rate_limited' } },
    });
    const stored = await parley.services.ctx.db
      .selectFrom('visitors')
      .select('current_url')
      .where('id', '=', visitor.session.visitorId)
      .executeTakeFirstOrThrow();
    expect(stored.current_url).toBe(`https://shop.example/p/${PAGE_UPDATES_PER_MINUTE}`);
  });
});
