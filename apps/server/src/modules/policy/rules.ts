/**
 * What each operator role may do: one line per action, the roles allowed and
 * the sentence a refused operator reads. Adding a rule is adding a line;
 * adding a role (the team issue) is adding it to the lines it may do. The
 * permission test (`permissions.test.ts`) reads this table, so every role is
 * tried against every route and frame the rule guards.
 *
 * Site membership is not a role: every action here is also limited to the
 * sites the operator works on (see `access.ts`) — owners and admins work on
 * every site, an operator on the sites granted to them (`site_operators`) —
 * except the few of `scope: 'installation'`, which name no site.
 */
import { MANAGEABLE_ROLES, type OperatorRole } from '@parley/protocol';

interface Rule {
  roles: readonly OperatorRole[];
  /** What a refused operator is told (a 403: they already know the thing exists). */
  refusal: string;
  /**
   * `installation`: not about one site (creating a site), so there is no site to be outside of:
   * the role alone decides (`authorizeInstallation`). Otherwise the action is on one site.
   */
  scope?: 'installation';
}

export const OPERATOR_RULES = {
  'site.view': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not see this site' },
  'site.configure': { roles: ['owner', 'admin'], refusal: 'Only owners and admins change site settings' },
  'site.create': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins add sites',
    scope: 'installation',
  },
  'site.delete': { roles: ['owner', 'admin'], refusal: 'Only owners and admins delete sites' },
  'presence.view': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not see who is online here' },
  'conversation.view': {
    roles: ['owner', 'admin', 'operator'],
    refusal: 'You may not read this conversation',
  },
  'conversation.reply': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not reply here' },
  'conversation.close': {
    roles: ['owner', 'admin', 'operator'],
    refusal: 'You may not close or reopen this conversation',
  },
  'conversation.transfer': {
    roles: ['owner', 'admin', 'operator'],
    refusal: 'You may not hand this conversation on',
  },
  'visitor.view': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not see this visitor' },
  // "Visitors now" (issue 12): any operator of the site may invite someone on it to chat.
  'chat.start': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not start chats here' },
  // The dossier (issue 12): whoever answers a visitor may correct their card; a site's segments are
  // read by everyone on it and written by owners and admins.
  'visitor.edit': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not change this visitor' },
  'segment.manage': {
    roles: ['owner', 'admin'],
    refusal: "Only owners and admins change the site's segments",
  },
  // The team: installation-wide (not per site), except granting a site, which needs that site too.
  // Which members and roles an admin may touch is `mayManageRole` below.
  // Email out: how many emails wait, and whether SMTP is configured (issue 13).
  'mail.status': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins see the email queue',
    scope: 'installation',
  },
  'team.view': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins see the team',
    scope: 'installation',
  },
  'team.manage': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins manage the team',
    scope: 'installation',
  },
  // Canned replies (issue 11): everyone uses the site's shared ones and keeps their own; owners and admins
  // write the shared set.
  'canned.use': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not use canned replies here' },
  'canned.manageShared': {
    roles: ['owner', 'admin'],
    refusal: "Only owners and admins change the site's shared canned replies",
  },
  // Tags (issue 11): created on the fly while answering; the site's list is tidied by owners and admins.
  'tag.create': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not create tags here' },
  'tag.manage': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins rename, recolour or delete tags',
  },
  'conversation.tag': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not tag this conversation' },
} as const satisfies Record<string, Rule>;

export type OperatorAction = keyof typeof OPERATOR_RULES;

/** Whether `action` is about the whole installation rather than one site. */
export const isInstallationAction = (action: OperatorAction): boolean =>
  (OPERATOR_RULES[action] as Rule).scope === 'installation';

/**
 * Whether an operator of role `actor` may invite, change, deactivate or reset
 * someone of role `target` (and give that role): owners anyone, admins admins
 * and operators (never an owner, nor make one), operators nobody.
 */
export function mayManageRole(actor: OperatorRole, target: OperatorRole): boolean {
  return MANAGEABLE_ROLES[actor].includes(target);
}

/** Whether `role` may do `action` at all (site membership aside). */
export function roleMay(role: OperatorRole, action: OperatorAction): boolean {
  return (OPERATOR_RULES[action].roles as readonly OperatorRole[]).includes(role);
}
