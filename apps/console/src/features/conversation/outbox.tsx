/** Replies not yet confirmed by the server: "Sending…", or the refusal with Retry and Discard. */
import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { RichText } from './rich-text';

export function Outbox({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const outbox = useInbox((s) => s.outbox);
  const items = useMemo(
    () => outbox.filter((o) => o.conversationId === conversationId),
    [outbox, conversationId],
  );
  if (items.length === 0) return null;
  return (
    <ol className="messages outbox">
      {items.map((item) => (
        <li
          key={item.clientId}
          className={`message operator mine pending ${item.state}${item.visibility === 'internal' ? ' internal' : ''}`}
        >
          <div className="bubble">
            <div className="message-text">
              <RichText text={item.text || (item.names ?? '')} />
            </div>
            <div className="message-meta">
              {item.state === 'sending' ? (
                <span className="muted">{t('composer.sending')}</span>
              ) : (
                <>
                  <span className="error" role="alert">
                    {t('composer.failed', { error: item.error ?? '' })}
                  </span>
                  <button
                    type="button"
                    className="ghost small"
                    onClick={() => workspace.retry(item.clientId)}
                  >
                    {t('composer.retry')}
                  </button>
                  <button
                    type="button"
                    className="ghost small"
                    onClick={() => workspace.discard(item.clientId)}
                  >
                    {t('composer.discard')}
                  </button>
                </>
              )}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
