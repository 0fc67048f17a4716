/**
 * Writing to the outbox: the one function domain commands call, inside the
 * transaction of the change that causes the work. The row and the change
 * commit together or not at all; the NOTIFY sent with it is delivered at
 * that commit (and dropped on a rollback), waking idle workers on every node.
 */
import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { OutboxEntry, OutboxTopics } from './topics.js';

/** The channel workers LISTEN on; the payload is the topic, so a node wakes only for topics it handles. */
export const OUTBOX_CHANNEL = 'parley_outbox';

/** Attempts before a row is given up as dead: with the default backoff, 1.2 to 2.4 hours of trying. */
export const OUTBOX_MAX_ATTEMPTS = 12;

/**
 * An `enqueue` typed by a topic map. Parley's own is `enqueue` below; tests
 * make one for their own topics.
 */
export function outboxWriter<Topics extends object>() {
  return async (db: Queryable, entry: OutboxEntry<Topics>): Promise<string> => {
    const maxAttempts = entry.maxAttempts ?? OUTBOX_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`outbox maxAttempts must be a positive integer, got ${maxAttempts}`);
    }
    const { rows } = await sql<{ id: string }>`
      WITH written AS (
        INSERT INTO outbox (topic, payload, max_attempts, next_attempt_at)
        VALUES (${entry.topic}, ${JSON.stringify(entry.payload)}::jsonb, ${maxAttempts},
                coalesce(${entry.runAt ?? null}::timestamptz, now()))
        RETURNING id, topic
      )
      SELECT id, pg_notify(${OUTBOX_CHANNEL}, topic) AS notified FROM written`.execute(db);
    const row = rows[0];
    if (!row) throw new Error('outbox insert returned no row');
    return row.id;
  };
}

/**
 * Queues after-commit work for a topic: pass the transaction of the change
 * that causes it. Returns the row's id.
 *
 * @example
 * await ctx.db.transaction().execute(async (tx) => {
 *   await tx.updateTable('visitors').set({ email }).where('id', '=', visitorId).execute();
 *   await enqueue(tx, { topic: 'email.send', payload: { template: 'request-received', visitorId } });
 * });
 */
export const enqueue = outboxWriter<OutboxTopics>();
