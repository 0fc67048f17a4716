/**
 * Checking an operator's email and password, behind the login lockout. Every
 * attempt is counted before the password is checked, in one atomic step of
 * the rate limiter (in memory or in Redis), so parallel guesses cannot slip
 * past the limit between "checked" and "counted"; a successful login gives
 * its count back, so an operator logging in from several tabs is never
 * locked out.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { DomainError, rateLimited } from '../errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { findOperatorByEmail } from './queries.js';

export const LOGIN_WINDOW_MS = 60_000;
/** The per-IP limit is this many times the per-email+IP one: an office shares one address. */
const IP_LIMIT_FACTOR = 6;

export interface LoginGuard {
  db: Queryable;
  rateLimiter: RateLimiter;
  /** Attempts per email+IP per minute (`LOGIN_ATTEMPTS_PER_MINUTE`). */
  attemptsPerMinute: number;
}

// Verifying against a real hash when the email is unknown keeps the response time the same, so emails cannot be probed.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

/**
 * The operator whose email and password these are. Throws `rate_limited`
 * past the limit (without checking the password) and `unauthorized` for a
 * wrong email or password.
 */
export async function operatorLoginChecker(
  guard: LoginGuard,
  attempt: { email: string; password: string; ip: string },
): Promise<OperatorRow> {
  const keys = [
    { key: `login:${attempt.ip}:${attempt.email.toLowerCase()}`, limit: guard.attemptsPerMinute },
    { key: `login-ip:${attempt.ip}`, limit: guard.attemptsPerMinute * IP_LIMIT_FACTOR },
  ];
  const allowed = await Promise.all(
    keys.map(({ key, limit }) => guard.rateLimiter.hit(key, limit, LOGIN_WINDOW_MS)),
  );
  if (allowed.includes(false)) throw rateLimited('Too many login attempts; wait a minute and try again');
  const operator = await findOperatorByEmail(guard.db, attempt.email);
  const valid = await verifyPassword(operator?.password_hash ?? (await getDummyHash()), attempt.password);
  if (!operator || !valid) throw new DomainError('unauthorized', 'Wrong email or password');
  await Promise.all(keys.map(({ key }) => guard.rateLimiter.release(key)));
  // Said only to someone who knows the password: a stranger cannot learn who was deactivated.
  if (operator.deactivated_at)
    throw new DomainError(
      'forbidden',
      'This account has been deactivated; ask an owner or admin of your team',
    );
  return operator;
}
