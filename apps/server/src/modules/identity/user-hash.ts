/**
 * The site's signature on its user ids: `userHash = HMAC-SHA256(id, identity secret)`, hex — what
 * the site's server computes and its page passes to `Parley('identify')`. Checked in constant time,
 * so the time a refusal takes says nothing about how much of a forged hash was right.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new identity secret: 256 random bits, hex (what the console shows and the site's server keeps). */
export const newIdentitySecret = () => randomBytes(32).toString('hex');

/**
 * The userHash of `id` under `secret`.
 * @example userHashOf('42', secret) // 'f1c3…' (64 hex characters)
 */
export function userHashOf(id: string, secret: string): string {
  return createHmac('sha256', secret).update(id, 'utf8').digest('hex');
}

/** True when `userHash` is `id`'s under `secret` (hex, either case). A hash made for another id fails. */
export function isValidUserHash(id: string, userHash: string, secret: string): boolean {
  const expected = Buffer.from(userHashOf(id, secret), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(userHash) ? Buffer.from(userHash, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
