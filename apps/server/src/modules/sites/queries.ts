/** Reads of sites and of who may work on them. */
import type { Queryable } from '../../db/database.js';
import type { SiteRow } from '../../db/schema.js';

export async function findSiteByPublicKey(db: Queryable, publicKey: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
}

export async function findSiteById(db: Queryable, siteId: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
}

export async function listSitesOfOperator(db: Queryable, operatorId: string): Promise<SiteRow[]> {
  return db
    .selectFrom('sites')
    .innerJoin('site_operators', 'site_operators.site_id', 'sites.id')
    .selectAll('sites')
    .where('site_operators.operator_id', '=', operatorId)
    .orderBy('sites.created_at')
    .execute();
}

export async function listSiteIdsOfOperator(db: Queryable, operatorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('site_operators')
    .select('site_id')
    .where('operator_id', '=', operatorId)
    .execute();
  return rows.map((r) => r.site_id);
}
