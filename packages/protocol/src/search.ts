/**
 * Search: the console's search over messages (notes included: operators only) and visitors'
 * names and emails. There is no visitor-facing search.
 */
import type { MessageDTO, Timestamp } from './dto.js';

/** A type, not an interface, so it fits a query-string record. */
export type SearchQuery = {
  /**
   * What to look for, as typed: words (each also found as the start of a longer word and in
   * its other forms: `заказа` finds `заказ`), `"a phrase"`, `-excluded`, `or`. A query that
   * finds nothing this way is retried forgiving typos.
   */
  q: string;
  /** Only this site (one the operator works on); all of theirs when absent. */
  siteId?: string;
  /** Messages written on or after this moment (ISO 8601 date or date-time). */
  from?: string;
  /** Messages written before this moment (a bare date means the end of that day, UTC). */
  to?: string;
  /** Only conversations assigned to this operator. */
  assigneeId?: string;
  cursor?: string;
  limit?: number;
};

/**
 * Text cut into plain and matching parts, so a client marks what matched without ever
 * reading markup: every part is rendered as text.
 */
export type HighlightedText = { text: string; hit: boolean }[];

/** How a hit was found: by words and their forms, or (when nothing was) by similar spelling. */
export const SEARCH_MATCHES = ['words', 'similar'] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

export interface MessageSearchHit {
  /** The message as operators see it (a note too): its `seq` is where the conversation opens. */
  message: MessageDTO;
  siteId: string;
  visitorId: string;
  visitorName: string;
  /** The part of the text around the match, with the matching words marked. */
  snippet: HighlightedText;
}

export interface VisitorSearchHit {
  visitorId: string;
  siteId: string;
  name: HighlightedText;
  email: HighlightedText | null;
  /** The visitor's latest conversation, which the result opens. */
  conversationId: string;
  lastSeenAt: Timestamp;
}

export interface SearchResults {
  match: SearchMatch;
  /** Newest first. */
  messages: MessageSearchHit[];
  /** Visitors whose name or email matches; on the first page only. */
  visitors: VisitorSearchHit[];
  /** Opaque; pass back as `cursor` for more messages. Null at the end. */
  nextCursor: string | null;
}
