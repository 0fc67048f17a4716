/**
 * Typing indicators: ephemeral, never stored, announced on the bus. An
 * operator typing a note is announced as such, and `recipientsFor` tells only
 * operators: a visitor told "Anna is typing…" with no message following could
 * guess at notes.
 */
import type { PublicOperatorDTO, Visibility } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import type { DomainContext } from '../context.js';
import type { ConversationWithVisitor } from './presenter.js';

export async function typingAnnouncer(
  ctx: DomainContext,
  conversation: Pick<ConversationWithVisitor, 'id' | 'site_id' | 'visitor_id'>,
  typing: boolean,
  by:
    | { kind: 'visitor'; preview: string | null }
    | { kind: 'operator'; operator: PublicOperatorDTO; visibility?: Visibility },
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
      visibility: by.kind === 'operator' ? (by.visibility ?? 'public') : 'public',
    },
  });
}
