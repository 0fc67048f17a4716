import { describe, expect, it } from 'vitest';
import { identifyRequest, visitorOfToken } from './identify.js';

describe("the loader's identify request", () => {
  it('sends the known fields as text and everything flat else as custom attributes', () => {
    expect(
      identifyRequest('demo', 'tok', {
        id: 42,
        userHash: 'ab',
        name: 'Anna',
        email: '',
        phone: undefined,
        plan: 'gold',
        orders: 3,
        vip: true,
        nested: { no: 1 },
        fn: () => 1,
      }),
    ).toEqual({
      siteKey: 'demo',
      visitorToken: 'tok',
      id: '42',
      userHash: 'ab',
      name: 'Anna',
      attributes: { plan: 'gold', orders: 3, vip: true },
    });
  });

  it('ignores a call without an object, and leaves the token out when there is none', () => {
    expect(identifyRequest('demo', null, 'anna')).toBeNull();
    expect(identifyRequest('demo', null, { id: 'u1' })).toEqual({ siteKey: 'demo', id: 'u1' });
  });

  it('tells which visitor a token names', () => {
    expect(visitorOfToken('v-1.s-1.0.123.sig')).toBe('v-1');
    expect(visitorOfToken(null)).toBeNull();
  });
});
