/**
 * A site's identity settings: its secret (shown to owners and admins, who give it to the site's
 * server) and whether unsigned identify calls are refused. Rotating the secret invalidates every
 * userHash made with the old one at once; profiles already identified stay as they are.
 */
import type { SiteIdentityDTO } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { SiteRow } from '../../db/schema.js';
import { newIdentitySecret } from './user-hash.js';

export function presentSiteIdentity(
  site: Pick<SiteRow, 'id' | 'identity_secret' | 'require_identity'>,
): SiteIdentityDTO {
  return { siteId: site.id, secret: site.identity_secret, requireVerification: site.require_identity };
}

export async function siteIdentityUpdater(
  db: Queryable,
  siteId: string,
  changes: { requireVerification?: boolean; rotateSecret?: boolean },
): Promise<SiteIdentityDTO | undefined> {
  const row = await db
    .updateTable('sites')
    .set({
      ...(changes.requireVerification !== undefined && { require_identity: changes.requireVerification }),
      ...(changes.rotateSecret && { identity_secret: newIdentitySecret() }),
    })
    .where('id', '=', siteId)
    .returning(['id', 'identity_secret', 'require_identity'])
    .executeTakeFirst();
  return row && presentSiteIdentity(row);
}
