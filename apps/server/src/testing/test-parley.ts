/**
 * A whole Parley inside the test process, on a free port, against a fresh
 * database (the machine's PostgreSQL by default, or the embedded one), with
 * the same assembly as `npm start`. Tests talk to it over real HTTP and
 * WebSocket connections.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type ParleyApp } from '../app.js';
import { loadEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { bootstrapInstallation } from '../modules/installation/bootstrap.js';
import { type ServiceHooks, type Services, startServices } from '../services.js';
import { createTestDatabase } from './databases.js';

export const TEST_ADMIN = { email: 'admin@parley.test', password: 'correct-horse-battery' } as const;

export interface TestParley {
  url: string;
  wsUrl: string;
  services: Services;
  parley: ParleyApp;
  demoSiteId: string;
  /** DATA_DIR of an embedded-database Parley (e.g. to find its PostgreSQL's postmaster.pid). */
  dataDir?: string;
  /** Where this Parley keeps uploaded files (FILES_DIR). */
  filesDir: string;
  close(): Promise<void>;
}

export interface TestParleyOptions {
  /** 'local' (default): a fresh database on the machine's PostgreSQL; 'embedded': Parley's own server in a temp folder. */
  database?: 'local' | 'embedded';
  redisUrl?: string;
  /** An existing database to share with another node. */
  databaseUrl?: string;
  env?: Record<string, string>;
  /** False: no mail sweeps on this node (see ServiceHooks.mailSweeps). */
  mailSweeps?: boolean;
  /** Outbox handlers in place of Parley's own (a test topic). */
  outboxHandlers?: ServiceHooks['outboxHandlers'];
}

export async function startTestParley(options: TestParleyOptions = {}): Promise<TestParley> {
  const testDb = options.databaseUrl || options.database === 'embedded' ? null : await createTestDatabase();
  const dataDir =
    options.database === 'embedded' ? await mkdtemp(join(tmpdir(), 'parley-embedded-')) : undefined;
  // Every test Parley keeps its uploads in a folder of its own, removed when it closes.
  const filesDir = await mkdtemp(join(tmpdir(), 'parley-files-'));
  const env = loadEnv({
    FILES_DIR: filesDir,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PARLEY_ADMIN_EMAIL: TEST_ADMIN.email,
    PARLEY_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...(testDb && { DATABASE_URL: testDb.url }),
    ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }),
    ...(dataDir && { DATA_DIR: dataDir }),
    // Test files share one Redis; each installation (database) has its own namespace in it.
    ...(options.redisUrl && { REDIS_URL: options.redisUrl }),
    ...options.env,
  });
  const log = createLogger(env.LOG_LEVEL, 'test');
  const services = await startServices(env, log, {
    outboxHandlers: options.outboxHandlers,
    mailSweeps: options.mailSweeps,
  });
  const bootstrap = await bootstrapInstallation(services.ctx.db, {
    adminEmail: env.PARLEY_ADMIN_EMAIL,
    adminPassword: env.PARLEY_ADMIN_PASSWORD,
    demo: true,
  });
  const parley = await buildApp(env, services, log);
  await parley.app.listen({ port: 0, host: '127.0.0.1' });
  const address = parley.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    services,
    parley,
    demoSiteId: bootstrap.demoSiteId ?? '',
    dataDir,
    filesDir,
    async close() {
      await parley.drainAndClose();
      await services.stop();
      await testDb?.drop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await rm(filesDir, { recursive: true, force: true });
    },
  };
}
