/**
 * Writes of sites: creating one (with its public key), changing it, deleting
 * it with everything it holds, and granting operators to it.
 */
import { randomBytes } from 'node:crypto';
import type { SiteSettings, UpdateSiteRequest } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { SiteRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { readSiteSettings } from './presenter.js';

/**
 * A site's public key, the snippet's `data-site`: 128 random bits, so nobody
 * guesses another shop's key. The `pk_` prefix keeps it apart from the demo
 * site's fixed `demo`.
 */
export const newSiteKey = () => `pk_${randomBytes(16).toString('base64url')}`;

export interface CreateSiteProps {
  name: string;
  /** Origins (scheme://host[:port]) whose pages may embed the widget. */
  allowedOrigins: string[];
  settings?: Partial<SiteSettings>;
  /** Defaults to a random key; the demo passes a fixed one so the shop's snippet never changes. */
  publicKey?: string;
}

export async function createSite(db: Queryable, props: CreateSiteProps): Promise<SiteRow> {
  return db
    .insertInto('sites')
    .values({
      name: props.name,
      public_key: props.publicKey ?? newSiteKey(),
      allowed_origins: props.allowedOrigins,
      settings: JSON.stringify(props.settings ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * An owner or admin adds a site. It gets a fresh public key; owners and admins
 * work on it at once (their consoles are told, on every node), operators once
 * granted.
 */
export async function siteCreator(
  ctx: DomainContext,
  props: { name: string; allowedOrigins?: string[] },
): Promise<SiteRow> {
  const site = await createSite(ctx.db, {
    name: props.name,
    allowedOrigins: [...new Set(props.allowedOrigins ?? [])],
  });
  await ctx.bus.publish({ type: 'operator.sites.changed', operatorIds: null });
  return site;
}

/** How many rows one statement of `siteDeleter` removes: small enough to stay far inside the statement timeout. */
const DELETE_BATCH = 500;

/**
 * Deletes a site and everything it holds: its visitors, their conversations
 * and every message (a site's data means nothing without it, and keeping it
 * would keep visitors' personal data nobody can reach any more). Conversations
 * and visitors go in batches, each its own short statement, so a large site
 * never runs into the statement timeout nor holds locks for long; the site row
 * goes last, and its cascade takes what arrived meanwhile and the grants.
 * Interrupted halfway, the site is still there with less in it, and deleting
 * it again finishes the job. Afterwards its widgets' sockets are closed and
 * its key stops working (it was the site's), on every node.
 *
 * Returns null when there is no such site.
 */
export async function siteDeleter(
  ctx: DomainContext,
  siteId: string,
): Promise<{ conversations: number; visitors: number } | null> {
  const deleted = { conversations: 0, visitors: 0 };
  for (const [table, key] of [
    ['conversations', 'conversations'],
    ['visitors', 'visitors'],
  ] as const) {
    for (;;) {
      const { numAffectedRows } = await sql`
        DELETE FROM ${sql.table(table)} WHERE id IN (
          SELECT id FROM ${sql.table(table)} WHERE site_id = ${siteId} LIMIT ${DELETE_BATCH}
        )`.execute(ctx.db);
      const n = Number(numAffectedRows ?? 0);
      deleted[key] += n;
      if (n < DELETE_BATCH) break;
    }
  }
  const site = await ctx.db.deleteFrom('sites').where('id', '=', siteId).returning('id').executeTakeFirst();
  if (!site) return null;
  await ctx.bus.publish({ type: 'site.deleted', siteId });
  await ctx.bus.publish({ type: 'operator.sites.changed', operatorIds: null });
  return deleted;
}

/**
 * Sets the sites an operator (the role) works on: grants the ones named,
 * takes back the others, in one transaction, and tells that operator's
 * consoles on every node, which move rooms and narrow or widen what their
 * frames may touch at once. Owners and admins work on every site whatever
 * their grants. Ids of sites that do not exist are ignored.
 */
export async function operatorSitesSetter(
  ctx: DomainContext,
  operatorId: string,
  siteIds: readonly string[],
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    let revoke = tx.deleteFrom('site_operators').where('operator_id', '=', operatorId);
    if (siteIds.length > 0) revoke = revoke.where('site_id', 'not in', [...siteIds]);
    await revoke.execute();
    if (siteIds.length === 0) return;
    await sql`
      INSERT INTO site_operators (site_id, operator_id)
      SELECT id, ${operatorId}::uuid FROM sites WHERE id = ANY(${[...siteIds]}::uuid[])
      ON CONFLICT DO NOTHING`.execute(tx);
  });
  await ctx.bus.publish({ type: 'operator.sites.changed', operatorIds: [operatorId] });
}

export async function addOperatorToSite(db: Queryable, siteId: string, operatorId: string): Promise<void> {
  await db
    .insertInto('site_operators')
    .values({ site_id: siteId, operator_id: operatorId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export interface SiteChanges {
  name?: string;
  allowedOrigins?: string[];
  settings?: UpdateSiteRequest['settings'];
}

/**
 * Applies changes to a site. Settings merge over the stored ones (a greeting
 * for one language leaves the others as they were), under the row lock so two
 * admins saving at once do not undo each other. Open consoles are told (a new
 * name shows in every switcher).
 */
export async function siteUpdater(
  ctx: Pick<DomainContext, 'db' | 'bus'>,
  siteId: string,
  changes: SiteChanges,
): Promise<SiteRow | undefined> {
  const updated = await ctx.db.transaction().execute(async (tx) => {
    const site = await tx
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', siteId)
      .forUpdate()
      .executeTakeFirst();
    if (!site) return undefined;
    const current = readSiteSettings(site.settings);
    const settings: SiteSettings = {
      ...current,
      ...changes.settings,
      greeting: { ...current.greeting, ...changes.settings?.greeting },
      files: { ...current.files, ...changes.settings?.files },
      email: { ...current.email, ...changes.settings?.email },
    };
    return tx
      .updateTable('sites')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.allowedOrigins !== undefined && {
          allowed_origins: [...new Set(changes.allowedOrigins)],
        }),
        settings: JSON.stringify(settings),
      })
      .where('id', '=', siteId)
      .returningAll()
      .executeTakeFirst();
  });
  if (updated) await ctx.bus.publish({ type: 'operator.sites.changed', operatorIds: null });
  return updated;
}
