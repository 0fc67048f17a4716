/**
 * Mentions in the top bar: a button with the unread count that opens the
 * list of notes naming this operator (newest first; opening one marks it
 * read and shows its conversation), and a toast for one that arrives live.
 */
import type { MentionDTO } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useStore } from '../../store/store';
import { useWorkspace } from '../shell/workspace-context';

/** Opens a mention's conversation and marks it read. */
function useOpenMention(): (mention: MentionDTO) => void {
  const workspace = useWorkspace();
  return (mention) => {
    workspace.select(mention.conversationId);
    if (!mention.readAt) void workspace.mentions.markRead([mention.id]).catch(() => {});
  };
}

export function MentionsButton() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const unread = useStore(workspace.mentions.store, (s) => s.unreadCount);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={`ghost mentions-button${unread ? ' has-unread' : ''}`}
        onClick={() => setOpen(true)}
      >
        {/* Named by what it shows (label in name): "Mentions 1 (unread)". */}
        <span aria-hidden="true">@</span> {t('mentions.open')}
        {unread > 0 && (
          <>
            {' '}
            <span className="badge">{unread}</span>
            <span className="visually-hidden"> {t('mentions.unread')}</span>
          </>
        )}
      </button>
      {open && <MentionsDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function MentionsDialog({ onClose }: { onClose(): void }) {
  const { t, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  const { items, unreadCount } = useStore(workspace.mentions.store, (s) => s);
  const openMention = useOpenMention();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
    void workspace.mentions.load();
  }, [workspace]);
  return (
    <dialog ref={ref} className="dialog mentions-dialog" aria-labelledby="mentions-title" onClose={onClose}>
      <h2 id="mentions-title">{t('mentions.title')}</h2>
      {items.length === 0 ? (
        <p className="muted">{t('mentions.empty')}</p>
      ) : (
        <ul className="mention-list">
          {items.map((mention) => (
            <li key={mention.id} className={mention.readAt ? 'read' : 'unread'}>
              <button
                type="button"
                className="ghost mention-item"
                onClick={() => {
                  openMention(mention);
                  ref.current?.close();
                }}
              >
                <span className="mention-meta">
                  {t('mentions.by', { name: mention.authorName ?? t('mentions.someone') })} ·{' '}
                  <time dateTime={mention.createdAt}>{formatDateTime(mention.createdAt)}</time>
                </span>
                <span className="mention-text">{mention.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="dialog-actions">
        {unreadCount > 0 && (
          <button type="button" onClick={() => void workspace.mentions.markRead().catch(() => {})}>
            {t('mentions.markAll')}
          </button>
        )}
        <button type="button" onClick={() => ref.current?.close()}>
          {t('mentions.close')}
        </button>
      </div>
    </dialog>
  );
}

/** The latest live mention, shown until opened or dismissed (a status region: read out, never stealing focus). */
export function MentionToast({ mention, onDismiss }: { mention: MentionDTO | null; onDismiss(): void }) {
  const { t } = useI18n();
  const openMention = useOpenMention();
  return (
    <div className="toast-region" role="status">
      {mention && (
        <div className="toast mention-toast">
          <p>
            <strong>{t('mentions.toast', { name: mention.authorName ?? t('mentions.someone') })}</strong>
            <span className="mention-text">{mention.text}</span>
          </p>
          <div className="settings-row">
            <button
              type="button"
              className="primary small"
              onClick={() => {
                openMention(mention);
                onDismiss();
              }}
            >
              {t('mentions.show')}
            </button>
            <button type="button" className="small" onClick={onDismiss}>
              {t('mentions.dismiss')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
