/** Operator login, logout, the current session, and the operator's own profile and status. */
import { API_PATHS, type LogoutResponse, type OperatorDTO, type SessionResponse } from '@parley/protocol';
import { loginRequest, updateProfileRequest } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../../modules/context.js';
import { DomainError } from '../../modules/errors.js';
import { operatorProfileUpdater } from '../../modules/operators/commands.js';
import { operatorLoginChecker } from '../../modules/operators/login.js';
import { presentOperator } from '../../modules/operators/presenter.js';
import { createSession, SESSION_TTL_MS, sessionEnder } from '../../modules/operators/sessions.js';
import { SESSION_COOKIE } from '../../modules/policy/authentication.js';
import { callOrigin, isOwnOrigin } from '../../modules/policy/origins.js';
import { presentSite } from '../../modules/sites/presenter.js';
import { listSitesOfOperator } from '../../modules/sites/queries.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export interface AuthRouteDeps {
  ctx: DomainContext;
  rateLimiter: RateLimiter;
  loginAttemptsPerMinute: number;
  secureCookies: boolean;
}

export function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { db } = deps.ctx;
  const authenticated = { preHandler: requireOperator(db) };

  async function sessionResponse(operator: OperatorRow, csrfToken: string): Promise<SessionResponse> {
    const sites = await listSitesOfOperator(db, operator.id);
    return { operator: presentOperator(operator), csrfToken, sites: sites.map(presentSite) };
  }

  app.post(API_PATHS.login, async (request, reply): Promise<SessionResponse> => {
    if (!isOwnOrigin(callOrigin(request))) throw new DomainError('forbidden', 'Cross-origin login refused');
    const { email, password } = parse(loginRequest, request.body);
    const operator = await operatorLoginChecker(
      { db, rateLimiter: deps.rateLimiter, attemptsPerMinute: deps.loginAttemptsPerMinute },
      { email, password, ip: request.ip },
    );
    const session = await createSession(db, operator.id, SESSION_TTL_MS, {
      userAgent: request.headers['user-agent'],
    });
    setSessionCookie(reply, session.token, deps.secureCookies);
    return sessionResponse(operator, session.csrfToken);
  });

  app.post(API_PATHS.logout, authenticated, async (request, reply): Promise<LogoutResponse> => {
    await sessionEnder(deps.ctx, principalOf(request).sessionToken);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get(API_PATHS.me, authenticated, async (request): Promise<SessionResponse> => {
    const { operator, csrfToken } = principalOf(request);
    return sessionResponse(operator, csrfToken);
  });

  app.patch(API_PATHS.profile, authenticated, async (request): Promise<OperatorDTO> => {
    const changes = parse(updateProfileRequest, request.body);
    const updated = await operatorProfileUpdater(deps.ctx, principalOf(request).operator.id, changes);
    return presentOperator(updated);
  });
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}
