/**
 * The waiting visitor's view of the queue: their place (per department: a
 * Sales chat does not wait behind Support's) and an honest estimate of the
 * wait — position × how long this site's chats lasted lately ÷ how many chats
 * its online operators can hold at once. With fewer than `MIN_HISTORY` chats
 * closed in the last week, or nobody online, there is no estimate (null), and
 * the widget says so rather than invent one.
 */
import type { QueueStatusDTO } from '@parley/protocol';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { DomainContext } from '../context.js';
import { publishSitePresence } from '../operators/presence.js';
import { worksOnSite } from '../sites/queries.js';

const MIN_HISTORY = 3;

interface QueuedRow {
  id: string;
  visitor_id: string;
  department_id: string | null;
  position: number;
}

async function listQueue(db: Queryable, siteId: string): Promise<QueuedRow[]> {
  const { rows } = await sql<QueuedRow>`
    SELECT id, visitor_id, department_id,
           row_number() OVER (PARTITION BY department_id ORDER BY waiting_since, id)::int AS position
    FROM conversations
    WHERE site_id = ${siteId} AND status = 'open' AND channel = 'chat'
      AND assignee_id IS NULL AND waiting_since IS NOT NULL`.execute(db);
  return rows;
}

/** Seconds a chat lasted from assignment to close, on average over the last week; null with too little history. */
async function averageChatSeconds(db: Queryable, siteId: string): Promise<number | null> {
  const { rows } = await sql<{ n: number; seconds: number | null }>`
    SELECT count(*)::int AS n, avg(extract(epoch FROM closed_at - assigned_at))::float8 AS seconds
    FROM conversations
    WHERE site_id = ${siteId} AND status = 'closed' AND assigned_at IS NOT NULL
      AND closed_at > now() - interval '7 days'`.execute(db);
  const row = rows[0];
  return row && row.n >= MIN_HISTORY && row.seconds !== null ? row.seconds : null;
}

/** Chats the site's online, connected operators can hold at once, per department (null key: everyone). */
async function capacityOf(
  ctx: DomainContext,
  siteId: string,
): Promise<(departmentId: string | null) => number> {
  const operators = await ctx.db
    .selectFrom('operators')
    .leftJoin('department_operators', 'department_operators.operator_id', 'operators.id')
    .select(['operators.id', 'operators.chat_limit', 'department_operators.department_id'])
    .where(worksOnSite(siteId))
    .where('operators.deactivated_at', 'is', null)
    .where('operators.status', '=', 'online')
    .execute();
  const connected = await ctx.presence.connectedOperators([...new Set(operators.map((o) => o.id))]);
  const live = operators.filter((o) => connected.has(o.id));
  const everyone = new Map(live.map((o) => [o.id, o.chat_limit]));
  const sum = (limits: Iterable<number>) => [...limits].reduce((a, b) => a + b, 0);
  return (departmentId) => {
    const members = live.filter((o) => o.department_id === departmentId);
    return departmentId && members.length > 0
      ? sum(members.map((o) => o.chat_limit))
      : sum(everyone.values());
  };
}

function estimate(position: number, averageSeconds: number | null, capacity: number): number | null {
  if (averageSeconds === null || capacity <= 0) return null;
  return Math.max(1, Math.round((position * averageSeconds) / capacity));
}

/** The visitor's place in the queue for one conversation (null position when it is not queued). */
export async function getQueueStatus(
  ctx: DomainContext,
  siteId: string,
  conversationId: string,
): Promise<QueueStatusDTO | null> {
  const queued = (await listQueue(ctx.db, siteId)).find((q) => q.id === conversationId);
  if (!queued) return null;
  const [average, capacity] = await Promise.all([
    averageChatSeconds(ctx.db, siteId),
    capacityOf(ctx, siteId),
  ]);
  return {
    position: queued.position,
    estimatedWaitSeconds: estimate(queued.position, average, capacity(queued.department_id)),
  };
}

/**
 * Tells every waiting visitor of the site their place now, and those just
 * assigned that they no longer wait; announces the operators' new loads.
 */
export async function publishQueue(
  ctx: DomainContext,
  siteId: string,
  assigned: readonly { conversationId: string }[],
): Promise<void> {
  const queue = await listQueue(ctx.db, siteId);
  if (assigned.length > 0) await publishSitePresence(ctx, siteId);
  if (queue.length === 0 && assigned.length === 0) return;
  const [average, capacity] = await Promise.all([
    averageChatSeconds(ctx.db, siteId),
    capacityOf(ctx, siteId),
  ]);
  for (const q of queue) {
    await ctx.bus.publish({
      type: 'queue.updated',
      siteId,
      visitorId: q.visitor_id,
      queue: {
        position: q.position,
        estimatedWaitSeconds: estimate(q.position, average, capacity(q.department_id)),
      },
    });
  }
  if (assigned.length === 0) return;
  const visitors = await ctx.db
    .selectFrom('conversations')
    .select('visitor_id')
    .where(
      'id',
      'in',
      assigned.map((a) => a.conversationId),
    )
    .execute();
  for (const { visitor_id } of visitors)
    await ctx.bus.publish({
      type: 'queue.updated',
      siteId,
      visitorId: visitor_id,
      queue: { position: null, estimatedWaitSeconds: null },
    });
}
