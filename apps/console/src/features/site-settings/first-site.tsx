/**
 * The first screen of an installation without sites (started with
 * PARLEY_DEMO=false): an owner or admin names the first site, then sees its
 * snippet, with the way on to the site's settings (origins) or the inbox. An
 * operator who works on no site is told whom to ask. Everyone else gets the
 * inbox (`children`).
 */
import type { SiteDTO } from '@parley/protocol';
import { type ReactNode, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../lib/location';
import { pathForSettings } from '../../store/routes';
import { useInbox } from '../shell/workspace-context';
import { InstallSnippet } from './install-snippet';
import { NewSiteForm } from './new-site-form';

export function FirstSite({ shown, children }: { shown: boolean; children: ReactNode }) {
  const { t } = useI18n();
  const role = useInbox((s) => s.operator.role);
  const noSites = useInbox((s) => s.sites.length === 0);
  const [created, setCreated] = useState<SiteDTO | null>(null);
  const mayAdd = role === 'owner' || role === 'admin';
  if (!shown || (!noSites && !created)) return children;
  if (!mayAdd)
    return (
      <main className="first-site">
        <p className="empty">{t('sites.none')}</p>
      </main>
    );
  return (
    <main className="first-site" aria-labelledby="first-site-title">
      {created ? (
        <>
          <h1 id="first-site-title">{t('firstRun.created', { name: created.name })}</h1>
          <InstallSnippet publicKey={created.publicKey} />
          <p>{t('firstRun.next')}</p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setCreated(null)}>
              {t('firstRun.inbox')}
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setCreated(null);
                navigate(pathForSettings('sites', created.id));
              }}
            >
              {t('firstRun.settings')}
            </button>
          </div>
        </>
      ) : (
        <>
          <h1 id="first-site-title">{t('firstRun.title')}</h1>
          <p>{t('firstRun.intro')}</p>
          <NewSiteForm onCreated={setCreated} autoFocus />
        </>
      )}
    </main>
  );
}
