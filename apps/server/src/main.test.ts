/**
 * Parley as `npm start` runs it, in real child processes: the start-up
 * banner, the folder lock of the embedded database, graceful shutdown, and
 * several nodes sharing one PostgreSQL and Redis.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageDTO, PresenceResponse } from '@parley/protocol';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from '../../../e2e/support/parley-process.js';
import { api, loginOperator, startVisitorSession, TestSocket } from './testing/clients.js';
import { TEST_REDIS_URL } from './testing/databases.js';
import { newClientId } from './testing/fixtures.js';
import { type OwnRedis, startOwnRedis } from './testing/redis-server.js';

const started: ParleyProcess[] = [];
const sockets: TestSocket[] = [];
const redisServers: OwnRedis[] = [];

async function start(...args: Parameters<typeof startParleyProcess>) {
  const node = await startParleyProcess(...args);
  started.push(node);
  return node;
}
const ws = (node: ParleyProcess) => node.url.replace('http', 'ws');

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  for (const node of started.reverse()) await node.stop();
  for (const node of started) if (node.dataDir) await rm(node.dataDir, { recursive: true, force: true });
  for (const redis of redisServers) await redis.stop();
});

/** Ends a node the hard way (no shutdown code runs: what a crash or the OOM killer does). */
async function killHard(node: ParleyProcess): Promise<void> {
  if (node.pid) process.kill(node.pid, 'SIGKILL');
  await node.exited;
}

describe('one node with the embedded database', () => {
  it('prints the URLs, and refuses a second Parley on the same folder with a clear message', async () => {
    const first = await start({ database: 'embedded' });
    expect(first.output()).toMatch(/Console:\s+http:\/\/127\.0\.0\.1:\d+\/console\//);
    expect(first.output()).toMatch(/Demo shop:\s+http:\/\/127\.0\.0\.1:\d+\/shop\//);
    expect(first.output()).toContain(`Admin login: ${E2E_ADMIN.email}`);

    const second = startParleyProcess({ database: 'embedded', dataDir: first.dataDir ?? '' });
    await expect(second).rejects.toThrow(/Another Parley \(pid \d+\) is already using/);
    // The first one is unharmed.
    expect((await api<{ ok: boolean }>(first.url, '/readyz')).body.ok).toBe(true);
    // Two whole Parleys with embedded PostgreSQL start here: ~10 s on a quiet machine, 30+ s under CI's load.
  }, 120_000);

  it('saves a message in flight when SIGTERM lands, and tells sockets to reconnect', async () => {
    const node = await start({ database: 'embedded' });
    const session = await startVisitorSession(node.url);
    const socket = await TestSocket.visitor(ws(node), session.visitorToken);
    await socket.waitFor('session.ready');
    const send = (text: string) =>
      socket.request<{ message: MessageDTO }>('message.send', { clientId: newClientId(), text });
    const { message: first } = await send('before the restart');

    // The message is made to be in flight: its conversation's row is held, so the server has read the
    // frame and waits in its write when the signal comes; the row is let go only once draining began.
    const database = await embeddedDatabase(node);
    await database.query('BEGIN');
    await database.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [first.conversationId]);
    const inFlight = send('in flight at SIGTERM');
    await expect.poll(() => waitingOnLocks(database), { timeout: 10_000 }).toBe(1);
    const stopping = node.stop();
    await socket.waitFor('server.draining');
    await database.query('COMMIT');
    await database.end();

    const { message: saved } = await inFlight;
    await stopping;
    expect(socket.closeCode).toBe(1012);
    expect(saved).toMatchObject({ text: 'in flight at SIGTERM', seq: 2 });

    const again = await start({ database: 'embedded', dataDir: node.dataDir ?? '' });
    const back = await startVisitorSession(again.url, 'demo', session.visitorToken);
    // Both survived the restart, once each, in the order sent.
    expect(back.history.map((m) => m.text)).toEqual(['before the restart', 'in flight at SIGTERM']);
  }, 120_000);
});

describe('one node with the embedded database, killed', () => {
  it('starts again after kill -9 (stopping the PostgreSQL it left), and exits clearly when PostgreSQL dies past its restart budget', async () => {
    const env = { EMBEDDED_POSTGRES_RESTARTS: '0' };
    const first = await start({ database: 'embedded', env });
    const session = await startVisitorSession(first.url);
    const socket = await TestSocket.visitor(ws(first), session.visitorToken);
    sockets.push(socket);
    await socket.waitFor('session.ready');
    await socket.request('message.send', { clientId: newClientId(), text: 'before the crash' });
    await killHard(first);

    const again = await start({ database: 'embedded', dataDir: first.dataDir ?? '', env });
    const back = await startVisitorSession(again.url, 'demo', session.visitorToken);
    expect(back.history.map((m) => m.text)).toEqual(['before the crash']);

    // Its PostgreSQL dies and may not be restarted (budget 0): Parley exits, saying why, for a supervisor to act.
    const lockFile = await readFile(join(again.dataDir ?? '', 'pg', 'postmaster.pid'), 'utf8');
    process.kill(Number.parseInt(lockFile, 10), 'SIGKILL');
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/Parley is stopping: Embedded PostgreSQL stopped \(signal SIGKILL\)/);
  }, 150_000);
});

