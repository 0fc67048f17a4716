/**
 * Factories for the store's unit tests: protocol DTOs with plausible
 * defaults, and an inbox state holding given conversations and threads.
 */
import type { ConversationDTO, MessageDTO, OperatorDTO } from '@parley/protocol';
import { type InboxState, initialInboxState, type Thread } from './inbox-state';

/** 2026-01-01T00:00:00Z plus `seconds`: readable, ordered timestamps. */
export const at = (seconds: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString();

export const operator: OperatorDTO = {
  id: 'op-anna',
  email: 'anna@shop.example',
  displayName: 'Anna',
  avatarUrl: null,
  role: 'operator',
  status: 'online',
};

/** Message `seq` of conversation c1, sent at second `seq`; operator messages are Anna's. */
export function buildMessage(
  seq: number,
  kind: MessageDTO['author']['kind'] = 'visitor',
  overrides: Partial<MessageDTO> = {},
): MessageDTO {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    visibility: 'public',
    clientId: null,
    author: {
      kind,
      id: kind === 'operator' ? operator.id : kind === 'visitor' ? 'v1' : null,
      name: kind === 'operator' ? operator.displayName : null,
      avatarUrl: null,
    },
    text: `text ${seq}`,
    createdAt: at(seq),
    ...overrides,
  };
}

/** Open chat c1 of visitor v1 whose first message (seq 1, second 1) waits for an answer. */
export function buildConversation(overrides: Partial<ConversationDTO> = {}): ConversationDTO {
  return {
    id: 'c1',
    siteId: 's1',
    visitorId: 'v1',
    visitorName: '#ABCDEF',
    status: 'open',
    channel: 'chat',
    assigneeId: null,
    lastSeq: 1,
    lastMessage: {
      text: 'text 1',
      authorKind: 'visitor',
      authorName: null,
      visibility: 'public',
      createdAt: at(1),
    },
    lastActivityAt: at(1),
    unreadCount: 1,
    waitingSince: at(1),
    createdAt: at(1),
    closedAt: null,
    departmentId: null,
    participantIds: [],
    escalation: 'none',
    visitorReadSeq: 0,
    ...overrides,
  };
}

export function buildThread(messages: MessageDTO[], overrides: Partial<Thread> = {}): Thread {
  return { messages, hasEarlier: false, loading: false, error: null, ...overrides };
}

/** An inbox (Anna's) that knows `conversations` and, optionally, threads by conversation id. */
export function buildState(
  conversations: ConversationDTO[] = [],
  threads: Record<string, Thread> = {},
): InboxState {
  return {
    ...initialInboxState(operator, []),
    conversations: Object.fromEntries(conversations.map((c) => [c.id, c])),
    threads,
  };
}
