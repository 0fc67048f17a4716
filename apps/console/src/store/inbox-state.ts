/**
 * The inbox's state and the pure functions that change it: which tab a
 * conversation belongs to and where in it (the server's order: newest
 * activity first), merging messages by seq without duplicates, and keeping
 * the newest snapshot of each row. What a message does to its conversation's
 * row is the server's to decide: its `message.created` event carries the row
 * as the message left it, and the console applies that. Kept free of I/O so
 * it can be tested on its own.
 */
import type {
  ConversationDTO,
  MessageDTO,
  OperatorDTO,
  OperatorPresenceDTO,
  PublicOperatorDTO,
  SegmentDTO,
  SiteDTO,
  TagDTO,
  Visibility,
  VisitorDTO,
} from '@parley/protocol';
import type { ConnectionState } from '../api/socket-client';
import type { ColleagueTyping } from './collision';
import { type FirstDraft, keptFrom, passesTagFilter } from './tags';

export type Tab = 'open' | 'closed' | 'requests';
export const TABS: readonly Tab[] = ['open', 'closed', 'requests'];

export interface TabState {
  loaded: boolean;
  loading: boolean;
  nextCursor: string | null;
  error: string | null;
}

export interface Thread {
  messages: MessageDTO[];
  hasEarlier: boolean;
  loading: boolean;
  error: string | null;
}

/** A reply the server has not acknowledged yet; resent with the same clientId until it has. */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  text: string;
  /** `internal` for a note to colleagues; a reply when absent. */
  visibility?: Visibility;
  state: 'sending' | 'failed';
  error: string | null;
  /** Files (stored already) the reply carries, and their names to show meanwhile. */
  fileIds?: string[];
  names?: string;
}

export interface VisitorTyping {
  preview: string | null;
  /** Local time of the last typing event: a stale one is hidden even if "stopped" never came. */
  at: number;
}

export interface InboxState {
  operator: OperatorDTO;
  sites: SiteDTO[];
  /** The site switcher: the one site the lists show, or null for all the operator's sites. */
  siteFilter: string | null;
  connection: ConnectionState;
  conversations: Record<string, ConversationDTO>;
  tab: Tab;
  tabs: Record<Tab, TabState>;
  selectedId: string | null;
  threads: Record<string, Thread>;
  outbox: OutboxItem[];
  visitors: Record<string, VisitorDTO>;
  visitorConversations: Record<string, ConversationDTO[]>;
  typing: Record<string, VisitorTyping>;
  drafts: Record<string, string>;
  presence: Record<string, OperatorPresenceDTO[]>;
  /** serverTime − local time, from session.ready: waiting times count from the server's clock. */
  clockOffsetMs: number;
  /** Routing's collision warning: who views each conversation, and which colleagues type in it (collision.ts). */
  viewers: Record<string, PublicOperatorDTO[]>;
  colleagueTyping: Record<string, ColleagueTyping[]>;
  // Tags, read receipts, first-message sneak peek (see tags.ts).
  /** Each site's tags, by name. */
  siteTags: Record<string, TagDTO[]>;
  /** The lists show only conversations with this tag; null: all. */
  tagFilter: string | null;
  /**
   * The lists show only conversations whose visitor is in this segment (issue 12); null: all.
   * Membership is the server's to decide: `segmentVisitors` holds the visitors of the rows it
   * returned under the filter.
   */
  segmentFilter: string | null;
  segmentVisitors: Record<string, true>;
  /** Each site's segments, by name. */
  siteSegments: Record<string, SegmentDTO[]>;
  /** Visitors typing a first message, by visitor id. */
  firstDrafts: Record<string, FirstDraft>;
}

const emptyTab: TabState = { loaded: false, loading: false, nextCursor: null, error: null };

export function initialInboxState(operator: OperatorDTO, sites: SiteDTO[]): InboxState {
  return {
    operator,
    sites,
    siteFilter: null,
    connection: 'connecting',
    conversations: {},
    tab: 'open',
    tabs: { open: emptyTab, closed: emptyTab, requests: emptyTab },
    selectedId: null,
    threads: {},
    outbox: [],
    visitors: {},
    visitorConversations: {},
    typing: {},
    drafts: {},
    presence: {},
    clockOffsetMs: 0,
    viewers: {},
    colleagueTyping: {},
    siteTags: {},
    tagFilter: null,
    segmentFilter: null,
    segmentVisitors: {},
    siteSegments: {},
    firstDrafts: {},
  };
}

