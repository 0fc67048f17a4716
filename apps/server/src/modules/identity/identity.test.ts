/**
 * Identify on a real PostgreSQL over real HTTP and sockets: the HMAC signature (valid, forged,
 * replayed for another id, missing where required — each refused with nothing written), the same
 * user on a second browser continuing the same history, an anonymous profile merged into the user
 * with its conversations, messages, visits, page views and events (nothing lost, nothing twice, its
 * old token finding the survivor, its socket cut), two identifies at once converging on one
 * profile, unsigned identifies never merging, CORS for the site's origins, and the site's settings.
 */
import {
  API_PATHS,
  type IdentifyRequest,
  type IdentifyResponse,
  type MessageDTO,
  type SiteIdentityDTO,
  type TrackItem,
  type TrackResponse,
  type VisitorDTO,
} from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  api,
  type OperatorSession,
  startVisitorSession,
  TestSocket,
} from '../../testing/clients.js';
import {
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../../testing/fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { waitUntil } from '../../testing/wait-until.js';
import { MOVED_TABLES } from './merge.js';
import { isValidUserHash, userHashOf } from './user-hash.js';

let parley: TestParley;
let admin: OperatorSession;
let operator: TestSocket;
let secret: string;

beforeAll(async () => {
  parley = await startTestParley();
  const connected = await connectOperator(parley);
  admin = connected.session;
  operator = connected.socket;
  secret = (await identitySettings()).secret;
});
afterEach(async () => {
  await setRequired(false);
});
afterAll(async () => {
  await closeAllSockets();
  await parley?.close();
});

const db = () => parley.services.ctx.db;

async function identitySettings(): Promise<SiteIdentityDTO> {
  const { body } = await api<SiteIdentityDTO>(parley.url, API_PATHS.siteIdentity(parley.demoSiteId), {
    cookie: admin.cookie,
  });
  return body;
}

async function setRequired(requireVerification: boolean): Promise<void> {
  await api(parley.url, API_PATHS.siteIdentity(parley.demoSiteId), {
    method: 'PATCH',
    body: { requireVerification },
    cookie: admin.cookie,
    csrfToken: admin.csrfToken,
  });
}

async function identify(
  body: Omit<IdentifyRequest, 'siteKey'>,
  headers: Record<string, string> = {},
): Promise<IdentifyResponse> {
  const { body: answer } = await api<IdentifyResponse>(parley.url, API_PATHS.widgetIdentify, {
    body: { siteKey: 'demo', ...body },
    headers,
  });
  return answer;
}

/** The refusal a call gets, having checked that it wrote nothing at all. */
async function refusal(body: Omit<IdentifyRequest, 'siteKey'>): Promise<{ status: number; message: string }> {
  const before = await snapshotRows(db());
  const error = await identify(body).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(await snapshotRows(db())).toEqual(before);
  const { status, body: answer } = error as ApiError;
  return { status, message: answer.error.message };
}

const uniqueId = () => `user-${newClientId()}`;

async function say(socket: TestSocket, text: string): Promise<MessageDTO> {
  const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text,
  });
  return message;
}

/** A visit with a page view and an event, as the tracking endpoint writes them. */
async function trackVisit(visitorId: string, startedAt: string, clientId: string): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO visits (site_id, visitor_id, number, started_at, last_activity_at, landing_url)
    SELECT site_id, id, visit_count + 1, ${startedAt}::timestamptz, ${startedAt}::timestamptz, 'https://shop.example/'
    FROM visitors WHERE id = ${visitorId} RETURNING id`.execute(db());
  const visitId = rows[0]?.id;
  await sql`UPDATE visitors SET visit_count = visit_count + 1 WHERE id = ${visitorId}`.execute(db());
  await sql`
    INSERT INTO page_views (site_id, visitor_id, visit_id, client_id, url, viewed_at)
    SELECT site_id, ${visitorId}, ${visitId}, ${clientId}, 'https://shop.example/', ${startedAt}::timestamptz
    FROM visitors WHERE id = ${visitorId}`.execute(db());
  await sql`
    INSERT INTO visitor_events (site_id, visitor_id, visit_id, client_id, name, occurred_at)
    SELECT site_id, ${visitorId}, ${visitId}, ${clientId}, 'add_to_cart', ${startedAt}::timestamptz
    FROM visitors WHERE id = ${visitorId}`.execute(db());
}

/** One batch to the loader's tracking endpoint, sent as the loader sends it (text/plain). */
async function track(visitorToken: string | null, items: TrackItem[]): Promise<TrackResponse> {
  const response = await fetch(`${parley.url}${API_PATHS.widgetTrack}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ siteKey: 'demo', visitorToken, items }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TrackResponse;
}

