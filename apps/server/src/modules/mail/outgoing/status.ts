/** The console's "N emails waiting" figure: `email.send` rows not sent yet, and those given up. */
import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

export async function getMailQueueCounts(db: Db): Promise<{ waiting: number; failed: number }> {
  const { rows } = await sql<{ waiting: number; failed: number }>`
    SELECT count(*) FILTER (WHERE status IN ('pending', 'running'))::int AS waiting,
           count(*) FILTER (WHERE status = 'dead')::int AS failed
    FROM outbox WHERE topic = 'email.send'`.execute(db);
  return { waiting: rows[0]?.waiting ?? 0, failed: rows[0]?.failed ?? 0 };
}
