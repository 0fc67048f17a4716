/**
 * Liveness and readiness, for a supervisor and a load balancer.
 * `/healthz`: the process answers and, when Parley runs its own PostgreSQL,
 * that server is running (503 while it is down or being restarted).
 * `/readyz`: the node is not draining and the database answers within
 * READY_PROBE_TIMEOUT_MS (503 otherwise); it also reports Redis, which does not
 * decide readiness: without Redis a node still serves its own sockets
 * (local rate limits and delivery), and Redis is shared, so taking nodes out
 * for it would take them all out.
 */

import { API_PATHS } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { EmbeddedDatabaseState } from '../../db/embedded-postgres.js';

export interface HealthDeps {
  db: Db;
  isDraining: () => boolean;
  probeTimeoutMs: number;
  /** The embedded PostgreSQL's state, when Parley runs its own. */
  embeddedDatabase?: () => EmbeddedDatabaseState;
  /** Answers when Redis does, when Redis is configured. */
  pingRedis?: () => Promise<unknown>;
}

/** Resolves true when `work` settles successfully within `ms`, false otherwise (never rejects, never hangs). */
async function answersWithin(work: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get(API_PATHS.health, async (_request, reply) => {
    const embedded = deps.embeddedDatabase?.();
    if (embedded && embedded !== 'running')
      return reply.status(503).send({ ok: false, reason: `embedded database ${embedded}` });
    return { ok: true };
  });
  app.get(API_PATHS.ready, async (_request, reply) => {
    if (deps.isDraining()) return reply.status(503).send({ ok: false, reason: 'draining' });
    const [database, redis] = await Promise.all([
      answersWithin(() => sql`SELECT 1`.execute(deps.db), deps.probeTimeoutMs),
      deps.pingRedis ? answersWithin(deps.pingRedis, deps.probeTimeoutMs) : null,
    ]);
    const report = {
      database: database ? 'up' : 'down',
      ...(redis !== null && { redis: redis ? 'up' : 'down' }),
    };
    if (!database) return reply.status(503).send({ ok: false, reason: 'database unavailable', ...report });
    return { ok: true, ...report };
  });
}
