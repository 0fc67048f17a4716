/** Reads of visitors. */
import type { Queryable } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';

export async function findVisitor(db: Queryable, visitorId: string): Promise<VisitorRow | undefined> {
  return db.selectFrom('visitors').selectAll().where('id', '=', visitorId).executeTakeFirst();
}
