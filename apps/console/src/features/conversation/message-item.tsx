/**
 * One message in the conversation: author, time, text; the operator's own
 * replies on the right; a note (internal: the visitor never sees it) labelled
 * and tinted.
 */
import type { ConversationDTO, MessageDTO } from '@parley/protocol';
import { memo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { SaveAsCanned } from '../canned-replies/save-as-canned';
import { MessageFiles } from '../files/message-files';
import { ViaEmailMark } from '../mail/via-email-mark';
import { LockIcon } from '../notes/lock-icon';
import { Avatar } from '../profile/avatar';
import { SeenMark } from '../tags/seen-mark';
import { RichText } from './rich-text';

interface Props {
  message: MessageDTO;
  conversation: ConversationDTO;
  ownId: string;
  /** The operators' last reply the visitor has seen. */
  seen?: boolean;
  /** The message a search result opened: marked, and focusable so it can take the keyboard focus. */
  highlighted?: boolean;
}

export const MessageItem = memo(function MessageItem({
  message,
  conversation,
  ownId,
  seen,
  highlighted,
}: Props) {
  const { t, formatTime, formatDateTime } = useI18n();
  const { author } = message;
  const mine = author.kind === 'operator' && author.id === ownId;
  const name =
    author.kind === 'visitor'
      ? conversation.visitorName
      : author.kind === 'operator'
        ? (author.name ?? t('author.operator'))
        : t('author.system');
  const note = message.visibility === 'internal';
  return (
    <li
      className={`message ${author.kind}${mine ? ' mine' : ''}${note ? ' internal' : ''}${highlighted ? ' search-hit' : ''}`}
      data-seq={message.seq}
      tabIndex={highlighted ? -1 : undefined}
      aria-current={highlighted ? 'true' : undefined}
    >
      {author.kind !== 'system' && <Avatar name={name} url={author.avatarUrl} size={28} />}
      <div className="bubble">
        <div className="message-meta">
          <span className="message-author">{mine ? `${name} (${t('author.you')})` : name}</span>
          {note && (
            <>
              <span className="note-label">
                <LockIcon /> <span>{t('message.note')}</span>
              </span>
              <span className="note-hidden">{t('notes.hidden')}</span>
            </>
          )}
          {message.via === 'email' && <ViaEmailMark />}
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
        </div>
        {message.text && (
          <p className="message-text">
            <RichText text={message.text} />
          </p>
        )}
        {message.attachments && <MessageFiles files={message.attachments} />}
        {author.kind === 'operator' && message.text && (
          <SaveAsCanned message={message} siteId={conversation.siteId} />
        )}
        {seen && <SeenMark />}
      </div>
    </li>
  );
});
