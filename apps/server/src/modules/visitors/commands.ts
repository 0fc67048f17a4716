/**
 * Writes of visitors: arriving (new or returning), moving between pages,
 * leaving contacts. Page addresses are kept without the secrets they may
 * carry (see page-address.ts).
 */
import Bowser from 'bowser';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { withoutSecrets } from './page-address.js';
import { presentVisitor } from './presenter.js';
import { findSurvivorOfMerged } from './queries.js';

export interface VisitorArrival {
  siteId: string;
  /** The visitor a valid token names, when the browser has one, and the token's generation. */
  knownVisitor: { id: string; tokenGeneration: number } | null;
  /** Called before a new visitor is created; throws to refuse one (the caller's budgets). */
  admitNew?: () => Promise<void>;
  userAgent: string | null;
  language: string | null;
  page: { url: string; title: string | null } | null;
  referrer: string | null;
  /** Country from the IP address, when known. */
  country: string | null;
}

/**
 * Finds the returning visitor or creates a new one, and records what this
 * visit tells about them (page, browser, language). A token of another site,
 * of a deleted visitor, or revoked (an older generation), starts a new
 * visitor rather than failing.
 */
export async function visitorArrivalRecorder(
  db: Queryable,
  arrival: VisitorArrival,
): Promise<{ visitor: VisitorRow; isNew: boolean }> {
  const device = arrival.userAgent ? describeDevice(arrival.userAgent) : { browser: null, os: null };
  // The database's clock, as `first_seen_at`'s default is: a new visitor's first and last sighting are
  // then the same instant, never "last seen" before "first seen" (the node's clock was read before the
  // budget check and the insert's transaction, and may differ from the database's).
  const seen = {
    last_seen_at: sql<Date>`now()`,
    user_agent: arrival.userAgent,
    browser: device.browser,
    os: device.os,
    ...(arrival.country && { country: arrival.country }),
    ...(arrival.language && { language: arrival.language }),
    ...(arrival.page && { current_url: withoutSecrets(arrival.page.url), current_title: arrival.page.title }),
  };
  if (arrival.knownVisitor) {
    const known = arrival.knownVisitor;
    const update = (who: { id: string; tokenGeneration: number }) =>
      db
        .updateTable('visitors')
        .set(seen)
        .where('id', '=', who.id)
        .where('site_id', '=', arrival.siteId)
        .where('token_generation', '=', who.tokenGeneration)
        .where('merged_into', 'is', null)
        .returningAll()
        .executeTakeFirst();
    const visitor = await update(known);
    if (visitor) return { visitor, isNew: false };
    // A profile merged into a known user (identify): its token continues as the user.
    const survivor = await findSurvivorOfMerged(db, known, arrival.siteId);
    const merged = survivor && (await update(survivor));
    if (merged) return { visitor: merged, isNew: false };
  }
  await arrival.admitNew?.();
  const visitor = await db
    .insertInto('visitors')
    .values({
      site_id: arrival.siteId,
      referrer: arrival.referrer && withoutSecrets(arrival.referrer),
      ...seen,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { visitor, isNew: true };
}

/** The visitor moved to another page: operators watching the card see it at once. */
export async function visitorPageRecorder(
  ctx: DomainContext,
  visitorId: string,
  page: { url: string; title: string | null },
): Promise<void> {
  const visitor = await ctx.db
    .updateTable('visitors')
    .set({ current_url: withoutSecrets(page.url), current_title: page.title, last_seen_at: sql<Date>`now()` })
    .where('id', '=', visitorId)
    .returningAll()
    .executeTakeFirst();
  if (visitor) {
    await ctx.bus.publish({
      type: 'visitor.updated',
      siteId: visitor.site_id,
      visitorId,
      visitor: presentVisitor(visitor),
    });
  }
}

/** Browser and system named from a user agent, for people to recognise. */
export function describeDevice(userAgent: string): { browser: string | null; os: string | null } {
  try {
    const parsed = Bowser.parse(userAgent);
    const browser = [parsed.browser.name, parsed.browser.version?.split('.')[0]].filter(Boolean).join(' ');
    const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
    return { browser: browser || null, os: os || null };
  } catch {
    return { browser: null, os: null };
  }
}
