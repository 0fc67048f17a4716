/**
 * POST /api/widget/track over real HTTP, on a real PostgreSQL and Redis: a first batch creates the
 * visitor and their first visit (classified source, UTM, search query), a retried batch writes
 * nothing twice, time spent / cart / captured email land on the card, operators get
 * `visitor.activity`, and bad input, foreign origins, Do Not Track and floods are refused with
 * nothing written.
 */
import { randomBytes } from 'node:crypto';
import {
  API_PATHS,
  type StartChatResponse,
  TRACKING_LIMITS,
  type TrackItem,
  type TrackResponse,
  type VisitorNowDTO,
  type VisitorsActivityDTO,
  type VisitorsNowList,
  type WidgetSessionResponse,
} from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../testing/clients.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { closeAllSockets, connectOperator, newClientId, snapshotRows } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;
let operator: Awaited<ReturnType<typeof connectOperator>>;

beforeAll(async () => {
  parley = await startTestParley({ redisUrl: TEST_REDIS_URL });
  operator = await connectOperator(parley);
  // The console looks at "visitors now": live rows come as `visitors.activity` frames.
  await operator.socket.request('visitors.watch', { siteId: parley.demoSiteId, watching: true });
  await parley.services.ctx.db
    .updateTable('sites')
    .set({ allowed_origins: ['https://shop.example'] })
    .where('id', '=', parley.demoSiteId)
    .execute();
});
afterAll(async () => {
  await closeAllSockets();
  await parley?.close();
});

const id = () => randomBytes(6).toString('base64url');
const db = () => parley.services.ctx.db;

async function track(
  body: unknown,
  options: { origin?: string; raw?: string; language?: string } = {},
): Promise<{
  status: number;
  body: TrackResponse & { error?: { code: string; message: string } };
  headers: Headers;
}> {
  const response = await fetch(`${parley.url}${API_PATHS.widgetTrack}`, {
    method: 'POST',
    // As sendBeacon and keepalive fetch send it: text/plain, no preflight.
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      origin: options.origin ?? 'https://shop.example',
      ...(options.language && { 'accept-language': options.language }),
    },
    body: options.raw ?? JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as TrackResponse,
    headers: response.headers,
  };
}

