/**
 * The proactive chat: the operator writes a first message to a visitor on the site. The server opens
 * the conversation assigned to them; a retry (a lost answer) sends the same clientId, so a second
 * click never opens a second chat. Then the inbox shows the new conversation.
 */
import { newClientId } from '@parley/client';
import { API_PATHS, LIMITS, type StartChatResponse, type VisitorNowDTO } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { navigate } from '../../lib/location';
import { pathForConversation } from '../../store/routes';
import { useWorkspace } from '../shell/workspace-context';

export function StartChatDialog({ visitor, onClose }: { visitor: VisitorNowDTO; onClose(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One id per message written here: a resend after a lost answer is the same start.
  const clientId = useRef(newClientId());

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  async function send(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { conversation } = await workspace.http.request<StartChatResponse>(
        API_PATHS.visitorChats(visitor.visitorId),
        { json: { clientId: clientId.current, text: text.trim() } },
      );
      onClose();
      workspace.showConversation(conversation);
      navigate(pathForConversation(conversation.id));
    } catch (failure) {
      setError(t('visitorsNow.startFailed', { error: messageOf(failure) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="start-chat-title" onClose={onClose}>
      <form onSubmit={send} className="start-chat-form">
        <h2 id="start-chat-title">{t('visitorsNow.startTitle', { name: visitor.name })}</h2>
        <p className="muted small">{t('visitorsNow.startHint')}</p>
        <label>
          {t('visitorsNow.message')}
          <textarea
            value={text}
            rows={3}
            required
            maxLength={LIMITS.messageText}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {error && (
          <p className="error small" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('visitorsNow.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !text.trim()}>
            {t('visitorsNow.send')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
