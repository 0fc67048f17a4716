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

describe('location lookup (city add-on)', () => {
  it('names the region and city of known addresses when the DB-IP city database is installed', async () => {
    // The add-on is a devDependency, so tests always have it; production installs may leave it out.
    const lookup = await openCountryLookup();
    expect(await lookup.loadCities()).toBe(true);
    expect(lookup.locationOf('8.8.8.8')).toEqual({
      country: 'US',
      region: 'California',
      city: 'Mountain View',
    });
    expect(lookup.locationOf('::ffff:77.88.55.88')).toMatchObject({ country: 'RU', region: 'Moscow' });
    expect(lookup.locationOf('2a02:6b8::2:242')).toMatchObject({ country: 'RU' });
    expect(lookup.locationOf('127.0.0.1')).toEqual({ country: null, region: null, city: null });
  });

  it('falls back to the country alone without the add-on', async () => {
    const lookup = await openCountryLookup({ cities: false });
    expect(await lookup.loadCities()).toBe(false);
    expect(lookup.locationOf('8.8.8.8')).toEqual({ country: 'US', region: null, city: null });
  });
});
