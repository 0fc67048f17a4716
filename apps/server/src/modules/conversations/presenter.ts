/** Conversations and messages on the wire. */
import type { AuthorDTO, ConversationDTO, MessageDTO } from '@parley/protocol';
import type { ConversationRow, MessageRow } from '../../db/schema.js';
import { visitorLabel } from '../visitors/presenter.js';

/** A message row with its operator author's public profile, when the author is an operator. */
export interface MessageWithAuthor extends MessageRow {
  author_name: string | null;
  author_avatar_url: string | null;
}

export function presentMessage(row: MessageWithAuthor): MessageDTO {
  const author: AuthorDTO = {
    kind: row.author_kind,
    id: row.author_id,
    name: row.author_kind === 'operator' ? row.author_name : null,
    avatarUrl: row.author_kind === 'operator' ? row.author_avatar_url : null,
  };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    author,
    text: row.text,
    createdAt: row.created_at.toISOString(),
  };
}

export interface ConversationWithVisitor extends ConversationRow {
  visitor_name: string | null;
  /** Who wrote the last message: the operator's display name, or the visitor's name if given. */
  last_message_author_name: string | null;
}

export function presentConversation(row: ConversationWithVisitor): ConversationDTO {
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
            createdAt: row.last_message_at.toISOString(),
          }
        : null,
    lastActivityAt: row.last_activity_at.toISOString(),
    unreadCount: row.unanswered_count,
    waitingSince: row.waiting_since?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
