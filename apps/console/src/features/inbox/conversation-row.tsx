/**
 * One row of the list: visitor, last message and who wrote it (see
 * `previewAuthor`), the time of the last activity (what the list is sorted
 * by), the unanswered count, and — while a visitor waits — a waiting time
 * counting up. The whole row is one button, so its accessible name reads like the row.
 */
import { memo } from 'react';
import { formatDuration, useI18n } from '../../i18n/i18n';
import { useNow } from '../../lib/use-now';
import { siteNameForRow } from '../../store/sites';
import { Avatar } from '../profile/avatar';
import { AssigneeBadge, EscalationMark } from '../routing/assignee-badge';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { RowTags } from '../tags/row-tags';
import { previewAuthor } from './preview-author';

export const ConversationRow = memo(function ConversationRow({
  id,
  selected,
}: {
  id: string;
  selected: boolean;
}) {
  const { t, formatTime } = useI18n();
  const workspace = useWorkspace();
  const conversation = useInbox((s) => s.conversations[id]);
  const typing = useInbox((s) => s.typing[id]);
  const hasDraft = useInbox((s) => Boolean(s.drafts[id]?.trim()));
  const siteName = useInbox((s) => {
    const siteId = s.conversations[id]?.siteId;
    return siteId ? siteNameForRow(s, siteId) : null;
  });
  if (!conversation) return null;
  const last = conversation.lastMessage;
  const author = last && previewAuthor(last, t);
  const waiting = conversation.status === 'open' && conversation.waitingSince;

  return (
    <li>
      <button
        type="button"
        className={`row${selected ? ' selected' : ''}${waiting ? ' waiting' : ''}`}
        aria-current={selected ? 'true' : undefined}
        onClick={() => workspace.select(id)}
      >
        <Avatar name={conversation.visitorName} url={null} size={32} />
        <span className="row-main">
          <span className="row-top">
            <span className="row-name">{conversation.visitorName}</span>
            {conversation.channel === 'offline_request' && <span className="tag">{t('row.request')}</span>}
            {siteName && <span className="tag row-site">{siteName}</span>}
            <span className="row-time">{formatTime(conversation.lastActivityAt)}</span>
          </span>
          <span className="row-bottom">
            <span className="row-text">
              {typing ? (
                <em>{t('conversation.typing', { name: conversation.visitorName })}</em>
              ) : (
                last && (
                  <>
                    {author && <span className="row-author">{author}: </span>}
                    {last.text}
                  </>
                )
              )}
            </span>
            {hasDraft && (
              <span className="draft-mark" aria-hidden="true">
                ✎
              </span>
            )}
            {conversation.unreadCount > 0 && conversation.status === 'open' && (
              <span className="badge">
                <span aria-hidden="true">{conversation.unreadCount}</span>
                <span className="visually-hidden">
                  {t('row.unanswered', { count: conversation.unreadCount })}
                </span>
              </span>
            )}
          </span>
          <RowTags siteId={conversation.siteId} tagIds={conversation.tagIds} />
          {waiting && <WaitingTime since={waiting} />}
          <span className="row-routing">
            <AssigneeBadge conversation={conversation} size={16} />
            <EscalationMark conversation={conversation} />
          </span>
        </span>
      </button>
    </li>
  );
});

function WaitingTime({ since }: { since: string }) {
  const { t } = useI18n();
  const now = useNow();
  const offset = useInbox((s) => s.clockOffsetMs);
  const waited = now + offset - Date.parse(since);
  // Past a minute the row turns urgent: the first answer should come within 10–20 s.
  return (
    <span className={`row-waiting${waited > 60_000 ? ' urgent' : ''}`}>
      {t('row.waiting', { time: formatDuration(waited) })}
    </span>
  );
}
