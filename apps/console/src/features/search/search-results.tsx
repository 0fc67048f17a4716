/** The results of a search: visitors found, then messages (notes marked); each opens its conversation. */
import type { MessageSearchHit, SearchResults, VisitorSearchHit } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';
import { Avatar } from '../profile/avatar';
import { useWorkspace } from '../shell/workspace-context';
import { Highlighted } from './highlighted-text';
import { openAt } from './open-hit';

export function SearchResultsList({ results, onMore }: { results: SearchResults; onMore(): void }) {
  const { t } = useI18n();
  return (
    <>
      {results.visitors.length > 0 && (
        <>
          <h3 className="search-heading">{t('search.visitors')}</h3>
          <ul className="rows" aria-label={t('search.visitors')}>
            {results.visitors.map((hit) => (
              <VisitorHit key={hit.visitorId} hit={hit} />
            ))}
          </ul>
        </>
      )}
      {results.messages.length > 0 && (
        <>
          <h3 className="search-heading">{t('search.messages')}</h3>
          <ul className="rows" aria-label={t('search.messages')}>
            {results.messages.map((hit) => (
              <MessageHit key={hit.message.id} hit={hit} />
            ))}
          </ul>
        </>
      )}
      {results.nextCursor && (
        <button type="button" className="ghost load-more" onClick={onMore}>
          {t('search.more')}
        </button>
      )}
    </>
  );
}

function MessageHit({ hit }: { hit: MessageSearchHit }) {
  const { t, formatTime, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  const { message } = hit;
  const author = message.author.kind === 'operator' ? (message.author.name ?? t('author.operator')) : null;
  return (
    <li>
      <button
        type="button"
        className="row search-hit-row"
        onClick={() => void openAt(workspace, message.conversationId, message.seq)}
      >
        <Avatar name={hit.visitorName} url={null} size={32} />
        <span className="row-main">
          <span className="row-top">
            <span className="row-name">{hit.visitorName}</span>
            {message.visibility === 'internal' && <span className="tag note-tag">{t('message.note')}</span>}
            <time className="row-time" dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
              {formatTime(message.createdAt)}
            </time>
          </span>
          <span className="search-snippet">
            {author && <span className="row-author">{author}: </span>}
            <Highlighted parts={hit.snippet} />
          </span>
        </span>
      </button>
    </li>
  );
}

function VisitorHit({ hit }: { hit: VisitorSearchHit }) {
  const workspace = useWorkspace();
  const name = hit.name.map((p) => p.text).join('');
  return (
    <li>
      <button
        type="button"
        className="row search-hit-row"
        onClick={() => workspace.select(hit.conversationId)}
      >
        <Avatar name={name} url={null} size={32} />
        <span className="row-main">
          <span className="row-name">
            <Highlighted parts={hit.name} />
          </span>
          {hit.email && (
            <span className="search-snippet">
              <Highlighted parts={hit.email} />
            </span>
          )}
        </span>
      </button>
    </li>
  );
}
