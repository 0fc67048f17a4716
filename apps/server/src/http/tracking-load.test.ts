/**
 * A busy site must not slow its chat (issue 12): tracking batches run on a pool of their own, and a
 * node already working on TRACKING_MAX_IN_FLIGHT batches answers 503 at once, writing nothing; the
 * loader's retry of the same items is then written once. Here tracking gets one connection and room
 * for two batches; one batch is held in the database by a row lock, as a slow database would.
 */
import { randomBytes } from 'node:crypto';
import { API_PATHS, type MessageDTO, type TrackItem, type TrackResponse } from '@parley/protocol';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';
import { waitUntil } from '../testing/wait-until.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({ env: { TRACKING_DB_CONNECTIONS: '1', TRACKING_MAX_IN_FLIGHT: '2' } });
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
const page = (url: string): TrackItem => ({ t: 'page', id: id(), ago: 0, url, title: 'Boots' });

async function track(items: TrackItem[], visitorToken: string | null = null) {
  const response = await fetch(`${parley.url}${API_PATHS.widgetTrack}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://shop.example' },
    body: JSON.stringify({ siteKey: 'demo', visitorToken, items }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as TrackResponse & { error?: { code: string; message: string } },
  };
}

const countVisitors = async () =>
  Number(
    (
      await parley.services.ctx.db
        .selectFrom('visitors')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('tracking under load', () => {
  it("commits tracking without waiting for the disk, and everything else with it (the chat's commits never queue behind tracking's at the WAL flush)", async () => {
    const setting = async (db: typeof parley.services.ctx.db) =>
      (await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)).rows[0]
        ?.synchronous_commit;
    expect(await setting(parley.services.trackingDatabase.db)).toBe('off');
    expect(await setting(parley.services.ctx.db)).toBe('on');
  });

  it('keeps to its own pool, sheds batches past its limit with 503, and lets the chat through meanwhile', async () => {
    const first = await track([page('https://shop.example/')]);
    expect(first.status).toBe(200);
    const visitorId = first.body.visitorToken.split('.')[0] as string;

    // A slow database, as tracking meets it: the visitor's row is locked, so their next page waits.
    const locker = new pg.Client({
      connectionString: parley.services.database.pool.options.connectionString,
    });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM visitors WHERE id = $1 FOR UPDATE', [visitorId]);
      const held = track([page('https://shop.example/boots')], first.body.visitorToken);
      // It waits on tracking's one connection, not on one of the chat's.
      const trackingPool = parley.services.trackingDatabase.pool;
      await waitUntil(async () => trackingPool.totalCount === 1 && trackingPool.idleCount === 0);
      const queued = track([page('https://shop.example/')]);
      await waitUntil(async () => trackingPool.waitingCount === 1);

      const before = await countVisitors();
      const refusedItems = [page('https://shop.example/sale')];
      const refused = await track(refusedItems);
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe('10');
      expect(refused.body.error).toMatchObject({ code: 'unavailable' });
      expect(await countVisitors()).toBe(before);

      // The chat is not behind tracking: a visitor's message is saved and acknowledged meanwhile.
      const { socket } = await connectVisitor(parley);
      const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text: 'Is this in stock?',
      });
      expect(message.text).toBe('Is this in stock?');

      await locker.query('COMMIT');
      expect((await held).status).toBe(200);
      expect((await queued).status).toBe(200);
      // The loader sends the refused items again: now written, once.
      const again = await track(refusedItems);
      expect(again.status).toBe(200);
      expect(again.body.accepted).toBe(1);
    } finally {
      await locker.end();
    }
  });
});
