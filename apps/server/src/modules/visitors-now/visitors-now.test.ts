/**
 * "Visitors now" against a real PostgreSQL and, for live updates, two nodes sharing Redis: the list
 * (online, stale, left, another site's, chatting), who may read it, the per-site batching of live
 * rows to watching consoles only, and the proactive chat (one conversation however often it is
 * retried; refusals that write nothing).
 */
import {
  API_PATHS,
  type StartChatResponse,
  type VisitorsActivityDTO,
  type VisitorsNowList,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, loginOperator, type OperatorSession, TestSocket } from '../../testing/clients.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../../testing/databases.js';
import { addOperator, closeAllSockets, countRows, newClientId } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { pingTrackedVisitor, seedTrackedVisitor } from '../../testing/tracked-visitors.js';
import { createSite } from '../sites/commands.js';

let database: TestDatabase;
let nodeA: TestParley;
let nodeB: TestParley;
let admin: OperatorSession;
let otherSiteId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  nodeA = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
  nodeB = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
  admin = await loginOperator(nodeB.url, TEST_ADMIN.email, TEST_ADMIN.password);
  otherSiteId = (await createSite(nodeA.services.ctx.db, { name: 'Other shop', allowedOrigins: [] })).id;
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await closeAllSockets();
  await nodeA.services.database.pool.query("UPDATE visitors SET last_seen_at = now() - interval '1 hour'");
});
afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await database?.drop();
});

const ctxA = () => nodeA.services.ctx;
const site = () => nodeA.demoSiteId;

const listAs = (session: OperatorSession, siteId = site()) =>
  api<VisitorsNowList>(nodeB.url, API_PATHS.siteVisitorsNow(siteId), { cookie: session.cookie });

const startChat = (session: OperatorSession, visitorId: string, body: unknown) =>
  api<StartChatResponse>(nodeB.url, API_PATHS.visitorChats(visitorId), {
    body,
    cookie: session.cookie,
    csrfToken: session.csrfToken,
  });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) =>
      error instanceof ApiError ? { status: error.status, code: error.body.error.code } : error,
  );

async function console(session: OperatorSession = admin): Promise<TestSocket> {
  const socket = await TestSocket.operator(nodeB.wsUrl, session.cookie);
  sockets.push(socket);
  await socket.waitFor('session.ready');
  return socket;
}

describe('the list', () => {
  it('shows who is on the site now with their page, source and cart; not the stale, the gone, nor other sites', async () => {
    const here = await seedTrackedVisitor(ctxA(), {
      siteId: site(),
      pages: [
        { url: 'https://shop.example/', title: 'Home' },
        { url: 'https://shop.example/catalog/shoes', title: 'Shoes' },
      ],
      source: { kind: 'search', name: 'Yandex', utmCampaign: 'winter', searchQuery: 'купить кроссовки' },
      cart: { amount: '129.90', currency: 'EUR' },
      visitCount: 3,
      city: 'Gyumri',
    });
    const stale = await seedTrackedVisitor(ctxA(), { siteId: site(), seenSecondsAgo: 120 });
    const gone = await seedTrackedVisitor(ctxA(), { siteId: site(), left: true });
    const elsewhere = await seedTrackedVisitor(ctxA(), { siteId: otherSiteId });

    const { body } = await listAs(admin);
    const ids = body.visitors.map((v) => v.visitorId);
    expect(ids).toContain(here);
    expect(ids).not.toContain(stale);
    expect(ids).not.toContain(gone);
    expect(ids).not.toContain(elsewhere);
    expect(body.visitors.find((v) => v.visitorId === here)).toMatchObject({
      siteId: site(),
      currentPage: { url: 'https://shop.example/catalog/shoes', title: 'Shoes' },
      pagesThisVisit: 2,
      source: {
        kind: 'search',
        name: 'Yandex',
        utm: { campaign: 'winter' },
        searchQuery: 'купить кроссовки',
        landingUrl: 'https://shop.example/',
      },
      city: 'Gyumri',
      country: 'AM',
      device: 'desktop',
      browser: 'Firefox',
      visitCount: 3,
      conversationId: null,
      cart: { amount: '129.90', currency: 'EUR' },
      left: false,
    });
  });

  it("marks who is chatting, and refuses another site's operator (404) and nobody (401)", async () => {
    const visitorId = await seedTrackedVisitor(ctxA(), { siteId: site() });
    const { body: started } = await startChat(admin, visitorId, { clientId: newClientId(), text: 'Hi!' });
    const row = (await listAs(admin)).body.visitors.find((v) => v.visitorId === visitorId);
    expect(row?.conversationId).toBe(started.conversation.id);

    const { session: outsider } = await addOperator(nodeA, 'Outsider', otherSiteId);
    expect(await refusal(listAs(outsider))).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(api(nodeB.url, API_PATHS.siteVisitorsNow(site())))).toMatchObject({ status: 401 });
    // Their own site's list they may read.
    expect((await listAs(outsider, otherSiteId)).status).toBe(200);
  });
});

