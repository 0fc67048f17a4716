/**
 * Every error leaves the API as `{ error: { code, message, issues? } }` with a
 * matching status: domain errors by their code, validation errors as 400,
 * Fastify's own (bad JSON, body too large) translated, the rest as 500.
 */
import type { ApiErrorBody, ErrorCode } from '@parley/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, publicErrorOf } from '../modules/errors.js';

export const STATUS_OF: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** A validation failure with the fields that were wrong. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super('bad_request', message);
  }
}

function toBody(error: unknown): ApiErrorBody {
  if (error instanceof ValidationError)
    return { error: { code: error.code, message: error.message, issues: error.issues } };
  if (error instanceof DomainError) return { error: publicErrorOf(error) };
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode === 413)
    return { error: { code: 'payload_too_large', message: 'Request body is too large' } };
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return { error: { code: 'bad_request', message: fastifyError.message } };
  }
  return { error: publicErrorOf(error) };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const body = toBody(error);
    const status = STATUS_OF[body.error.code];
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: { code: 'not_found', message: `No route ${request.method} ${request.url}` },
    } satisfies ApiErrorBody);
  });
}
