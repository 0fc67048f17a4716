/**
 * The HTTP side of authentication: where each caller's credentials travel on
 * a request, handed to the policy module (`modules/policy/authentication.ts`,
 * shared with the sockets) to say who it is. Operators: the session cookie,
 * and for writes the CSRF header matching the session. Visitors: a bearer
 * visitor token from an allowed origin.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { DomainError } from '../modules/errors.js';
import type { VisitorActor } from '../modules/policy/actors.js';
import {
  authenticateOperator,
  authenticateVisitor,
  type OperatorPrincipal,
  SESSION_COOKIE,
} from '../modules/policy/authentication.js';
import { callOrigin } from '../modules/policy/origins.js';
import type { VisitorTokenSigner } from '../modules/visitors/tokens.js';

export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: OperatorPrincipal;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** preHandler: 401 without a valid session; 403 on a write without the session's CSRF token. */
export function requireOperator(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await authenticateOperator(db, request.cookies[SESSION_COOKIE]);
    if (!principal) throw new DomainError('unauthorized', 'Log in first');
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== principal.csrfToken) {
      throw new DomainError('forbidden', 'Missing or wrong CSRF token');
    }
    request.principal = principal;
  };
}

/** The principal set by `requireOperator`; a route without that preHandler is a bug. */
export function principalOf(request: FastifyRequest): OperatorPrincipal {
  if (!request.principal) throw new Error('route is missing requireOperator');
  return request.principal;
}

/** The visitor of an `Authorization: Bearer <visitor token>` call from an allowed origin. */
export function visitorOf(
  db: Db,
  signer: VisitorTokenSigner,
  request: FastifyRequest,
): Promise<VisitorActor> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
  return authenticateVisitor(db, signer, token, callOrigin(request));
}
