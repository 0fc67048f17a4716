/**
 * Returning an operator's chats to the queue: for the team's "deactivate"
 * (and anyone else who takes an operator out of routing). Their open
 * conversations lose their assignee (and the operator leaves any they were
 * invited into); each site's router then gives them, oldest first, to whoever
 * has room. The operator is set offline so the router passes them over even
 * while their consoles are still closing. Their messages keep their name.
 */
import { sql } from 'kysely';
import type { DomainContext } from '../context.js';
import { publishConversationById } from './announce.js';
import { routeSiteQuietly } from './assigner.js';

/**
 * @example await operatorConversationsReleaser(ctx, operatorId) // after marking them deactivated
 * @returns the ids of the conversations that went back to the queue
 */
export async function operatorConversationsReleaser(
  ctx: DomainContext,
  operatorId: string,
): Promise<string[]> {
  // Offline first: their consoles may take a moment to close on every node, and must not win the chats back.
  await ctx.db.updateTable('operators').set({ status: 'offline' }).where('id', '=', operatorId).execute();
  const { rows } = await sql<{ id: string; site_id: string; released: boolean }>`
    UPDATE conversations SET
      assignee_id = CASE WHEN assignee_id = ${operatorId} THEN NULL ELSE assignee_id END,
      assigned_at = CASE WHEN assignee_id = ${operatorId} THEN NULL ELSE assigned_at END,
      -- Back in the queue, a chat still waits; one whose visitor was answered waits for their next message.
      participant_ids = array_remove(participant_ids, ${operatorId}::uuid)
    WHERE status = 'open' AND (assignee_id = ${operatorId} OR ${operatorId}::uuid = ANY(participant_ids))
    RETURNING id, site_id, assignee_id IS NULL AS released`.execute(ctx.db);
  for (const { id } of rows) await publishConversationById(ctx, id);
  for (const siteId of new Set(rows.map((r) => r.site_id))) await routeSiteQuietly(ctx, siteId);
  return rows.filter((r) => r.released).map((r) => r.id);
}
