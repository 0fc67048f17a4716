/**
 * Typing indicators: ephemeral, never stored, announced on the bus. An
 * operator typing a note is announced as such, and `recipientsFor` tells only
 * operators: a visitor told "Anna is typing…" with no message following could
 * guess at notes.
 */
import type { PublicOperatorDTO, Visibility } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import type { DomainContext } from '../context.js';
import { readSiteSettings } from '../sites/presenter.js';
import { findSiteById } from '../sites/queries.js';
import { visitorLabel } from '../visitors/presenter.js';
import { findVisitor } from '../visitors/queries.js';
import type { ConversationWithVisitor } from './presenter.js';
import { findOpenConversationOfVisitor } from './queries.js';

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

/**
 * A visitor's typing, as the widget reports it. In their open conversation it
 * is the usual indicator, with the draft (sneak peek) when the site allows it.
 * Before the first message there is no conversation: operators are told of
 * the visitor drafting their first question, by visitor, and only while the
 * site has sneak peek on (off, the widget sends no drafts, and a draft that
 * arrives anyway is dropped here).
 */
export async function visitorTypingAnnouncer(
  ctx: DomainContext,
  visitor: { visitorId: string; siteId: string },
  typing: boolean,
  preview: string | null,
): Promise<void> {
  const [conversation, site] = await Promise.all([
    findOpenConversationOfVisitor(ctx.db, visitor.visitorId),
    findSiteById(ctx.db, visitor.siteId),
  ]);
  const sneakPeek = site ? readSiteSettings(site.settings).sneakPeek : false;
  if (conversation) {
    await typingAnnouncer(ctx, conversation, typing, {
      kind: 'visitor',
      preview: sneakPeek ? preview : null,
    });
    return;
  }
  if (!sneakPeek) return;
  const row = await findVisitor(ctx.db, visitor.visitorId);
  if (!row) return;
  await ctx.bus.publish({
    type: 'visitor.drafting',
    siteId: visitor.siteId,
    visitorId: visitor.visitorId,
    drafting: {
      siteId: visitor.siteId,
      visitorId: visitor.visitorId,
      visitorName: row.name ?? visitorLabel(row.id),
      typing: typing && Boolean(preview),
      preview: typing && preview ? preview.slice(0, LIMITS.typingPreview) : null,
    },
  });
}
