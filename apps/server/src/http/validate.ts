/** Parses a request part with a protocol schema, or throws a 400 listing every wrong field. */
import { describeIssues, type z } from '@parley/protocol/schemas';
import { ValidationError } from './errors.js';

export function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request'): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new ValidationError(`Invalid ${what}`, describeIssues(result.error));
  return result.data;
}
