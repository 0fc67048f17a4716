/**
 * Where a visit came from, told from its landing page and the referrer the browser gave: the kind
 * the console groups by (search, social, advertising, email, referral, direct), a human name
 * ('Google', 'Yandex', 'VK', a referring host), UTM parameters, click ids and the search query.
 *
 * Order matters and follows what a shop's marketer means: a paid click (utm_medium cpc/ppc/paid,
 * gclid, yclid) is advertising even when the referrer is Google; utm_medium=email or a webmail
 * referrer is email; then a known search engine or social network by the referrer's host (or by
 * utm_source when the referrer was stripped); then any other site; else direct. A referrer from the
 * site's own host is no source at all (a new visit that began on an internal link is direct).
 */
import type { SourceKind, UtmDTO } from '@parley/protocol';

export interface ClassifiedSource {
  kind: SourceKind;
  name: string | null;
  utm: UtmDTO | null;
  searchQuery: string | null;
  gclid?: string;
  yclid?: string;
}

interface Known {
  name: string;
  kind: 'search' | 'social' | 'email';
  /** Host suffixes, matched at a dot boundary (`google.com` matches `www.google.com`, not `notgoogle.com`). */
  hosts: RegExp;
  /** The referrer's parameter carrying the query, where the engine still passes it. */
  query?: string[];
}

const KNOWN: Known[] = [
  // Webmail first: mail.google.com and mail.yandex.ru are no searches.
  { name: 'Mail.ru', kind: 'email', hosts: /(^|\.)(e\.mail\.ru|touch\.mail\.ru)$/ },
  { name: 'Gmail', kind: 'email', hosts: /(^|\.)mail\.google\.com$/ },
  {
    name: 'Outlook',
    kind: 'email',
    hosts: /(^|\.)(outlook\.live\.com|outlook\.office\.com|outlook\.office365\.com)$/,
  },
  { name: 'Yandex Mail', kind: 'email', hosts: /(^|\.)mail\.yandex\.[a-z.]{2,6}$/ },
  { name: 'Yahoo Mail', kind: 'email', hosts: /(^|\.)mail\.yahoo\.com$/ },
  { name: 'Google', kind: 'search', hosts: /(^|\.)google\.[a-z.]{2,6}$/, query: ['q'] },
  { name: 'Yandex', kind: 'search', hosts: /(^|\.)(yandex\.[a-z.]{2,6}|ya\.ru)$/, query: ['text'] },
  { name: 'Bing', kind: 'search', hosts: /(^|\.)bing\.com$/, query: ['q'] },
  { name: 'DuckDuckGo', kind: 'search', hosts: /(^|\.)duckduckgo\.com$/, query: ['q'] },
  { name: 'Mail.ru', kind: 'search', hosts: /(^|\.)go\.mail\.ru$/, query: ['q'] },
  { name: 'Yahoo', kind: 'search', hosts: /(^|\.)search\.yahoo\.com$/, query: ['p'] },
  { name: 'Facebook', kind: 'social', hosts: /(^|\.)(facebook\.com|fb\.com|fb\.me)$/ },
  { name: 'VK', kind: 'social', hosts: /(^|\.)(vk\.com|vk\.ru|vkontakte\.ru)$/ },
  { name: 'Telegram', kind: 'social', hosts: /(^|\.)(t\.me|telegram\.org|telegram\.me)$/ },
  { name: 'Instagram', kind: 'social', hosts: /(^|\.)instagram\.com$/ },
  { name: 'X', kind: 'social', hosts: /(^|\.)(twitter\.com|x\.com|t\.co)$/ },
  { name: 'OK', kind: 'social', hosts: /(^|\.)(ok\.ru|odnoklassniki\.ru)$/ },
  { name: 'YouTube', kind: 'social', hosts: /(^|\.)(youtube\.com|youtu\.be)$/ },
  { name: 'LinkedIn', kind: 'social', hosts: /(^|\.)(linkedin\.com|lnkd\.in)$/ },
];

