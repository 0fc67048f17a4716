import { describe, expect, it } from 'vitest';
import { openCountryLookup } from './geolocation.js';

describe('country lookup', () => {
  it('finds the country of public addresses, IPv4-mapped included, and nothing for private ones', async () => {
    const lookup = await openCountryLookup();
    expect(lookup.countryOf('8.8.8.8')).toBe('US');
    expect(lookup.countryOf('::ffff:37.252.64.1')).toBe('AM');
    expect(lookup.countryOf('127.0.0.1')).toBeNull();
    expect(lookup.countryOf('10.1.2.3')).toBeNull();
    expect(lookup.countryOf('not an ip')).toBeNull();
  });
});
