/**
 * The first steps of every operator route: who is calling (session cookie),
 * and for writes, the CSRF header matching the session. Also used by the
 * operator socket before the upgrade.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { OperatorRow } from '../db/schema.js';
import { DomainError } from '../modules/errors.js';
import { findActiveSession } from '../modules/operators/sessions.js';
import { listSiteIdsOfOperator } from '../modules/sites/queries.js';

export const SESSION_COOKIE = 'parley_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface OperatorPrincipal {
  operator: OperatorRow;
  siteIds: string[];
  csrfToken: string;
  sessionToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: OperatorPrincipal;
  }
}

export async function resolveOperator(db: Db, request: FastifyRequest): Promise<OperatorPrincipal | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await findActiveSession(db, token);
  if (!session) return null;
  const siteIds = await listSiteIdsOfOperator(db, session.operator.id);
  return { operator: session.operator, siteIds, csrfToken: session.csrfToken, sessionToken: token };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** preHandler: 401 without a valid session; 403 on a write without the session's CSRF token. */
export function requireOperator(db: Db) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const principal = await resolveOperator(db, request);
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
