/**
 * Conversations and messages on the wire, per audience. Operators see every
 * message with its full `seq`; a visitor sees public messages only, each with
 * its `public_seq` as the seq (`presentMessageToVisitor`, `visitorViewOf`):
 * the one place that turns a message into what a visitor may know.
 */
import { type AuthorDTO, type ConversationDTO, ESCALATION_LEVELS, type MessageDTO } from '@parley/protocol';
import type { ConversationRow, MessageRow } from '../../db/schema.js';
import { presentAttachment } from '../files/presenter.js';
import type { ConversationTags } from '../tags/presenter.js';
import { visitorLabel } from '../visitors/presenter.js';

/** A message row with its operator author's public profile, when the author is an operator. */
export interface MessageWithAuthor extends MessageRow {
  author_name: string | null;
  author_avatar_url: string | null;
}

/** A message as operators see it: every message, notes included, in the full numbering. */
export function presentMessage(row: MessageWithAuthor): MessageDTO {
  const author: AuthorDTO = {
    kind: row.author_kind,
    id: row.author_id,
    // A system line about an operator (routing's "Anna joined the chat") carries their name and photo.
    name: row.author_kind !== 'visitor' ? row.author_name : null,
    avatarUrl: row.author_kind !== 'visitor' ? row.author_avatar_url : null,
  };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    visibility: row.visibility,
    clientId: row.client_id,
    author,
    text: row.text,
    ...(row.attachments?.length && { attachments: row.attachments.map(presentAttachment) }),
    ...(row.via && { via: row.via }),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The visitor's view of a message an operator's view was presented from:
 * numbered by the visitor's own sequence; null for a note, which no visitor sees.
 */
export function visitorViewOf(message: MessageDTO, publicSeq: number | null): MessageDTO | null {
  if (message.visibility !== 'public' || publicSeq === null) return null;
  return { ...message, seq: publicSeq };
}

/** A message as a visitor sees it. Visitor reads select public messages only (in SQL); a note here is a bug. */
export function presentMessageToVisitor(row: MessageWithAuthor): MessageDTO {
  const message = visitorViewOf(presentMessage(row), row.public_seq);
  if (!message)
    throw new Error(`message ${row.id} is internal: visitor reads must select public messages only`);
  return message;
}

/** The mail sweeps' bookkeeping columns (022) are not part of it: no DTO shows them, and the message path need not return them. */
export interface ConversationWithVisitor
  extends Omit<ConversationRow, 'emailed_through_seq' | 'missed_notified_at'> {
  visitor_name: string | null;
  /** Who wrote the last message: the operator's display name, or the visitor's name if given. */
  last_message_author_name: string | null;
}

/** `tags`: the row's tags when they were read with it; without them the DTO leaves them out (see `tagIds`). */
export function presentConversation(row: ConversationWithVisitor, tags?: ConversationTags): ConversationDTO {
  return {
    id: row.id,
    siteId: row.site_id,
    visitorId: row.visitor_id,
    visitorName: row.visitor_name ?? visitorLabel(row.visitor_id),
    status: row.status,
    channel: row.channel,
    assigneeId: row.assignee_id,
    lastSeq: row.last_seq,
    lastMessage:
      row.last_message_at && row.last_message_author_kind
        ? {
            text: row.last_message_text ?? '',
            authorKind: row.last_message_author_kind,
            authorName: row.last_message_author_name,
            visibility: row.last_message_visibility ?? 'public',
            createdAt: row.last_message_at.toISOString(),
          }
        : null,
    lastActivityAt: row.last_activity_at.toISOString(),
    unreadCount: row.unanswered_count,
    waitingSince: row.waiting_since?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    departmentId: row.department_id,
    participantIds: row.participant_ids,
    escalation: ESCALATION_LEVELS[row.escalation] ?? 'none',
    visitorReadSeq: row.visitor_read_seq,
    ...(tags && { tagIds: tags.tagIds, closeReasonTagId: tags.closeReasonTagId }),
  };
}
