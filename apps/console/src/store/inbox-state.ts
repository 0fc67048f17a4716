/**
 * The inbox's state and the pure functions that change it: which tab a
 * conversation belongs to, merging messages by seq without duplicates, and
 * what a new message does to a conversation's row (last message, unanswered
 * count, waiting time). Kept free of I/O so it can be tested on its own.
 */
import type {
  ConversationDTO,
  MessageDTO,
  OperatorDTO,
  OperatorPresenceDTO,
  SiteDTO,
  VisitorDTO,
} from '@parley/protocol';
import type { ConnectionState } from '../api/socket-client';

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
  state: 'sending' | 'failed';
  error: string | null;
}

export interface VisitorTyping {
  preview: string | null;
  /** Local time of the last typing event: a stale one is hidden even if "stopped" never came. */
  at: number;
}

export interface InboxState {
  operator: OperatorDTO;
  sites: SiteDTO[];
  connection: ConnectionState;
  conversations: Record<string, ConversationDTO>;
  /** Sort key (ms) per conversation: newest activity first, as the server sorts. */
  activityAt: Record<string, number>;
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
}

const emptyTab: TabState = { loaded: false, loading: false, nextCursor: null, error: null };

export function initialInboxState(operator: OperatorDTO, sites: SiteDTO[]): InboxState {
  return {
    operator,
    sites,
    connection: 'connecting',
    conversations: {},
    activityAt: {},
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
  };
}

export function tabOf(conversation: ConversationDTO): Tab {
  if (conversation.status === 'closed') return 'closed';
  return conversation.channel === 'offline_request' ? 'requests' : 'open';
}

/** The list query of a tab. */
export function tabQuery(tab: Tab): { status: 'open' | 'closed'; channel?: 'chat' | 'offline_request' } {
  if (tab === 'closed') return { status: 'closed' };
  return { status: 'open', channel: tab === 'requests' ? 'offline_request' : 'chat' };
}

export function activityOf(conversation: ConversationDTO): number {
  return Math.max(
    Date.parse(conversation.createdAt),
    conversation.lastMessage ? Date.parse(conversation.lastMessage.createdAt) : 0,
    conversation.closedAt ? Date.parse(conversation.closedAt) : 0,
  );
}

/** Ids of a tab's conversations, newest activity first. */
export function listOf(
  conversations: Record<string, ConversationDTO>,
  activityAt: Record<string, number>,
  tab: Tab,
): string[] {
  return Object.values(conversations)
    .filter((c) => tabOf(c) === tab)
    .map((c) => c.id)
    .sort((a, b) => (activityAt[b] ?? 0) - (activityAt[a] ?? 0) || (a < b ? 1 : -1));
}

/** Adds or replaces conversations; activity never moves backwards for a known one. */
export function withConversations(state: InboxState, items: ConversationDTO[], touch = false): InboxState {
  if (items.length === 0) return state;
  const conversations = { ...state.conversations };
  const activityAt = { ...state.activityAt };
  for (const item of items) {
    const known = conversations[item.id];
    // A list page fetched before a live event may arrive after it: never step back to an older snapshot.
    if (known && known.lastSeq > item.lastSeq) continue;
    conversations[item.id] = item;
    activityAt[item.id] = touch ? Date.now() : Math.max(activityAt[item.id] ?? 0, activityOf(item));
  }
  return { ...state, conversations, activityAt };
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

/** What a new message does to its conversation's row. Messages already counted (seq ≤ lastSeq) change nothing. */
export function applyMessage(conversation: ConversationDTO, message: MessageDTO): ConversationDTO {
  if (message.seq <= conversation.lastSeq) return conversation;
  const base = {
    ...conversation,
    lastSeq: message.seq,
    lastMessage: { text: message.text, authorKind: message.author.kind, createdAt: message.createdAt },
  };
  if (message.author.kind === 'visitor') {
    return {
      ...base,
      unreadCount: conversation.unreadCount + 1,
      waitingSince: conversation.waitingSince ?? message.createdAt,
    };
  }
  if (message.author.kind === 'operator') return { ...base, unreadCount: 0, waitingSince: null };
  return base;
}
