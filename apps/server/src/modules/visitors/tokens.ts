/**
 * Visitor tokens: `<visitorId>.<siteId>.<generation>.<expiresAtMs>.<hmac>`.
 * The widget keeps one per browser; holding it is what makes a visitor "the
 * same visitor" on the next page and the next visit. Signed, so nobody can
 * claim another's history; expiring (`VISITOR_TOKEN_DAYS`), and renewed
 * silently long before that while the visitor keeps coming (see access.ts);
 * revocable, by raising the visitor's `token_generation`, which every check
 * compares with the token's.
 *
 * Tokens from before expiry existed (`<visitorId>.<siteId>.<hmac>`) verify
 * with `expiresAt: null`: only starting a widget session accepts them, to
 * hand out a new token, so returning visitors keep their history.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEFAULT_VISITOR_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;

export interface VisitorIdentity {
  visitorId: string;
  siteId: string;
}

export interface VisitorTokenClaims extends VisitorIdentity {
  generation: number;
  /** null for a token from before expiry existed. */
  expiresAt: Date | null;
}

export interface IssuedVisitorToken {
  token: string;
  expiresAt: Date;
}

export interface VisitorTokenSigner {
  /** How long a new token lives. */
  readonly ttlMs: number;
  issue(identity: VisitorIdentity & { generation: number }, now?: Date): IssuedVisitorToken;
  /** The claims of a valid, unexpired token, or null for anything forged, truncated, malformed or expired. */
  verify(token: string, now?: Date): VisitorTokenClaims | null;
  /** Past half its life a token is replaced, so one in use never reaches its end. */
  renewalDueAt(expiresAt: Date): Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COUNT = /^(0|[1-9][0-9]{0,14})$/;

export function createVisitorTokenSigner(
  secret: string,
  ttlMs = DEFAULT_VISITOR_TOKEN_TTL_MS,
): VisitorTokenSigner {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const signed = (payload: string, signature: string) => {
    const expected = Buffer.from(mac(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  return {
    ttlMs,
    issue({ visitorId, siteId, generation }, now = new Date()) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      const payload = `${visitorId}.${siteId}.${generation}.${expiresAt.getTime()}`;
      return { token: `${payload}.${mac(payload)}`, expiresAt };
    },
    verify(token, now = new Date()) {
      const parts = token.split('.');
      const [visitorId, siteId] = parts;
      if (!visitorId || !siteId || !UUID.test(visitorId) || !UUID.test(siteId)) return null;
      if (parts.length === 3) {
        const signature = parts[2] ?? '';
        return signed(`${visitorId}.${siteId}`, signature)
          ? { visitorId, siteId, generation: 0, expiresAt: null }
          : null;
      }
      const [, , generation = '', expires = '', signature = ''] = parts;
      if (parts.length !== 5 || !COUNT.test(generation) || !COUNT.test(expires)) return null;
      if (!signed(`${visitorId}.${siteId}.${generation}.${expires}`, signature)) return null;
      const expiresAt = new Date(Number(expires));
      if (expiresAt <= now) return null;
      return { visitorId, siteId, generation: Number(generation), expiresAt };
    },
    renewalDueAt(expiresAt) {
      return new Date(expiresAt.getTime() - ttlMs / 2);
    },
  };
}
