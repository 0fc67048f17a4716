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

/**
 * Tells one newly queued visitor their place. A conversation joining the end
 * of the queue moves nobody else, so nobody else is told: telling every
 * waiting visitor on every arrival made a burst of new chats quadratic (5,000
 * first messages meant ~12.5 million queue events and a server at 100 % CPU
 * that stopped acknowledging messages).
 */
export async function publishArrival(
  ctx: DomainContext,
  siteId: string,
  conversationId: string,
): Promise<void> {
  const { rows } = await sql<{ visitor_id: string; department_id: string | null; position: number }>`
    SELECT c.visitor_id, c.department_id,
      (SELECT count(*) FROM conversations q
        WHERE q.site_id = c.site_id AND q.status = 'open' AND q.channel = 'chat'
          AND q.assignee_id IS NULL AND q.waiting_since IS NOT NULL
          AND q.department_id IS NOT DISTINCT FROM c.department_id
          AND (q.waiting_since, q.id) <= (c.waiting_since, c.id))::int AS position
    FROM conversations c
    WHERE c.id = ${conversationId} AND c.status = 'open' AND c.assignee_id IS NULL
      AND c.waiting_since IS NOT NULL`.execute(ctx.db);
  const queued = rows[0];
  if (!queued) return;
  const [average, capacity] = await Promise.all([
    averageChatSeconds(ctx.db, siteId),
    capacityOf(ctx, siteId),
  ]);
  await ctx.bus.publish({
    type: 'queue.updated',
    siteId,
    visitorId: queued.visitor_id,
    queue: {
      position: queued.position,
      estimatedWaitSeconds: estimate(queued.position, average, capacity(queued.department_id)),
    },
  });
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
