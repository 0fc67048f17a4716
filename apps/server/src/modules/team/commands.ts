/**
 * Writes of the team, each a named command with its refusals: inviting
 * (`invitationCreator`, `invitationResender`, `invitationRevoker`), using a
 * one-time link (`teamLinkAccepter`), and changing members
 * (`memberRoleChanger`, `memberDeactivator`, `memberReactivator`,
 * `memberSitesSetter`, `passwordResetIssuer`). Who may do what is checked by
 * the policy module (`authorizeOnMember`); each command checks the rest
 * (last owner, duplicate emails, dead links) in its transaction, so a refusal
 * writes nothing. Events are announced after the commit.
 */
import type { InvitationDTO, InviteRequest, OperatorRole, TeamMemberDTO } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable, Tx } from '../../db/database.js';
import type { OperatorRow, TeamLinkRow } from '../../db/schema.js';
import { enqueue } from '../../outbox/enqueue.js';
import type { DomainContext } from '../context.js';
import { conflict, DomainError, isUniqueViolation, notFound } from '../errors.js';
import { publishPresenceOfOperator } from '../operators/commands.js';
import { hashPassword } from '../operators/passwords.js';
import { publishSitePresence } from '../operators/presence.js';
import { findOperatorByEmail } from '../operators/queries.js';
import {
  announceSessionsEnded,
  createSession,
  type NewSession,
  otherSessionsDeleter,
} from '../operators/sessions.js';
import { authorizeInstallation, authorizeOnMember, authorizeOnSite } from '../policy/access.js';
import type { OperatorActor } from '../policy/actors.js';
import { operatorConversationsReleaser } from '../routing/release.js';
import {
  findLinkByToken,
  forgetDelivery,
  linkRenewer,
  linkRevoker,
  linkState,
  linkUrl,
  linkWriter,
} from './links.js';
import { presentInvitation, presentMember } from './presenter.js';
import { findInvitation, findTeamMember, listInvitations } from './queries.js';

/** Serialises every change that could leave the team without an active owner. */
const OWNERS_LOCK = 7_220_111;

const alreadyOnTeam = () => conflict('Someone with this email is already on the team');

/**
 * The sites an operator may hand out: their own (404 for any other, as for a missing one). The role
 * is asked first: someone who may not manage the team is told so, not that a site is missing.
 */
function checkGrantableSites(actor: OperatorActor, siteIds: readonly string[]): void {
  authorizeInstallation(actor, 'team.manage');
  for (const siteId of siteIds) authorizeOnSite(actor, 'team.manage', siteId);
}

async function queueDelivery(tx: Tx, row: TeamLinkRow, token: string, baseUrl: string): Promise<void> {
  await enqueue(tx, {
    topic: 'team.link',
    payload: { linkId: row.id, kind: row.kind, email: row.email, url: linkUrl(baseUrl, row.kind, token) },
  });
}

async function invitationDto(db: Queryable, linkId: string): Promise<InvitationDTO> {
  const [row] = await listInvitations(db, linkId);
  if (!row) throw notFound('Invitation');
  return presentInvitation(row);
}

async function memberDto(db: Queryable, operatorId: string): Promise<TeamMemberDTO> {
  const row = await findTeamMember(db, operatorId);
  if (!row) throw notFound('Member');
  return presentMember(row);
}

/**
 * Invites a colleague: a one-time link for `email` with `role`, valid a
 * week, delivered through the outbox (`team.link`). Refused: a role the
 * inviter may not give (403), a site not theirs (404), an email already on
 * the team or already invited (409).
 */
