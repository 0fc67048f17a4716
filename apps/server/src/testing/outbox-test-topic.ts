/**
 * A real outbox topic for tests: its handler writes to two tables of the
 * test database — every attempt to `outbox_test_attempts` (committed before
 * the effect, so attempts that die half-way are counted too), and the effect
 * itself to `outbox_test_effects`, idempotent by row id as a real handler is.
 * The payload says how the handler should behave (fail, fail for good, take
 * its time).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { outboxWriter } from '../outbox/enqueue.js';
import { type OutboxHandlers, PermanentOutboxError } from '../outbox/topics.js';

export type TestTopics = {
  'test.deliver': {
    key: string;
    /** Throw on every attempt. */
    poison?: boolean;
    /** Throw a PermanentOutboxError. */
    permanent?: boolean;
    /** Work this long before the effect (aborted with the job's signal). */
    sleepMs?: number;
  };
};

export const enqueueTest = outboxWriter<TestTopics>();

export async function createTestTopicTables(db: Db): Promise<void> {
  await sql`
    CREATE TABLE IF NOT EXISTS outbox_test_attempts (
      outbox_id uuid NOT NULL, attempt integer NOT NULL, worker text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE TABLE IF NOT EXISTS outbox_test_effects (
      outbox_id uuid PRIMARY KEY, key text NOT NULL, worker text NOT NULL,
      at timestamptz NOT NULL DEFAULT clock_timestamp()
    )`.execute(db);
}

export interface TestHandlerOptions {
  /** After recording the attempt, never finish (until aborted): a worker stuck or about to be killed. */
  hang?: boolean;
  /** Called when an attempt starts (after it is recorded). */
  onAttempt?: (id: string) => void;
}

export function testTopicHandlers(
  db: Db,
  worker: string,
  options: TestHandlerOptions = {},
): OutboxHandlers<TestTopics> {
  return {
    'test.deliver': async (job) => {
      await sql`INSERT INTO outbox_test_attempts (outbox_id, attempt, worker)
                VALUES (${job.id}, ${job.attempt}, ${worker})`.execute(db);
      options.onAttempt?.(job.id);
      if (options.hang) {
        await new Promise((_, reject) =>
          job.signal.addEventListener('abort', () => reject(job.signal.reason)),
        );
      }
      if (job.payload.sleepMs) await sleep(job.payload.sleepMs, undefined, { signal: job.signal });
      if (job.payload.permanent) throw new PermanentOutboxError(`refused for good: ${job.payload.key}`);
      if (job.payload.poison) throw new Error(`poisoned: ${job.payload.key}`);
      await sql`INSERT INTO outbox_test_effects (outbox_id, key, worker)
                VALUES (${job.id}, ${job.payload.key}, ${worker})
                ON CONFLICT (outbox_id) DO NOTHING`.execute(db);
    },
  };
}

export interface TestAttempt {
  outbox_id: string;
  attempt: number;
  worker: string;
  at: Date;
}

export async function listTestAttempts(db: Db): Promise<TestAttempt[]> {
  const { rows } = await sql<TestAttempt>`SELECT * FROM outbox_test_attempts ORDER BY at`.execute(db);
  return rows;
}

export async function listTestEffects(db: Db): Promise<{ outbox_id: string; key: string; worker: string }[]> {
  const { rows } = await sql<{ outbox_id: string; key: string; worker: string }>`
    SELECT outbox_id, key, worker FROM outbox_test_effects ORDER BY key`.execute(db);
  return rows;
}
