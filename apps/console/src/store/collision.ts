/**
 * Routing's collision warning, as pure state changes: who else views a
 * conversation (`viewers.updated`, from every node), and which colleagues
 * are typing a reply in it (`typing.updated` from operators, which the
 * console otherwise does not show). The console warns when two type at once.
 */
import type { PublicOperatorDTO, TypingDTO, ViewersDTO } from '@parley/protocol';
import type { InboxState } from './inbox-state';

export interface ColleagueTyping {
  operator: PublicOperatorDTO;
  /** Local time of the last event: a stale one is hidden even if "stopped" never came. */
  at: number;
}

/** Typing events refresh every few seconds; longer silence means the colleague stopped. */
export const COLLEAGUE_TYPING_STALE_MS = 8000;

export function withViewers(state: InboxState, viewers: ViewersDTO): InboxState {
  return { ...state, viewers: { ...state.viewers, [viewers.conversationId]: viewers.operators } };
}

/** Records a colleague typing a reply (never a note, never oneself) or stopping. */
export function withColleagueTyping(state: InboxState, typing: TypingDTO, localNow: number): InboxState {
  const operator = typing.operator;
  if (typing.authorKind !== 'operator' || !operator || operator.id === state.operator.id) return state;
  if (typing.visibility === 'internal') return state;
  const others = (state.colleagueTyping[typing.conversationId] ?? []).filter(
    (t) => t.operator.id !== operator.id,
  );
  const next = typing.typing ? [...others, { operator, at: localNow }] : others;
  return { ...state, colleagueTyping: { ...state.colleagueTyping, [typing.conversationId]: next } };
}

/** Colleagues typing in a conversation now. */
export function typingColleagues(
  entries: readonly ColleagueTyping[] | undefined,
  localNow: number,
): PublicOperatorDTO[] {
  return (entries ?? []).filter((t) => localNow - t.at < COLLEAGUE_TYPING_STALE_MS).map((t) => t.operator);
}

/** Colleagues viewing a conversation, oneself left out. */
export function otherViewers(
  viewers: readonly PublicOperatorDTO[] | undefined,
  me: string,
): PublicOperatorDTO[] {
  return (viewers ?? []).filter((o) => o.id !== me);
}
