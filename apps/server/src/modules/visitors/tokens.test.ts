import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVisitorTokenSigner } from './tokens.js';

const SECRET = 'a-secret-that-is-long-enough-for-hmac-use';
const identity = {
  visitorId: '3f2a9c1e-0000-4000-8000-000000000001',
  siteId: '3f2a9c1e-0000-4000-8000-000000000002',
  generation: 3,
};
const DAY = 24 * 3600 * 1000;

describe('visitor tokens', () => {
  const signer = createVisitorTokenSigner(SECRET, 30 * DAY);
  const now = new Date('2026-01-01T00:00:00Z');

  it('round-trips a signed identity with its generation and expiry', () => {
    const issued = signer.issue(identity, now);
    expect(issued.expiresAt).toEqual(new Date(now.getTime() + 30 * DAY));
    expect(signer.verify(issued.token, now)).toEqual({ ...identity, expiresAt: issued.expiresAt });
  });

  it('stops accepting a token at its expiry', () => {
    const { token, expiresAt } = signer.issue(identity, now);
    expect(signer.verify(token, new Date(expiresAt.getTime() - 1))).not.toBeNull();
    expect(signer.verify(token, expiresAt)).toBeNull();
  });

  it('is due for renewal half way through its life', () => {
    const { expiresAt } = signer.issue(identity, now);
    expect(signer.renewalDueAt(expiresAt)).toEqual(new Date(now.getTime() + 15 * DAY));
  });

  it('rejects a token signed with another key', () => {
    const other = createVisitorTokenSigner('another-secret-that-is-long-enough-too');
    expect(signer.verify(other.issue(identity, now).token, now)).toBeNull();
  });

  it.each([
    ['visitor id', 0, '3f2a9c1e-0000-4000-8000-000000000009'],
    ['generation', 2, '4'],
    ['expiry', 3, String(Date.UTC(2030, 0, 1))],
  ])('rejects a token whose %s was changed', (_what, index, value) => {
    const parts = signer.issue(identity, now).token.split('.');
    parts[index] = value;
    expect(signer.verify(parts.join('.'), now)).toBeNull();
  });

  it('reads a token from before expiry existed as generation 0 without an expiry', () => {
    const payload = `${identity.visitorId}.${identity.siteId}`;
    const legacy = `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    expect(signer.verify(legacy, now)).toEqual({
      visitorId: identity.visitorId,
      siteId: identity.siteId,
      generation: 0,
      expiresAt: null,
    });
  });

  it.each([
    '',
    'garbage',
    'a.b.c',
    'a.b.c.d.e',
    `${identity.visitorId}.${identity.siteId}.`,
    `${identity.visitorId}.${identity.siteId}.1.2.`,
    `${identity.visitorId}.${identity.siteId}.01.2.x`,
    `${identity.visitorId}.${identity.siteId}.1.2.x.y`,
  ])('rejects %j', (token) => {
    expect(signer.verify(token, now)).toBeNull();
  });
});
