/**
 * The launcher button and the panel that will hold the chat iframe, drawn in
 * an open Shadow DOM attached to one host element at the end of <body>.
 * Pure view: the loader decides when to open, close and badge.
 */
import type { Language } from '@parley/protocol';
import { LAUNCHER_LABELS } from './labels.js';
import { LAUNCHER_CSS } from './launcher-styles.js';

const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

export interface Launcher {
  onClick(handler: () => void): void;
  setOpen(open: boolean): void;
  setUnread(count: number): void;
  setLanguage(language: Language): void;
  setAccent(color: string): void;
  /** Shows the closed chat's frame this tall (px) for the frame's bubble, or (0) hides it. */
  setBubble(height: number): void;
  /** The panel the iframe goes into (created empty and hidden). */
  panel: HTMLElement;
  focus(): void;
}

export function createLauncher(language: Language, accent: string | null): Launcher {
  const host = document.createElement('div');
  host.setAttribute('data-parley', '');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${LAUNCHER_CSS}</style><button class="l" type="button" aria-describedby="u">${ICON}<span class="b" aria-hidden="true" hidden></span></button><span class="s" id="u"></span><div class="p" hidden></div>`;
  const button = root.querySelector('button') as HTMLButtonElement;
  const badge = root.querySelector('.b') as HTMLElement;
  const unreadText = root.querySelector('.s') as HTMLElement;
  const panel = root.querySelector('.p') as HTMLElement;
  let labels = LAUNCHER_LABELS[language];
  let unread = 0;

  const label = () => {
    button.setAttribute('aria-label', labels.open);
    unreadText.textContent = unread ? labels.unread(unread) : '';
    panel.querySelector('iframe')?.setAttribute('title', labels.frame);
  };
  const launcher: Launcher = {
    panel,
    onClick: (handler) => button.addEventListener('click', handler),
    setOpen(open) {
      button.hidden = open;
      panel.hidden = !open;
      panel.className = 'p';
    },
    setBubble(height) {
      panel.hidden = !height;
      panel.className = 'p q';
      panel.style.setProperty('--h', `${height}px`);
    },
    setUnread(count) {
      unread = count;
      badge.hidden = count === 0;
      // Drawn by CSS, not text: the button's name stays "Open chat" (WCAG 2.5.3, label in name), and
      // the count reaches screen readers once, as the button's description.
      badge.dataset.n = count > 9 ? '9+' : String(count);
      label();
    },
    setLanguage(next) {
      labels = LAUNCHER_LABELS[next];
      label();
    },
    setAccent(color) {
      if (/^#[0-9a-f]{6}$/i.test(color)) host.style.setProperty('--a', color);
    },
    focus: () => button.focus(),
  };
  if (accent) launcher.setAccent(accent);
  label();
  document.body.appendChild(host);
  return launcher;
}
