/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers and the node is not draining). */

import { API_PATHS } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export function healthRoutes(app: FastifyInstance, deps: { db: Db; isDraining: () => boolean }): void {
  app.get(API_PATHS.health, async () => ({ ok: true }));
  app.get(API_PATHS.ready, async (_request, reply) => {
    if (deps.isDraining()) return reply.status(503).send({ ok: false, reason: 'draining' });
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { ok: true };
    } catch {
      return reply.status(503).send({ ok: false, reason: 'database unavailable' });
    }
  });
}
