/**
 * What each operator role may do: one line per action, the roles allowed and
 * the sentence a refused operator reads. Adding a rule is adding a line;
 * adding a role (the team issue) is adding it to the lines it may do. The
 * permission test (`permissions.test.ts`) reads this table, so every role is
 * tried against every route and frame the rule guards.
 *
 * Site membership is not a role: every action here is also limited to the
 * sites the operator works on (see `access.ts`).
 */
import type { OperatorRole } from '@parley/protocol';

interface Rule {
  roles: readonly OperatorRole[];
  /** What a refused operator is told (a 403: they already know the thing exists). */
  refusal: string;
}

export const OPERATOR_RULES = {
  'site.view': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not see this site' },
  'site.configure': { roles: ['owner', 'admin'], refusal: 'Only owners and admins change site settings' },
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
  'visitor.view': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not see this visitor' },
  // Tags (issue 11): created on the fly while answering; the site's list is tidied by owners and admins.
  'tag.create': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not create tags here' },
  'tag.manage': {
    roles: ['owner', 'admin'],
    refusal: 'Only owners and admins rename, recolour or delete tags',
  },
  'conversation.tag': { roles: ['owner', 'admin', 'operator'], refusal: 'You may not tag this conversation' },
} as const satisfies Record<string, Rule>;

export type OperatorAction = keyof typeof OPERATOR_RULES;

/** Whether `role` may do `action` at all (site membership aside). */
export function roleMay(role: OperatorRole, action: OperatorAction): boolean {
  return (OPERATOR_RULES[action].roles as readonly OperatorRole[]).includes(role);
}
