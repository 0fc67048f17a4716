/** Reads of operators. */
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';
import { worksOnSite } from '../sites/queries.js';

export async function findOperatorByEmail(db: Queryable, email: string): Promise<OperatorRow | undefined> {
  return db
    .selectFrom('operators')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function findOperatorById(db: Queryable, id: string): Promise<OperatorRow | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SiteOperatorRow extends OperatorRow {
  open_conversations: number;
}

/** The operators who work on a site (see `worksOnSite`) with the number of open conversations assigned to each. */
export async function listOperatorsOfSite(db: Queryable, siteId: string): Promise<SiteOperatorRow[]> {
  return db
    .selectFrom('operators')
    .selectAll('operators')
    .select((eb) =>
      eb
        .selectFrom('conversations')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('conversations.assignee_id', '=', 'operators.id')
        .where('conversations.site_id', '=', siteId)
        .where('conversations.status', '=', 'open')
        .as('open_conversations'),
    )
    .where(worksOnSite(siteId))
    .where('operators.deactivated_at', 'is', null)
    .orderBy('operators.display_name')
    .execute() as Promise<SiteOperatorRow[]>;
}
