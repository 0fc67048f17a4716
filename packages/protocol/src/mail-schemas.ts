/** Runtime schemas of the email contract (mail.ts); the widget never imports this file. */
import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  DIGEST_FREQUENCIES,
  EMAIL_LIMITS,
  type SiteEmailSettings,
  type TranscriptRequest,
  type UpdateMailPreferencesRequest,
} from './mail.js';
import { safeString } from './safe-string.js';

export const siteEmailSettingsUpdate = z
  .object({
    unseenMinutes: z
      .number()
      .int('Whole minutes')
      .min(0)
      .max(EMAIL_LIMITS.unseenMinutesMax, `At most ${EMAIL_LIMITS.unseenMinutesMax} minutes (a day)`)
      .optional(),
    transcriptOnClose: z.boolean().optional(),
    digest: z.enum(DIGEST_FREQUENCIES).optional(),
  })
  .strict();

export const updateMailPreferencesRequest = z
  .object({
    offlineRequests: z.boolean().optional(),
    missedChats: z.boolean().optional(),
    digest: z.boolean().optional(),
  })
  .strict();

export const transcriptRequest = z
  .object({ email: safeString().trim().max(LIMITS.email).email('Enter a valid email address').optional() })
  .strict();

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof siteEmailSettingsUpdate>, Partial<SiteEmailSettings>>;
true satisfies Same<z.output<typeof updateMailPreferencesRequest>, UpdateMailPreferencesRequest>;
true satisfies Same<z.output<typeof transcriptRequest>, TranscriptRequest>;
