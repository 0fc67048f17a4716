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
import { findSurvivorOfMerged, findVisitorOfNewKey } from './queries.js';

export interface VisitorArrival {
  siteId: string;
  /** The visitor a valid token names, when the browser has one, and the token's generation. */
  knownVisitor: { id: string; tokenGeneration: number } | null;
  /**
   * Without a token: the loader's key for this new visitor. The visitor its tracking made is this one;
   * else the new visitor keeps the key, and the tracker's batches find them (tracking/commands.ts).
   */
  newVisitorKey?: string;
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
  // The token's visitor, or (a merge since) the user they became.
  const resume = async (known: { id: string; tokenGeneration: number }) => {
    const visitor = await update(known);
    if (visitor) return visitor;
    const survivor = await findSurvivorOfMerged(db, known, arrival.siteId);
    return survivor && (await update(survivor));
  };
  // A key's visitor as generation 0, as the tracker takes them: revoked tokens make it a stranger.
  const ofKey = async (key: string) => {
    const made = await findVisitorOfNewKey(db, arrival.siteId, key, new Date());
    return made && (await resume({ id: made.id, tokenGeneration: 0 }));
  };
  const known = arrival.knownVisitor && (await resume(arrival.knownVisitor));
  if (known) return { visitor: known, isNew: false };
  const key = arrival.knownVisitor ? undefined : arrival.newVisitorKey;
  const tracked = key && (await ofKey(key));
  if (tracked) return { visitor: tracked, isNew: false };
  await arrival.admitNew?.();
  const visitor = await db
    .insertInto('visitors')
    .values({
      site_id: arrival.siteId,
      referrer: arrival.referrer && withoutSecrets(arrival.referrer),
      new_visitor_key: key ?? null,
      ...seen,
    })
    // The tracker's first batch made the visitor meanwhile (the insert waited for its commit).
    .onConflict((oc) =>
      oc.columns(['site_id', 'new_visitor_key']).where('new_visitor_key', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (visitor) return { visitor, isNew: true };
  const made = key && (await ofKey(key));
  if (made) return { visitor: made, isNew: false };
  // The key's visitor is past its hour or revoked: a stranger, without the key.
  // (Admitted above already: the budgets are spent once.)
  return visitorArrivalRecorder(db, {
    ...arrival,
    knownVisitor: null,
    newVisitorKey: undefined,
    admitNew: undefined,
  });
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
