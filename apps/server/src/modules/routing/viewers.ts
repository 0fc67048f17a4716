/**
 * Who else is viewing a conversation, across nodes: a console reports
 * viewing (repeated while it shows the conversation) and stopping; every
 * console of the site hears the new list (`viewers.updated`). Who is typing
 * a reply already travels as `typing.updated`; the console warns when two type.
 */
import type { DomainContext } from '../context.js';
import { presentPublicOperator } from '../operators/presenter.js';

export async function viewingRecorder(
  ctx: DomainContext,
  conversation: { id: string; site_id: string },
  operatorId: string,
  viewing: boolean,
): Promise<void> {
  const ids = await ctx.viewers.setViewing(conversation.id, operatorId, viewing);
  const operators =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('operators')
          .selectAll()
          .where('id', 'in', ids)
          .orderBy('display_name')
          .execute();
  await ctx.bus.publish({
    type: 'viewers.updated',
    siteId: conversation.site_id,
    viewers: { conversationId: conversation.id, operators: operators.map(presentPublicOperator) },
  });
}
