/** Mention rows → DTOs. */
import { LIMITS, type MentionDTO } from '@parley/protocol';

export interface MentionWithNote {
  id: string;
  /** The operator named. */
  operator_id: string;
  message_id: string;
  conversation_id: string;
  site_id: string;
  author_name: string | null;
  text: string;
  created_at: Date;
  read_at: Date | null;
}

export function presentMention(row: MentionWithNote): MentionDTO {
  return {
    id: row.id,
    messageId: row.message_id,
    conversationId: row.conversation_id,
    siteId: row.site_id,
    authorName: row.author_name,
    text: row.text.slice(0, LIMITS.lastMessagePreview),
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}
