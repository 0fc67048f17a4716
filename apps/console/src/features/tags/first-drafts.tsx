/**
 * Sneak peek before the first message: visitors who have no conversation yet
 * and are typing their first question, with the draft so far, above the list.
 * A draft not heard of for a while is hidden (the widget goes quiet when the
 * visitor stops; a lost "stopped" must not leave it up).
 */
import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useNow } from '../../lib/use-now';
import { FIRST_DRAFT_STALE_MS } from '../../store/tags';
import { useInbox } from '../shell/workspace-context';

export function FirstDrafts() {
  const { t } = useI18n();
  const drafts = useInbox((s) => s.firstDrafts);
  const now = useNow();
  const fresh = useMemo(
    () => Object.entries(drafts).filter(([, d]) => now - d.at < FIRST_DRAFT_STALE_MS),
    [drafts, now],
  );
  return (
    <section className="first-drafts" aria-label={t('firstDrafts.label')} aria-live="polite">
      {fresh.map(([visitorId, draft]) => (
        <p key={visitorId} className="first-draft">
          <span className="first-draft-who">{t('firstDrafts.typing', { name: draft.visitorName })}</span>
          <q className="first-draft-text">{draft.preview}</q>
        </p>
      ))}
    </section>
  );
}