/** utm_source values that name a known source when the referrer was stripped (apps, https→http). */
const BY_UTM_SOURCE: Record<string, string> = {
  google: 'Google',
  yandex: 'Yandex',
  bing: 'Bing',
  duckduckgo: 'DuckDuckGo',
  facebook: 'Facebook',
  fb: 'Facebook',
  vk: 'VK',
  vkontakte: 'VK',
  telegram: 'Telegram',
  tg: 'Telegram',
  instagram: 'Instagram',
  ig: 'Instagram',
  twitter: 'X',
  x: 'X',
  ok: 'OK',
  odnoklassniki: 'OK',
  youtube: 'YouTube',
};

const PAID_MEDIUM = /^(cpc|ppc|cpm|cpv|paid|paid[-_ ]?(search|social)|display|banner|retargeting|ads?)$/i;
const EMAIL_MEDIUM = /^(e-?mail|newsletter|mailing)$/i;
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;

function parseUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

const short = (value: string | null, max = 200) => (value ? value.trim().slice(0, max) || null : null);

/** The UTM parameters of a landing page; null when it has none. */
export function parseUtm(landing: URL | null): UtmDTO | null {
  if (!landing) return null;
  const utm: UtmDTO = {};
  for (const key of UTM_KEYS) {
    const value = short(landing.searchParams.get(`utm_${key}`));
    if (value) utm[key] = value;
  }
  return Object.keys(utm).length > 0 ? utm : null;
}

function knownOf(host: string): Known | undefined {
  return KNOWN.find((known) => known.hosts.test(host));
}

/**
 * Classifies a visit's source.
 *
 * @example
 * classifySource({ landingUrl: 'https://shop.example/', referrer: 'https://yandex.ru/search/?text=boots' })
 * // → { kind: 'search', name: 'Yandex', searchQuery: 'boots', utm: null }
 */
export function classifySource(input: {
  landingUrl: string | null;
  referrer: string | null;
}): ClassifiedSource {
  const landing = parseUrl(input.landingUrl);
  const referrer = parseUrl(input.referrer);
  const ownHost = landing?.hostname.replace(/^www\./, '');
  const refHost = referrer?.hostname.toLowerCase().replace(/^www\./, '') ?? null;
  const external = refHost && refHost !== ownHost ? refHost : null;
  const utm = parseUtm(landing);
  const gclid = short(landing?.searchParams.get('gclid') ?? null) ?? undefined;
  const yclid = short(landing?.searchParams.get('yclid') ?? null) ?? undefined;
  const known = external ? knownOf(external) : undefined;
  const utmName = utm?.source ? (BY_UTM_SOURCE[utm.source.toLowerCase()] ?? null) : null;
  const fromReferrer =
    known?.query && referrer
      ? known.query.map((q) => short(referrer.searchParams.get(q))).find(Boolean)
      : null;
  const searchQuery = fromReferrer ?? utm?.term ?? null;
  const base = { utm, searchQuery, ...(gclid && { gclid }), ...(yclid && { yclid }) };

  if ((utm?.medium && PAID_MEDIUM.test(utm.medium)) || gclid || yclid) {
    const name = utmName ?? known?.name ?? (gclid ? 'Google' : yclid ? 'Yandex' : (utm?.source ?? external));
    return { kind: 'advertising', name, ...base };
  }
  if ((utm?.medium && EMAIL_MEDIUM.test(utm.medium)) || known?.kind === 'email') {
    return { kind: 'email', name: utm?.source ?? known?.name ?? null, ...base };
  }
  if (known) return { kind: known.kind, name: known.name, ...base };
  if (utmName) {
    const kind = KNOWN.find((k) => k.name === utmName)?.kind ?? 'referral';
    return { kind, name: utmName, ...base };
  }
  if (external) return { kind: 'referral', name: external, ...base };
  if (utm?.source) return { kind: 'referral', name: utm.source, ...base };
  return { kind: 'direct', name: null, ...base };
}