export async function invitationCreator(
  ctx: DomainContext,
  actor: OperatorActor,
  request: InviteRequest,
  baseUrl: string,
): Promise<InvitationDTO> {
  authorizeOnMember(actor, request.role);
  checkGrantableSites(actor, request.siteIds);
  if (await findOperatorByEmail(ctx.db, request.email)) throw alreadyOnTeam();
  try {
    const linkId = await ctx.db.transaction().execute(async (tx) => {
      // An expired invitation to the same address gives way to the new one.
      await tx
        .updateTable('team_links')
        .set({ revoked_at: new Date() })
        .where('kind', '=', 'invitation')
        .where(sql<string>`lower(email)`, '=', request.email.toLowerCase())
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '<=', new Date())
        .execute();
      const { row, token } = await linkWriter(tx, {
        kind: 'invitation',
        email: request.email,
        role: request.role,
        siteIds: request.siteIds,
        createdBy: actor.operatorId,
      });
      await queueDelivery(tx, row, token, baseUrl);
      return row.id;
    });
    return invitationDto(ctx.db, linkId);
  } catch (error) {
    if (isUniqueViolation(error, 'team_links_one_invitation_per_email'))
      throw conflict('This email is already invited: re-send or revoke that invitation');
    throw error;
  }
}

/** Loads an invitation the actor may act on, locked, refusing one already used. */
async function lockInvitation(tx: Tx, actor: OperatorActor, linkId: string): Promise<TeamLinkRow> {
  const link = await findInvitation(tx, linkId, { lock: true });
  if (!link) throw notFound('Invitation');
  authorizeOnMember(actor, link.role ?? 'operator');
  if (link.used_at) throw conflict('This invitation has been accepted already');
  return link;
}

/** A fresh link and a fresh week for a pending (or expired) invitation; the old link stops working. */
export async function invitationResender(
  ctx: DomainContext,
  actor: OperatorActor,
  linkId: string,
  baseUrl: string,
): Promise<InvitationDTO> {
  await ctx.db.transaction().execute(async (tx) => {
    const link = await lockInvitation(tx, actor, linkId);
    if (link.revoked_at) throw conflict('This invitation was revoked: invite again instead');
    if (await findOperatorByEmail(tx, link.email)) throw alreadyOnTeam();
    const renewed = await linkRenewer(tx, link.id);
    if (renewed) await queueDelivery(tx, renewed.row, renewed.token, baseUrl);
  });
  return invitationDto(ctx.db, linkId);
}

/** Revokes a pending invitation: its link stops working at once. Revoking twice is no error. */
export async function invitationRevoker(
  ctx: DomainContext,
  actor: OperatorActor,
  linkId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const link = await lockInvitation(tx, actor, linkId);
    await linkRevoker(tx, link.id);
  });
}

/** Writes a password-reset link for an active operator, replacing any earlier one; the token is returned, not stored. */
export async function resetLinkWriter(
  tx: Tx,
  target: OperatorRow,
  createdBy: string | null,
): Promise<{ row: TeamLinkRow; token: string }> {
  if (target.deactivated_at) throw conflict('This member is deactivated: reactivate them first');
  await revokeLiveResets(tx, target.id);
  return linkWriter(tx, { kind: 'password_reset', email: target.email, operatorId: target.id, createdBy });
}

