/**
 * The chat window's frame of DOM: a header (site name, who answers, close
 * button), the "Reconnecting…" status line, the message log with the
 * greeting on top, the typing line, and a footer that holds either the
 * composer or the request form.
 */
import type { PublicOperatorDTO } from '@parley/protocol';
import { h, icon } from './dom.js';
import type { Catalog } from './i18n.js';
import { avatar } from './render-message.js';

const CLOSE_ICON =
  'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z';

export interface ChatView {
  root: HTMLElement;
  log: HTMLElement;
  footer: HTMLElement;
  setTitle(title: string, greeting: string): void;
  setAvailability(online: boolean, operators: PublicOperatorDTO[]): void;
  setStatus(text: string): void;
  /** The chat cannot start here for good: says so instead of "Loading…". */
  setUnavailable(): void;
  setTyping(text: string): void;
  /** The visitor's place in the queue (routing); empty when not queued. */
  setQueue(text: string): void;
}

/** `extra`: the transcript control's button (beside close) and panel (under the header). */
export function createChatView(
  t: Catalog,
  onClose: () => void,
  extra?: { button: HTMLElement; panel: HTMLElement },
): ChatView {
  const title = h('h1', { class: 't' }, t.chat);
  const subtitle = h('p', { class: 'sub' }, t.loading);
  const faces = h('div', { class: 'ops', 'aria-hidden': 'true' });
  const close = h('button', { type: 'button', class: 'x', 'aria-label': t.close }, icon(CLOSE_ICON));
  close.addEventListener('click', onClose);
  const status = h('div', { class: 'st', role: 'status' });
  const queue = h('div', { class: 'st q', role: 'status' });
  const greeting = h('p', { class: 'greet' });
  const log = h('div', { class: 'log', role: 'log', 'aria-label': t.conversation, tabindex: '0' }, greeting);
  const typing = h('div', { class: 'ty', 'aria-live': 'polite' });
  const footer = h('div', { class: 'ft' });
  const root = h(
    'div',
    { class: 'w', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'pt' },
    h('header', { class: 'hd' }, faces, h('div', { class: 'ht' }, title, subtitle), extra?.button, close),
    extra?.panel,
    status,
    queue,
    log,
    typing,
    footer,
  );
  title.id = 'pt';

  return {
    root,
    log,
    footer,
    setTitle(text, greetingText) {
      title.textContent = text;
      greeting.textContent = greetingText;
    },
    setAvailability(online, operators) {
      subtitle.textContent = online ? t.online : t.offline;
      // Offline, the form's own intro replaces the greeting (see frame.css).
      root.classList.toggle('offline', !online);
      faces.replaceChildren(...operators.slice(0, 3).map((op) => avatar(op.displayName, op.avatarUrl)));
    },
    setStatus: (text) => {
      status.textContent = text;
    },
    setUnavailable: () => {
      subtitle.textContent = '';
      status.textContent = t.unavailable;
    },
    setTyping: (text) => {
      typing.textContent = text;
    },
    setQueue: (text) => {
      queue.textContent = text;
    },
  };
}