/** The chat frame's session start, from the shop's page. */
async function startSession(body: object): Promise<{ status: number; body: WidgetSessionResponse }> {
  const response = await fetch(`${parley.url}${API_PATHS.widgetSession}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://shop.example' },
    body: JSON.stringify({ siteKey: 'demo', page: { url: 'https://shop.example/' }, ...body }),
  });
  return { status: response.status, body: (await response.json()) as WidgetSessionResponse };
}

const batch = (items: TrackItem[], visitorToken: string | null = null, extra: object = {}) => ({
  siteKey: 'demo',
  visitorToken,
  items,
  ...extra,
});
const page = (url: string, extra: Partial<Extract<TrackItem, { t: 'page' }>> = {}): TrackItem => ({
  t: 'page',
  id: id(),
  ago: 0,
  url,
  title: 'Boots',
  ...extra,
});
const visitorIdOf = (token: string) => token.split('.')[0] as string;
const visitorRow = (visitorId: string) =>
  db().selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirstOrThrow();
/** A visitor's visits, oldest first. */
const visitsOf = (visitorId: string) =>
  db().selectFrom('visits').selectAll().where('visitor_id', '=', visitorId).orderBy('number').execute();
const pageUrls = (visitorId: string) =>
  db().selectFrom('page_views').select('url').where('visitor_id', '=', visitorId).execute();

/** The first live "visitors now" row (sent to the watching console) that matches. */
async function liveRow(predicate: (row: VisitorNowDTO) => boolean): Promise<VisitorNowDTO> {
  const frame = await operator.socket.waitFor<VisitorsActivityDTO>('visitors.activity', (f) =>
    f.visitors.some(predicate),
  );
  return frame.visitors.find(predicate) as VisitorNowDTO;
}

describe('a first batch', () => {
  it('creates the visitor with a classified first visit, and tells operators', async () => {
    const first = page('https://shop.example/boots?utm_source=yandex&utm_medium=organic&token=SECRET', {
      referrer: 'https://yandex.ru/search/?text=winter+boots',
      ago: 1500,
    });
    const { status, body, headers } = await track(batch([first]), { language: 'hy-AM,hy;q=0.9,en;q=0.5' });
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(body.accepted).toBe(1);
    const visitorId = visitorIdOf(body.visitorToken);
    const visitor = await visitorRow(visitorId);
    expect(visitor).toMatchObject({
      visit_count: 1,
      current_url: 'https://shop.example/boots?utm_source=yandex&utm_medium=organic',
      current_title: 'Boots',
      // The browser's language, for a visitor who never opened the chat.
      language: 'hy-AM',
    });
    expect(visitor.first_touch).toMatchObject({
      kind: 'search',
      name: 'Yandex',
      searchQuery: 'winter boots',
    });
    expect(visitor.last_touch).toEqual(visitor.first_touch);
    const visits = await visitsOf(visitorId);
    expect(visits).toEqual([
      expect.objectContaining({
        number: 1,
        source_kind: 'search',
        source_name: 'Yandex',
        utm_source: 'yandex',
        utm_medium: 'organic',
        search_query: 'winter boots',
        page_view_count: 1,
        landing_url: 'https://shop.example/boots?utm_source=yandex&utm_medium=organic',
      }),
    ]);
    const now = await liveRow((n) => n.visitorId === visitorId);
    expect(now).toMatchObject({ pagesThisVisit: 1, visitCount: 1, source: { name: 'Yandex' }, left: false });
  });
});

describe("a new visitor's key (pages left before the first answer was read)", () => {
  const newKey = () => randomBytes(16).toString('hex');

  it('keeps every tokenless batch with the same key one visitor, once, with one visit', async () => {
    const key = newKey();
    const landing = page('https://shop.example/?utm_source=yandex', { referrer: 'https://yandex.ru/' });
    const first = await track(batch([landing], null, { newVisitorKey: key }));
    // The answer's token never reached storage: the page was left. The beacon repeats the page.
    const leave: TrackItem = { t: 'leave', id: id(), ago: 0, pageId: landing.id, seconds: 0 };
    const beacon = await track(batch([landing, leave], null, { newVisitorKey: key }));
    const next = await track(batch([page('https://shop.example/jacket')], null, { newVisitorKey: key }));
    const visitorId = visitorIdOf(first.body.visitorToken);
    expect(visitorIdOf(beacon.body.visitorToken)).toBe(visitorId);
    expect(visitorIdOf(next.body.visitorToken)).toBe(visitorId);
    expect([first.body.accepted, beacon.body.accepted, next.body.accepted]).toEqual([1, 1, 1]);
    const pages = await pageUrls(visitorId);
    expect(pages).toHaveLength(2);
    const visitor = await visitorRow(visitorId);
    expect(visitor).toMatchObject({ visit_count: 1, current_url: 'https://shop.example/jacket' });
    expect(visitor.first_touch).toMatchObject({ name: 'Yandex' });
  });

  it("takes the visit's landing and source from its earliest page, whichever batch arrives first", async () => {
    const key = newKey();
    // The landing page's beacon is overtaken by the next page's batch (a slow network, a busy server).
    const landing = page('https://shop.example/?utm_source=yandex&utm_campaign=spring', {
      referrer: 'https://yandex.ru/search/?text=trail+shoes',
      ago: 4000,
    });
    const next = page('https://shop.example/jacket', { referrer: 'https://shop.example/', ago: 2000 });
    const overtaking = await track(batch([next], null, { newVisitorKey: key }));
    const visitorId = visitorIdOf(overtaking.body.visitorToken);
    const late = await track(batch([landing], null, { newVisitorKey: key }));
    expect(visitorIdOf(late.body.visitorToken)).toBe(visitorId);

    const visits = await visitsOf(visitorId);
    expect(visits).toEqual([
      expect.objectContaining({
        number: 1,
        source_name: 'Yandex',
        utm_campaign: 'spring',
        search_query: 'trail shoes',
        landing_url: 'https://shop.example/?utm_source=yandex&utm_campaign=spring',
        page_view_count: 2,
      }),
    ]);
    const visitor = await visitorRow(visitorId);
    // The late page is older than the one the visitor is on: the current page stays the newer one.
    expect(visitor).toMatchObject({ visit_count: 1, current_url: 'https://shop.example/jacket' });
    expect(visitor.referrer).toBe('https://yandex.ru/search/?text=trail+shoes');
    expect(visitor.first_touch).toMatchObject({ name: 'Yandex', searchQuery: 'trail shoes' });
    expect(visitor.last_touch).toEqual(visitor.first_touch);
    const now = await liveRow((n) => n.visitorId === visitorId && n.pagesThisVisit === 2);
    expect(now).toMatchObject({
      source: { name: 'Yandex' },
      currentPage: { url: 'https://shop.example/jacket' },
    });
  });

  it('makes a chat opened before the first answer the same visitor as the pages, in either order', async () => {
    const landing = () =>
      page('https://shop.example/?utm_source=yandex', { referrer: 'https://yandex.ru/', ago: 500 });

    // The chat's session first: the tracker's batch, with the same key, finds the visitor it made.
    const chatFirstKey = newKey();
    const session = await startSession({ newVisitorKey: chatFirstKey });
    expect(session.status).toBe(200);
    const tracked = await track(batch([landing()], null, { newVisitorKey: chatFirstKey }));
    expect(visitorIdOf(tracked.body.visitorToken)).toBe(session.body.visitorId);
    expect((await visitorRow(session.body.visitorId)).first_touch).toMatchObject({ name: 'Yandex' });
    expect(await pageUrls(session.body.visitorId)).toHaveLength(1);

    // The tracker's answer first (its token not yet read): the chat is that visitor.
    const pagesFirstKey = newKey();
    const first = await track(batch([landing()], null, { newVisitorKey: pagesFirstKey }));
    const chat = await startSession({ newVisitorKey: pagesFirstKey });
    expect(chat.body.visitorId).toBe(visitorIdOf(first.body.visitorToken));

    // A token wins over a key; a key that is not one is refused.
    const other = await startSession({ visitorToken: first.body.visitorToken, newVisitorKey: chatFirstKey });
    expect(other.body.visitorId).toBe(visitorIdOf(first.body.visitorToken));
    const bad = await startSession({ newVisitorKey: 'x'.repeat(32) });
    expect(bad.status).toBe(400);
  });

  it("makes a stranger of a session whose key's visitor had their tokens revoked", async () => {
    const key = newKey();
    const revoked = visitorIdOf(
      (await track(batch([page('https://shop.example/')], null, { newVisitorKey: key }))).body.visitorToken,
    );
    await db().updateTable('visitors').set({ token_generation: 1 }).where('id', '=', revoked).execute();
    const session = await startSession({ newVisitorKey: key });
    expect(session.status).toBe(200);
    expect(session.body.visitorId).not.toBe(revoked);
    expect(session.body.history).toEqual([]);
  });

  it('makes one visitor of concurrent first batches (a beacon beside the fetch)', async () => {
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, n) =>
        track(batch([page(`https://shop.example/p${n}`)], null, { newVisitorKey: key })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => visitorIdOf(a.body.visitorToken))).size).toBe(1);
  });

  it('finds nobody for a key past its hour, or of a visitor whose tokens were revoked', async () => {
    const old = newKey();
    const first = visitorIdOf(
      (await track(batch([page('https://shop.example/')], null, { newVisitorKey: old }))).body.visitorToken,
    );
    // Made two hours ago (first_seen_at is never updated by the app).
    await sql`UPDATE visitors SET first_seen_at = now() - interval '2 hours' WHERE id = ${first}`.execute(
      db(),
    );
    const later = await track(batch([page('https://shop.example/')], null, { newVisitorKey: old }));
    expect(later.status).toBe(200);
    expect(visitorIdOf(later.body.visitorToken)).not.toBe(first);

    const revokedKey = newKey();
    const revoked = visitorIdOf(
      (await track(batch([page('https://shop.example/')], null, { newVisitorKey: revokedKey }))).body
        .visitorToken,
    );
    await db().updateTable('visitors').set({ token_generation: 1 }).where('id', '=', revoked).execute();
    const stranger = await track(batch([page('https://shop.example/')], null, { newVisitorKey: revokedKey }));
    expect(stranger.status).toBe(200);
    expect(visitorIdOf(stranger.body.visitorToken)).not.toBe(revoked);
  });

  it('is ignored beside a token, and refused when it is not 32 hex digits', async () => {
    const key = newKey();
    const a = (await track(batch([page('https://shop.example/')], null, { newVisitorKey: key }))).body
      .visitorToken;
    const b = (await track(batch([page('https://shop.example/')]))).body.visitorToken;
    const withToken = await track(batch([page('https://shop.example/x')], b, { newVisitorKey: key }));
    expect(visitorIdOf(withToken.body.visitorToken)).toBe(visitorIdOf(b));
    expect(visitorIdOf(withToken.body.visitorToken)).not.toBe(visitorIdOf(a));
    const bad = await track(batch([page('https://shop.example/')], null, { newVisitorKey: 'not-a-key' }));
    expect(bad.status).toBe(400);
  });
});

