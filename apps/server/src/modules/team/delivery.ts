/**
 * The outbox handler of `team.link`: delivers a one-time link to its person.
 * Until Parley sends email (a later issue swaps this handler for one that
 * mails it, by the same topic), delivering means leaving the link where the
 * console shows it to owners and admins, to copy and pass on.
 *
 * Idempotent: the delivery row is keyed by the link, and a payload whose
 * token is no longer the link's (re-sent since) or whose link can no longer
 * be used writes nothing, so a late or repeated attempt never resurrects a
 * dead link in the console.
 */
import type { Db } from '../../db/database.js';
import type { OutboxHandler, TeamLinkDelivery } from '../../outbox/topics.js';
import { linkState, tokenHashOf, tokenOfUrl } from './links.js';

export function teamLinkDeliverer(db: Db): OutboxHandler<TeamLinkDelivery> {
  return ({ payload }) =>
    db.transaction().execute(async (tx) => {
      // FOR SHARE waits for a revoke, use or re-send in flight, which forget the delivery in their transaction.
      const link = await tx
        .selectFrom('team_links')
        .select(['id', 'token_hash', 'used_at', 'revoked_at', 'expires_at'])
        .where('id', '=', payload.linkId)
        .forShare()
        .executeTakeFirst();
      if (!link || link.token_hash !== tokenHashOf(tokenOfUrl(payload.url))) return;
      if (linkState(link) !== 'valid') return;
      await tx
        .insertInto('team_link_deliveries')
        .values({ link_id: link.id, url: payload.url })
        .onConflict((oc) => oc.column('link_id').doUpdateSet({ url: payload.url, delivered_at: new Date() }))
        .execute();
    });
}