describe('live rows', () => {
  it('reach only consoles that watch the site, batched per site at most once a second, across nodes', async () => {
    const watching = await console();
    const idle = await console();
    await watching.request('visitors.watch', { siteId: site(), watching: true });
    const visitors = await Promise.all(
      Array.from({ length: 20 }, () => seedTrackedVisitor(ctxA(), { siteId: site() })),
    );
    const started = Date.now();
    // 20 visitors, 5 batches each, published on node A within ~a quarter of a second.
    for (let round = 0; round < 5; round++)
      await Promise.all(visitors.map((id) => pingTrackedVisitor(ctxA(), site(), id)));
    await watching.waitFor<VisitorsActivityDTO>('visitors.activity', () => {
      const seen = new Set(
        watching.events
          .filter((e) => e.type === 'visitors.activity')
          .flatMap((e) => (e.data as VisitorsActivityDTO).visitors.map((v) => v.visitorId)),
      );
      return visitors.every((id) => seen.has(id));
    });
    const frames = watching.events.filter((e) => e.type === 'visitors.activity');
    // 100 events became a frame at once and at most one per second after it.
    expect(frames.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - started) / 1000));
    expect(frames.length).toBeLessThan(10);
    for (const frame of frames) expect((frame.data as VisitorsActivityDTO).siteId).toBe(site());
    expect(idle.events.some((e) => e.type === 'visitors.activity' || e.type === 'visitor.activity')).toBe(
      false,
    );

    // Unwatched: nothing more.
    await watching.request('visitors.watch', { siteId: site(), watching: false });
    const before = watching.events.length;
    await pingTrackedVisitor(ctxA(), site(), visitors[0] as string);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(watching.events.slice(before).some((e) => e.type === 'visitors.activity')).toBe(false);
  });

  it("refuses to watch a site that is not the operator's", async () => {
    const { session: outsider } = await addOperator(nodeA, 'Watcher', otherSiteId);
    const socket = await console(outsider);
    await expect(socket.request('visitors.watch', { siteId: site(), watching: true })).rejects.toMatchObject({
      frame: { error: { code: 'not_found' } },
    });
    await pingTrackedVisitor(ctxA(), site(), await seedTrackedVisitor(ctxA(), { siteId: site() }));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(socket.events.some((e) => e.type === 'visitors.activity')).toBe(false);
  });
});

describe('the proactive chat', () => {
  it('opens one conversation assigned to the operator with their message, however often it is retried', async () => {
    const visitorId = await seedTrackedVisitor(ctxA(), { siteId: site() });
    const watcher = await console();
    await watcher.request('visitors.watch', { siteId: site(), watching: true });
    const clientId = newClientId();
    const body = { clientId, text: 'Help you pick the shoe size?' };
    // Sent three times at once and once more after: one conversation, one message.
    const answers = await Promise.all([1, 2, 3].map(() => startChat(admin, visitorId, body)));
    const again = await startChat(admin, visitorId, body);
    const first = answers.find((a) => a.status === 201);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(again.status).toBe(200);
    for (const answer of [...answers, again]) {
      expect(answer.body.conversation.id).toBe(first?.body.conversation.id);
      expect(answer.body.message.id).toBe(first?.body.message.id);
    }
    const { rows } = await nodeA.services.database.pool.query(
      'SELECT c.id, c.assignee_id, c.status, (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id) AS messages FROM conversations c WHERE visitor_id = $1',
      [visitorId],
    );
    expect(rows).toEqual([
      { id: first?.body.conversation.id, assignee_id: admin.operator.id, status: 'open', messages: 1 },
    ]);
    expect(first?.body.message).toMatchObject({
      text: 'Help you pick the shoe size?',
      author: { kind: 'operator' },
    });
    // The row in "visitors now" says "chatting" at once.
    const live = await watcher.waitFor<VisitorsActivityDTO>('visitors.activity', (d) =>
      d.visitors.some((v) => v.visitorId === visitorId && v.conversationId !== null),
    );
    expect(live.siteId).toBe(site());
  });

  it('refuses a visitor who left or went stale, one who is chatting, another site’s visitor and bad input, writing nothing', async () => {
    const gone = await seedTrackedVisitor(ctxA(), { siteId: site(), left: true });
    const stale = await seedTrackedVisitor(ctxA(), { siteId: site(), seenSecondsAgo: 300 });
    const elsewhere = await seedTrackedVisitor(ctxA(), { siteId: otherSiteId });
    const chatting = await seedTrackedVisitor(ctxA(), { siteId: site() });
    await startChat(admin, chatting, { clientId: newClientId(), text: 'Hello' });
    const { session: operator } = await addOperator(nodeA, 'Anna');
    const here = await seedTrackedVisitor(ctxA(), { siteId: site() });

    const before = await countRows(ctxA().db);
    const ok = { clientId: newClientId(), text: 'Can I help?' };
    expect(await refusal(startChat(admin, gone, ok))).toEqual({ status: 409, code: 'conflict' });
    expect(await refusal(startChat(admin, stale, ok))).toEqual({ status: 409, code: 'conflict' });
    expect(await refusal(startChat(admin, chatting, ok))).toEqual({ status: 409, code: 'conflict' });
    // An operator of the demo site only: the other site's visitor does not exist for them.
    expect(await refusal(startChat(operator, elsewhere, ok))).toEqual({ status: 404, code: 'not_found' });
    expect(await refusal(startChat(admin, '00000000-0000-4000-8000-000000000000', ok))).toEqual({
      status: 404,
      code: 'not_found',
    });
    for (const bad of [
      { clientId: newClientId(), text: '   ' },
      { clientId: 'short', text: 'Hi' },
      { clientId: newClientId(), text: 'x'.repeat(20_000) },
      { clientId: newClientId(), text: 'Hi', extra: true },
      { text: 'Hi' },
    ])
      expect(await refusal(startChat(operator, here, bad))).toEqual({ status: 400, code: 'bad_request' });
    expect(await refusal(startChat(operator, 'not-a-uuid', ok))).toEqual({
      status: 400,
      code: 'bad_request',
    });
    expect(await countRows(ctxA().db)).toEqual(before);
  });
});