async function revokeLiveResets(tx: Tx, operatorId: string): Promise<void> {
  const live = await tx
    .selectFrom('team_links')
    .select('id')
    .where('kind', '=', 'password_reset')
    .where('operator_id', '=', operatorId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  for (const { id } of live) await linkRevoker(tx, id);
}

async function lockMember(tx: Tx, operatorId: string): Promise<OperatorRow> {
  const target = await tx
    .selectFrom('operators')
    .selectAll()
    .where('id', '=', operatorId)
    .forUpdate()
    .executeTakeFirst();
  if (!target) throw notFound('Member');
  return target;
}

/** An owner or admin has a new one-time password link made for a member (delivered like an invitation). */
export async function passwordResetIssuer(
  ctx: DomainContext,
  actor: OperatorActor,
  operatorId: string,
  baseUrl: string,
): Promise<TeamMemberDTO> {
  await ctx.db.transaction().execute(async (tx) => {
    const target = await lockMember(tx, operatorId);
    authorizeOnMember(actor, target.role);
    const { row, token } = await resetLinkWriter(tx, target, actor.operatorId);
    await queueDelivery(tx, row, token, baseUrl);
  });
  return memberDto(ctx.db, operatorId);
}

const DEAD_LINK: Record<Exclude<ReturnType<typeof linkState>, 'valid'>, string> = {
  expired: 'This link has expired: ask for a new one',
  used: 'This link has been used already: log in, or ask for a new one',
  revoked: 'This link was revoked: ask for a new one',
};

/** Throws unless the link exists (404) and can still be used (409, saying why). */
function checkUsable(link: TeamLinkRow | undefined): asserts link is TeamLinkRow {
  if (!link) throw new DomainError('not_found', 'This link is not valid: check that it was copied whole');
  const state = linkState(link);
  if (state !== 'valid') throw conflict(DEAD_LINK[state]);
}

export interface AcceptedLink {
  operator: OperatorRow;
  session: NewSession;
}

/**
 * Uses a one-time link: an invitation creates the member (name, password,
 * role, sites); a reset sets the password and ends the member's other
 * sessions. Either way the person is logged in. A link unknown (404),
 * expired, used or revoked (409) writes nothing.
 */
export async function teamLinkAccepter(
  ctx: DomainContext,
  request: { token: string; displayName?: string; password: string },
  details: { userAgent?: string | null },
): Promise<AcceptedLink> {
  // A cheap look first: a dead or made-up token costs no password hashing. The transaction checks again under lock.
  const peek = await findLinkByToken(ctx.db, request.token);
  checkUsable(peek);
  const passwordHash = await hashPassword(request.password);
  let endedSessions: string[] = [];
  const accepted = await ctx.db.transaction().execute(async (tx) => {
    const link = await findLinkByToken(tx, request.token, { lock: true });
    checkUsable(link);
    let operator: OperatorRow;
    if (link.kind === 'invitation') {
      if (!request.displayName) throw new DomainError('bad_request', 'Enter your name');
      if (await findOperatorByEmail(tx, link.email)) throw alreadyOnTeam();
      operator = await tx
        .insertInto('operators')
        .values({
          email: link.email,
          password_hash: passwordHash,
          display_name: request.displayName,
          avatar_url: null,
          role: link.role ?? 'operator',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (link.site_ids.length > 0)
        await sql`INSERT INTO site_operators (site_id, operator_id)
          SELECT id, ${operator.id} FROM sites WHERE id = ANY(${link.site_ids}::uuid[])
          ON CONFLICT DO NOTHING`.execute(tx);
    } else {
      const target = await lockMember(tx, link.operator_id ?? '');
      if (target.deactivated_at)
        throw conflict('This account is deactivated; ask an owner or admin of your team');
      operator = await tx
        .updateTable('operators')
        .set({ password_hash: passwordHash })
        .where('id', '=', target.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      endedSessions = await otherSessionsDeleter(tx, operator.id, null);
    }
    await tx.updateTable('team_links').set({ used_at: new Date() }).where('id', '=', link.id).execute();
    await forgetDelivery(tx, link.id);
    const session = await createSession(tx, operator.id, undefined, details);
    return { operator, session, kind: link.kind };
  });
  if (accepted.kind === 'password_reset')
    await announceSessionsEnded(ctx, accepted.operator.id, endedSessions);
  else await publishPresenceOfOperator(ctx, accepted.operator.id);
  return { operator: accepted.operator, session: accepted.session };
}

/** Has every node reconnect the operator's consoles, so their sockets see the new role and sites. */
async function announceAccessChanged(ctx: DomainContext, operatorId: string): Promise<void> {
  await ctx.bus.publish({ type: 'operator.access.changed', operatorId });
}

/** Refuses a change that would leave no active owner (under OWNERS_LOCK, so two changes cannot both pass). */
async function ensureAnotherActiveOwner(tx: Tx, operatorId: string): Promise<void> {
  const other = await tx
    .selectFrom('operators')
    .select('id')
    .where('role', '=', 'owner')
    .where('deactivated_at', 'is', null)
    .where('id', '<>', operatorId)
    .limit(1)
    .executeTakeFirst();
  if (!other) throw conflict('The team needs at least one active owner: make someone else owner first');
}

const lockOwners = (tx: Tx) => sql`SELECT pg_advisory_xact_lock(${OWNERS_LOCK})`.execute(tx);

/** Changes a member's role. Admins never touch owners nor make one; the last active owner stays owner. */
export async function memberRoleChanger(
  ctx: DomainContext,
  actor: OperatorActor,
  operatorId: string,
  role: OperatorRole,
): Promise<TeamMemberDTO> {
  const changed = await ctx.db.transaction().execute(async (tx) => {
    await lockOwners(tx);
    const target = await lockMember(tx, operatorId);
    authorizeOnMember(actor, target.role, role);
    if (target.role === role) return false;
    if (target.role === 'owner') await ensureAnotherActiveOwner(tx, target.id);
    await tx.updateTable('operators').set({ role }).where('id', '=', target.id).execute();
    return true;
  });
  if (changed) await announceAccessChanged(ctx, operatorId);
  return memberDto(ctx.db, operatorId);
}

/**
 * Deactivates a member: they cannot log in, every session of theirs ends on
 * every node at once, their open conversations go back to the queue (the
 * operators of those sites see it live), and their messages keep their name
 * (the row stays). Not oneself, nor the last active owner.
 */
export async function memberDeactivator(
  ctx: DomainContext,
  actor: OperatorActor,
  operatorId: string,
): Promise<TeamMemberDTO> {
  if (operatorId === actor.operatorId) throw conflict('You cannot deactivate yourself');
  const deactivated = await ctx.db.transaction().execute(async (tx) => {
    await lockOwners(tx);
    const target = await lockMember(tx, operatorId);
    authorizeOnMember(actor, target.role);
    if (target.deactivated_at) return false;
    if (target.role === 'owner') await ensureAnotherActiveOwner(tx, target.id);
    await tx
      .updateTable('operators')
      .set({ deactivated_at: new Date(), status: 'offline' })
      .where('id', '=', target.id)
      .execute();
    await otherSessionsDeleter(tx, target.id, null);
    await revokeLiveResets(tx, target.id);
    return true;
  });
  if (deactivated) {
    await announceSessionsEnded(ctx, operatorId, null);
    // Routing's rule for taking someone out: their chats go back to the queue and on to whoever has room.
    await operatorConversationsReleaser(ctx, operatorId);
    await publishPresenceOfOperator(ctx, operatorId);
  }
  return memberDto(ctx.db, operatorId);
}

/** Lets a deactivated member log in again (with their old password, or a reset link). */
export async function memberReactivator(
  ctx: DomainContext,
  actor: OperatorActor,
  operatorId: string,
): Promise<TeamMemberDTO> {
  await ctx.db.transaction().execute(async (tx) => {
    const target = await lockMember(tx, operatorId);
    authorizeOnMember(actor, target.role);
    await tx.updateTable('operators').set({ deactivated_at: null }).where('id', '=', target.id).execute();
  });
  await publishPresenceOfOperator(ctx, operatorId);
  return memberDto(ctx.db, operatorId);
}

/**
 * Sets which of the actor's sites a member works on: grants on the listed
 * ones, none on the actor's others; grants on sites the actor does not work
 * on stay as they are.
 */
export async function memberSitesSetter(
  ctx: DomainContext,
  actor: OperatorActor,
  operatorId: string,
  siteIds: string[],
): Promise<TeamMemberDTO> {
  checkGrantableSites(actor, siteIds);
  const before = await ctx.db.transaction().execute(async (tx) => {
    const target = await lockMember(tx, operatorId);
    authorizeOnMember(actor, target.role);
    const current = await tx
      .selectFrom('site_operators')
      .select('site_id')
      .where('operator_id', '=', target.id)
      .execute();
    const removable = actor.siteIds.filter((id) => !siteIds.includes(id));
    if (removable.length > 0)
      await tx
        .deleteFrom('site_operators')
        .where('operator_id', '=', target.id)
        .where('site_id', 'in', removable)
        .execute();
    if (siteIds.length > 0)
      await tx
        .insertInto('site_operators')
        .values(siteIds.map((siteId) => ({ site_id: siteId, operator_id: target.id })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    return current.map((r) => r.site_id);
  });
  // Open consoles reconnect: a socket keeps the sites (and rooms) it was authenticated with.
  await announceAccessChanged(ctx, operatorId);
  // Presence lists of the sites gained and lost change.
  const touched = new Set([...before, ...siteIds]);
  await Promise.all([...touched].map((siteId) => publishSitePresence(ctx, siteId)));
  return memberDto(ctx.db, operatorId);
}
