/**
 * The reply box. Its text is the conversation's draft, kept in the store, so
 * switching conversations never loses it. Enter sends, Shift+Enter adds a line.
 * In Note mode (the toggle, Alt+N) it writes a note only colleagues see, looks
 * it, and tells the visitor nothing of the typing; `/` and `@` open pickers
 * (composer-tools), which take their keys first.
 */
import { LIMITS } from '@parley/protocol';
import { type KeyboardEvent, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSuggestions } from '../composer-tools/use-suggestions';
import { AttachFiles } from '../files/attach-files';
import { useNoteMode } from '../notes/note-mode';
import { NoteToggle } from '../notes/note-toggle';
import { COMPOSER_ID } from '../shell/shortcuts';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const draft = useInbox((s) => s.drafts[conversationId] ?? '');
  const conversation = useInbox((s) => s.conversations[conversationId]);
  const note = useNoteMode(conversationId);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const suggestions = useSuggestions({
    conversation,
    draft,
    note,
    textarea,
    setDraft: (text) => workspace.setDraft(conversationId, text),
  });

  function send() {
    const text = draft.trim();
    if (!text) return;
    workspace.send(conversationId, text, note ? 'internal' : undefined);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.onKeyDown(event)) return;
    // isComposing: Enter that confirms an IME composition must not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form
      className={`composer${note ? ' note-mode' : ''}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {suggestions.popup}
      {note && <p className="note-mode-banner">{t('notes.banner')}</p>}
      <AttachFiles conversationId={conversationId} />
      <textarea
        ref={textarea}
        id={COMPOSER_ID}
        aria-label={t(note ? 'notes.composerLabel' : 'composer.reply')}
        placeholder={t(note ? 'notes.placeholder' : 'composer.placeholder')}
        value={draft}
        maxLength={LIMITS.messageText}
        rows={3}
        {...suggestions.inputProps}
        onChange={(e) => {
          workspace.setDraft(conversationId, e.target.value);
          // A note's typing is nobody's business but the colleagues': the visitor hears nothing.
          if (e.target.value && !note) workspace.typingActivity(conversationId);
          else workspace.stopTyping(conversationId);
          suggestions.onCaret();
        }}
        onSelect={suggestions.onCaret}
        onBlur={() => workspace.stopTyping(conversationId)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        <NoteToggle conversationId={conversationId} />
        <button type="submit" className="primary" disabled={!draft.trim()}>
          {t(note ? 'notes.add' : 'composer.send')}
        </button>
      </div>
    </form>
  );
}
