/**
 * The bubble by the launcher: while the chat is closed, an operator's message the visitor has not
 * seen (a chat started from the console's "visitors now") shows as a small card with the operator's
 * name, photo and text, and a close button. Quiet by design: a polite live region, no sound, no
 * focus taken. Clicking it opens the chat; closing it only hides it. The frame draws it (keeping the
 * loader small): `bm` on <html> shows the bubble alone, and the loader sizes the iframe to it.
 */
import type { MessageDTO } from '@parley/protocol';
import { h } from './dom.js';
import type { Catalog } from './i18n.js';
import { avatar } from './render-message.js';

export interface Bubble {
  show(message: MessageDTO): void;
  hide(): void;
}

/** `onSize(px)`: the height the iframe must have to show it (0: hidden). */
export function createBubble(t: Catalog, onOpen: () => void, onSize: (height: number) => void): Bubble {
  let root: HTMLElement | null = null;
  // The iframe has no layout while the loader keeps it hidden: the first size only gets it shown,
  // and the bubble's real height follows as soon as it is laid out (and whenever it changes).
  const sized = new ResizeObserver(() => {
    if (root) onSize(Math.ceil(root.getBoundingClientRect().height) + 16);
  });
  const hide = () => {
    if (root) sized.unobserve(root);
    root?.remove();
    root = null;
    document.documentElement.classList.remove('bm');
    onSize(0);
  };
  return {
    show(message) {
      const name = message.author.name ?? t.operator;
      const open = h(
        'button',
        { type: 'button', class: 'bo' },
        avatar(name, message.author.avatarUrl),
        h('span', { class: 'bn' }, name),
        h('span', { class: 'bt' }, message.text),
        // Named by what it shows (label in name), then what it does: "Anna Help you pick…? Reply".
        h('span', { class: 'sr' }, ` ${t.bubbleOpen}`),
      );
      const dismiss = h('button', { type: 'button', class: 'bx', 'aria-label': t.bubbleDismiss }, '×');
      open.addEventListener('click', () => {
        hide();
        onOpen();
      });
      dismiss.addEventListener('click', hide);
      if (root) sized.unobserve(root);
      root?.remove();
      // The text is in the live region too, so a screen reader hears who wrote what, once, politely.
      root = h('div', { class: 'bb', role: 'status' }, open, dismiss);
      document.body.append(root);
      document.documentElement.classList.add('bm');
      onSize(Math.max(Math.ceil(root.getBoundingClientRect().height), 1) + 16);
      sized.observe(root);
    },
    hide,
  };
}
