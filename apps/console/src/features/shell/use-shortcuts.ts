/**
 * Global keyboard shortcuts: Alt+↓/↑ move through the current list, Alt+R
 * jumps to the reply box, Alt+N switches it between reply and note, "?" (outside text fields) opens the help.
 * Alt combinations are matched by physical key, so they work in every layout.
 */
import { useEffect } from 'react';
import type { Workspace } from '../../store/workspace';
import { toggleNoteMode } from '../notes/note-mode';
import { COMPOSER_ID } from './shortcuts';

export function useShortcuts(workspace: Workspace, openHelp: () => void): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          workspace.selectRelative(event.key === 'ArrowDown' ? 1 : -1);
        } else if (event.code === 'KeyR') {
          event.preventDefault();
          document.getElementById(COMPOSER_ID)?.focus();
        } else if (event.code === 'KeyN') {
          // Note mode for the open conversation (Ctrl+Shift+N is the browser's private window).
          const selected = workspace.store.get().selectedId;
          if (!selected) return;
          event.preventDefault();
          toggleNoteMode(selected);
          document.getElementById(COMPOSER_ID)?.focus();
        }
        return;
      }
      if (event.key === '?' && !isTextField(event.target)) {
        event.preventDefault();
        openHelp();
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [workspace, openHelp]);
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
