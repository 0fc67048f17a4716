/**
 * Draws the timeline (see timeline-model.ts) into the chat's log: one
 * element per entry, kept in the model's order, scrolled to the end when the
 * visitor was reading the end or wrote something. A message the server
 * refused for good shows "Not sent" with Retry and Discard.
 */
import type { MessageDTO } from '@parley/protocol';
import type { Catalog } from './i18n.js';
import { renderMessage } from './render-message.js';
import { createTimelineModel, type Entry, type PendingState, type TimelineModel } from './timeline-model.js';

export interface FailedActions {
  retry(clientId: string): void;
  discard(clientId: string): void;
}

export interface Timeline {
  readonly model: TimelineModel;
  /** Shows a message from the server; false when it was already shown. Replaces its unsent copy if any. */
  add(message: MessageDTO): boolean;
  addPending(clientId: string, text: string, state?: PendingState): void;
  /** Redraws an unsent message in its new state, or takes it out (`null`). */
  setPending(clientId: string, state: PendingState | null): void;
}

export function createTimeline(
  list: HTMLElement,
  t: Catalog,
  language: string,
  actions: FailedActions,
): Timeline {
  const model = createTimelineModel();
  const elements: HTMLElement[] = [];

  // Called only with an index the model just returned.
  const render = (index: number, continued: boolean): HTMLElement => {
    const { message, clientId, text, state } = model.entries[index] as Entry;
    return renderMessage(
      {
        text,
        author: message?.author ?? { kind: 'visitor', id: null, name: null, avatarUrl: null },
        createdAt: message?.createdAt ?? null,
        state,
        files: message?.attachments,
      },
      t,
      language,
      continued,
      state === 'failed' && clientId ? (action) => actions[action](clientId) : undefined,
    );
  };

  const insert = (index: number, continued = false): void => {
    const entry = model.entries[index];
    const element = render(index, continued);
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const next = elements[index] ?? null;
    list.insertBefore(element, next && next.parentNode === list ? next : null);
    elements.splice(index, 0, element);
    if (stick || !entry?.message || entry.message.author.kind === 'visitor')
      list.scrollTop = list.scrollHeight;
  };

  return {
    model,
    add(message) {
      const placed = model.add(message);
      if (!placed) return false;
      if (placed.replaced !== null) elements.splice(placed.replaced, 1)[0]?.remove();
      insert(placed.index, placed.continued);
      return true;
    },
    addPending(clientId, text, state) {
      insert(model.addPending(clientId, text, state));
    },
    setPending(clientId, state) {
      const index = model.setPending(clientId, state);
      const old = elements[index];
      if (!old) return;
      if (!state) return void elements.splice(index, 1)[0]?.remove();
      elements[index] = render(index, false);
      old.replaceWith(elements[index]);
    },
  };
}
