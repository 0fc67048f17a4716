/**
 * Writes of visitors: arriving (new or returning), moving between pages,
 * leaving contacts, an operator's edit of the card. Page addresses are kept without the secrets they may
 * carry (see page-address.ts).
 */
import { DOSSIER_LIMITS, type UpdateVisitorRequest, type VisitorAttributeValue } from '@parley/protocol';
import Bowser from 'bowser';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { withoutSecrets } from './page-address.js';
import { attributesOf, presentVisitor } from './presenter.js';
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

/**
 * An operator's edit of the visitor's card: name, email, phone (null clears), custom attributes
 * merged over the stored ones (null removes one). The row is locked while the merge is checked
 * against `DOSSIER_LIMITS.attributes`, so two edits at once cannot pass it together; a refused edit
 * writes nothing. Operators watching the visitor see the change (`visitor.updated`).
 */
export async function visitorProfileUpdater(
  ctx: DomainContext,
  visitorId: string,
  changes: UpdateVisitorRequest,
): Promise<VisitorRow> {
  const row = await ctx.db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('visitors')
      .select(['attributes'])
      .where('id', '=', visitorId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Visitor');
    let attributes: Record<string, VisitorAttributeValue> | undefined;
    if (changes.attributes) {
      attributes = attributesOf(current.attributes);
      for (const [key, value] of Object.entries(changes.attributes)) {
        if (value === null) delete attributes[key];
        else attributes[key] = value;
      }
      if (Object.keys(attributes).length > DOSSIER_LIMITS.attributes)
        throw badRequest(`A visitor has at most ${DOSSIER_LIMITS.attributes} attributes; remove one first`);
    }
    return tx
      .updateTable('visitors')
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.email !== undefined && {
          email: changes.email,
          email_source: changes.email === null ? null : 'operator',
        }),
        ...(changes.phone !== undefined && { phone: changes.phone }),
        ...(attributes && { attributes: JSON.stringify(attributes) }),
      })
      .where('id', '=', visitorId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  await ctx.bus.publish({
    type: 'visitor.updated',
    siteId: row.site_id,
    visitorId,
    visitor: presentVisitor(row),
  });
  return row;
}