async function countOf(table: string, visitorId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE visitor_id = ${visitorId}`.execute(db());
  return rows[0]?.n ?? 0;
}

describe('the user hash', () => {
  it('is HMAC-SHA256 of the id in hex, checked for that id only', () => {
    // Node's own crypto gives the same as `echo -n 42 | openssl dgst -sha256 -hmac s3cret`.
    expect(userHashOf('42', 's3cret')).toBe(
      '982005f6c4662ae06eaa3ba4eac3c6459bc772386f3c8ac329b503a2ee32276e',
    );
    expect(isValidUserHash('42', userHashOf('42', 's3cret'), 's3cret')).toBe(true);
    expect(isValidUserHash('42', userHashOf('42', 's3cret').toUpperCase(), 's3cret')).toBe(true);
    expect(isValidUserHash('43', userHashOf('42', 's3cret'), 's3cret')).toBe(false);
    expect(isValidUserHash('42', userHashOf('42', 'other'), 's3cret')).toBe(false);
    expect(isValidUserHash('42', 'zz', 's3cret')).toBe(false);
  });
});

describe('identify', () => {
  it('with a valid userHash makes the visitor the user, and another browser continues the same history', async () => {
    const id = uniqueId();
    const first = await connectVisitor(parley);
    await say(first.socket, 'Do you ship to Yerevan?');
    const answer = await identify({
      visitorToken: first.session.visitorToken,
      id,
      userHash: userHashOf(id, secret),
      name: 'Anna',
      email: 'anna@shop.example',
      attributes: { plan: 'gold', orders: 3 },
    });
    expect(answer).toMatchObject({ visitorId: first.session.visitorId, verified: true, merged: false });
    const card = await operator.waitFor<VisitorDTO>(
      'visitor.updated',
      (v) => v.id === answer.visitorId && v.identity?.externalId === id,
    );
    expect(card.identity).toEqual({ externalId: id, verified: true });
    expect(card).toMatchObject({ name: 'Anna', email: 'anna@shop.example' });

    // Another device, nothing in storage: the same user, the same history.
    const elsewhere = await identify({ id, userHash: userHashOf(id, secret) });
    expect(elsewhere.visitorId).toBe(first.session.visitorId);
    const session = await startVisitorSession(parley.url, 'demo', elsewhere.visitorToken);
    expect(session.visitorId).toBe(first.session.visitorId);
    expect(session.history.map((m) => m.text)).toEqual(['Do you ship to Yerevan?']);
  });

  it('refuses a forged userHash, one made for another id, and none where the site requires one, writing nothing', async () => {
    const id = uniqueId();
    const visitor = await startVisitorSession(parley.url);
    const forged = await refusal({ visitorToken: visitor.visitorToken, id, userHash: 'ab'.repeat(32) });
    expect(forged.status).toBe(403);
    expect(forged.message).toMatch(/userHash/);
    // A valid signature of someone else's id is not a signature of this one.
    const replayed = await refusal({ id, userHash: userHashOf('someone-else', secret) });
    expect(replayed.status).toBe(403);
    const malformed = await refusal({ id, userHash: 'not-hex' });
    expect(malformed.status).toBe(400);
    const hashWithoutId = await refusal({ userHash: userHashOf(id, secret) });
    expect(hashWithoutId.status).toBe(400);

    await setRequired(true);
    const missing = await refusal({ visitorToken: visitor.visitorToken, id, name: 'Mallory' });
    expect(missing.status).toBe(403);
    expect(missing.message).toMatch(/requires identity verification/);
    // Signed still works where required.
    const signed = await identify({
      visitorToken: visitor.visitorToken,
      id,
      userHash: userHashOf(id, secret),
    });
    expect(signed.verified).toBe(true);
  });

  it('merges an anonymous profile into the known user: conversations, messages, visits, page views and events; nothing twice', async () => {
    const id = uniqueId();
    // The user, on a laptop: a conversation still open, two visits.
    const laptop = await connectVisitor(parley);
    await say(laptop.socket, 'Laptop: is the jacket waterproof?');
    await trackVisit(laptop.session.visitorId, '2026-01-01T10:00:00Z', 'p1');
    await trackVisit(laptop.session.visitorId, '2026-01-03T10:00:00Z', 'p2');
    await identify({
      visitorToken: laptop.session.visitorToken,
      id,
      userHash: userHashOf(id, secret),
      name: 'Vardan',
    });

    // The same person on a phone, anonymous: an open conversation of its own (more recent), a visit
    // between the laptop's two (whose loader happened to use the item id `p1` too), an email given.
    const phone = await connectVisitor(parley);
    await trackVisit(phone.session.visitorId, '2026-01-02T10:00:00Z', 'p1');
    await sql`UPDATE visitors SET email = 'vardan@shop.example', attributes = '{"size": 44}' WHERE id = ${phone.session.visitorId}`.execute(
      db(),
    );
    await say(phone.socket, 'Phone: and in size 44?');
    const phoneMessages = await sql<{ id: string }>`
      SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.visitor_id = ${phone.session.visitorId}`.execute(db());

    const merged = await identify({
      visitorToken: phone.session.visitorToken,
      id,
      userHash: userHashOf(id, secret),
    });
    expect(merged).toMatchObject({ visitorId: laptop.session.visitorId, verified: true, merged: true });
    const survivor = laptop.session.visitorId;
    const gone = phone.session.visitorId;

    for (const table of MOVED_TABLES) expect(await countOf(table, gone)).toBe(0);
    expect(await countOf('conversations', survivor)).toBe(2);
    expect(await countOf('visits', survivor)).toBe(3);
    expect(await countOf('page_views', survivor)).toBe(3);
    expect(await countOf('visitor_events', survivor)).toBe(3);
    const visits = await sql<{ number: number; started_at: Date }>`
      SELECT number, started_at FROM visits WHERE visitor_id = ${survivor} ORDER BY started_at`.execute(db());
    expect(visits.rows.map((v) => v.number)).toEqual([1, 2, 3]);
    // The phone's messages moved with their conversation, authored by the survivor now.
    const moved = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM messages WHERE id = ANY(${phoneMessages.rows.map((r) => r.id)}::uuid[])
        AND author_id = ${survivor}`.execute(db());
    expect(moved.rows[0]?.n).toBe(1);

    // One open conversation: the phone's (active last); the laptop's closed with a note for operators.
    const conversations = await sql<{ status: string; notes: number }>`
      SELECT c.status, (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id AND m.visibility = 'internal') AS notes
      FROM conversations c WHERE visitor_id = ${survivor} ORDER BY c.created_at`.execute(db());
    expect(conversations.rows).toEqual([
      { status: 'closed', notes: 1 },
      { status: 'open', notes: 0 },
    ]);

    const row = await db()
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', survivor)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Vardan', email: 'vardan@shop.example', visit_count: 3 });
    expect(row.attributes).toMatchObject({ size: 44 });
    const tombstone = await db()
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', gone)
      .executeTakeFirstOrThrow();
    expect(tombstone.merged_into).toBe(survivor);

    // The phone's socket is cut (its token revoked); its old token still finds the user.
    await waitUntil(async () => phone.socket.closeCode !== null);
    expect(phone.socket.closeCode).toBe(4401);
    await expect(TestSocket.visitor(parley.wsUrl, phone.session.visitorToken)).rejects.toThrow(/401/);
    const resumed = await startVisitorSession(parley.url, 'demo', phone.session.visitorToken);
    expect(resumed.visitorId).toBe(survivor);
    const texts = resumed.history.map((m) => m.text);
    expect(texts).toEqual(['Laptop: is the jacket waterproof?', 'Phone: and in size 44?']);
    expect(new Set(resumed.history.map((m) => m.id)).size).toBe(resumed.history.length);

    // Identifying again from the phone changes nothing more.
    const again = await identify({ visitorToken: merged.visitorToken, id, userHash: userHashOf(id, secret) });
    expect(again).toMatchObject({ visitorId: survivor, merged: false });
  });

  it("lets a merged profile's loader keep tracking as the user: its old token finds the survivor", async () => {
    const id = uniqueId();
    const laptop = await startVisitorSession(parley.url);
    await identify({ visitorToken: laptop.visitorToken, id, userHash: userHashOf(id, secret) });
    // A phone known only through tracking (the chat never opened), then identified: merged.
    const phoneToken = (
      await track(null, [{ t: 'page', id: 'ph1', ago: 0, url: 'https://shop.example/', title: 'Shop' }])
    ).visitorToken;
    const merged = await identify({ visitorToken: phoneToken, id, userHash: userHashOf(id, secret) });
    expect(merged).toMatchObject({ visitorId: laptop.visitorId, merged: true });

    // The phone's loader still holds the old token (the frame never opened to get the new one).
    const visitorsBefore = await db().selectFrom('visitors').select('id').execute();
    const answer = await track(phoneToken, [
      { t: 'page', id: 'ph2', ago: 0, url: 'https://shop.example/boots', title: 'Boots' },
    ]);
    expect(answer.accepted).toBe(1);
    expect(answer.visitorToken).not.toBe(phoneToken);
    expect(answer.visitorToken.split('.')[0]).toBe(laptop.visitorId);
    expect(await db().selectFrom('visitors').select('id').execute()).toHaveLength(visitorsBefore.length);
    const pages = await db()
      .selectFrom('page_views')
      .select(['client_id', 'url'])
      .where('visitor_id', '=', laptop.visitorId)
      .orderBy('viewed_at')
      .execute();
    expect(pages).toEqual([
      { client_id: 'ph1', url: 'https://shop.example/' },
      { client_id: 'ph2', url: 'https://shop.example/boots' },
    ]);
    // And the new token is the user's own: the next batch keeps it.
    expect((await track(answer.visitorToken, [{ t: 'ping', id: 'ph3', ago: 0 }])).visitorToken).toBe(
      answer.visitorToken,
    );
  });

  it('runs two identifies of one user at once into one profile', async () => {
    const id = uniqueId();
    const hash = userHashOf(id, secret);
    // Two fresh tabs, and two anonymous browsers, all at once.
    const [a, b] = await Promise.all([startVisitorSession(parley.url), startVisitorSession(parley.url)]);
    const answers = await Promise.all([
      identify({ id, userHash: hash }),
      identify({ id, userHash: hash }),
      identify({ visitorToken: a.visitorToken, id, userHash: hash }),
      identify({ visitorToken: b.visitorToken, id, userHash: hash }),
    ]);
    expect(new Set(answers.map((x) => x.visitorId)).size).toBe(1);
    const live = await db()
      .selectFrom('visitors')
      .select('id')
      .where('external_id', '=', id)
      .where('merged_into', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
  });

  it('without a signature stores the fields as unverified and never merges', async () => {
    const id = uniqueId();
    const user = await identify({ id, userHash: userHashOf(id, secret) });
    const stranger = await connectVisitor(parley);
    await say(stranger.socket, 'Hello from nobody in particular');
    const unsigned = await identify({
      visitorToken: stranger.session.visitorToken,
      id,
      email: 'claims@shop.example',
    });
    expect(unsigned).toMatchObject({ visitorId: stranger.session.visitorId, verified: false, merged: false });
    expect(unsigned.visitorId).not.toBe(user.visitorId);
    const card = await operator.waitFor<VisitorDTO>(
      'visitor.updated',
      (v) => v.id === stranger.session.visitorId && v.identity !== undefined,
    );
    expect(card.identity).toEqual({ externalId: id, verified: false });
    expect(await countOf('conversations', stranger.session.visitorId)).toBe(1);
    expect(await countOf('conversations', user.visitorId)).toBe(0);

    // A signed-in profile is not changed by an unsigned call.
    const refused = await refusal({ visitorToken: user.visitorToken, id: 'someone-else', name: 'Eve' });
    expect(refused.status).toBe(403);
  });

  it('answers pages of the site with CORS and refuses other origins', async () => {
    await api(parley.url, API_PATHS.site(parley.demoSiteId), {
      method: 'PATCH',
      body: { allowedOrigins: ['https://shop.example'] },
      cookie: admin.cookie,
      csrfToken: admin.csrfToken,
    });
    const preflight = await fetch(parley.url + API_PATHS.widgetIdentify, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');
    const id = uniqueId();
    const ok = await api<IdentifyResponse>(parley.url, API_PATHS.widgetIdentify, {
      body: { siteKey: 'demo', id, userHash: userHashOf(id, secret) },
      headers: { origin: 'https://shop.example' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const before = await snapshotRows(db());
    const foreign = await fetch(parley.url + API_PATHS.widgetIdentify, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey: 'demo', id, userHash: userHashOf(id, secret) }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await snapshotRows(db())).toEqual(before);
  });

  it('stops accepting hashes made with a secret once it is rotated', async () => {
    const id = uniqueId();
    const oldHash = userHashOf(id, secret);
    const { body: rotated } = await api<SiteIdentityDTO>(
      parley.url,
      API_PATHS.siteIdentitySecret(parley.demoSiteId),
      { method: 'POST', body: {}, cookie: admin.cookie, csrfToken: admin.csrfToken },
    );
    expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rotated.secret).not.toBe(secret);
    secret = rotated.secret;
    expect((await refusal({ id, userHash: oldHash })).status).toBe(403);
    expect((await identify({ id, userHash: userHashOf(id, secret) })).verified).toBe(true);
  });
});

describe('the demo shop', () => {
  it("signs its demo customer with the demo site's current secret, as a shop's server would", async () => {
    const { body } = await api<{ id: string; userHash: string }>(parley.url, '/shop/demo-customer');
    expect(isValidUserHash(body.id, body.userHash, (await identitySettings()).secret)).toBe(true);
    expect((await identify({ id: body.id, userHash: body.userHash })).verified).toBe(true);
  });
});

describe('the merger', () => {
  it('knows every table that points at a visitor', async () => {
    // By foreign key, and by a `visitor_id` column without one (segments, mail, anything later).
    const { rows } = await sql<{ table: string }>`
      SELECT conrelid::regclass::text AS table FROM pg_constraint
      WHERE contype = 'f' AND confrelid = 'visitors'::regclass AND conrelid <> 'visitors'::regclass
      UNION
      SELECT c.relname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attname = 'visitor_id' AND c.relkind = 'r' AND NOT a.attisdropped
        AND c.relnamespace = to_regnamespace(current_schema())
      ORDER BY 1`.execute(db());
    // A new table with a visitor_id must be moved by visitorMerger (merge.ts), or merges would lose it.
    expect(rows.map((r) => r.table).sort()).toEqual([...MOVED_TABLES].sort());
  });
});
