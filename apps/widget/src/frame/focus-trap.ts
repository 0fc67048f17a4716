/**
 * Keeps Tab and Shift+Tab cycling inside the open chat window (the iframe's
 * document) and closes on Escape, as a modal dialog should.
 */

const FOCUSABLE =
  'a[href],button:not([disabled]),textarea:not([disabled]),input:not([disabled]),[tabindex]:not([tabindex="-1"])';

export function trapFocus(root: HTMLElement, onEscape: () => void): void {
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onEscape();
      return;
    }
    // The bubble alone (chat closed) is part of the page's tab order, never a trap.
    if (event.key !== 'Tab' || document.documentElement.classList.contains('bm')) return;
    const items = Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (element) => element.offsetParent !== null,
    );
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !root.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !root.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  });
}
