/** Reads of visitors. */
import type { Queryable } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';

export async function findVisitor(db: Queryable, visitorId: string): Promise<VisitorRow | undefined> {
  return db.selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirst();
}

/** How long a new visitor's key finds them: the loader drops it once it holds a token. */
export const NEW_VISITOR_KEY_MS = 3600_000;

/**
 * The visitor a new visitor's key (TrackBatch.newVisitorKey) made on this site, within the key's
 * hour: the tracker's batches and the chat frame's session of one new browser are one person.
 */
export async function findVisitorOfNewKey(
  db: Queryable,
  siteId: string,
  key: string,
  now: Date,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('visitors')
    .select('id')
    .where('site_id', '=', siteId)
    .where('new_visitor_key', '=', key)
    .where('first_seen_at', '>', new Date(now.getTime() - NEW_VISITOR_KEY_MS))
    .executeTakeFirst();
}

/**
 * The survivor a merged visitor's token leads to (see identity/merge.ts): only a token that was
 * current when the merge happened (the merge raised the generation by one) and of `siteId`.
 */
export async function findSurvivorOfMerged(
  db: Queryable,
  known: { id: string; tokenGeneration: number },
  siteId: string,
): Promise<{ id: string; tokenGeneration: number } | undefined> {
  const row = await db
    .selectFrom('visitors as m')
    .innerJoin('visitors as s', 's.id', 'm.merged_into')
    .select(['s.id', 's.token_generation'])
    .where('m.id', '=', known.id)
    .where('m.site_id', '=', siteId)
    .where('m.token_generation', '=', known.tokenGeneration + 1)
    .where('s.merged_into', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, tokenGeneration: row.token_generation };
}
