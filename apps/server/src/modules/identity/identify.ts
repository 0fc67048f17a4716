/**
 * `visitorIdentifier`: what `Parley('identify', …)` does. The refusals come first and write
 * nothing: a userHash that is not the id's under the site's secret (forged, or made for another
 * id), none where the site requires one, and an unsigned call on a profile already signed in.
 *
 * Signed (verified): the browser becomes the site's user `id`.
 *  - The user has a profile already: an anonymous profile in this browser merges into it
 *    (merge.ts); a profile of another signed-in user stays as it was (a shared computer, another
 *    account) and the browser switches to the user's. Either way the answer is the user's token.
 *  - No profile yet: this browser's profile becomes it (or a new one, when the browser has none, or
 *    it is another user's).
 * Unsigned: the fields are stored on this browser's profile marked unverified; nothing merges.
 *
 * Identifies of one user id run one at a time (an advisory lock in the transaction): two tabs or
 * two devices identifying at once converge on one profile. The unique index on verified ids
 * (migration 020) is the last word if anything slipped past.
 */
import type { IdentifyRequest, TrackPropertyValue } from '@parley/protocol';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { SiteRow, VisitorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { findConversation } from '../conversations/queries.js';
import { badRequest, forbidden, isUniqueViolation } from '../errors.js';
import { publishSitePresence } from '../operators/presence.js';
import { routeSiteQuietly } from '../routing/assigner.js';
import { presentConversationWithTags } from '../tags/conversations-with-tags.js';
import { presentVisitor } from '../visitors/presenter.js';
import { findSurvivorOfMerged } from '../visitors/queries.js';
import { type MergeOutcome, visitorMerger } from './merge.js';
import { isValidUserHash } from './user-hash.js';

export interface IdentifyProps extends Omit<IdentifyRequest, 'siteKey' | 'visitorToken'> {
  site: SiteRow;
  /** The profile a valid token of this site names (its generation checked here), or null. */
  known: { id: string; tokenGeneration: number } | null;
  /** Called before a new profile is made; throws to refuse one (the new-visitor budgets). */
  admitNew: () => Promise<void>;
}

export interface IdentifyResult {
  visitor: VisitorRow;
  verified: boolean;
  merged: boolean;
}

const FIELDS = ['name', 'email', 'phone'] as const;

export async function visitorIdentifier(ctx: DomainContext, props: IdentifyProps): Promise<IdentifyResult> {
  const verified = checkSignature(props);
  const hasFields =
    FIELDS.some((f) => props[f] !== undefined) || Object.keys(props.attributes ?? {}).length > 0;
  if (props.id === undefined && !hasFields) throw badRequest('Nothing to identify: send an id or fields');
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await ctx.db.transaction().execute((tx) => identifyIn(tx, props, verified));
      await announce(ctx, props.site.id, outcome);
      return { visitor: outcome.visitor, verified, merged: outcome.merge !== null };
    } catch (error) {
      // Only if two identifies raced past the lock (they cannot, but the index is the guarantee).
      if (attempt === 0 && isUniqueViolation(error, 'visitors_verified_external_id')) continue;
      throw error;
    }
  }
}

/** True for a valid signature; throws for a wrong one, or none where the site requires one. */
function checkSignature(props: IdentifyProps): boolean {
  if (props.userHash !== undefined) {
    if (props.id === undefined || !isValidUserHash(props.id, props.userHash, props.site.identity_secret))
      throw forbidden('userHash is not the signature of this id with the site’s identity secret');
    return true;
  }
  if (props.site.require_identity)
    throw forbidden('This site requires identity verification: send id with its userHash');
  return false;
}

interface Outcome {
  visitor: VisitorRow;
  merge: (MergeOutcome & { from: VisitorRow }) | null;
}

