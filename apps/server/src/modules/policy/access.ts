/**
 * The one place that decides whether an operator or a visitor may act on a
 * site, a conversation or a visitor. HTTP routes and socket frames both call
 * these instead of checking inline.
 *
 * Refusals, chosen so that nothing reveals what exists on another site:
 *  - 404 "not found" when the thing is on a site the operator does not work
 *    on, or is another visitor's conversation: the same answer as for an id
 *    that does not exist, so ids cannot be probed across sites.
 *  - 403 "forbidden" when the operator works on the site but their role may
 *    not do this (they can see the thing already; saying no is honest).
 * Unauthenticated callers never get here: authentication answers 401 first.
 */
import type { OperatorRole } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { VisitorRow } from '../../db/schema.js';
import type { ConversationWithVisitor } from '../conversations/presenter.js';
import { findConversation } from '../conversations/queries.js';
import { forbidden, notFound } from '../errors.js';
import { findVisitor } from '../visitors/queries.js';
import type { OperatorActor, VisitorActor } from './actors.js';
import { mayManageRole, OPERATOR_RULES, type OperatorAction, roleMay } from './rules.js';

/**
 * Throws unless the operator may do `action` on `siteId`: 404 (as `what`)
 * when the site is not theirs, 403 when their role may not.
 */
export function authorizeOnSite(
  actor: OperatorActor,
  action: OperatorAction,
  siteId: string,
  what = 'Site',
): void {
  if (!actor.siteIds.includes(siteId)) throw notFound(what);
  if (!roleMay(actor.role, action)) throw forbidden(OPERATOR_RULES[action].refusal);
}

/** Throws 403 unless the operator's role may do an installation-wide `action` (one that names no site). */
export function authorizeInstallation(actor: OperatorActor, action: OperatorAction): void {
  if (!roleMay(actor.role, action)) throw forbidden(OPERATOR_RULES[action].refusal);
}

/**
 * Throws 403 unless the operator may manage a member of `targetRole` (and,
 * when given, make them `newRole`): an admin never touches an owner.
 */
export function authorizeOnMember(
  actor: OperatorActor,
  targetRole: OperatorRole,
  newRole?: OperatorRole,
): void {
  authorizeInstallation(actor, 'team.manage');
  if (!mayManageRole(actor.role, targetRole) || (newRole && !mayManageRole(actor.role, newRole)))
    throw forbidden('Only owners manage owners');
}

/**
 * The sites a list for `action` covers: the one asked for (refused like
 * `authorizeOnSite` when not theirs), else every site the operator may do it on.
 */
export function sitesInScope(actor: OperatorActor, action: OperatorAction, requested?: string): string[] {
  if (requested) {
    authorizeOnSite(actor, action, requested);
    return [requested];
  }
  return roleMay(actor.role, action) ? [...actor.siteIds] : [];
}

/**
 * Loads a conversation the operator may do `action` on: one on their sites,
 * with a role that allows it.
 */
export async function loadConversationForOperator(
  db: Queryable,
  actor: OperatorActor,
  action: OperatorAction,
  conversationId: string,
): Promise<ConversationWithVisitor> {
  const conversation = await findConversation(db, conversationId);
  if (!conversation) throw notFound('Conversation');
  authorizeOnSite(actor, action, conversation.site_id, 'Conversation');
  return conversation;
}

/** Loads one of the visitor's own conversations; another visitor's is "not found", like a missing one. */
export async function loadOwnConversation(
  db: Queryable,
  actor: VisitorActor,
  conversationId: string,
): Promise<ConversationWithVisitor> {
  const conversation = await findConversation(db, conversationId);
  if (!conversation || conversation.visitor_id !== actor.visitorId) throw notFound('Conversation');
  return conversation;
}

/** Loads a visitor an operator may see: one of their sites' visitors. */
export async function loadVisitorFor(
  db: Queryable,
  actor: OperatorActor,
  visitorId: string,
): Promise<VisitorRow> {
  const visitor = await findVisitor(db, visitorId);
  if (!visitor) throw notFound('Visitor');
  authorizeOnSite(actor, 'visitor.view', visitor.site_id, 'Visitor');
  return visitor;
}
