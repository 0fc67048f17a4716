/**
 * The database going away under a running node, for real, with Parley's own
 * (embedded) PostgreSQL in a temp folder: frozen (SIGSTOP) — /readyz answers
 * 503 within its bound and a frame gets an error instead of hanging into the
 * client's ack timeout; killed — Parley restarts it, /healthz saying so
 * meanwhile; killed past the restart budget — /healthz 503 for good.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, connectVisitor, newClientId } from './testing/fixtures.js';
import { startTestParley, type TestParley } from './testing/test-parley.js';

const READY_PROBE_TIMEOUT_MS = 500;
const STATEMENT_TIMEOUT_MS = 1_000;
/** The clients' ack timeout: an answer must come before it. */
const CLIENT_ACK_TIMEOUT_MS = 10_000;

let parley: TestParley;
let frozen: number[] = [];

beforeAll(async () => {
  parley = await startTestParley({
    database: 'embedded',
    env: {
      READY_PROBE_TIMEOUT_MS: String(READY_PROBE_TIMEOUT_MS),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      EMBEDDED_POSTGRES_RESTARTS: '1',
    },
  });
}, 120_000);
afterEach(async () => {
  for (const pid of frozen) process.kill(pid, 'SIGCONT');
  frozen = [];
  await closeAllSockets();
});
afterAll(async () => {
  await parley?.close();
});

/** The PostgreSQL server process of this Parley, from its lock file. */
function postmasterPid(): number {
  const lockFile = readFileSync(join(parley.dataDir ?? '', 'pg', 'postmaster.pid'), 'utf8');
  return Number.parseInt(lockFile.split('\n')[0] ?? '', 10);
}

/** The server and every backend it forked: freezing only the server would leave open connections answering. */
function clusterPids(): number[] {
  const server = postmasterPid();
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === server;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [server, ...children];
}

async function probe(path: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = Date.now();
  const response = await fetch(parley.url + path);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    ms: Date.now() - started,
  };
}

async function until(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('the database frozen', () => {
  it('answers /readyz 503 within the probe bound, and a frame with an error before the ack timeout', async () => {
    const { socket: visitor } = await connectVisitor(parley);
    frozen = clusterPids();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');

    const ready = await probe('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ok: false, database: 'down' });
    expect(ready.ms).toBeLessThan(READY_PROBE_TIMEOUT_MS + 1_000);

    const started = Date.now();
    const outcome = await visitor
      .request<{ message: MessageDTO }>('message.send', { clientId: newClientId(), text: 'frozen?' })
      .then(
        () => 'acked',
        (error: Error & { frame?: { error?: { code: string } } }) =>
          error.frame?.error?.code ?? error.message,
      );
    // 'unavailable', not 'internal': clients retry it after a backoff rather than counting it a bug.
    expect(outcome).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(CLIENT_ACK_TIMEOUT_MS - 2_000);

    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    frozen = [];
    expect(await until(async () => (await probe('/readyz')).status === 200, 10_000)).toBe(true);
  });
});

describe('the embedded database killed', () => {
  it('is restarted, /healthz saying so meanwhile, and Parley serves again', async () => {
    const states: unknown[] = [];
    const watching = (async () => {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const health = await probe('/healthz');
        states.push(health.status === 200 ? 'ok' : health.body.reason);
        if (states.includes('embedded database restarting') && health.status === 200) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    process.kill(postmasterPid(), 'SIGKILL');
    await watching;
    expect(states).toContain('embedded database restarting');
    expect(states.at(-1)).toBe('ok');
    expect(await until(async () => (await probe('/readyz')).status === 200, 10_000)).toBe(true);
    const { socket: visitor } = await connectVisitor(parley);
    const sent = await visitor.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: 'after the restart',
    });
    expect(sent.message.text).toBe('after the restart');
  });

  it('past its restart budget, is given up: /healthz answers 503 for good', async () => {
    process.kill(postmasterPid(), 'SIGKILL');
    expect(
      await until(async () => (await probe('/healthz')).body.reason === 'embedded database failed', 10_000),
    ).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await probe('/healthz')).toMatchObject({ status: 503 });
  });
});
