/** The keyboard shortcuts, in one list: the handler and the help dialog both read it. */
import type { MessageKey } from '../../i18n/en';

export interface Shortcut {
  keys: string[];
  label: MessageKey;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Alt', '↓'], label: 'shortcuts.next' },
  { keys: ['Alt', '↑'], label: 'shortcuts.previous' },
  { keys: ['Alt', 'R'], label: 'shortcuts.focus' },
  { keys: ['Alt', 'N'], label: 'shortcuts.note' },
  { keys: ['/'], label: 'shortcuts.canned' },
  { keys: ['@'], label: 'shortcuts.mention' },
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift', 'Enter'], label: 'shortcuts.newline' },
  { keys: ['Ctrl', 'K'], label: 'shortcuts.search' },
  { keys: ['?'], label: 'shortcuts.help' },
];

export const COMPOSER_ID = 'composer';
