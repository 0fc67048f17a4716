/** Announcing what routing changed: the conversation's row to operators (assignee, department, escalation). */
import type { DomainContext } from '../context.js';
import { presentConversation } from '../conversations/presenter.js';
import { findConversation } from '../conversations/queries.js';

export async function publishConversationById(ctx: DomainContext, conversationId: string): Promise<void> {
  const row = await findConversation(ctx.db, conversationId);
  if (!row) return;
  await ctx.bus.publish({
    type: 'conversation.updated',
    siteId: row.site_id,
    visitorId: row.visitor_id,
    conversation: presentConversation(row),
  });
}
