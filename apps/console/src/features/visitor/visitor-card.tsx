/**
 * The right pane: who the visitor is — current page, first and last seen,
 * browser and OS, language, country, contacts (an email captured from the
 * site's form says so) — what the dossier adds
 * (source, UTM, search query, referrer, location, visits, cart, segments, a
 * link to the full profile), and every conversation they ever had, each one
 * click away.
 */

import { safeHttpUrl } from '@parley/client';
import type { ConversationDTO, EmailSource, VisitorDTO } from '@parley/protocol';
import { type ReactNode, useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { VisitorIdentity } from '../identity/visitor-identity';
import { Avatar } from '../profile/avatar';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { useDossier } from './dossier-parts';
import { DossierSummary } from './dossier-summary';

const EMPTY: ConversationDTO[] = [];

export function VisitorCard() {
  const { t } = useI18n();
  const selectedId = useInbox((s) => s.selectedId);
  const visitorId = useInbox((s) => (s.selectedId ? s.conversations[s.selectedId]?.visitorId : undefined));
  const visitor = useInbox((s) => (visitorId ? s.visitors[visitorId] : undefined));
  const history = useInbox((s) => (visitorId ? (s.visitorConversations[visitorId] ?? EMPTY) : EMPTY));
  // Fetched again when segments saved in settings change who is in which, when a new email comes (its
  // source may be another), and when the visitor is seen anew (`visitor.updated`: a page they opened,
  // an event, their first tracked page arriving after the chat began).
  const segments = useInbox((s) => (visitor ? s.siteSegments[visitor.siteId] : undefined));
  const email = visitor?.email;
  const seenAt = visitor?.lastSeenAt;
  const refresh = useMemo(() => ({ segments, email, seenAt }), [segments, email, seenAt]);
  const { dossier } = useDossier(visitor?.id, refresh);
  const emailSource = dossier && dossier.visitor.email === email ? dossier.visitor.emailSource : null;

  return (
    <aside className="pane visitor-pane" aria-label={t('visitor.card')}>
      {visitor ? <Details visitor={visitor} emailSource={emailSource} /> : null}
      {visitor && dossier && <DossierSummary dossier={dossier} />}
      {visitor && history.length > 0 && <History history={history} currentId={selectedId} />}
    </aside>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Details({ visitor, emailSource }: { visitor: VisitorDTO; emailSource: EmailSource | null }) {
  const { t, formatDateTime, language } = useI18n();
  const unknown = <span className="muted">{t('visitor.unknown')}</span>;
  const page = visitor.currentPage;
  const pageHref = page ? safeHttpUrl(page.url) : null;
  const software = [visitor.browser, visitor.os].filter(Boolean).join(', ');
  const languageName = visitor.language ? displayName(language, 'language', visitor.language) : null;
  const pageText = page ? page.title || page.url : null;

  return (
    <section className="visitor-details">
      <div className="visitor-head">
        <Avatar name={visitor.name} url={null} size={40} />
        <h2>{visitor.name}</h2>
      </div>
      <dl>
        <Field label={t('visitor.currentPage')}>
          {page && pageHref ? (
            <a href={pageHref} target="_blank" rel="noopener noreferrer nofollow" title={page.url}>
              {pageText}
            </a>
          ) : (
            (pageText ?? unknown)
          )}
        </Field>
        <Field label={t('visitor.firstSeen')}>{formatDateTime(visitor.firstSeenAt)}</Field>
        <Field label={t('visitor.lastSeen')}>{formatDateTime(visitor.lastSeenAt)}</Field>
        <Field label={t('visitor.browser')}>{software || unknown}</Field>
        <Field label={t('visitor.language')}>{languageName ?? unknown}</Field>
        {/* Location (city, region, country, credited) comes with the dossier below. */}
        <VisitorIdentity visitor={visitor} />
        {visitor.email && (
          <Field label={t('visitor.email')}>
            {visitor.email}
            {/* Taken from a form on the site, never confirmed in the chat: the operator should know. */}
            {emailSource === 'captured' && (
              <small className="muted email-source"> {t('dossier.emailSource.captured')}</small>
            )}
          </Field>
        )}
        {visitor.phone && <Field label={t('visitor.phone')}>{visitor.phone}</Field>}
      </dl>
    </section>
  );
}

/** "ru" → "Russian", "AM" → "Armenia", in the console's language; the code itself if unknown. */
function displayName(language: string, type: 'language' | 'region', code: string): string {
  try {
    return new Intl.DisplayNames([language], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}

function History({ history, currentId }: { history: ConversationDTO[]; currentId: string | null }) {
  const { t, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  // The live copy of a conversation, where the list has one, is fresher than the card's fetch.
  const live = useInbox((s) => s.conversations);
  return (
    <section className="visitor-history">
      <h3>{t('visitor.conversations')}</h3>
      <ul>
        {history.map((fetched) => {
          const c = live[fetched.id] ?? fetched;
          return (
            <li key={c.id}>
              <button
                type="button"
                className={`history-item${c.id === currentId ? ' current' : ''}`}
                aria-current={c.id === currentId ? 'true' : undefined}
                onClick={() => workspace.showConversation(c)}
              >
                <span className="history-top">
                  <span>{formatDateTime(c.createdAt)}</span>
                  <span className={`tag status-${c.status}`}>
                    {c.id === currentId ? t('visitor.current') : t(`conversationStatus.${c.status}`)}
                  </span>
                </span>
                <span className="history-text">{c.lastMessage?.text ?? ''}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
