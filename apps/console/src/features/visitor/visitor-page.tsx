/**
 * A visitor's full profile (`/console/visitors/<id>`): contact fields and custom attributes to
 * edit, what is known (sources, location, device, visits, cart, segments), the visit timeline
 * (pages with time spent, events with their properties; older visits on demand) and every past
 * conversation, one click from the inbox.
 */
import type { VisitDTO, VisitorDossier } from '@parley/protocol';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { RouteLink } from '../../lib/route-link';
import { pathForConversation } from '../../store/routes';
import { Avatar } from '../profile/avatar';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { deviceKindLabel } from '../visitors-now/format';
import { dossierApi } from './dossier-api';
import {
  ExternalLink,
  Field,
  formatSeconds,
  LocationField,
  SegmentChips,
  SourceFields,
  sameTouch,
  useDossier,
} from './dossier-parts';
import { IdentityMarks } from './identity-marks';
import { ProfileForm } from './profile-form';

export function VisitorPage({ visitorId }: { visitorId: string }) {
  const { t } = useI18n();
  const { dossier, error, setDossier } = useDossier(visitorId);
  const selectedId = useInbox((s) => s.selectedId);
  return (
    <main className="visitor-page" aria-labelledby="visitor-page-title">
      <p>
        <RouteLink href={pathForConversation(selectedId)}>← {t('dossier.back')}</RouteLink>
      </p>
      {!dossier && !error && <p aria-busy="true">{t('dossier.loading')}</p>}
      {error && !dossier && (
        <p className="error" role="alert">
          {t('dossier.loadError', { error })}
        </p>
      )}
      {dossier && <Profile dossier={dossier} onChange={setDossier} />}
    </main>
  );
}

function Profile({
  dossier,
  onChange,
}: {
  dossier: VisitorDossier;
  onChange(dossier: VisitorDossier): void;
}) {
  const { t, formatDateTime } = useI18n();
  const { visitor } = dossier;
  const software = [visitor.browser, visitor.os].filter(Boolean).join(', ');
  return (
    <>
      <header className="visitor-head">
        <Avatar name={visitor.name} url={null} size={48} />
        <h1 id="visitor-page-title">
          {t('dossier.title')}: {visitor.name}
        </h1>
        <IdentityMarks visitorId={visitor.id} />
      </header>
      <div className="visitor-page-grid">
        <ProfileForm
          visitor={visitor}
          onSaved={(saved) => onChange({ ...dossier, visitor: { ...dossier.visitor, ...saved } })}
        />
        <section aria-labelledby="visitor-facts">
          <h2 id="visitor-facts">{t('dossier.profile')}</h2>
          <dl>
            <SourceFields touch={visitor.lastTouch} />
            {!sameTouch(visitor.firstTouch, visitor.lastTouch) && (
              <SourceFields touch={visitor.firstTouch} label={t('dossier.firstSource')} />
            )}
            {visitor.referrer &&
              ![visitor.lastTouch?.referrer, visitor.firstTouch?.referrer].includes(visitor.referrer) && (
                <Field label={t('dossier.referrer')}>
                  <ExternalLink url={visitor.referrer} />
                </Field>
              )}
            <LocationField visitor={visitor} />
            <Field label={t('visitor.browser')}>{software || t('visitor.unknown')}</Field>
            {visitor.device && (
              <Field label={t('dossier.device')}>{deviceKindLabel(t, visitor.device)}</Field>
            )}
            {visitor.language && <Field label={t('visitor.language')}>{visitor.language}</Field>}
            <Field label={t('dossier.visits')}>{visitor.visitCount}</Field>
            <Field label={t('visitor.firstSeen')}>{formatDateTime(visitor.firstSeenAt)}</Field>
            <Field label={t('visitor.lastSeen')}>{formatDateTime(visitor.lastSeenAt)}</Field>
            {visitor.cart && (
              <Field label={t('dossier.cart')}>
                {visitor.cart.amount} {visitor.cart.currency ?? ''}
              </Field>
            )}
            <Field label={t('dossier.segments')}>
              <SegmentChips segments={dossier.segments} />
            </Field>
          </dl>
        </section>
        <Timeline dossier={dossier} onChange={onChange} />
        <Conversations dossier={dossier} />
      </div>
    </>
  );
}

function Timeline({
  dossier,
  onChange,
}: {
  dossier: VisitorDossier;
  onChange(dossier: VisitorDossier): void;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [error, setError] = useState<string | null>(null);
  async function earlier() {
    const last = dossier.visits.at(-1);
    if (!last) return;
    try {
      const page = await dossierApi(workspace.http).get(dossier.visitor.id, last.number);
      onChange({
        ...dossier,
        visits: [...dossier.visits, ...page.visits],
        hasEarlierVisits: page.hasEarlierVisits,
      });
    } catch (e) {
      setError(messageOf(e));
    }
  }
  return (
    <section aria-labelledby="visitor-timeline" className="visitor-timeline">
      <h2 id="visitor-timeline">{t('dossier.timeline')}</h2>
      {dossier.visits.length === 0 && <p className="muted">{t('dossier.noVisits')}</p>}
      <ol>
        {dossier.visits.map((visit) => (
          <Visit key={visit.id} visit={visit} />
        ))}
      </ol>
      {dossier.hasEarlierVisits && (
        <button type="button" className="ghost" onClick={() => void earlier()}>
          {t('dossier.earlierVisits')}
        </button>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Visit({ visit }: { visit: VisitDTO }) {
  const { t, formatDateTime } = useI18n();
  const titleId = `visit-${visit.id}`;
  return (
    <li className="visit">
      <h3 id={titleId}>
        {t('dossier.visitTitle', { number: visit.number, date: formatDateTime(visit.startedAt) })}
      </h3>
      <dl>
        <SourceFields touch={visit.source} />
      </dl>
      {visit.pages.length > 0 && (
        <>
          <h4>{t('dossier.pages')}</h4>
          <ol className="visit-pages">
            {visit.pages.map((page) => (
              <li key={page.id}>
                <ExternalLink url={page.url} text={page.title} />{' '}
                <span className="muted">
                  {page.seconds === null ? t('dossier.stillOpen') : formatSeconds(page.seconds)}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {visit.events.length > 0 && (
        <>
          <h4>{t('dossier.events')}</h4>
          <ul className="visit-events">
            {visit.events.map((event) => (
              <li key={event.id}>
                <strong>{event.name}</strong>{' '}
                <span className="muted">{formatDateTime(event.occurredAt)}</span>
                {Object.keys(event.properties).length > 0 && (
                  <span className="event-properties">
                    {' '}
                    {Object.entries(event.properties)
                      .map(([key, value]) => `${key}: ${String(value)}`)
                      .join(', ')}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

function Conversations({ dossier }: { dossier: VisitorDossier }) {
  const { t, formatDateTime } = useI18n();
  const workspace = useWorkspace();
  return (
    <section aria-labelledby="visitor-conversations" className="visitor-history">
      <h2 id="visitor-conversations">{t('dossier.conversations')}</h2>
      {dossier.conversations.length === 0 && <p className="muted">{t('dossier.noConversations')}</p>}
      <ul>
        {dossier.conversations.map((c) => (
          <li key={c.id}>
            <button type="button" className="history-item" onClick={() => workspace.showConversation(c)}>
              <span className="history-top">
                <span>{formatDateTime(c.createdAt)}</span>
                <span className={`tag status-${c.status}`}>{t(`conversationStatus.${c.status}`)}</span>
              </span>
              <span className="history-text">{c.lastMessage?.text ?? ''}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
