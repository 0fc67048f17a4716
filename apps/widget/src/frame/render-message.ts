/**
 * One message as DOM. Operator replies carry the operator's name and photo
 * (or initials); the visitor's own carry a hidden "You:" for screen readers.
 * Text goes through linkify, so it is only ever text nodes and safe links.
 * A message the server refused shows "Not sent" with Retry and Discard.
 */
import type { AttachmentDTO, AuthorDTO } from '@parley/protocol';
import { h } from './dom.js';
import { renderFiles } from './files.js';
import type { Catalog } from './i18n.js';
import { linkify } from './linkify.js';

export interface MessageView {
  text: string;
  author: AuthorDTO;
  createdAt: string | null;
  state: 'sent' | 'sending' | 'failed';
  files?: AttachmentDTO[];
}

export function renderMessage(
  view: MessageView,
  t: Catalog,
  language: string,
  continued: boolean,
  /** For a failed message: what its Retry and Discard buttons do. */
  onFailed?: (action: 'retry' | 'discard') => void,
): HTMLElement {
  const { author } = view;
  const time = view.createdAt ? formatTime(view.createdAt, language) : null;
  const footer =
    view.state === 'sent'
      ? time
        ? h('time', { datetime: view.createdAt ?? undefined }, time)
        : null
      : view.state === 'sending'
        ? h('span', { class: 'ms' }, t.sending)
        : h(
            'span',
            { class: 'ms' },
            t.notSent,
            onFailed && button(t.retry, () => onFailed('retry')),
            onFailed && button(t.discard, () => onFailed('discard')),
          );
  const text = [
    view.text && h('div', { class: 'tx' }, ...linkify(view.text)),
    view.files && renderFiles(view.files, t),
  ];

  if (author.kind === 'visitor') {
    return h(
      'div',
      { class: `m me ${view.state}` },
      h('div', { class: 'bd' }, h('span', { class: 'sr' }, `${t.you}: `), ...text, footer),
    );
  }
  // "Anna joined the chat" (routing) shows who joined: their photo beside the line.
  if (author.kind === 'system')
    return h('div', { class: 'm sys' }, author.name ? avatar(author.name, author.avatarUrl) : null, ...text);
  const name = author.name || t.operator;
  return h(
    'div',
    { class: continued ? 'm op cont' : 'm op' },
    continued ? null : avatar(name, author.avatarUrl),
    h('div', { class: 'bd' }, h('div', { class: 'nm' }, name), ...text, footer),
  );
}

function button(label: string, onClick: () => void): HTMLElement {
  const element = h('button', { type: 'button' }, label);
  element.addEventListener('click', onClick);
  return element;
}

export function avatar(name: string, url: string | null): HTMLElement {
  if (url && /^(https?:\/\/|\/)/.test(url)) return h('img', { class: 'av', src: url, alt: '' });
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
  return h('span', { class: 'av', 'aria-hidden': 'true' }, initials || '?');
}

function formatTime(iso: string, language: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  try {
    return date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
  } catch {
    return null;
  }
}
