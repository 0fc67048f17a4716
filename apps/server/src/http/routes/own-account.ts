/** An operator's own password and sessions. */
import {
  API_PATHS,
  type ChangePasswordResponse,
  type LogoutResponse,
  type OwnSessionsResponse,
} from '@parley/protocol';
import { changePasswordRequest, sessionIdParams } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import { listOwnSessions, ownSessionEnder } from '../../modules/operators/sessions.js';
import { ownPasswordChanger } from '../../modules/team/own-account.js';
import { presentOwnSession } from '../../modules/team/presenter.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function ownAccountRoutes(app: FastifyInstance, ctx: DomainContext, rateLimiter: RateLimiter): void {
  const authenticated = { preHandler: requireOperator(ctx.db) };

  app.put(API_PATHS.ownPassword, authenticated, async (request): Promise<ChangePasswordResponse> => {
    const change = parse(changePasswordRequest, request.body);
    return { endedSessions: await ownPasswordChanger(ctx, rateLimiter, principalOf(request), change) };
  });

  app.get(API_PATHS.ownSessions, authenticated, async (request): Promise<OwnSessionsResponse> => {
    const { operatorId, session } = principalOf(request);
    const rows = await listOwnSessions(ctx.db, operatorId);
    return { sessions: rows.map((row) => presentOwnSession(row, session.id)) };
  });

  app.delete(API_PATHS.ownSession(':id'), authenticated, async (request): Promise<LogoutResponse> => {
    const { id } = parse(sessionIdParams, request.params, 'path');
    if (!(await ownSessionEnder(ctx, principalOf(request).operatorId, id))) throw notFound('Session');
    return { ok: true };
  });
}
