/**
 * Segments on a real PostgreSQL: every kind of condition compiled to SQL and evaluated against
 * seeded visitors (windows on a fixed clock), conditions joined by AND, values that try to break
 * out of the statement or widen a match (they are parameters: they match only themselves), and the
 * HTTP side — create, preview, membership, the inbox filtered by a segment — with bad input refused
 * clearly and nothing written.
 */
import {
  API_PATHS,
  type ConversationList,
  type MessageDTO,
  SEGMENT_LIMITS,
  SEGMENT_PATHS,
  type SegmentCondition,
  type SegmentMembershipResponse,
  type SegmentPreviewResponse,
  type SegmentResponse,
} from '@parley/protocol';
import { sql } from 'kysely';
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
import { createSite } from '../sites/commands.js';
import { countSegmentVisitors, findSegmentVisitors } from './queries.js';

let parley: TestParley;
let admin: OperatorSession;
const NOW = new Date('2026-11-20T12:00:00Z');
let siteId: string;
/** Seeded visitors by name. */
const v: Record<string, string> = {};

beforeAll(async () => {
  parley = await startTestParley();
  admin = (await connectOperator(parley)).session;
  const db = parley.services.ctx.db;
  siteId = (await createSite(db, { name: 'Shoe shop', allowedOrigins: [] })).id;
  const shop = 'https://shoes.example';

  // Anna: came from Yandex search with utm_source=yandex, looked at shoes three times, no order.
  v.anna = await seedVisitor(db, siteId, {
    name: 'Anna',
    country: 'AM',
    attributes: { plan: 'Gold', company: 'Ararat Trading' },
  });
  await seedVisit(db, siteId, v.anna, {
    number: 1,
    startedAt: daysAgo(3, NOW),
    sourceKind: 'search',
    sourceName: 'Yandex',
    utm: { source: 'yandex', medium: 'cpc', campaign: 'winter' },
    pages: [{ url: `${shop}/catalog/shoes` }, { url: `${shop}/catalog/shoes/42` }, { url: `${shop}/cart` }],
    events: [{ name: 'add_to_cart', properties: { amount: 90 } }],
  });
  await seedVisit(db, siteId, v.anna, {
    number: 2,
    startedAt: daysAgo(1, NOW),
    pages: [{ url: `${shop}/catalog/shoes?size=38` }],
  });

  // Boris: viewed shoes twice but ordered 10 days ago; has an email; came from Facebook.
  v.boris = await seedVisitor(db, siteId, { name: 'Boris', email: 'boris@example.com', country: 'RU' });
  await seedVisit(db, siteId, v.boris, {
    number: 1,
    startedAt: daysAgo(10, NOW),
    sourceKind: 'social',
    sourceName: 'Facebook',
    pages: [{ url: `${shop}/catalog/shoes` }, { url: `${shop}/catalog/shoes/7` }],
    events: [{ name: 'order_placed', properties: { amount: 120, currency: 'USD' } }],
  });

  // Carla: viewed shoes twice, but 40 days ago (outside a 30-day window); an order 60 days ago.
  v.carla = await seedVisitor(db, siteId, { name: 'Carla', country: 'AM', attributes: { plan: 'silver' } });
  await seedVisit(db, siteId, v.carla, {
    number: 1,
    startedAt: daysAgo(60, NOW),
    events: [{ name: 'order_placed' }],
    pages: [{ url: `${shop}/` }],
  });
  await seedVisit(db, siteId, v.carla, {
    number: 2,
    startedAt: daysAgo(40, NOW),
    sourceKind: 'advertising',
    utm: { source: 'Google', medium: 'cpc', campaign: 'autumn' },
    pages: [{ url: `${shop}/catalog/shoes` }, { url: `${shop}/catalog/shoes/1` }],
  });
  await seedVisit(db, siteId, v.carla, {
    number: 3,
    startedAt: daysAgo(2, NOW),
    pages: [{ url: `${shop}/` }],
  });

  // Dmitri: direct, one visit, a page whose address holds the characters LIKE would treat as patterns.
  v.dmitri = await seedVisitor(db, siteId, { name: 'Dmitri', email: '' });
  await seedVisit(db, siteId, v.dmitri, {
    number: 1,
    startedAt: daysAgo(5, NOW),
    pages: [{ url: `${shop}/sale/100%_off` }],
  });

  // A visitor of another site who matches everything above: never counted for this site.
  const other = (await createSite(db, { name: 'Other', allowedOrigins: [] })).id;
  v.stranger = await seedVisitor(db, other, { email: 'x@example.com', country: 'AM' });
  await seedVisit(db, other, v.stranger, {
    number: 1,
    startedAt: daysAgo(1, NOW),
    utm: { source: 'yandex' },
    pages: [{ url: `${shop}/catalog/shoes` }, { url: `${shop}/catalog/shoes` }],
  });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const names = (ids: string[]) =>
  ids.map((id) => Object.entries(v).find(([, seeded]) => seeded === id)?.[0] ?? id).sort();
const match = async (...conditions: SegmentCondition[]) =>
  names(await findSegmentVisitors(parley.services.ctx.db, siteId, conditions, { now: NOW }));

describe('each kind of condition', () => {
  it.each<[string, SegmentCondition, string[]]>([
    [
      'attribute equals (any case)',
      { kind: 'attribute', key: 'plan', op: 'equals', value: 'gold' },
      ['anna'],
    ],
    ['attribute contains', { kind: 'attribute', key: 'company', op: 'contains', value: 'ARARAT' }, ['anna']],
    ['attribute missing matches nobody', { kind: 'attribute', key: 'nope', op: 'contains', value: 'a' }, []],
    ['source kind', { kind: 'source', value: 'social' }, ['boris']],
    ['source kind direct (of any visit)', { kind: 'source', value: 'direct' }, ['anna', 'carla', 'dmitri']],
    [
      'a stored condition of a kind the code does not know matches nobody',
      { kind: 'unknown' } as unknown as SegmentCondition,
      [],
    ],
    ['utm_source (any case)', { kind: 'utm', param: 'source', value: 'YANDEX' }, ['anna']],
    ['utm_medium', { kind: 'utm', param: 'medium', value: 'cpc' }, ['anna', 'carla']],
    ['utm_campaign', { kind: 'utm', param: 'campaign', value: 'autumn' }, ['carla']],
    [
      'page contains, at least 2 in 30 days',
      { kind: 'pageViewed', match: 'contains', value: '/catalog/shoes', atLeast: 2, days: 30 },
      ['anna', 'boris'],
    ],
    [
      'page contains, at least 4 in 30 days',
      { kind: 'pageViewed', match: 'contains', value: '/catalog/shoes', atLeast: 4, days: 30 },
      [],
    ],
    [
      'page contains, at least 2 in 60 days (the older views count)',
      { kind: 'pageViewed', match: 'contains', value: 'catalog/shoes', atLeast: 2, days: 60 },
      ['anna', 'boris', 'carla'],
    ],
    [
      'page path prefix',
      { kind: 'pageViewed', match: 'prefix', value: '/cart', atLeast: 1, days: 30 },
      ['anna'],
    ],
    [
      'page full-address prefix',
      { kind: 'pageViewed', match: 'prefix', value: 'https://shoes.example/sale', atLeast: 1, days: 30 },
      ['dmitri'],
    ],
    [
      'a path prefix is not a contains',
      { kind: 'pageViewed', match: 'prefix', value: '/shoes', atLeast: 1, days: 30 },
      [],
    ],
    [
      'event at least once in 30 days',
      { kind: 'event', name: 'order_placed', atLeast: 1, days: 30 },
      ['boris'],
    ],
    [
      'event at least once in 90 days',
      { kind: 'event', name: 'order_placed', atLeast: 1, days: 90 },
      ['boris', 'carla'],
    ],
    ['event at least twice', { kind: 'event', name: 'order_placed', atLeast: 2, days: 90 }, []],
    ['no event in 30 days', { kind: 'noEvent', name: 'order_placed', days: 30 }, ['anna', 'carla', 'dmitri']],
    ['visit count ≥ 2', { kind: 'visitCount', atLeast: 2 }, ['anna', 'carla']],
    ['visit count ≥ 3', { kind: 'visitCount', atLeast: 3 }, ['carla']],
    ['country (any case)', { kind: 'country', value: 'am' }, ['anna', 'carla']],
    ['has email (an empty one is none)', { kind: 'hasEmail' }, ['boris']],
  ])('%s', async (_title, condition, expected) => {
    expect(await match(condition)).toEqual(expected);
  });

  it('counts the same visitors it lists', async () => {
    const conditions: SegmentCondition[] = [{ kind: 'country', value: 'AM' }];
    expect(await countSegmentVisitors(parley.services.ctx.db, siteId, conditions, NOW)).toBe(2);
  });
});

describe('conditions joined by AND', () => {
  it('"viewed /catalog/shoes at least twice and no order_placed in 30 days"', async () => {
    expect(
      await match(
        { kind: 'pageViewed', match: 'contains', value: '/catalog/shoes', atLeast: 2, days: 30 },
        { kind: 'noEvent', name: 'order_placed', days: 30 },
      ),
    ).toEqual(['anna']);
  });

  it('"came from utm_source=yandex", from Armenia, with a Gold plan; one condition off and nobody', async () => {
    const base: SegmentCondition[] = [
      { kind: 'utm', param: 'source', value: 'yandex' },
      { kind: 'country', value: 'AM' },
    ];
    expect(await match(...base)).toEqual(['anna']);
    expect(await match(...base, { kind: 'attribute', key: 'plan', op: 'equals', value: 'gold' })).toEqual([
      'anna',
    ]);
    expect(await match(...base, { kind: 'hasEmail' })).toEqual([]);
  });

  it('an empty list of conditions matches nobody', async () => {
    expect(await match()).toEqual([]);
  });
});

describe('values are parameters', () => {
  it.each([
    "'; DROP TABLE visitors; --",
    "' OR '1'='1",
    "shoes') OR true --",
    '%',
    '_',
    '\\',
    '$1',
    '*/ SELECT 1 /*',
  ])('%s matches only itself and breaks nothing', async (value) => {
    const conditions: SegmentCondition[][] = [
      [{ kind: 'attribute', key: 'plan', op: 'contains', value }],
      [{ kind: 'attribute', key: 'plan', op: 'equals', value }],
      [{ kind: 'utm', param: 'source', value }],
      [{ kind: 'pageViewed', match: 'prefix', value, atLeast: 1, days: 365 }],
      [{ kind: 'event', name: value, atLeast: 1, days: 365 }],
      [{ kind: 'country', value }],
    ];
    for (const rule of conditions) expect(await match(...rule), JSON.stringify(rule)).toEqual([]);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM visitors`.execute(
      parley.services.ctx.db,
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(5);
  });

  it('a page address with % and _ is found by them literally, not as patterns', async () => {
    expect(
      await match({ kind: 'pageViewed', match: 'contains', value: '100%_off', atLeast: 1, days: 30 }),
    ).toEqual(['dmitri']);
    expect(await match({ kind: 'pageViewed', match: 'contains', value: '%', atLeast: 1, days: 30 })).toEqual([
      'dmitri',
    ]);
    expect(
      await match({ kind: 'pageViewed', match: 'contains', value: 'shoes%', atLeast: 1, days: 30 }),
    ).toEqual([]);
  });

  it('an attribute key that looks like SQL is just a key', async () => {
    expect(await match({ kind: 'attribute', key: "plan'--", op: 'contains', value: 'g' })).toEqual([]);
  });
});

describe('over HTTP', () => {
  const create = (body: unknown, site = siteId, session = admin) =>
    api<SegmentResponse>(parley.url, SEGMENT_PATHS.siteSegments(site), { body, ...asOperator(session) }).then(
      (r) => r.body.segment,
    );

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

  it('creates a segment, previews counts and answers membership for a set of visitors', async () => {
    const segment = await create({
      name: '  Yandex shoppers  ',
      conditions: [{ kind: 'utm', param: 'source', value: 'yandex' }],
    });
    expect(segment).toMatchObject({ name: 'Yandex shoppers', siteId, conditions: [{ kind: 'utm' }] });
    const preview = await api<SegmentPreviewResponse>(parley.url, SEGMENT_PATHS.segmentPreview(siteId), {
      body: { conditions: [{ kind: 'country', value: 'am' }] },
      ...asOperator(admin),
    });
    expect(preview.body.count).toBe(2);
    const membership = await api<SegmentMembershipResponse>(
      parley.url,
      SEGMENT_PATHS.segmentMembership(siteId),
      {
        body: { visitorIds: [v.anna, v.boris, v.stranger] },
        ...asOperator(admin),
      },
    );
    expect(membership.body.members[v.anna as string]).toContain(segment.id);
    expect(membership.body.members[v.boris as string]).toBeUndefined();
    // The other site's visitor is never answered for, whatever they match.
    expect(membership.body.members[v.stranger as string]).toBeUndefined();
  });

  it('refuses bad rules clearly and writes nothing', async () => {
    await create({ name: 'Existing', conditions: [{ kind: 'hasEmail' }] });
    const before = await snapshotRows(parley.services.ctx.db);
    const cases: [unknown, number, RegExp][] = [
      [{ name: '', conditions: [{ kind: 'hasEmail' }] }, 400, /needs a name/],
      [{ name: 'x'.repeat(SEGMENT_LIMITS.name + 1), conditions: [{ kind: 'hasEmail' }] }, 400, /at most 60/],
      [{ name: 'existing', conditions: [{ kind: 'hasEmail' }] }, 409, /"existing" exists already/],
      [{ name: 'No rules', conditions: [] }, 400, /at least one condition/],
      [
        {
          name: 'Too many',
          conditions: Array.from({ length: SEGMENT_LIMITS.conditions + 1 }, () => ({ kind: 'hasEmail' })),
        },
        400,
        /at most 10 conditions/,
      ],
      [{ name: 'Bad kind', conditions: [{ kind: 'sql', value: 'true' }] }, 400, /.+/],
      [{ name: 'Extra', conditions: [{ kind: 'hasEmail', sql: '1=1' }] }, 400, /.+/],
      [{ name: 'Bad utm', conditions: [{ kind: 'utm', param: 'term', value: 'x' }] }, 400, /.+/],
      [{ name: 'Column', conditions: [{ kind: 'utm', param: 'source; DROP', value: 'x' }] }, 400, /.+/],
      [
        {
          name: 'Zero',
          conditions: [{ kind: 'pageViewed', match: 'contains', value: '/a', atLeast: 0, days: 30 }],
        },
        400,
        /at least 1/,
      ],
      [
        { name: 'Long window', conditions: [{ kind: 'noEvent', name: 'order', days: 366 }] },
        400,
        /at most 365 days/,
      ],
      [{ name: 'Country', conditions: [{ kind: 'country', value: 'Armenia' }] }, 400, /two-letter code/],
      [
        { name: 'Empty', conditions: [{ kind: 'utm', param: 'source', value: '   ' }] },
        400,
        /cannot be empty/,
      ],
      [
        { name: 'Key', conditions: [{ kind: 'attribute', key: "a'b", op: 'equals', value: 'x' }] },
        400,
        /letters, digits/,
      ],
      [{ name: `NUL${String.fromCharCode(0)}`, conditions: [{ kind: 'hasEmail' }] }, 400, /NUL/],
      [{ name: 'Colour', color: '#f00', conditions: [{ kind: 'hasEmail' }] }, 400, /.+/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await refusal(create(body));
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.message, JSON.stringify(body)).toMatch(message);
    }
    const preview = await refusal(
      api(parley.url, SEGMENT_PATHS.segmentPreview(siteId), {
        body: { conditions: [] },
        ...asOperator(admin),
      }),
    );
    expect(preview.status).toBe(400);
    const membership = await refusal(
      api(parley.url, SEGMENT_PATHS.segmentMembership(siteId), {
        body: { visitorIds: ['nope'] },
        ...asOperator(admin),
      }),
    );
    expect(membership.status).toBe(400);
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });

  it('filters the inbox to conversations whose visitor is in the segment', async () => {
    const db = parley.services.ctx.db;
    // Two visitors of the demo site chat; one of them is from Armenia.
    const conversations: Record<string, string> = {};
    for (const who of ['armenian', 'other'] as const) {
      const visitor = await connectVisitor(parley);
      const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text: `Hello from ${who}`,
      });
      conversations[who] = message.conversationId;
      if (who === 'armenian')
        await db
          .updateTable('visitors')
          .set({ country: 'AM' })
          .where('id', '=', visitor.session.visitorId)
          .execute();
    }
    const segment = await create(
      { name: 'Armenia', conditions: [{ kind: 'country', value: 'AM' }] },
      parley.demoSiteId,
    );
    const { body } = await api<ConversationList>(
      parley.url,
      `${API_PATHS.conversations}?status=open&segmentId=${segment.id}`,
      asOperator(admin),
    );
    const ids = body.items.map((c) => c.id);
    expect(ids).toContain(conversations.armenian);
    expect(ids).not.toContain(conversations.other);
    expect(body.items.every((c) => c.siteId === parley.demoSiteId)).toBe(true);
    const missing = await refusal(
      api(
        parley.url,
        `${API_PATHS.conversations}?segmentId=00000000-0000-4000-8000-000000000000`,
        asOperator(admin),
      ),
    );
    expect(missing).toMatchObject({ status: 404, message: 'Segment not found' });
  });
});
