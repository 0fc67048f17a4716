/**
 * Closing with a reason, when the site asks for one: a small modal listing the
 * site's tags as choices, with a field for a new reason (created as a tag).
 * Closing happens only once a reason is chosen; Cancel leaves the chat open.
 */
import type { ConversationDTO } from '@parley/protocol';
import { TAG_LIMITS } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { TAG_SHADES } from './tag-palette';

const NEW = '';

export function CloseReasonDialog({
  conversation,
  onDone,
}: {
  conversation: ConversationDTO;
  onDone(): void;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const siteTags = useInbox((s) => s.siteTags[conversation.siteId]) ?? [];
  const ref = useRef<HTMLDialogElement>(null);
  const [choice, setChoice] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const ready = choice !== null && (choice !== NEW || newName.trim().length > 0);

  async function close(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const reasonId =
        choice === NEW
          ? (await workspace.tags.create(conversation.siteId, newName.trim())).id
          : (choice as string);
      await workspace.setConversationStatus(conversation.id, 'close', reasonId);
      ref.current?.close();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="close-reason-title" onClose={onDone}>
      <form onSubmit={close} className="close-reason-form">
        <h2 id="close-reason-title">{t('closeReason.title')}</h2>
        <fieldset>
          <legend>{t('closeReason.legend')}</legend>
          {siteTags.map((tag) => (
            <label key={tag.id} className="close-reason-option">
              <input
                type="radio"
                name="reason"
                value={tag.id}
                checked={choice === tag.id}
                onChange={() => setChoice(tag.id)}
              />
              <span className="tag-chip" style={TAG_SHADES[tag.color]}>
                {tag.name}
              </span>
            </label>
          ))}
          <label className="close-reason-option">
            <input
              type="radio"
              name="reason"
              value=""
              checked={choice === NEW}
              onChange={() => setChoice(NEW)}
            />
            {t('closeReason.other')}
          </label>
          {choice === NEW && (
            <label>
              {t('closeReason.newName')}
              <input
                autoFocus
                value={newName}
                maxLength={TAG_LIMITS.name}
                onChange={(e) => setNewName(e.target.value)}
              />
            </label>
          )}
        </fieldset>
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={() => ref.current?.close()}>
            {t('tags.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!ready || busy}>
            {t('closeReason.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
