/** Operator login, logout, the current session, and the operator's own profile and status. */
import { randomBytes } from 'node:crypto';
import { API_PATHS, type LogoutResponse, type OperatorDTO, type SessionResponse } from '@parley/protocol';
import { loginRequest, updateProfileRequest } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../../modules/context.js';
import { DomainError, rateLimited } from '../../modules/errors.js';
import { operatorProfileUpdater } from '../../modules/operators/commands.js';
import { hashPassword, verifyPassword } from '../../modules/operators/passwords.js';
import { presentOperator } from '../../modules/operators/presenter.js';
import { findOperatorByEmail } from '../../modules/operators/queries.js';
import { createSession, deleteSession, SESSION_TTL_MS } from '../../modules/operators/sessions.js';
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

// Verifying against a real hash when the email is unknown keeps the response time the same, so emails cannot be probed.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

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
    // Only failed attempts count, per email+IP and (looser) per IP: an operator who logs in
    // from several tabs is never locked out, a password guesser is after a few tries.
    const keys = [
      { key: `login:${request.ip}:${email.toLowerCase()}`, limit: deps.loginAttemptsPerMinute },
      { key: `login-ip:${request.ip}`, limit: deps.loginAttemptsPerMinute * 6 },
    ];
    for (const { key, limit } of keys) {
      if (await deps.rateLimiter.exhausted(key, limit))
        throw rateLimited('Too many login attempts; wait a minute and try again');
    }
    const operator = await findOperatorByEmail(db, email);
    const valid = await verifyPassword(operator?.password_hash ?? (await getDummyHash()), password);
    if (!operator || !valid) {
      await Promise.all(keys.map(({ key, limit }) => deps.rateLimiter.hit(key, limit, 60_000)));
      throw new DomainError('unauthorized', 'Wrong email or password');
    }
    const session = await createSession(db, operator.id);
    setSessionCookie(reply, session.token, deps.secureCookies);
    return sessionResponse(operator, session.csrfToken);
  });

  app.post(API_PATHS.logout, authenticated, async (request, reply): Promise<LogoutResponse> => {
    await deleteSession(db, principalOf(request).sessionToken);
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

function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}
