/**
 * Runtime schemas (zod) for files: site file settings, the upload's query, and
 * the `fileIds` a message may carry. Server-only, like `schemas.ts`.
 */
import { z } from 'zod';
import { FILE_LIMITS, FILE_TYPES, type FileSettings, type UploadFileQuery } from './files.js';
import { safeString } from './safe-string.js';

/** No path separators and no control characters (NUL is refused before, by `safeString`). */
function isSafeFileName(name: string): boolean {
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || char === '/' || char === '\\') return false;
  }
  return true;
}

/** A site's file settings as an admin changes them (both parts optional, merged over the current ones). */
export const fileSettingsUpdate = z
  .object({
    maxBytes: z
      .number()
      .int()
      .min(FILE_LIMITS.minBytes, `At least ${FILE_LIMITS.minBytes} bytes`)
      .max(FILE_LIMITS.maxBytes, `At most ${FILE_LIMITS.maxBytes / 1024 / 1024} MB`)
      .optional(),
    allowedTypes: z
      .array(z.enum(FILE_TYPES))
      .max(FILE_TYPES.length)
      .transform((types) => [...new Set(types)])
      .optional(),
  })
  .strict();

/**
 * The file's name: shown to people and put in `Content-Disposition`, never
 * used for its type or its place on disk. Path separators and control
 * characters are refused rather than quietly changed.
 */
export const uploadFileQuery = z
  .object({
    name: safeString()
      .trim()
      .min(1, 'The file needs a name')
      .max(FILE_LIMITS.name, `A file name is at most ${FILE_LIMITS.name} characters`)
      .refine(isSafeFileName, 'A file name may not contain / \\ or control characters'),
  })
  .strict();

/** A message's files: ids of uploads, each at most once. */
export const fileIds = z
  .array(safeString().uuid('Not a file id'))
  .min(1)
  .max(FILE_LIMITS.perMessage, `A message carries at most ${FILE_LIMITS.perMessage} files`)
  .refine((ids) => new Set(ids).size === ids.length, 'The same file is named twice');

/** A message may be only files, or only text, or both; never neither. */
export function textOrFiles(message: { text: string; fileIds?: string[] }): boolean {
  return message.text.trim().length > 0 || (message.fileIds?.length ?? 0) > 0;
}

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof uploadFileQuery>, UploadFileQuery>;
true satisfies Same<Required<z.output<typeof fileSettingsUpdate>>, FileSettings>;
