/** A site's email settings (`SiteSettings.email`): defaults, and stored values read safely. */
import { DIGEST_FREQUENCIES, EMAIL_LIMITS, type SiteEmailSettings } from '@parley/protocol';

/** Five minutes: long enough for a visitor still on the page to see the answer there, short enough to catch one who left. */
export const DEFAULT_EMAIL_SETTINGS = {
  unseenMinutes: 5,
  transcriptOnClose: false,
  digest: 'off',
} as const satisfies SiteEmailSettings;

export function readEmailSettings(stored: unknown): SiteEmailSettings {
  const value = (stored && typeof stored === 'object' ? stored : {}) as Partial<SiteEmailSettings>;
  const minutes = value.unseenMinutes;
  return {
    unseenMinutes:
      typeof minutes === 'number' &&
      Number.isInteger(minutes) &&
      minutes >= 0 &&
      minutes <= EMAIL_LIMITS.unseenMinutesMax
        ? minutes
        : DEFAULT_EMAIL_SETTINGS.unseenMinutes,
    transcriptOnClose:
      typeof value.transcriptOnClose === 'boolean'
        ? value.transcriptOnClose
        : DEFAULT_EMAIL_SETTINGS.transcriptOnClose,
    digest: DIGEST_FREQUENCIES.includes(value.digest as never)
      ? (value.digest as SiteEmailSettings['digest'])
      : DEFAULT_EMAIL_SETTINGS.digest,
  };
}