/** A connection of our own to a node's embedded PostgreSQL (its credentials and port are in its folder). */
async function embeddedDatabase(node: ParleyProcess): Promise<pg.Client> {
  const dataDir = node.dataDir ?? '';
  const { password } = JSON.parse(await readFile(join(dataDir, 'pg-credentials.json'), 'utf8')) as {
    password: string;
  };
  // postmaster.pid: pid, data folder, start time, port, …
  const port = (await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]?.trim();
  const client = new pg.Client({
    connectionString: `postgres://parley:${encodeURIComponent(password)}@127.0.0.1:${port}/parley`,
  });
  await client.connect();
  return client;
}

/** Sessions of the database waiting for a lock (the server's write, blocked by our transaction). */
async function waitingOnLocks(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]?.n ?? 0;
}

describe('several nodes with Redis', () => {
  it('shows no ghost operator from a node killed and restarted under the same NODE_ID', async () => {
    const redis = await startOwnRedis();
    redisServers.push(redis);
    const env = { NODE_ID: 'ghost-test-node' };
    const first = await start({ database: 'local', redisUrl: redis.url, env });
    const operatorSession = await loginOperator(first.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const operator = await TestSocket.operator(ws(first), operatorSession.cookie);
    sockets.push(operator);
    await operator.waitFor('session.ready');
    await operator.request('operator.status', { status: 'online' });
    expect((await startVisitorSession(first.url)).online).toBe(true);
    await killHard(first);

    const again = await start({ database: { url: first.databaseUrl ?? '' }, redisUrl: redis.url, env });
    expect((await startVisitorSession(again.url)).online).toBe(false);
  }, 150_000);

  it('lets a visitor on node A and an operator on node B talk, and shows presence to a node started later', async () => {
    const a = await start({ database: 'local', redisUrl: TEST_REDIS_URL });
    const b = await start({ database: { url: a.databaseUrl ?? '' }, redisUrl: TEST_REDIS_URL });

    const operatorSession = await loginOperator(b.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const operator = await TestSocket.operator(ws(b), operatorSession.cookie);
    sockets.push(operator);
    await operator.waitFor('session.ready');
    await operator.request('operator.status', { status: 'online' });

    const visitorSession = await startVisitorSession(a.url);
    expect(visitorSession.online).toBe(true);
    const visitor = await TestSocket.visitor(ws(a), visitorSession.visitorToken);
    sockets.push(visitor);
    await visitor.waitFor('session.ready');

    const question = await visitor.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'From node A',
    });
    const seenOnB = await operator.waitForMessage((m) => m.id === question.message.id);
    expect(seenOnB.text).toBe('From node A');
    await operator.request('message.send', {
      conversationId: question.message.conversationId,
      clientId: newClientId(),
      text: 'Answer from node B',
    });
    const answer = await visitor.waitFor<MessageDTO>('message.created', (m) => m.author.kind === 'operator');
    expect(answer).toMatchObject({ text: 'Answer from node B', seq: 2, author: { name: 'Admin' } });

    const c = await start({ database: { url: a.databaseUrl ?? '' }, redisUrl: TEST_REDIS_URL });
    const onC = await loginOperator(c.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const presence = await api<PresenceResponse>(c.url, `/api/presence?siteId=${onC.sites[0]?.id}`, {
      cookie: onC.cookie,
    });
    expect(presence.body.operators).toContainEqual(
      expect.objectContaining({ displayName: 'Admin', status: 'online', connected: true }),
    );
    expect((await startVisitorSession(c.url)).online).toBe(true);

    // The operator leaves node B: node A's visitor hears that nobody is online.
    await operator.close();
    await visitor.waitFor('availability.updated', (d: { online: boolean }) => !d.online);
  }, 120_000);
});
