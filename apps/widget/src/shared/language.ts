/** Picks one of Parley's languages from a list of BCP-47 tags, in preference order. */
import type { Language } from '@parley/protocol';

const SUPPORTED: readonly Language[] = ['en', 'ru', 'hy'];

/**
 * The first supported language among `tags` (matching on the primary subtag), else English.
 * @example pickLanguage(['hy-AM', 'en']) // 'hy'
 */
export function pickLanguage(tags: readonly (string | null | undefined)[]): Language {
  for (const tag of tags) {
    const primary = tag?.toLowerCase().split('-')[0];
    const found = SUPPORTED.find((lang) => lang === primary);
    if (found) return found;
  }
  return 'en';
}

/** The browser's languages, best first. */
export function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}
