/**
 * The settings area: a navigation of the sections this operator may see and
 * the chosen section's page. The inbox stays connected behind it, so arrivals
 * still chime and notify while someone edits settings.
 */
import { useEffect } from 'react';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../lib/location';
import { RouteLink } from '../../lib/route-link';
import { pathForConversation, pathForSettings } from '../../store/routes';
import { useInbox } from '../shell/workspace-context';
import { sectionsFor } from './sections';

export function SettingsView({ section, itemId }: { section: string | null; itemId: string | null }) {
  const { t } = useI18n();
  const role = useInbox((s) => s.operator.role);
  const selectedId = useInbox((s) => s.selectedId);
  const sections = sectionsFor(role);
  const current = sections.find((s) => s.id === section) ?? null;
  const first = sections[0]?.id;

  useEffect(() => {
    // `/console/settings` opens the first section this operator may see.
    if (!section && first) navigate(pathForSettings(first), { replace: true });
  }, [section, first]);

  return (
    <div className="settings-area">
      <nav className="settings-nav" aria-labelledby="settings-nav-title">
        <RouteLink className="settings-back" href={pathForConversation(selectedId)}>
          <span aria-hidden="true">← </span>
          {t('settings.back')}
        </RouteLink>
        <h1 id="settings-nav-title">{t('settings.title')}</h1>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <RouteLink
                href={pathForSettings(s.id)}
                aria-current={s.id === current?.id ? 'page' : undefined}
              >
                {t(s.label)}
              </RouteLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="settings-page">
        {current ? (
          <current.Page key={current.id} itemId={itemId} />
        ) : (
          section && (
            <p role="alert" className="error">
              {t('settings.unknownSection')}
            </p>
          )
        )}
      </main>
    </div>
  );
}
