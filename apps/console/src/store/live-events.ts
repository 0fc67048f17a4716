/**
 * What the live events other than messages do to the inbox state, as pure
 * functions: the connection's state, the server's clock, a visitor typing,
 * a visitor's new name, operators' presence. `socket-events.ts` applies them.
 */
import type { OperatorPresenceDTO, TypingDTO, VisitorDTO } from '@parley/protocol';
import type { ConnectionState } from '../api/socket-client';
import type { InboxState } from './inbox-state';

export function withConnection(state: InboxState, connection: ConnectionState): InboxState {
  return state.connection === connection ? state : { ...state, connection };
}

/** Waiting times count from the server's clock: remembers how far the local one is off. */
export function withServerClock(state: InboxState, serverTime: string, localNow: number): InboxState {
  return { ...state, clockOffsetMs: Date.parse(serverTime) - localNow };
}

/** Shows or hides what a visitor is typing; operators' typing is not shown in the console. */
export function withVisitorTyping(state: InboxState, typing: TypingDTO, localNow: number): InboxState {
  if (typing.authorKind !== 'visitor') return state;
  const next = { ...state.typing };
  if (typing.typing) next[typing.conversationId] = { preview: typing.preview, at: localNow };
  else if (next[typing.conversationId]) delete next[typing.conversationId];
  else return state;
  return { ...state, typing: next };
}

/** A visitor's card changed: their rows follow a new name at once. */
export function withVisitor(state: InboxState, visitor: VisitorDTO): InboxState {
  const conversations = { ...state.conversations };
  for (const c of Object.values(conversations)) {
    if (c.visitorId === visitor.id && c.visitorName !== visitor.name) {
      conversations[c.id] = { ...c, visitorName: visitor.name };
    }
  }
  return { ...state, conversations, visitors: { ...state.visitors, [visitor.id]: visitor } };
}

export function withPresence(
  state: InboxState,
  siteId: string,
  operators: OperatorPresenceDTO[],
): InboxState {
  return { ...state, presence: { ...state.presence, [siteId]: operators } };
}
