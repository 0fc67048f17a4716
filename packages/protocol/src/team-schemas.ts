/**
 * Runtime schemas of the team's requests (see `team.ts`), re-exported by
 * `schemas.ts` so the NUL walk and the `Same<>` checks cover them.
 */
import { z } from 'zod';
import { OPERATOR_ROLES } from './dto.js';
import { LIMITS } from './limits.js';
import { safeString } from './safe-string.js';
import type {
  AcceptTeamLinkRequest,
  ChangePasswordRequest,
  ChangeRoleRequest,
  InviteRequest,
  MemberSitesRequest,
  TeamLinkRequest,
} from './team.js';

const email = () => safeString().trim().max(LIMITS.email).email('Enter a valid email address');
const role = () => z.enum(OPERATOR_ROLES);
const siteIds = () =>
  z
    .array(safeString().uuid())
    .max(LIMITS.teamSites)
    .transform((ids) => [...new Set(ids)]);
const newPassword = () =>
  safeString()
    .min(LIMITS.password.min, `A password has at least ${LIMITS.password.min} characters`)
    .max(LIMITS.password.max);
/** A link's token: 43 base64url characters as Parley makes them; anything else is no token of ours. */
const token = () =>
  safeString()
    .max(100)
    .regex(/^[A-Za-z0-9_-]{20,100}$/, 'Not a valid link');

export const inviteRequest = z.object({ email: email(), role: role(), siteIds: siteIds() }).strict();
export const changeRoleRequest = z.object({ role: role() }).strict();
export const memberSitesRequest = z.object({ siteIds: siteIds() }).strict();
export const teamLinkRequest = z.object({ token: token() }).strict();
export const acceptTeamLinkRequest = z
  .object({
    token: token(),
    displayName: safeString().trim().min(1).max(LIMITS.displayName).optional(),
    password: newPassword(),
  })
  .strict();
export const changePasswordRequest = z
  .object({
    currentPassword: safeString().min(1).max(LIMITS.password.max),
    newPassword: newPassword(),
  })
  .strict();
/** A session's id as the sessions list shows it: the base64url SHA-256 of its token. */
export const sessionIdParams = z.object({
  id: safeString().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a session id'),
});

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof inviteRequest>, InviteRequest>;
true satisfies Same<z.output<typeof changeRoleRequest>, ChangeRoleRequest>;
true satisfies Same<z.output<typeof memberSitesRequest>, MemberSitesRequest>;
true satisfies Same<z.output<typeof teamLinkRequest>, TeamLinkRequest>;
true satisfies Same<z.output<typeof acceptTeamLinkRequest>, AcceptTeamLinkRequest>;
true satisfies Same<z.output<typeof changePasswordRequest>, ChangePasswordRequest>;
