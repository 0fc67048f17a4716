/**
 * The visitor's dossier on a real PostgreSQL over real HTTP: the profile with touch points,
 * location, cart and attributes; visits newest first with their pages (time spent) and events
 * (properties), paged; every conversation; the segments the visitor is in. And the card's edits:
 * stored, announced to operators (`visitor.updated`), and every bad edit refused clearly with
 * nothing written.
 */
import {
  API_PATHS,
  DOSSIER_LIMITS,
  DOSSIER_PATHS,
  type MessageDTO,
  type VisitorDossier,
  type VisitorDTO,
  type VisitorProfileResponse,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, asOperator, type OperatorSession } from '../../testing/clients.js';
import {
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { daysAgo, seedVisit, seedVisitor } from '../../testing/visitor-seed.js';

let parley: TestParley;
let admin: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  admin = (await connectOperator(parley)).session;
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const dossierOf = (visitorId: string, query = '') =>
  api<VisitorDossier>(
    parley.url,
    `${DOSSIER_PATHS.visitorDossier(visitorId)}${query}`,
    asOperator(admin),
  ).then((r) => r.body);
const edit = (visitorId: string, body: unknown) =>
  api<VisitorProfileResponse>(parley.url, API_PATHS.visitor(visitorId), {
    method: 'PATCH',
    body,
    ...asOperator(admin),
  }).then((r) => r.body.visitor);

async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) {
      const { code, message, issues } = error.body.error;
      const detail = issues?.map((issue) => issue.message).join('; ');
      return { status: error.status, code, message: detail ? `${message}: ${detail}` : message };
    }
    throw error;
  }
  throw new Error('the call was not refused');
}

/** A visitor of the demo site who chatted (so the dossier has a conversation), with a seeded history. */
async function visitorWithHistory() {
  const db = parley.services.ctx.db;
  const { session, socket } = await connectVisitor(parley);
  const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Do you have these in size 38?',
  });
  const visitorId = session.visitorId;
  const touch = {
    kind: 'search' as const,
    name: 'Yandex',
    referrer: 'https://yandex.ru/search/?text=red+shoes',
    landingUrl: 'https://shop.example/catalog/shoes?utm_source=yandex&utm_medium=cpc&utm_campaign=winter',
    utm: { source: 'yandex', medium: 'cpc', campaign: 'winter' },
    searchQuery: 'red shoes',
    at: daysAgo(2).toISOString(),
  };
  await db
    .updateTable('visitors')
    .set({
      country: 'AM',
      region: 'Yerevan',
      city: 'Yerevan',
      device: 'desktop',
      first_touch: JSON.stringify(touch),
      last_touch: JSON.stringify({ ...touch, kind: 'direct', name: null, utm: null, searchQuery: null }),
      cart_amount: '89.90',
      cart_currency: 'USD',
      attributes: JSON.stringify({ plan: 'gold', orders: 3 }),
      referrer: touch.referrer,
    })
    .where('id', '=', visitorId)
    .execute();
  await seedVisit(db, parley.demoSiteId, visitorId, {
    number: 1,
    startedAt: daysAgo(2),
    sourceKind: 'search',
    sourceName: 'Yandex',
    referrer: touch.referrer,
    utm: touch.utm,
    searchQuery: 'red shoes',
    pages: [
      { url: 'https://shop.example/catalog/shoes', title: 'Shoes', seconds: 42 },
      { url: 'https://shop.example/catalog/shoes/38', title: 'Red shoe', seconds: 95 },
    ],
    events: [{ name: 'add_to_cart', properties: { amount: 89.9, currency: 'USD', sku: 'RS-38' } }],
  });
  await seedVisit(db, parley.demoSiteId, visitorId, {
    number: 2,
    startedAt: daysAgo(0.01),
    pages: [{ url: 'https://shop.example/cart', title: 'Cart', seconds: null }],
  });
  return { visitorId, conversationId: message.conversationId };
}

