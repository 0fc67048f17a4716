/**
 * A Parley node's outbox as a child process, to be killed for real by the
 * crash tests (outbox/crash.test.ts). Settings come from the environment:
 *
 * - OUTBOX_TEST_MODE=commit-then-crash: with its worker running, enqueues
 *   OUTBOX_TEST_ROWS rows in one transaction, prints `committed`, and
 *   SIGKILLs itself in the same turn — before anything could deliver them.
 * - OUTBOX_TEST_MODE=hang: runs a worker whose handler records each attempt,
 *   prints `attempt <row id>`, and never finishes: the test kills it mid-handler.
 */
import { connectDatabase } from '../db/database.js';
import { createLogger } from '../logger.js';
import { OutboxWorker } from '../outbox/worker.js';
import { enqueueTest, testTopicHandlers } from './outbox-test-topic.js';

const url = process.env.DATABASE_URL ?? '';
const mode = process.env.OUTBOX_TEST_MODE;
const name = `child-${process.pid}`;
const database = connectDatabase(url, 4);
const log = createLogger('warn', name);

const worker = new OutboxWorker({
  database,
  handlers: testTopicHandlers(database.db, name, {
    hang: mode === 'hang',
    onAttempt: (id) => process.stdout.write(`attempt ${id}\n`),
  }),
  nodeId: name,
  log,
  leaseMs: Number(process.env.OUTBOX_TEST_LEASE_MS ?? 60_000),
});
await worker.start();

if (mode === 'commit-then-crash') {
  const rows = Number(process.env.OUTBOX_TEST_ROWS ?? 1);
  await database.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows; i++)
      await enqueueTest(tx, { topic: 'test.deliver', payload: { key: `crash-${i}` } });
  });
  process.stdout.write('committed\n');
  process.kill(process.pid, 'SIGKILL');
} else {
  process.stdout.write('ready\n');
}
