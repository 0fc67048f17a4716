/**
 * The Canned replies section of the settings: a site's shared replies and
 * the operator's own, searched as the composer's picker searches them;
 * `/console/settings/canned-replies/new` writes one and `…/<id>` edits one.
 * Owners and admins change shared replies; everyone changes their own.
 */
import type { CannedReplyDTO } from '@parley/protocol';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { navigate } from '../../lib/location';
import { RouteLink } from '../../lib/route-link';
import { pathForSettings } from '../../store/routes';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { filterCannedReplies } from './canned-filter';
import { deleteCannedReply, useCannedReplies } from './canned-replies-data';
import { CannedReplyForm, useMayManageShared } from './canned-reply-form';

export const CANNED_SECTION = 'canned-replies';

/** The site chosen here, kept while the operator moves between the list and a reply. */
let chosenSite: string | null = null;

export function CannedRepliesPage({ itemId }: SettingsPageProps) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const sites = useInbox((s) => s.sites);
  const [siteId, setSiteId] = useState(
    () => sites.find((s) => s.id === chosenSite)?.id ?? sites[0]?.id ?? null,
  );
  const replies = useCannedReplies(workspace.http, siteId);
  const back = () => navigate(pathForSettings(CANNED_SECTION));

  if (!siteId) return <p className="muted">{t('canned.empty')}</p>;
  if (itemId) {
    const reply = itemId === 'new' ? undefined : replies.items?.find((r) => r.id === itemId);
    if (itemId !== 'new' && !reply)
      return replies.items ? (
        <p role="alert" className="error">
          {t('settings.unknownSection')}
        </p>
      ) : (
        <p className="muted">{t('list.loading')}</p>
      );
    return <CannedReplyForm key={itemId} siteId={siteId} reply={reply} onDone={back} />;
  }

  return (
    <section className="settings-list canned-list" aria-labelledby="canned-title">
      <div className="settings-head">
        <h2 id="canned-title">{t('settings.canned')}</h2>
        <RouteLink className="button-like primary-link" href={pathForSettings(CANNED_SECTION, 'new')}>
          {t('canned.new')}
        </RouteLink>
      </div>
      <p className="muted">{t('canned.intro')}</p>
      {sites.length > 1 && (
        <label className="inline-field">
          {t('canned.site')}
          <select
            value={siteId}
            onChange={(e) => {
              chosenSite = e.target.value;
              setSiteId(e.target.value);
            }}
          >
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <CannedList replies={replies.items} error={replies.error} />
    </section>
  );
}

function CannedList({ replies, error }: { replies: CannedReplyDTO[] | null; error: string | null }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const ownId = useInbox((s) => s.operator.id);
  const mayShare = useMayManageShared();
  const [query, setQuery] = useState('');
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (error && !replies)
    return (
      <p role="alert" className="error">
        {t('canned.loadError', { error })}
      </p>
    );
  if (!replies) return <p className="muted">{t('list.loading')}</p>;
  const shown = query.trim() ? filterCannedReplies(replies, query, replies.length) : replies;

  async function remove(reply: CannedReplyDTO) {
    if (!window.confirm(t('canned.confirmDelete', { shortcut: reply.shortcut }))) return;
    setDeleteError(null);
    try {
      await deleteCannedReply(workspace.http, reply);
    } catch (e) {
      setDeleteError(t('canned.deleteError', { error: messageOf(e) }));
    }
  }

  return (
    <>
      <input
        type="search"
        className="canned-search"
        aria-label={t('canned.search')}
        placeholder={t('canned.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {deleteError && (
        <p role="alert" className="error">
          {deleteError}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted">{replies.length === 0 ? t('canned.empty') : t('canned.noMatch')}</p>
      ) : (
        <ul>
          {shown.map((reply) => {
            const mayChange = reply.scope === 'personal' ? reply.ownerId === ownId : mayShare;
            return (
              <li key={reply.id} className="canned-item">
                <div className="canned-item-text">
                  <div>
                    <code className="suggestion-key">/{reply.shortcut}</code> <strong>{reply.title}</strong>{' '}
                    <span className="tag">
                      {t(reply.scope === 'shared' ? 'canned.shared' : 'canned.personal')}
                    </span>
                  </div>
                  <p className="muted small canned-body">{reply.body}</p>
                </div>
                {mayChange && (
                  <div className="settings-row">
                    <RouteLink className="button-like small" href={pathForSettings(CANNED_SECTION, reply.id)}>
                      {t('canned.edit')}
                      <span className="visually-hidden"> /{reply.shortcut}</span>
                    </RouteLink>
                    <button type="button" className="small" onClick={() => void remove(reply)}>
                      {t('canned.delete')}
                      <span className="visually-hidden"> /{reply.shortcut}</span>
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
