/**
 * The mark on a message that came as a reply by email (`via: 'email'`): operators should know the
 * person answered from their mailbox, so an answer may reach them there rather than in the widget.
 */
import { useI18n } from '../../i18n/i18n';

export function ViaEmailMark() {
  const { t } = useI18n();
  return (
    <span className="via-email" title={t('message.viaEmailHint')}>
      <svg width="12" height="10" viewBox="0 0 12 10" aria-hidden="true" focusable="false">
        <rect
          x="0.6"
          y="0.6"
          width="10.8"
          height="8.8"
          rx="1.2"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.2"
        />
        <path d="M1 1.5l5 4 5-4" fill="none" stroke="currentColor" strokeWidth="1.2" />
      </svg>{' '}
      <span>{t('message.viaEmail')}</span>
    </span>
  );
}
