/**
 * The search indexer: turns queued messages (`search_pending`, filled by a trigger in the message's
 * own statement) into `message_search` rows and new `search_words`, in batches, after the message's
 * transaction — so a message's write pays for one queue row instead of two-language text parsing
 * and three indexes (migration 025 says why). Every node runs one; they split the queue with
 * FOR UPDATE SKIP LOCKED. A message is searchable about `INDEX_EVERY_MS` after it was written.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Logger } from '../../logger.js';

/** Messages indexed per statement: large enough to share one statement's cost, small enough to hold few locks. */
export const INDEX_BATCH = 500;
/** How often an idle indexer looks at the queue. */
export const INDEX_EVERY_MS = 300;

/**
 * Indexes up to `limit` queued messages in one statement; returns how many queue rows it took.
 * Words go into the vocabulary in sorted order, so two nodes indexing batches that share words wait
 * for each other instead of deadlocking.
 */
export async function indexPendingMessages(db: Db, limit = INDEX_BATCH): Promise<number> {
  const result = await sql<{ claimed: string }>`
    WITH claimed AS (
      DELETE FROM search_pending
      WHERE id IN (SELECT id FROM search_pending ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING message_id
    ), indexed AS (
      INSERT INTO message_search (message_id, site_id, created_at, vector)
        SELECT m.id, c.site_id, m.created_at, parley_search_vector(m.text)
        FROM claimed JOIN messages m ON m.id = claimed.message_id
        JOIN conversations c ON c.id = m.conversation_id
      ON CONFLICT (message_id) DO NOTHING
      RETURNING vector
    ), words AS (
      INSERT INTO search_words (word)
        SELECT DISTINCT w FROM indexed, unnest(tsvector_to_array(indexed.vector)) AS w
        WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[-0-9@./:_]'
        ORDER BY w
      ON CONFLICT DO NOTHING
    )
    SELECT count(*) AS claimed FROM claimed`.execute(db);
  return Number(result.rows[0]?.claimed ?? 0);
}

/**
 * Waits until every message written so far is searchable (the queue is empty, including rows another
 * node is indexing right now). For tests and the search benchmark's setup; gives up after `timeoutMs`.
 */
export async function waitForSearchIndex(db: Db, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await indexPendingMessages(db);
    const left = await sql<{ n: string }>`SELECT count(*) AS n FROM search_pending`.execute(db);
    if (Number(left.rows[0]?.n) === 0) return;
    if (Date.now() > deadline) throw new Error('search index did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs the indexer until the returned stop function is called (and its current batch has ended). */
export function scheduleSearchIndexing(db: Db, log: Logger): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    let claimed = 0;
    try {
      claimed = await indexPendingMessages(db);
    } catch (error) {
      log.warn({ err: error }, 'search indexing failed; retrying');
    }
    if (stopped) return;
    // A full batch means more are waiting: go on at once.
    timer = setTimeout(tick, claimed === INDEX_BATCH ? 0 : INDEX_EVERY_MS);
  };
  const tick = () => {
    running = round();
  };
  timer = setTimeout(tick, INDEX_EVERY_MS);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
