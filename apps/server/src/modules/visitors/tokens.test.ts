import { describe, expect, it } from 'vitest';
import { createVisitorTokenSigner } from './tokens.js';

const identity = {
  visitorId: '3f2a9c1e-0000-4000-8000-000000000001',
  siteId: '3f2a9c1e-0000-4000-8000-000000000002',
};

describe('visitor tokens', () => {
  const signer = createVisitorTokenSigner('a-secret-that-is-long-enough-for-hmac-use');

  it('round-trips a signed identity', () => {
    expect(signer.verify(signer.sign(identity))).toEqual(identity);
  });

  it('rejects a token signed with another key', () => {
    const other = createVisitorTokenSigner('another-secret-that-is-long-enough-too');
    expect(signer.verify(other.sign(identity))).toBeNull();
  });

  it('rejects a token whose visitor id was swapped', () => {
    const [, siteId, signature] = signer.sign(identity).split('.');
    expect(signer.verify(`3f2a9c1e-0000-4000-8000-000000000009.${siteId}.${signature}`)).toBeNull();
  });

  it.each(['', 'garbage', 'a.b.c', 'a.b.c.d', `${identity.visitorId}.${identity.siteId}.`])(
    'rejects %j',
    (token) => {
      expect(signer.verify(token)).toBeNull();
    },
  );
});
