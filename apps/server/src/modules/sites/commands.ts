/** Writes of sites. */
import { randomBytes } from 'node:crypto';
import type { SiteSettings } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { SiteRow } from '../../db/schema.js';

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
