/** Writes of sites. */
import { randomBytes } from 'node:crypto';
import type { SiteSettings, UpdateSiteRequest } from '@parley/protocol';
import type { Db, Queryable } from '../../db/database.js';
import type { SiteRow } from '../../db/schema.js';
import { readSiteSettings } from './presenter.js';

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
      public_key: props.publicKey ?? `pk_${randomBytes(12).toString('base64url')}`,
      allowed_origins: props.allowedOrigins,
      settings: JSON.stringify(props.settings ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
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
 * admins saving at once do not undo each other.
 */
export async function siteUpdater(
  db: Db,
  siteId: string,
  changes: SiteChanges,
): Promise<SiteRow | undefined> {
  return db.transaction().execute(async (tx) => {
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
}