describe('a returning visitor', () => {
  let token: string;
  let visitorId: string;
  const landing = page('https://shop.example/', { referrer: 'https://vk.com/' });

  beforeAll(async () => {
    token = (await track(batch([landing]))).body.visitorToken;
    visitorId = visitorIdOf(token);
  });

  it('writes a retried batch once (same item ids)', async () => {
    const items: TrackItem[] = [
      page('https://shop.example/cart'),
      {
        t: 'event',
        id: id(),
        ago: 0,
        name: 'add_to_cart',
        props: { amount: 1290.5, currency: 'amd', sku: 'B-42' },
      },
    ];
    const once = await track(batch(items, token));
    const again = await track(batch(items, token));
    expect(once.body.accepted).toBe(2);
    expect(again.body.accepted).toBe(0);
    const pages = await pageUrls(visitorId);
    expect(pages).toHaveLength(2);
    const visitor = await visitorRow(visitorId);
    expect(visitor).toMatchObject({ cart_amount: '1290.50', cart_currency: 'AMD', visit_count: 1 });
    const [visit] = await visitsOf(visitorId);
    expect(visit?.page_view_count).toBe(2);
  });

  it('fills time spent on leave, once', async () => {
    const leave: TrackItem = { t: 'leave', id: id(), ago: 0, pageId: landing.id, seconds: 42 };
    expect((await track(batch([leave], token))).body.accepted).toBe(1);
    expect((await track(batch([{ ...leave, id: id(), seconds: 99 }], token))).body.accepted).toBe(0);
    const row = await db()
      .selectFrom('page_views')
      .select('seconds')
      .where('visitor_id', '=', visitorId)
      .where('client_id', '=', landing.id)
      .executeTakeFirstOrThrow();
    expect(row.seconds).toBe(42);
  });

  it('captures an email typed into a form, and an order empties the cart', async () => {
    const { body } = await track(
      batch(
        [
          { t: 'email', id: id(), ago: 10, email: 'ann@shop.example' },
          { t: 'event', id: id(), ago: 0, name: 'order_placed', props: { amount: 1290.5, orderId: 'A-1' } },
        ],
        token,
      ),
    );
    expect(body).toMatchObject({ accepted: 2, capture: true });
    const visitor = await visitorRow(visitorId);
    expect(visitor).toMatchObject({ email: 'ann@shop.example', email_source: 'captured', cart_amount: null });
  });

  it('a ping only moves last seen, and keeps the token', async () => {
    const before = await db()
      .selectFrom('visitors')
      .select('last_seen_at')
      .where('id', '=', visitorId)
      .executeTakeFirstOrThrow();
    await new Promise((r) => setTimeout(r, 20));
    const { body } = await track(batch([{ t: 'ping', id: id(), ago: 0 }], token));
    expect(body).toMatchObject({ visitorToken: token, accepted: 0 });
    const after = await db()
      .selectFrom('visitors')
      .select('last_seen_at')
      .where('id', '=', visitorId)
      .executeTakeFirstOrThrow();
    expect(after.last_seen_at.getTime()).toBeGreaterThan(before.last_seen_at.getTime());
  });

  it('starts a second visit after 30 minutes without activity, kept apart as the last touch', async () => {
    // Age the current visit rather than wait: its last activity 31 minutes ago.
    await sql`UPDATE visits SET last_activity_at = now() - interval '31 minutes', started_at = now() - interval '40 minutes'
              WHERE visitor_id = ${visitorId}`.execute(db());
    await track(batch([page('https://shop.example/?utm_source=newsletter&utm_medium=email')], token));
    const visitor = await visitorRow(visitorId);
    expect(visitor.visit_count).toBe(2);
    expect(visitor.first_touch).toMatchObject({ kind: 'social', name: 'VK' });
    expect(visitor.last_touch).toMatchObject({ kind: 'email', name: 'newsletter' });
    const visits = await db()
      .selectFrom('visits')
      .select(['number', 'source_kind'])
      .where('visitor_id', '=', visitorId)
      .orderBy('number')
      .execute();
    expect(visits).toEqual([
      { number: 1, source_kind: 'social' },
      { number: 2, source_kind: 'email' },
    ]);
  });

  it('tells the loader about operator messages the visitor has not seen', async () => {
    const conversation = await db()
      .insertInto('conversations')
      .values({ site_id: parley.demoSiteId, visitor_id: visitorId, last_seq: 1, last_public_seq: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('messages')
      .values({
        conversation_id: conversation.id,
        seq: 1,
        public_seq: 1,
        author_kind: 'operator',
        text: 'Hi! Need a size?',
      })
      .execute();
    expect((await track(batch([{ t: 'ping', id: id(), ago: 0 }], token))).body.unseen).toBe(true);
    await db()
      .updateTable('conversations')
      .set({ visitor_read_seq: 1 })
      .where('id', '=', conversation.id)
      .execute();
    expect((await track(batch([{ t: 'ping', id: id(), ago: 0 }], token))).body.unseen).toBeUndefined();
  });
});

describe('a visitor known only through tracking (never opened the chat)', () => {
  let token: string;
  let visitorId: string;
  const landing = page('https://shop.example/boots', { referrer: 'https://www.google.com/' });
  const onList = async () =>
    (
      await api<VisitorsNowList>(parley.url, API_PATHS.siteVisitorsNow(parley.demoSiteId), {
        cookie: operator.session.cookie,
      })
    ).body.visitors.find((row) => row.visitorId === visitorId);
  const secondsOfLanding = async () =>
    (
      await db()
        .selectFrom('page_views')
        .select('seconds')
        .where('visitor_id', '=', visitorId)
        .where('client_id', '=', landing.id)
        .executeTakeFirstOrThrow()
    ).seconds;

  beforeAll(async () => {
    token = (await track(batch([landing]))).body.visitorToken;
    visitorId = visitorIdOf(token);
  });

  it('is in "visitors now"; hiding the tab takes them off, coming back brings them again', async () => {
    expect(await onList()).toMatchObject({ currentPage: { url: 'https://shop.example/boots' }, left: false });
    await track(batch([{ t: 'leave', id: id(), ago: 0, pageId: landing.id, seconds: 12 }], token));
    expect(await onList()).toBeUndefined();
    await liveRow((n) => n.visitorId === visitorId && n.left);
    expect(await secondsOfLanding()).toBe(12);
    // Back on the tab: the loader's ping names the page, which is open again (and live as such).
    const back = Date.now();
    await track(batch([{ t: 'ping', id: id(), ago: 0, pageId: landing.id }], token));
    const live = await liveRow(
      (n) => n.visitorId === visitorId && !n.left && Date.parse(n.lastSeenAt) >= back,
    );
    expect(live.currentPage?.url).toBe('https://shop.example/boots');
    expect(await onList()).toMatchObject({ left: false });
    expect(await secondsOfLanding()).toBeNull();
    // Leaving again records the whole time in front of the page (the loader adds up each stretch).
    await track(batch([{ t: 'leave', id: id(), ago: 0, pageId: landing.id, seconds: 30 }], token));
    expect(await secondsOfLanding()).toBe(30);
    await track(batch([{ t: 'ping', id: id(), ago: 0, pageId: landing.id }], token));
  });

  it('gets unseen=true on the next batch once an operator starts a chat from "visitors now"', async () => {
    expect((await track(batch([{ t: 'ping', id: id(), ago: 0 }], token))).body.unseen).toBeUndefined();
    const started = await api<StartChatResponse>(parley.url, API_PATHS.visitorChats(visitorId), {
      body: { clientId: newClientId(), text: 'Hello! Can I help with the boots?' },
      cookie: operator.session.cookie,
      csrfToken: operator.session.csrfToken,
    });
    expect(started.body.conversation.visitorId).toBe(visitorId);
    expect((await track(batch([{ t: 'ping', id: id(), ago: 0 }], token))).body.unseen).toBe(true);
    const row = await liveRow(
      (n) => n.visitorId === visitorId && n.conversationId === started.body.conversation.id,
    );
    expect(row.left).toBe(false);
  });

  it("updates a chatting visitor's card with a page they open; a ping alone does not", async () => {
    // Chatting since the test above. Only frames from now on count.
    type Updated = { id: string; currentPage: { url: string } | null };
    const from = operator.socket.events.length;
    await track(batch([{ t: 'ping', id: id(), ago: 0 }], token));
    await track(batch([page('https://shop.example/socks')], token));
    await operator.socket.waitFor<Updated>(
      'visitor.updated',
      (v) => v.id === visitorId && v.currentPage?.url === 'https://shop.example/socks',
    );
    const updates = operator.socket.events
      .slice(from)
      .filter((f) => f.type === 'visitor.updated' && (f.data as Updated).id === visitorId)
      .map((f) => f.data as Updated);
    // The ping before it announced nothing: the only update is the page's.
    expect(updates.map((u) => u.currentPage?.url)).toEqual(['https://shop.example/socks']);
  });
});

describe('refused, with nothing written', () => {
  const cases: [string, () => Promise<Awaited<ReturnType<typeof track>>>, number, RegExp][] = [
    [
      'an origin the site does not allow',
      () => track(batch([page('https://evil.example/')]), { origin: 'https://evil.example' }),
      403,
      /origin/i,
    ],
    ['malformed JSON', () => track(null, { raw: '{"siteKey":"demo",' }), 400, /not JSON/],
    [
      'an unknown item type',
      () => track(batch([{ t: 'hack', id: 'x', ago: 0 } as unknown as TrackItem])),
      400,
      /Invalid request/,
    ],
    ['a page that is not http(s)', () => track(batch([page('javascript:alert(1)')])), 400, /http/],
    [
      'too many items',
      () =>
        track(
          batch(
            Array.from(
              { length: TRACKING_LIMITS.batchItems + 1 },
              () => ({ t: 'ping', id: id(), ago: 0 }) as TrackItem,
            ),
          ),
        ),
      400,
      /at most 50 items/,
    ],
    [
      'an oversized batch',
      () =>
        track(
          batch([
            {
              t: 'event',
              id: id(),
              ago: 0,
              name: 'x',
              props: { note: 'y'.repeat(TRACKING_LIMITS.batchBytes) },
            },
          ]),
        ),
      413,
      /too large/,
    ],
    [
      'an unknown site',
      () => track({ ...batch([page('https://shop.example/')]), siteKey: 'nope' }),
      404,
      /site/i,
    ],
  ];
  it.each(cases)('%s', async (_name, send, status, message) => {
    const before = await snapshotRows(db());
    const { status: got, body } = await send();
    expect(got).toBe(status);
    const error = body.error as { message: string; issues?: { message: string }[] };
    expect([error.message, ...(error.issues ?? []).map((i) => i.message)].join(' | ')).toMatch(message);
    expect(await snapshotRows(db())).toEqual(before);
  });

  it('Do Not Track, when the site respects it: nothing written and the loader told to stop', async () => {
    await db()
      .updateTable('sites')
      .set({ settings: JSON.stringify({ respectDoNotTrack: true }) })
      .where('id', '=', parley.demoSiteId)
      .execute();
    try {
      const before = await snapshotRows(db());
      const { status, body } = await track(batch([page('https://shop.example/')], null, { dnt: true }));
      expect(status).toBe(200);
      expect(body).toMatchObject({ accepted: 0, stop: true });
      expect(await snapshotRows(db())).toEqual(before);
      // A browser without DNT is tracked as usual.
      expect((await track(batch([page('https://shop.example/')]))).body.accepted).toBe(1);
    } finally {
      await db().updateTable('sites').set({ settings: '{}' }).where('id', '=', parley.demoSiteId).execute();
    }
  });
});

describe('a flood from one visitor', () => {
  it('10,000 events get 429 past the visitor budget, and other visitors are served as fast as before', async () => {
    const token = (await track(batch([page('https://shop.example/')]))).body.visitorToken;
    const events = (n: number) =>
      Array.from(
        { length: n },
        (): TrackItem => ({ t: 'event', id: id(), ago: 0, name: 'spam', props: { n: 1 } }),
      );
    const statuses: number[] = [];
    for (let sent = 0; sent < 10_000; sent += TRACKING_LIMITS.batchItems) {
      statuses.push((await track(batch(events(TRACKING_LIMITS.batchItems), token))).status);
    }
    const written = await db()
      .selectFrom('visitor_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('visitor_id', '=', visitorIdOf(token))
      .executeTakeFirstOrThrow();
    // The visitor's budget's worth got in (the landing batch, sent without a token, counted for the IP alone).
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - 60);
    expect(Number(written.n)).toBe(60 * TRACKING_LIMITS.batchItems);
    const refused = await track(batch(events(1), token));
    expect(refused.body.error?.message).toMatch(/Too many/);
    const started = performance.now();
    const other = await track(batch([page('https://shop.example/other')]));
    expect(other.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
