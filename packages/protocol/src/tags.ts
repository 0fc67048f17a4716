/**
 * Tags, close reasons, read receipts and the first-message sneak peek (issue 11):
 * their DTOs, requests and limits. Kept apart from dto.ts/http.ts so the
 * feature reads as one file; re-exported from the package's index.
 */
import type { Timestamp } from './dto.js';

/**
 * The colours a tag may have: names of a palette the console draws with text
 * and background pairs that meet WCAG AA contrast, so no operator can pick an
 * unreadable tag. Stored by name; the console owns the shades.
 */
// In the order new tags take them: distinct hues first, red (alarming) and grey (dull) last.
export const TAG_COLORS = [
  'blue',
  'green',
  'purple',
  'teal',
  'orange',
  'pink',
  'yellow',
  'red',
  'gray',
] as const;
export type TagColor = (typeof TAG_COLORS)[number];

export const TAG_LIMITS = {
  /** Characters in a tag's name (trimmed). */
  name: 40,
  /** Tags one site may have. */
  perSite: 200,
  /** Tags on one conversation. */
  perConversation: 20,
} as const;

export interface TagDTO {
  id: string;
  siteId: string;
  name: string;
  color: TagColor;
  createdAt: Timestamp;
}

/** A site's tags, by name. */
export interface TagList {
  tags: TagDTO[];
}

/** A new tag; without a colour, the palette's least used one is picked. */
export interface CreateTagRequest {
  name: string;
  color?: TagColor;
}
export interface UpdateTagRequest {
  name?: string;
  color?: TagColor;
}
export interface TagResponse {
  tag: TagDTO;
}

export interface AddConversationTagRequest {
  tagId: string;
}

/** Closing a conversation, with the reason when the site asks for one (`askCloseReason`). */
export interface CloseConversationRequest {
  reasonTagId?: string;
}

/**
 * A read receipt: the other side has read up to `seq`, in the receiver's own
 * numbering. Operators hear that the visitor saw their replies; the visitor
 * hears that an operator read their messages.
 */
export interface ReadReceiptDTO {
  conversationId: string;
  seq: number;
}

/**
 * A visitor typing before their first message: there is no conversation yet,
 * so operators see the draft by visitor ("sneak peek" of the first question).
 */
export interface VisitorDraftingDTO {
  siteId: string;
  visitorId: string;
  visitorName: string;
  typing: boolean;
  /** The draft so far; null when typing stopped. */
  preview: string | null;
}

/** A site's tags changed (created, renamed, recoloured or deleted): the whole list as it is now. */
export interface TagsUpdatedDTO {
  siteId: string;
  tags: TagDTO[];
}
