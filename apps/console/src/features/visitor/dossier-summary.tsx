/**
 * The dossier's part of the card beside a conversation: where the visitor came from (the latest
 * visit's source with UTM and search query; the first one too when it differs), the referrer
 * stored at their first session, location (credited), device, visits, cart, segment chips, and
 * the link to the full profile.
 */
import type { VisitorDossier } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';
import { RouteLink } from '../../lib/route-link';
import { pathForVisitor } from '../../store/routes';
import { deviceKindLabel } from '../visitors-now/format';
import { ExternalLink, Field, LocationField, SegmentChips, SourceFields, sameTouch } from './dossier-parts';

/** The dossier as the card loaded it (fetched again when segments change, see VisitorCard). */
export function DossierSummary({ dossier }: { dossier: VisitorDossier }) {
  const { t } = useI18n();
  const { visitor } = dossier;
  const visitorId = visitor.id;
  const latest = visitor.lastTouch ?? dossier.visits[0]?.source ?? null;
  const first = visitor.firstTouch;
  const referrerShown = [latest?.referrer, first?.referrer].includes(visitor.referrer);
  return (
    <section className="visitor-dossier" aria-label={t('dossier.source')}>
      <dl>
        <SourceFields touch={latest} />
        {first && !sameTouch(first, latest) && (
          <SourceFields touch={first} label={t('dossier.firstSource')} />
        )}
        {visitor.referrer && !referrerShown && (
          <Field label={t('dossier.referrer')}>
            <ExternalLink url={visitor.referrer} />
          </Field>
        )}
        <LocationField visitor={visitor} />
        {visitor.device && <Field label={t('dossier.device')}>{deviceKindLabel(t, visitor.device)}</Field>}
        <Field label={t('dossier.visits')}>{visitor.visitCount}</Field>
        {visitor.cart && (
          <Field label={t('dossier.cart')}>
            {visitor.cart.amount} {visitor.cart.currency ?? ''}
          </Field>
        )}
        <Field label={t('dossier.segments')}>
          <SegmentChips segments={dossier.segments} />
        </Field>
      </dl>
      <RecentPages pages={dossier.visits[0]?.pages ?? []} />
      <p>
        <RouteLink href={pathForVisitor(visitorId)} className="open-profile">
          {t('dossier.openProfile')}
        </RouteLink>
      </p>
    </section>
  );
}

/** The latest visit's pages, the newest first (at most five): what the visitor looked at just now. */
function RecentPages({ pages }: { pages: { id: string; url: string; title: string | null }[] }) {
  const { t } = useI18n();
  if (pages.length === 0) return null;
  return (
    <>
      <h3>{t('dossier.pages')}</h3>
      <ol className="recent-pages">
        {pages
          .slice(-5)
          .reverse()
          .map((page) => (
            <li key={page.id}>
              <ExternalLink url={page.url} text={page.title} />
            </li>
          ))}
      </ol>
    </>
  );
}