export function tabOf(conversation: ConversationDTO): Tab {
  if (conversation.status === 'closed') return 'closed';
  return conversation.channel === 'offline_request' ? 'requests' : 'open';
}

/** The list query of a tab, of one site (the switcher's) or of all the operator's. */
export function tabQuery(
  tab: Tab,
  siteId: string | null = null,
): { status: 'open' | 'closed'; channel?: 'chat' | 'offline_request'; siteId?: string } {
  const site = siteId ? { siteId } : {};
  if (tab === 'closed') return { status: 'closed', ...site };
  return { status: 'open', channel: tab === 'requests' ? 'offline_request' : 'chat', ...site };
}

/**
 * Ids of a tab's conversations in the server's order: `lastActivityAt`, newest
 * first, then id, descending. Sorting the loaded rows the same way keeps a row
 * where a reload would put it, whatever order pages and live events came in.
 */
export function listOf(
  conversations: Record<string, ConversationDTO>,
  tab: Tab,
  siteId: string | null = null,
  tagFilter: string | null = null,
  /** The visitors of a segment filter, when one is on. */
  segmentVisitors: Record<string, true> | null = null,
): string[] {
  return Object.values(conversations)
    .filter(
      (c) =>
        tabOf(c) === tab &&
        (!siteId || c.siteId === siteId) &&
        passesTagFilter(c, tagFilter) &&
        (!segmentVisitors || segmentVisitors[c.visitorId] === true),
    )
    .map((c) => ({ id: c.id, at: Date.parse(c.lastActivityAt) }))
    .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((c) => c.id);
}

/**
 * True when `candidate` is an older snapshot of `known`: fewer messages, or as
 * many but less recent activity (a reopen moves it), or equal in both but open
 * where `known` is closed (closing keeps the activity, reopening moves it, so
 * of two such snapshots the closed one is the later).
 */
export function isOlderSnapshot(candidate: ConversationDTO, known: ConversationDTO): boolean {
  if (candidate.lastSeq !== known.lastSeq) return candidate.lastSeq < known.lastSeq;
  const activity = Date.parse(candidate.lastActivityAt) - Date.parse(known.lastActivityAt);
  if (activity !== 0) return activity < 0;
  return candidate.status === 'open' && known.status === 'closed';
}

/** Adds or replaces conversations, never with an older snapshot of a known one. */
export function withConversations(state: InboxState, items: ConversationDTO[]): InboxState {
  const fresh = items.filter((item) => {
    const known = state.conversations[item.id];
    // A list page fetched before a live event may arrive after it: never step back to what it showed.
    return !known || !isOlderSnapshot(item, known);
  });
  if (fresh.length === 0) return state;
  const conversations = { ...state.conversations };
  for (const item of fresh) conversations[item.id] = keptFrom(item, conversations[item.id]);
  return { ...state, conversations };
}

/** Messages in seq order, each seq once: a message seen twice (event and ack, or a resync) shows once. */
export function mergeMessages(existing: MessageDTO[], incoming: MessageDTO[]): MessageDTO[] {
  if (incoming.length === 0) return existing;
  const last = existing.at(-1);
  // The common case — one new message after the last — needs no sort.
  if (incoming.length === 1 && incoming[0] && (!last || incoming[0].seq > last.seq)) {
    return [...existing, incoming[0]];
  }
  const bySeq = new Map<number, MessageDTO>();
  for (const message of existing) bySeq.set(message.seq, message);
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The last seq before the first gap in a thread's loaded messages (the last seq when there is none): where a resync resumes. */
export function lastContiguousSeq(messages: MessageDTO[]): number {
  let last = messages[0]?.seq ?? 0;
  for (const message of messages) {
    if (message.seq > last + 1) return last;
    last = message.seq;
  }
  return last;
}
