/** Sites on the wire: the full DTO for operators, the public part for the widget. */
import { type PublicSiteDTO, SITE_LANGUAGES, type SiteDTO, type SiteSettings } from '@parley/protocol';
import type { SiteRow } from '../../db/schema.js';
import { readFileSettings } from '../files/settings.js';
import { DEFAULT_EMAIL_SETTINGS, readEmailSettings } from '../mail/outgoing/settings.js';

export const DEFAULT_SITE_SETTINGS = {
  language: 'auto',
  greeting: {
    en: 'Hi! Ask us anything — a real person will answer.',
    ru: 'Здравствуйте! Спросите нас о чём угодно — ответит живой человек.',
    hy: 'Բարև Ձեզ։ Հարցրեք մեզ ցանկացած բան՝ կպատասխանի իրական մարդ։',
  },
  accentColor: '#2563eb',
  files: readFileSettings(undefined),
  askCloseReason: false,
  sneakPeek: true,
  respectDoNotTrack: false,
  emailCapture: true,
  email: DEFAULT_EMAIL_SETTINGS,
} satisfies SiteSettings;

const LANGUAGES = new Set<string>(SITE_LANGUAGES);

/** Stored settings merged over the defaults, so a site saved before a setting existed still reads whole. */
export function readSiteSettings(stored: unknown): SiteSettings {
  const value = (stored && typeof stored === 'object' ? stored : {}) as Partial<SiteSettings>;
  return {
    language:
      value.language && LANGUAGES.has(value.language) ? value.language : DEFAULT_SITE_SETTINGS.language,
    greeting: { ...DEFAULT_SITE_SETTINGS.greeting, ...(value.greeting ?? {}) },
    accentColor:
      typeof value.accentColor === 'string' && /^#[0-9a-f]{6}$/i.test(value.accentColor)
        ? value.accentColor
        : DEFAULT_SITE_SETTINGS.accentColor,
    files: readFileSettings(value.files),
    askCloseReason:
      typeof value.askCloseReason === 'boolean' ? value.askCloseReason : DEFAULT_SITE_SETTINGS.askCloseReason,
    sneakPeek: typeof value.sneakPeek === 'boolean' ? value.sneakPeek : DEFAULT_SITE_SETTINGS.sneakPeek,
    respectDoNotTrack:
      typeof value.respectDoNotTrack === 'boolean'
        ? value.respectDoNotTrack
        : DEFAULT_SITE_SETTINGS.respectDoNotTrack,
    emailCapture:
      typeof value.emailCapture === 'boolean' ? value.emailCapture : DEFAULT_SITE_SETTINGS.emailCapture,
    email: readEmailSettings(value.email),
  };
}

export function presentSite(row: SiteRow): SiteDTO {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.public_key,
    allowedOrigins: row.allowed_origins,
    settings: readSiteSettings(row.settings),
  };
}

export function presentPublicSite(row: SiteRow): PublicSiteDTO {
  return { publicKey: row.public_key, name: row.name, settings: readSiteSettings(row.settings) };
}
