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
export const badRequest = (message: string) => new DomainError('bad_request', message);
export const rateLimited = (message: string) => new DomainError('rate_limited', message);

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * PostgreSQL's SQLSTATEs that mean "the database is not answering now", not "this request is wrong":
 * a statement cancelled by statement_timeout (57014), a server shutting down or starting (57P01–57P03),
 * and the connection exceptions (class 08).
 */
const UNAVAILABLE_SQLSTATES = /^(57014|57P0[123]|08...)$/;
/** What node-postgres says when it cannot reach the server or gives up on an answer. */
const UNAVAILABLE_DRIVER_ERRORS =
  /timeout exceeded when trying to connect|^timeout expired$|Connection terminated|Query read timeout|ECONNREFUSED|ECONNRESET/;

/** True when an error says the database is away or too slow, so the caller should try again later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && UNAVAILABLE_SQLSTATES.test(e.code)) return true;
  return typeof e?.message === 'string' && UNAVAILABLE_DRIVER_ERRORS.test(e.message);
}

/**
 * The code and message a client is told for an error a handler threw, on either transport: a domain
 * error as raised; the database away as `unavailable` (clients retry it after a backoff, and a load
 * balancer reads 503 as "another node"); anything else as `internal`, without details.
 */
export function publicErrorOf(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  if (isDatabaseUnavailable(error))
    return { code: 'unavailable', message: 'The database is not answering; try again in a moment' };
  return { code: 'internal', message: 'Something went wrong on our side; try again' };
}
