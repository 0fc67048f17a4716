/**
 * Reads of sites and of who may work on them. The rule of who works where is
 * here, once: owners and admins work on every site; an operator on the sites
 * granted to them in `site_operators`.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { Database, SiteRow } from '../../db/schema.js';

export async function findSiteByPublicKey(db: Queryable, publicKey: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
}

export async function findSiteById(db: Queryable, siteId: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
}

/** Sites `operatorId` works on: all of them for an owner or admin, else those granted. */
function worksOn(operatorId: string) {
  return (eb: ExpressionBuilder<Database, 'sites'>) =>
    eb.or([
      eb.exists(
        eb
          .selectFrom('operators')
          .select('operators.id')
          .where('operators.id', '=', operatorId)
          .where('operators.role', 'in', ['owner', 'admin']),
      ),
      eb.exists(
        eb
          .selectFrom('site_operators')
          .select('site_operators.site_id')
          .whereRef('site_operators.site_id', '=', 'sites.id')
          .where('site_operators.operator_id', '=', operatorId),
      ),
    ]);
}

/**
 * The same rule from the operators' side: `operators` rows of people who work
 * on `siteId` (who counts as available there, who may be assigned).
 */
export function worksOnSite(siteId: string) {
  return (eb: ExpressionBuilder<Database, 'operators'>) =>
    eb.or([
      eb('operators.role', 'in', ['owner', 'admin']),
      eb.exists(
        eb
          .selectFrom('site_operators')
          .select('site_operators.site_id')
          .whereRef('site_operators.operator_id', '=', 'operators.id')
          .where('site_operators.site_id', '=', siteId),
      ),
    ]);
}

/** The sites an operator works on, oldest first. */
export async function listSitesOfOperator(db: Queryable, operatorId: string): Promise<SiteRow[]> {
  return db
    .selectFrom('sites')
    .selectAll()
    .where(worksOn(operatorId))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listSiteIdsOfOperator(db: Queryable, operatorId: string): Promise<string[]> {
  const rows = await db.selectFrom('sites').select('id').where(worksOn(operatorId)).execute();
  return rows.map((r) => r.id);
}
