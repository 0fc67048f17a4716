/**
 * The middle pane: the selected conversation's header (close/reopen), its
 * messages in seq order with unsent replies after them, the visitor's typing
 * with the draft so far (sneak peek), and the reply box.
 */
import type { ConversationDTO } from '@parley/protocol';
import { useState } from 'react';
import { formatDuration, useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useNow } from '../../lib/use-now';
import { ConversationRouting } from '../routing/conversation-routing';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { CloseReasonDialog } from '../tags/close-reason-dialog';
import { ConversationTags } from '../tags/conversation-tags';
import { useReportRead } from '../tags/use-report-read';
import { Composer } from './composer';
import { MessageList } from './message-list';

export function ConversationPane() {
  const { t } = useI18n();
  const selectedId = useInbox((s) => s.selectedId);
  const conversation = useInbox((s) => (s.selectedId ? s.conversations[s.selectedId] : undefined));
  const thread = useInbox((s) => (s.selectedId ? s.threads[s.selectedId] : undefined));
  useReportRead(conversation, thread?.messages);

  if (!selectedId) {
    return (
      <section className="pane conversation-pane empty-pane">
        <p className="muted">{t('conversation.none')}</p>
      </section>
    );
  }
  if (!conversation) {
    return (
      <section className="pane conversation-pane empty-pane" aria-busy={!thread?.error}>
        <p className={thread?.error ? 'error' : 'muted'} role={thread?.error ? 'alert' : undefined}>
          {thread?.error ? t('conversation.error', { error: thread.error }) : t('conversation.loading')}
        </p>
      </section>
    );
  }
  return (
    <section
      className="pane conversation-pane"
      aria-label={t('conversation.label', { name: conversation.visitorName })}
    >
      <Header conversation={conversation} />
      <ConversationRouting conversation={conversation} />
      <MessageList key={conversation.id} conversation={conversation} />
      {conversation.status === 'open' ? (
        <Composer conversationId={conversation.id} />
      ) : (
        <p className="closed-notice">{t('conversation.closed')}</p>
      )}
    </section>
  );
}

function Header({ conversation }: { conversation: ConversationDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = conversation.status === 'open' ? 'close' : 'reopen';
  const asksReason = useInbox(
    (s) => s.sites.find((x) => x.id === conversation.siteId)?.settings.askCloseReason,
  );
  const [choosingReason, setChoosingReason] = useState(false);

  async function toggle() {
    if (change === 'close' && asksReason) return setChoosingReason(true);
    setBusy(true);
    setError(null);
    try {
      await workspace.setConversationStatus(conversation.id, change);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <header className="conversation-header">
      <div className="conversation-title">
        <h2>{conversation.visitorName}</h2>
        {conversation.channel === 'offline_request' && <span className="tag">{t('row.request')}</span>}
        <span className={`tag status-${conversation.status}`}>
          {t(`conversationStatus.${conversation.status}`)}
        </span>
        {conversation.status === 'open' && conversation.waitingSince && (
          <Waiting since={conversation.waitingSince} />
        )}
      </div>
      <ConversationTags conversation={conversation} />
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
      {choosingReason && (
        <CloseReasonDialog conversation={conversation} onDone={() => setChoosingReason(false)} />
      )}
      <button type="button" className={change === 'close' ? '' : 'primary'} disabled={busy} onClick={toggle}>
        {t(change === 'close' ? 'conversation.close' : 'conversation.reopen')}
      </button>
    </header>
  );
}

function Waiting({ since }: { since: string }) {
  const { t } = useI18n();
  const now = useNow();
  const offset = useInbox((s) => s.clockOffsetMs);
  return (
    <span className="waiting-label">
      {t('conversation.waiting', { time: formatDuration(now + offset - Date.parse(since)) })}
    </span>
  );
}
