/** Reads of canned replies. */
import type { Queryable } from '../../db/database.js';
import type { CannedReplyRow } from '../../db/schema.js';

/** A site's shared replies and one operator's own there, by shortcut (a site keeps tens, not thousands). */
export async function listCannedRepliesFor(
  db: Queryable,
  siteId: string,
  operatorId: string,
): Promise<CannedReplyRow[]> {
  return db
    .selectFrom('canned_replies')
    .selectAll()
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', operatorId)]))
    .orderBy('shortcut')
    .orderBy('id')
    .execute();
}

export async function findCannedReply(db: Queryable, id: string): Promise<CannedReplyRow | undefined> {
  return db.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
}
