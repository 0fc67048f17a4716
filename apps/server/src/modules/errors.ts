/**
 * Errors the domain raises on purpose. Transport maps `code` to an HTTP
 * status or an error frame; anything else is a bug and surfaces as 500.
 */
import type { ErrorCode } from '@parley/protocol';

export class DomainError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'internal'>,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const forbidden = (message = 'You have no access to this') => new DomainError('forbidden', message);
export const rateLimited = (message: string) => new DomainError('rate_limited', message);

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
