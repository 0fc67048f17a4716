/** Strings as every client-sent field takes them: NUL refused (schemas.ts and file-schemas.ts share it). */
import { z } from 'zod';

const NUL = String.fromCharCode(0);

/** The message a NUL character is refused with. */
export const NUL_REFUSAL = 'Text may not contain NUL (U+0000) characters';

/**
 * Every string a client sends starts here. PostgreSQL cannot store U+0000 in
 * text, so a NUL would pass validation and fail at the database as a 500: it
 * is refused (not stripped, which would change what the person wrote without
 * telling them) for every field, in this one place. Stripping could also make
 * two different inputs equal, e.g. a retried message whose text changed.
 */
export function safeString() {
  return z.string().refine((value) => !value.includes(NUL), NUL_REFUSAL);
}
