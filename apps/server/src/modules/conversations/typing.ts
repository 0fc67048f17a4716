/** Typing indicators: ephemeral, never stored, announced on the bus. */
import type { PublicOperatorDTO } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import type { DomainContext } from '../context.js';
import type { ConversationWithVisitor } from './presenter.js';

export async function typingAnnouncer(
  ctx: DomainContext,
  conversation: Pick<ConversationWithVisitor, 'id' | 'site_id' | 'visitor_id'>,
  typing: boolean,
  by: { kind: 'visitor'; preview: string | null } | { kind: 'operator'; operator: PublicOperatorDTO },
): Promise<void> {
  await ctx.bus.publish({
    type: 'typing.updated',
    siteId: conversation.site_id,
    visitorId: conversation.visitor_id,
    typing: {
      conversationId: conversation.id,
      authorKind: by.kind,
      typing,
      operator: by.kind === 'operator' ? by.operator : null,
      preview: by.kind === 'visitor' && typing ? (by.preview ?? '').slice(0, LIMITS.typingPreview) : null,
    },
  });
}
