/**
 * Starts Parley the way `npm start` does (after the build), as a child
 * process on a free port, and stops it with SIGTERM like an operator would.
 * Database: a fresh one on the machine's PostgreSQL, the embedded server in
 * a temp folder, or a given DATABASE_URL (to share it between nodes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../../apps/server/src/testing/databases.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const E2E_ADMIN = { email: 'admin@shop.test', password: 'operator-pass-123' } as const;

export interface ParleyProcess {
  url: string;
  /** DATABASE_URL of this node, to start another node on the same database. */
  databaseUrl: string | null;
  /** DATA_DIR of an embedded-database node. */
  dataDir: string | null;
  /** The server process's id (e.g. to read its memory from /proc). */
  pid?: number;
  output(): string;
  /** Resolves when the process ends, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface ParleyProcessOptions {
  database?: 'local' | 'embedded' | { url: string };
  /** With database 'embedded': use this folder (e.g. to start a second Parley on the same one). */
  dataDir?: string;
  redisUrl?: string;
  env?: Record<string, string>;
  /**
   * Run the server from another checkout of Parley (with its own node_modules), e.g. an earlier
   * commit measured beside this one in a benchmark. Defaults to this repository.
   */
  root?: string;
}

export async function startParleyProcess(options: ParleyProcessOptions = {}): Promise<ParleyProcess> {
  let testDb: TestDatabase | null = null;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    LOG_LEVEL: 'warn',
    PARLEY_ADMIN_EMAIL: E2E_ADMIN.email,
    PARLEY_ADMIN_PASSWORD: E2E_ADMIN.password,
    ...options.env,
  };
  const database = options.database ?? 'local';
  if (database === 'local') {
    testDb = await createTestDatabase('parley_e2e');
    env.DATABASE_URL = testDb.url;
  } else if (database === 'embedded') {
    env.DATA_DIR = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-e2e-')));
    delete env.DATABASE_URL;
  } else {
    env.DATABASE_URL = database.url;
  }
  if (options.redisUrl) env.REDIS_URL = options.redisUrl;

  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: options.root ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await waitForUrl(child, () => output);
  return {
    exited,
    url,
    databaseUrl: env.DATABASE_URL ?? null,
    dataDir: env.DATA_DIR ?? null,
    pid: child.pid,
    output: () => output,
    async stop() {
      await stopChild(child);
      await testDb?.drop();
    },
  };
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind a failed test (with its embedded PostgreSQL).
      child.kill('SIGTERM');
      reject(new Error(`Parley did not start in 60 s:\n${output()}`));
    }, 60_000);
    const check = () => {
      const match = /Console:\s+(http:\/\/[^/\s]+)\/console\//.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Parley exited with ${code}:\n${output()}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // Already gone (exited, or killed by a test with SIGKILL: then only signalCode is set).
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
