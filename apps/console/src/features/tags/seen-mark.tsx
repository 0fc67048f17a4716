/** "Seen" under the operators' last reply the visitor has seen with the chat open. */
import { useI18n } from '../../i18n/i18n';

export function SeenMark() {
  const { t } = useI18n();
  return <span className="seen-mark">{t('readReceipts.seen')}</span>;
}
