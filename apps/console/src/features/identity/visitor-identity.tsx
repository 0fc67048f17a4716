/**
 * Who the site says a visitor is, for the visitor card: the site's user id with a mark — verified
 * (signed with the site's secret) or unverified (the page said so, anyone could have). Nothing
 * when the site never identified the visitor. A small piece the card places among its fields.
 */
import type { VisitorDTO } from '@parley/protocol';
import { useI18n } from '../../i18n/i18n';

export function VisitorIdentity({ visitor }: { visitor: VisitorDTO }) {
  const { t } = useI18n();
  const identity = visitor.identity;
  if (!identity) return null;
  const mark = identity.verified ? t('identity.verified') : t('identity.unverified');
  const hint = identity.verified ? t('identity.verifiedHint') : t('identity.unverifiedHint');
  return (
    <div className="field visitor-identity">
      <dt>{t('identity.userId')}</dt>
      <dd>
        {identity.externalId ?? <span className="muted">{t('visitor.unknown')}</span>}{' '}
        <span className={`tag identity-${identity.verified ? 'verified' : 'unverified'}`} title={hint}>
          {identity.verified ? '✓ ' : '⚠ '}
          {mark}
        </span>
        {!identity.verified && <small className="muted identity-hint"> {hint}</small>}
      </dd>
    </div>
  );
}
