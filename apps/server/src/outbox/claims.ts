/**
 * The worker's statements on the outbox table, each named after what it
 * does. A claim is fenced by the attempt number it took: a worker whose
 * lease ran out (and whose row another worker has claimed since) can no
 * longer mark it done, fail it or extend it.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** A row claimed for one attempt. */
export interface ClaimedRow {
  id: string;
  topic: string;
  payload: unknown;
  /** This attempt's number (1-based); also the fence of every later statement on the row. */
  attempt: number;
  maxAttempts: number;
}

export interface Claim {
  /** The rows to run now. */
  rows: ClaimedRow[];
  /** Rows the claim took, those that went dead on arrival included: fewer than asked means none more is due. */
  taken: number;
}

export interface ClaimProps {
  topics: readonly string[];
  limit: number;
  leaseMs: number;
  nodeId: string;
}

/**
 * Takes up to `limit` due rows of these topics, oldest due first, for one
 * attempt each: pending rows whose backoff has passed, and running rows
 * whose lease expired (their worker died). Rows locked by another node's
 * claim are skipped, not waited for. A reclaimed row that had used its last
 * attempt goes dead here instead of running again (a handler that kills its
 * process every time must not kill every node in turn).
 */
export async function claimDueRows(db: Db, props: ClaimProps): Promise<Claim> {
  const { rows } = await sql<ClaimedRow & { status: string }>`
    WITH due AS (
      SELECT id FROM outbox
      WHERE status IN ('pending', 'running') AND next_attempt_at <= now()
        AND topic = ANY(${props.topics as string[]}::text[])
      ORDER BY next_attempt_at
      LIMIT ${props.limit}
      FOR UPDATE SKIP LOCKED
    ),
    claimed AS (
      UPDATE outbox o SET
        status = CASE WHEN o.attempts >= o.max_attempts THEN 'dead' ELSE 'running' END,
        attempts = CASE WHEN o.attempts >= o.max_attempts THEN o.attempts ELSE o.attempts + 1 END,
        last_error = CASE WHEN o.status = 'running'
          THEN format('attempt %s on %s did not finish before its lease expired', o.attempts, o.locked_by)
          ELSE o.last_error END,
        finished_at = CASE WHEN o.attempts >= o.max_attempts THEN now() END,
        next_attempt_at = now() + ${props.leaseMs} * interval '1 millisecond',
        locked_by = ${props.nodeId}
      FROM due WHERE o.id = due.id
      RETURNING o.id, o.topic, o.payload, o.attempts AS attempt, o.max_attempts AS "maxAttempts", o.status
    )
    SELECT * FROM claimed`.execute(db);
  return {
    rows: rows.filter((row) => row.status === 'running').map(({ status: _status, ...row }) => row),
    taken: rows.length,
  };
}

/** Marks an attempt's row done. False when this worker no longer held it. */
export async function markRowDone(db: Db, row: ClaimedRow): Promise<boolean> {
  const result = await sql`
    UPDATE outbox SET status = 'done', finished_at = now(), locked_by = NULL
    WHERE id = ${row.id} AND status = 'running' AND attempts = ${row.attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

export interface FailureProps {
  error: string;
  /** When the next attempt may start, if there is one. */
  retryInMs: number;
  /** Retrying cannot help: give the row up now. */
  permanent: boolean;
}

/**
 * Records a failed attempt: back to pending after the delay, or dead when it
 * was the last attempt or the failure is permanent. Returns the row's new
 * status, or null when this worker no longer held it.
 */
export async function markRowFailed(
  db: Db,
  row: ClaimedRow,
  props: FailureProps,
): Promise<'pending' | 'dead' | null> {
  const { rows } = await sql<{ status: 'pending' | 'dead' }>`
    UPDATE outbox SET
      status = CASE WHEN ${props.permanent} OR attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
      finished_at = CASE WHEN ${props.permanent} OR attempts >= max_attempts THEN now() END,
      next_attempt_at = now() + ${props.retryInMs} * interval '1 millisecond',
      last_error = ${props.error},
      locked_by = NULL
    WHERE id = ${row.id} AND status = 'running' AND attempts = ${row.attempt}
    RETURNING status`.execute(db);
  return rows[0]?.status ?? null;
}

/** Extends the lease of a row still being worked on. False when this worker no longer holds it. */
export async function extendLease(db: Db, row: ClaimedRow, leaseMs: number): Promise<boolean> {
  const result = await sql`
    UPDATE outbox SET next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
    WHERE id = ${row.id} AND status = 'running' AND attempts = ${row.attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * Hands a row back at shutdown, when its handler did not finish within the
 * drain: due at once, so another node need not wait for the lease to end.
 */
export async function releaseRow(db: Db, row: ClaimedRow, reason: string): Promise<void> {
  await sql`
    UPDATE outbox SET status = 'pending', next_attempt_at = now(), last_error = ${reason}, locked_by = NULL
    WHERE id = ${row.id} AND status = 'running' AND attempts = ${row.attempt}`.execute(db);
}

/**
 * Milliseconds until the next row of these topics falls due (0 if one is due
 * now), or null when none is waiting. Computed by the database, so node
 * clocks don't matter.
 */
export async function msUntilNextDue(db: Db, topics: readonly string[]): Promise<number | null> {
  const { rows } = await sql<{ ms: number | null }>`
    SELECT CASE WHEN next IS NOT NULL
      -- greatest() skips NULLs, so it may only see a row that exists: no row must stay null, not 0.
      THEN greatest(0, ceil(extract(epoch FROM next - now()) * 1000))::float8 END AS ms
    FROM (
      SELECT min(next_attempt_at) AS next FROM outbox
      WHERE status IN ('pending', 'running') AND topic = ANY(${topics as string[]}::text[])
    ) due`.execute(db);
  return rows[0]?.ms ?? null;
}

/** Deletes done rows finished more than `retentionMs` ago, a batch at a time; dead rows stay. Returns how many went. */
export async function pruneDoneRows(db: Db, retentionMs: number, batch = 1000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await sql`
      DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE status = 'done' AND finished_at < now() - ${retentionMs} * interval '1 millisecond'
        LIMIT ${batch}
      )`.execute(db);
    const count = Number(result.numAffectedRows ?? 0);
    deleted += count;
    if (count < batch) return deleted;
  }
}
