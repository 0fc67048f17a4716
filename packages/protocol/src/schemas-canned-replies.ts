/**
 * Runtime schemas for canned replies and mentions (see `canned-replies.ts`).
 * Its own entry (`@parley/protocol/schemas-canned-replies`) rather than a
 * re-export from `schemas.ts`, whose helpers it imports; the widget imports neither.
 */
import { z } from 'zod';
import {
  CANNED_REPLY_LIMITS,
  CANNED_REPLY_SCOPES,
  type CreateCannedReplyRequest,
  type MarkMentionsReadRequest,
  type UpdateCannedReplyRequest,
} from './canned-replies.js';
import { safeString } from './schemas.js';

/** Letters and digits of any script (`/цена`, `/գին`), `_` and `-`; a leading `/` is dropped. */
const shortcut = () =>
  safeString()
    .trim()
    .transform((s) => s.replace(/^\//, ''))
    .pipe(
      z
        .string()
        .min(1, 'Give the reply a shortcut')
        .max(CANNED_REPLY_LIMITS.shortcut, `A shortcut is at most ${CANNED_REPLY_LIMITS.shortcut} characters`)
        .regex(/^[\p{L}\p{N}_-]+$/u, 'A shortcut is letters, digits, _ and - (no spaces)'),
    );
const title = () => safeString().trim().min(1, 'Give the reply a title').max(CANNED_REPLY_LIMITS.title);
const body = () =>
  safeString()
    .max(CANNED_REPLY_LIMITS.body, `A reply is at most ${CANNED_REPLY_LIMITS.body} characters`)
    .refine((s) => s.trim().length > 0, 'The reply is empty');

export const createCannedReplyRequest = z
  .object({ scope: z.enum(CANNED_REPLY_SCOPES), shortcut: shortcut(), title: title(), body: body() })
  .strict();

export const updateCannedReplyRequest = z
  .object({ shortcut: shortcut().optional(), title: title().optional(), body: body().optional() })
  .strict();

export const markMentionsReadRequest = z
  .object({ ids: z.array(safeString().uuid()).max(200).optional() })
  .strict();

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof createCannedReplyRequest>, CreateCannedReplyRequest>;
true satisfies Same<z.output<typeof updateCannedReplyRequest>, UpdateCannedReplyRequest>;
true satisfies Same<z.output<typeof markMentionsReadRequest>, MarkMentionsReadRequest>;
