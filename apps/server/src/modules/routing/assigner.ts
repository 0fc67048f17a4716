/**
 * Automatic assignment. A site's waiting conversations (open chats nobody has,
 * with a visitor waiting) go, oldest first, to the online, not-away,
 * connected operator of the conversation's department who has the fewest
 * open chats under their limit; ties go to whoever was assigned longest ago.
 *
 * It runs only when something can change the answer — a conversation's first
 * visitor message, an operator freeing up (a chat closed, coming online,
 * connecting, a limit raised, a transfer to a department) — never per message.
 *
 * Across nodes: the transaction locks the candidate operators' rows (in id
 * order, so two assigners cannot deadlock) before counting their chats, so
 * two nodes assigning at once take turns per operator and each counts what
 * the other committed (READ COMMITTED: every statement sees the latest
 * commits); a conversation is taken only while still unassigned, under its
 * row lock. No limit is exceeded and no conversation is assigned twice.
 */
import { sql } from 'kysely';
import type { Queryable, Tx } from '../../db/database.js';
import type { DomainContext } from '../context.js';
import { worksOnSite } from '../sites/queries.js';
import { publishConversationById } from './announce.js';
import { publishArrival, publishQueue } from './queue.js';
import { getRoutingSettings } from './settings.js';

/** Conversations looked at per run; a longer queue is served by the next run a freed slot triggers. */
const QUEUE_SCAN = 200;

/** Operators of the site who may be given a chat now: status online (not away) and a console connected. */
export async function assignableOperatorIds(ctx: DomainContext, siteId: string): Promise<string[]> {
  const online = await ctx.db
    .selectFrom('operators')
    .select('operators.id')
    .where(worksOnSite(siteId))
    .where('operators.deactivated_at', 'is', null)
    .where('operators.status', '=', 'online')
    .execute();
  const connected = await ctx.presence.connectedOperators(online.map((o) => o.id));
  return online.map((o) => o.id).filter((id) => connected.has(id));
}

interface Assignment {
  conversationId: string;
  operatorId: string;
}

