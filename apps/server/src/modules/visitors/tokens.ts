/**
 * Visitor tokens: `<visitorId>.<siteId>.<hmac>`. The widget keeps one per
 * browser; holding it is what makes a visitor "the same visitor" on the next
 * page and the next visit. Signed, so nobody can claim another's history.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface VisitorIdentity {
  visitorId: string;
  siteId: string;
}

export interface VisitorTokenSigner {
  sign(identity: VisitorIdentity): string;
  /** The identity inside a valid token, or null for anything forged, truncated or malformed. */
  verify(token: string): VisitorIdentity | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createVisitorTokenSigner(secret: string): VisitorTokenSigner {
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    sign: ({ visitorId, siteId }) => `${visitorId}.${siteId}.${mac(`${visitorId}.${siteId}`)}`,
    verify(token) {
      const [visitorId, siteId, signature, extra] = token.split('.');
      if (!visitorId || !siteId || !signature || extra !== undefined) return null;
      if (!UUID.test(visitorId) || !UUID.test(siteId)) return null;
      const expected = Buffer.from(mac(`${visitorId}.${siteId}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      return { visitorId, siteId };
    },
  };
}
