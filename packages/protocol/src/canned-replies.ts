/**
 * The consultant's writing tools, part one: canned replies (shared per site or
 * an operator's own) and mentions of colleagues in notes. Types and limits
 * only; the zod schemas are in `schemas-canned-replies.ts`.
 */
import type { Timestamp } from './dto.js';

/** Whose a canned reply is: the site's operators' together, or one operator's own. */
export const CANNED_REPLY_SCOPES = ['shared', 'personal'] as const;
export type CannedReplyScope = (typeof CANNED_REPLY_SCOPES)[number];

export const CANNED_REPLY_LIMITS = {
  /** Without the leading `/`. */
  shortcut: 32,
  title: 100,
  /** A canned reply becomes a message: it fits in one. */
  body: 4000,
} as const;

export interface CannedReplyDTO {
  id: string;
  siteId: string;
  scope: CannedReplyScope;
  /** The operator whose own reply it is; null for a shared one. */
  ownerId: string | null;
  /** Typed after `/` in the composer, e.g. `price`; letters, digits, `_` and `-` in any script. */
  shortcut: string;
  title: string;
  /**
   * The text, with variables filled when it is inserted: `{visitor.name}`, `{operator.name}`,
   * `{site.name}`, each with an optional fallback for when it is empty: `{visitor.name|there}`.
   */
  body: string;
  updatedAt: Timestamp;
}

export interface CannedReplyList {
  /** The site's shared replies and the caller's own, by shortcut. */
  items: CannedReplyDTO[];
}

export interface CreateCannedReplyRequest {
  scope: CannedReplyScope;
  shortcut: string;
  title: string;
  body: string;
}
/** The scope of a reply is fixed once written; everything else may change. */
export interface UpdateCannedReplyRequest {
  shortcut?: string;
  title?: string;
  body?: string;
}
export interface CannedReplyResponse {
  cannedReply: CannedReplyDTO;
}

/** A colleague named with `@` in a note, as the named operator is told of it. */
export interface MentionDTO {
  id: string;
  /** The note, as operators see it. */
  messageId: string;
  conversationId: string;
  siteId: string;
  /** Who wrote the note. */
  authorName: string | null;
  /** The start of the note (at most `LIMITS.lastMessagePreview` characters). */
  text: string;
  createdAt: Timestamp;
  readAt: Timestamp | null;
}

export interface MentionList {
  /** The newest mentions first (at most 50). */
  items: MentionDTO[];
  unreadCount: number;
}

/** Marks the given mentions read; with no ids, all of the caller's. */
export interface MarkMentionsReadRequest {
  ids?: string[];
}