async function pickOperator(
  tx: Tx,
  candidates: string[],
  departmentId: string | null,
): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    SELECT o.id FROM operators o
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS open FROM conversations c WHERE c.assignee_id = o.id AND c.status = 'open'
    ) load
    WHERE o.id = ANY(${candidates}::uuid[])
      AND load.open < o.chat_limit
      AND (
        ${departmentId}::uuid IS NULL
        -- A department nobody belongs to (yet) routes like no department rather than to no one.
        OR NOT EXISTS (SELECT 1 FROM department_operators d WHERE d.department_id = ${departmentId}::uuid)
        OR EXISTS (
          SELECT 1 FROM department_operators d WHERE d.department_id = ${departmentId}::uuid AND d.operator_id = o.id
        )
      )
    ORDER BY load.open, o.last_assigned_at NULLS FIRST, o.id
    LIMIT 1`.execute(tx);
  return rows[0]?.id ?? null;
}

/** Whether any of `operatorIds` is online with fewer open chats than their limit. */
async function anyHasRoom(db: Queryable, operatorIds: string[]): Promise<boolean> {
  const room = await sql`
    SELECT 1 FROM operators o
    WHERE o.id = ANY(${operatorIds}::uuid[]) AND o.status = 'online'
      AND (SELECT count(*) FROM conversations c WHERE c.assignee_id = o.id AND c.status = 'open') < o.chat_limit
    LIMIT 1`.execute(db);
  return room.rows.length > 0;
}

/** Assigns what can be assigned in one transaction; returns what it assigned. */
async function assignWaiting(
  ctx: DomainContext,
  siteId: string,
  candidates: string[],
): Promise<Assignment[]> {
  // Everyone at their limit (the usual case while a queue stands): a burst of new chats would otherwise
  // take turns on the operators' row locks below one arrival at a time (the message-path benchmark's
  // 5,000 first messages went at ~26/s). Looked at without locks first: safe, because a slot freed
  // after this look starts a run of its own, and that run's queue scan sees this arrival (committed
  // before this look).
  if (!(await anyHasRoom(ctx.db, candidates))) return [];
  return ctx.db.transaction().execute(async (tx) => {
    // NO KEY UPDATE, not UPDATE: routers still take turns on an operator, but a message being stored
    // meanwhile (its foreign keys take KEY SHARE on its author and the conversation's assignee) is
    // not blocked — with FOR UPDATE the two deadlocked (seen: 'deadlock detected' on message.send).
    const locked = await sql<{ id: string }>`
      SELECT id FROM operators WHERE id = ANY(${candidates}::uuid[]) AND status = 'online'
      ORDER BY id FOR NO KEY UPDATE`.execute(tx);
    const operators = locked.rows.map((r) => r.id);
    if (operators.length === 0) return [];
    // Everyone at their limit (the usual case while a queue stands): nothing can be assigned, so the
    // queue is neither sorted nor locked — a burst of new chats otherwise locked 200 queued rows each.
    if (!(await anyHasRoom(tx, operators))) return [];
    const queue = await sql<{ id: string; department_id: string | null }>`
      SELECT id, department_id FROM conversations
      WHERE site_id = ${siteId} AND status = 'open' AND channel = 'chat'
        AND assignee_id IS NULL AND waiting_since IS NOT NULL
      ORDER BY waiting_since, id
      LIMIT ${QUEUE_SCAN}
      FOR NO KEY UPDATE`.execute(tx);
    const assigned: Assignment[] = [];
    for (const conversation of queue.rows) {
      const operatorId = await pickOperator(tx, operators, conversation.department_id);
      if (!operatorId) {
        // Nobody at all has room: the rest of the queue waits too. A department's chat may still fit elsewhere.
        if (conversation.department_id === null) break;
        continue;
      }
      const taken = await sql`
        UPDATE conversations SET assignee_id = ${operatorId}, assigned_at = now(), escalation = 0
        WHERE id = ${conversation.id} AND assignee_id IS NULL AND status = 'open'`.execute(tx);
      if (Number(taken.numAffectedRows ?? 0) === 0) continue;
      // clock_timestamp, not now(): several assignments in one transaction must still order by time.
      await sql`UPDATE operators SET last_assigned_at = clock_timestamp() WHERE id = ${operatorId}`.execute(
        tx,
      );
      assigned.push({ conversationId: conversation.id, operatorId });
    }
    return assigned;
  });
}

/**
 * Serves a site's queue: in automatic mode, assigns every waiting conversation
 * that fits; in either mode, tells each waiting visitor their place. Returns
 * the assignments made.
 */
export async function waitingConversationsRouter(
  ctx: DomainContext,
  siteId: string,
  /** The conversation whose first message started this run, if one did. */
  arrived?: string,
): Promise<Assignment[]> {
  const settings = await getRoutingSettings(ctx.db, siteId);
  let assigned: Assignment[] = [];
  if (settings.mode === 'auto') {
    const candidates = await assignableOperatorIds(ctx, siteId);
    if (candidates.length > 0) assigned = await assignWaiting(ctx, siteId, candidates);
  }
  for (const { conversationId } of assigned) await publishConversationById(ctx, conversationId);
  // An arrival that moved nobody up concerns its own visitor only (see publishArrival).
  if (arrived && assigned.length === 0) await publishArrival(ctx, siteId, arrived);
  else await publishQueue(ctx, siteId, assigned);
  return assigned;
}

/** Runs the router without failing the caller: the chat or status change it follows has been saved already. */
export async function routeSiteQuietly(ctx: DomainContext, siteId: string, arrived?: string): Promise<void> {
  try {
    await waitingConversationsRouter(ctx, siteId, arrived);
  } catch (error) {
    ctx.log.warn({ err: error, siteId }, 'routing the queue failed; the next change retries');
  }
}