describe('the dossier', () => {
  it('tells the profile, the visits with pages and events, the conversations and the segments', async () => {
    const { visitorId, conversationId } = await visitorWithHistory();
    const segment = await parley.services.ctx.db
      .insertInto('segments')
      .values({
        site_id: parley.demoSiteId,
        name: `Shoe lovers ${newClientId()}`,
        color: 'green',
        conditions: JSON.stringify([
          { kind: 'pageViewed', match: 'prefix', value: '/catalog/shoes', atLeast: 2, days: 30 },
        ]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const unmet = await parley.services.ctx.db
      .insertInto('segments')
      .values({
        site_id: parley.demoSiteId,
        name: `Buyers ${newClientId()}`,
        color: 'blue',
        conditions: JSON.stringify([{ kind: 'event', name: 'order_placed', atLeast: 1, days: 30 }]),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const dossier = await dossierOf(visitorId);
    expect(dossier.visitor).toMatchObject({
      id: visitorId,
      country: 'AM',
      region: 'Yerevan',
      city: 'Yerevan',
      device: 'desktop',
      visitCount: 2,
      cart: { amount: '89.90', currency: 'USD' },
      attributes: { plan: 'gold', orders: 3 },
      referrer: 'https://yandex.ru/search/?text=red+shoes',
      firstTouch: { kind: 'search', name: 'Yandex', searchQuery: 'red shoes', utm: { source: 'yandex' } },
      lastTouch: { kind: 'direct' },
    });
    expect(dossier.visits.map((visit) => visit.number)).toEqual([2, 1]);
    const first = dossier.visits[1];
    expect(first?.source).toMatchObject({
      kind: 'search',
      name: 'Yandex',
      searchQuery: 'red shoes',
      utm: { source: 'yandex', medium: 'cpc', campaign: 'winter' },
    });
    expect(first?.pages.map((p) => [p.title, p.seconds])).toEqual([
      ['Shoes', 42],
      ['Red shoe', 95],
    ]);
    expect(first?.events).toMatchObject([
      { name: 'add_to_cart', properties: { amount: 89.9, currency: 'USD', sku: 'RS-38' } },
    ]);
    expect(dossier.visits[0]?.pages).toMatchObject([{ title: 'Cart', seconds: null }]);
    expect(dossier.hasEarlierVisits).toBe(false);
    expect(dossier.conversations.map((c) => c.id)).toEqual([conversationId]);
    expect(dossier.conversations[0]?.lastMessage?.text).toBe('Do you have these in size 38?');
    const segmentIds = dossier.segments.map((s) => s.id);
    expect(segmentIds).toContain(segment.id);
    expect(segmentIds).not.toContain(unmet.id);
  });

  it('pages long histories: the latest visits first, then older ones from a visit number', async () => {
    const db = parley.services.ctx.db;
    const visitorId = await seedVisitor(db, parley.demoSiteId);
    const total = DOSSIER_LIMITS.visits + 5;
    for (let n = 1; n <= total; n++)
      await seedVisit(db, parley.demoSiteId, visitorId, {
        number: n,
        startedAt: daysAgo(total - n + 1),
        pages: [],
      });
    const page = await dossierOf(visitorId);
    expect(page.visits).toHaveLength(DOSSIER_LIMITS.visits);
    expect(page.visits[0]?.number).toBe(total);
    expect(page.hasEarlierVisits).toBe(true);
    const rest = await dossierOf(visitorId, `?beforeVisit=${page.visits.at(-1)?.number}`);
    expect(rest.visits.map((v) => v.number)).toEqual([5, 4, 3, 2, 1]);
    expect(rest.hasEarlierVisits).toBe(false);
    const bad = await refusal(dossierOf(visitorId, '?beforeVisit=zero'));
    expect(bad.status).toBe(400);
  });

  it('is not found for a visitor that does not exist', async () => {
    const answer = await refusal(dossierOf('00000000-0000-4000-8000-000000000000'));
    expect(answer).toMatchObject({ status: 404, message: 'Visitor not found' });
  });
});

describe('editing the card', () => {
  it('stores name, email, phone and attributes, and announces the visitor to operators', async () => {
    const { socket } = await connectOperator(parley);
    const { visitorId } = await visitorWithHistory();
    const updated = socket.waitFor<VisitorDTO>(
      'visitor.updated',
      (e) => e.id === visitorId && e.name === 'Anna Petrosyan',
    );
    const visitor = await edit(visitorId, {
      name: '  Anna Petrosyan ',
      email: 'anna@example.am',
      phone: '+374 10 123-456',
      attributes: { plan: 'platinum', orders: null, vip: true },
    });
    expect(visitor).toMatchObject({
      name: 'Anna Petrosyan',
      givenName: 'Anna Petrosyan',
      email: 'anna@example.am',
      emailSource: 'operator',
      phone: '+374 10 123-456',
      attributes: { plan: 'platinum', vip: true },
    });
    expect(visitor.attributes).not.toHaveProperty('orders');
    await updated;
    const cleared = await edit(visitorId, { name: null, email: null });
    expect(cleared.givenName).toBeNull();
    expect(cleared.name).toMatch(/^#[0-9A-F]{6}$/);
    expect(cleared.email).toBeNull();
    expect(cleared.emailSource).toBeNull();
    expect((await dossierOf(visitorId)).visitor.phone).toBe('+374 10 123-456');
  });

  it('refuses bad edits clearly and writes nothing', async () => {
    const db = parley.services.ctx.db;
    const visitorId = await seedVisitor(db, parley.demoSiteId, {
      attributes: Object.fromEntries(
        Array.from({ length: DOSSIER_LIMITS.attributes }, (_, i) => [`a${i}`, i]),
      ),
    });
    const before = await snapshotRows(db);
    const cases: [unknown, number, RegExp][] = [
      [{}, 400, /Nothing to change/],
      [{ name: '   ' }, 400, /cannot be empty/],
      [{ name: 'x'.repeat(81) }, 400, /at most 80/],
      [{ email: 'not an email' }, 400, /valid email/],
      [{ phone: 'call me maybe' }, 400, /phone number/],
      [{ phone: '1'.repeat(40) }, 400, /at most 32/],
      [{ attributes: { 'bad key!': 'x' } }, 400, /letters, digits/],
      [{ attributes: { note: 'x'.repeat(DOSSIER_LIMITS.attributeValue + 1) } }, 400, /at most 500/],
      [{ attributes: { nested: { a: 1 } } }, 400, /.+/],
      [{ attributes: { list: [1, 2] } }, 400, /.+/],
      // One attribute more than the visitor may have (they have the limit already).
      [{ attributes: { one_more: 'x' } }, 400, /at most 50 attributes/],
      [{ name: `NUL${String.fromCharCode(0)}` }, 400, /NUL/],
      [{ nickname: 'Ann' }, 400, /.+/],
      [{ visitCount: 99 }, 400, /.+/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await refusal(edit(visitorId, body));
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.message, JSON.stringify(body)).toMatch(message);
    }
    const missing = await refusal(edit('00000000-0000-4000-8000-000000000000', { name: 'Ghost' }));
    expect(missing).toMatchObject({ status: 404 });
    expect(await snapshotRows(db)).toEqual(before);
    // Replacing one of the 50 is fine: the limit counts what the visitor ends up with.
    expect((await edit(visitorId, { attributes: { a0: null, fresh: 'yes' } })).attributes).toHaveProperty(
      'fresh',
      'yes',
    );
  });
});
