/**
 * The message a search result opened: the conversation pane scrolls to it and marks it. One per
 * console; a new search hit replaces it, and it ends when the operator opens anything else.
 */
import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react';
import { Store, useStore } from '../../store/store';

export interface FocusedMessage {
  conversationId: string;
  seq: number;
}

export const focusedMessage = new Store<FocusedMessage | null>(null);

/**
 * For the message list: once the focused message is rendered, scroll it to the middle and move
 * keyboard focus to it (so a screen reader reads it), once, instead of following the newest
 * message. `reveal(seq)` widens the rendered window down to the seq when it lies above it. The
 * mark ends when the list closes (another conversation is opened). Returns the seq to mark.
 */
export function useScrollToFocused(
  scroller: RefObject<HTMLElement | null>,
  conversationId: string,
  windowStart: number,
  stickToBottom: { current: boolean },
  reveal: (seq: number) => void,
): number | null {
  const focus = useStore(focusedMessage, (f) => (f?.conversationId === conversationId ? f : null));
  const scrolledFor = useRef<FocusedMessage | null>(null);
  useEffect(() => {
    if (focus && focus.seq < windowStart) reveal(focus.seq);
  }, [focus, windowStart, reveal]);
  useLayoutEffect(() => {
    if (!focus || scrolledFor.current === focus) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-seq="${focus.seq}"]`);
    if (!element) return;
    scrolledFor.current = focus;
    stickToBottom.current = false;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
  });
  useEffect(
    () => () => focusedMessage.update((f) => (f?.conversationId === conversationId ? null : f)),
    [conversationId],
  );
  return focus?.seq ?? null;
}
