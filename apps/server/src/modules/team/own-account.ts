/**
 * What every operator does to their own account: change the password (the
 * current one required; every other session ends) and end sessions from the
 * sessions list.
 */
import type { ChangePasswordRequest } from '@parley/protocol';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import type { DomainContext } from '../context.js';
import { DomainError, rateLimited } from '../errors.js';
import { hashPassword, verifyPassword } from '../operators/passwords.js';
import { announceSessionsEnded, otherSessionsDeleter } from '../operators/sessions.js';
import type { OperatorPrincipal } from '../policy/authentication.js';
import { linkRevoker } from './links.js';

/** Wrong current passwords one operator may try per minute: a stolen open console cannot guess its way in. */
const ATTEMPTS_PER_MINUTE = 5;

export async function ownPasswordChanger(
  ctx: DomainContext,
  rateLimiter: RateLimiter,
  principal: OperatorPrincipal,
  request: ChangePasswordRequest,
): Promise<number> {
  const key = `password-change:${principal.operatorId}`;
  if (!(await rateLimiter.hit(key, ATTEMPTS_PER_MINUTE, 60_000)))
    throw rateLimited('Too many attempts; wait a minute and try again');
  if (!(await verifyPassword(principal.operator.password_hash, request.currentPassword)))
    throw new DomainError('forbidden', 'Your current password is not right');
  await rateLimiter.release(key);
  const passwordHash = await hashPassword(request.newPassword);
  const ended = await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('operators')
      .set({ password_hash: passwordHash })
      .where('id', '=', principal.operatorId)
      .execute();
    // A reset link made before would otherwise still set another password later.
    const resets = await tx
      .selectFrom('team_links')
      .select('id')
      .where('operator_id', '=', principal.operatorId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    for (const { id } of resets) await linkRevoker(tx, id);
    return otherSessionsDeleter(tx, principal.operatorId, principal.session.id);
  });
  await announceSessionsEnded(ctx, principal.operatorId, ended);
  return ended.length;
}
