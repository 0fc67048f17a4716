/**
 * "Visitors now" (issue 12): the console's live list of who is on a site, and the proactive chat an
 * operator starts from it. Rows are `VisitorNowDTO` (tracking.ts). Live changes reach only consoles
 * that watch the list (`visitors.watch`), batched per site at most once a second
 * (`VISITORS_NOW_LIMITS.batchMs`), so a busy site does not flood consoles that do not look.
 */
import type { ConversationDTO, MessageDTO } from './dto.js';
import type { VisitorNowDTO } from './tracking.js';

/** GET API_PATHS.siteVisitorsNow(siteId): everyone on the site now, most recently active first. */
export interface VisitorsNowList {
  visitors: VisitorNowDTO[];
  /** The server's clock when the list was read: the console ticks time on site from it. */
  serverTime: string;
}

/** A batch of changed rows of one site (operator socket event `visitors.activity`). */
export interface VisitorsActivityDTO {
  siteId: string;
  /** Each visitor's latest row; one with `left` is gone from the list. */
  visitors: VisitorNowDTO[];
}

/**
 * POST API_PATHS.visitorChats(visitorId): an operator starts a chat with a visitor on the site. The
 * conversation is opened, assigned to that operator, with this first message; a retry with the same
 * `clientId` returns the same conversation and message.
 */
export interface StartChatRequest {
  clientId: string;
  text: string;
}

export interface StartChatResponse {
  conversation: ConversationDTO;
  message: MessageDTO;
}

export const VISITORS_NOW_LIMITS = {
  /** A node sends a site's changed rows to its watching consoles at most this often. */
  batchMs: 1000,
  /** Rows one list answer may carry (the busiest site still fits; the console windows its table). */
  maxRows: 5000,
} as const;
