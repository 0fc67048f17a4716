/** The composer's Note switch: a toggle button (pressed = writing a note only colleagues see), Alt+N. */
import { useI18n } from '../../i18n/i18n';
import { LockIcon } from './lock-icon';
import { toggleNoteMode, useNoteMode } from './note-mode';

export function NoteToggle({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const note = useNoteMode(conversationId);
  return (
    <button
      type="button"
      className={`note-toggle${note ? ' on' : ''}`}
      aria-pressed={note}
      aria-keyshortcuts="Alt+N"
      title={t('notes.toggleHint')}
      onClick={() => toggleNoteMode(conversationId)}
    >
      <LockIcon />
      {t('notes.toggle')}
    </button>
  );
}