async function identifyIn(tx: Tx, props: IdentifyProps, verified: boolean): Promise<Outcome> {
  const siteId = props.site.id;
  if (verified)
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`identity:${siteId}:${props.id}`}))`.execute(tx);
  const current = await lockCurrent(tx, props);
  const fields = fieldsOf(props);

  if (!verified) {
    if (current?.identity_verified)
      throw forbidden('This visitor was identified with a userHash; identify them with one');
    // Marked unverified even without an id: the card must not show a name the page typed as the site's word.
    const identity = { identity_verified: false, ...(props.id !== undefined && { external_id: props.id }) };
    if (current) return { visitor: await update(tx, current, { ...fields, ...identity }), merge: null };
    await props.admitNew();
    return { visitor: await insert(tx, siteId, { ...fields, ...identity }), merge: null };
  }

  const user = await tx
    .selectFrom('visitors')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('external_id', '=', props.id ?? '')
    .where('identity_verified', '=', true)
    .where('merged_into', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  const anonymous = current && !current.identity_verified ? current : null;
  if (user) {
    if (anonymous && anonymous.id !== user.id) {
      const merge = await visitorMerger(tx, anonymous, user);
      const merged = await tx
        .selectFrom('visitors')
        .selectAll()
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      return { visitor: await update(tx, merged, fields), merge: { ...merge, from: anonymous } };
    }
    return { visitor: await update(tx, user, fields), merge: null };
  }
  const identity = { external_id: props.id, identity_verified: true };
  if (anonymous) return { visitor: await update(tx, anonymous, { ...fields, ...identity }), merge: null };
  await props.admitNew();
  return { visitor: await insert(tx, siteId, { ...fields, ...identity }), merge: null };
}

/** This browser's profile, locked: the token's, or the survivor's when the token's was merged. */
async function lockCurrent(tx: Tx, props: IdentifyProps): Promise<VisitorRow | null> {
  if (!props.known) return null;
  const known = props.known;
  const lock = (who: { id: string; tokenGeneration: number }) =>
    tx
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', who.id)
      .where('site_id', '=', props.site.id)
      .where('token_generation', '=', who.tokenGeneration)
      .where('merged_into', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  const row = await lock(known);
  if (row) return row;
  const survivor = await findSurvivorOfMerged(tx, known, props.site.id);
  return (survivor && (await lock(survivor))) ?? null;
}

type Changes = {
  name?: string;
  email?: string;
  email_source?: 'identify';
  phone?: string;
  attributes?: Record<string, TrackPropertyValue>;
  external_id?: string;
  identity_verified?: boolean;
};

function fieldsOf(props: IdentifyProps): Changes {
  return {
    ...(props.name !== undefined && { name: props.name }),
    ...(props.email !== undefined && { email: props.email, email_source: 'identify' as const }),
    ...(props.phone !== undefined && { phone: props.phone }),
    ...(props.attributes && Object.keys(props.attributes).length > 0 && { attributes: props.attributes }),
  };
}

async function update(tx: Tx, visitor: VisitorRow, changes: Changes): Promise<VisitorRow> {
  const { attributes, ...rest } = changes;
  return tx
    .updateTable('visitors')
    .set({
      ...rest,
      // The site's attributes over what the profile had: keys it no longer sends are kept.
      ...(attributes && { attributes: sql`attributes || ${JSON.stringify(attributes)}::jsonb` as never }),
      last_seen_at: sql<Date>`now()`,
    })
    .where('id', '=', visitor.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function insert(tx: Tx, siteId: string, changes: Changes): Promise<VisitorRow> {
  const { attributes, ...rest } = changes;
  return tx
    .insertInto('visitors')
    .values({ site_id: siteId, ...rest, ...(attributes && { attributes: JSON.stringify(attributes) }) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** After the commit: consoles see the profile change, and the merged profile's sockets close. */
async function announce(ctx: DomainContext, siteId: string, outcome: Outcome): Promise<void> {
  const { visitor, merge } = outcome;
  await ctx.bus.publish({
    type: 'visitor.updated',
    siteId,
    visitorId: visitor.id,
    visitor: presentVisitor(visitor),
  });
  if (!merge) return;
  await ctx.bus.publish({ type: 'visitor.tokens.revoked', visitorId: merge.from.id });
  const changed = new Set(merge.movedConversationIds);
  if (merge.closedConversationId) changed.add(merge.closedConversationId);
  for (const id of changed) {
    const row = await findConversation(ctx.db, id);
    if (!row) continue;
    await ctx.bus.publish({
      type: 'conversation.updated',
      siteId,
      visitorId: row.visitor_id,
      conversation: await presentConversationWithTags(ctx.db, row),
    });
  }
  if (merge.closedConversationId) {
    // A closed chat frees its operator's slot, as any close does.
    await publishSitePresence(ctx, siteId);
    await routeSiteQuietly(ctx, siteId);
  }
}
