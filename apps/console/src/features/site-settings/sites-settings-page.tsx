/**
 * The Sites section: the sites this owner or admin runs (each with its key)
 * and "New site", and one site's page at `/console/settings/sites/<id>`: its
 * snippet, origins, widget texts, name, and deleting it. A new site opens on
 * its own page, where its snippet is.
 */
import { useI18n } from '../../i18n/i18n';
import { navigate } from '../../lib/location';
import { RouteLink } from '../../lib/route-link';
import { pathForSettings } from '../../store/routes';
import { EmailSettingsForm } from '../email/email-settings-form';
import { FileSettingsForm } from '../files/file-settings-form';
import { IdentitySettings } from '../identity/identity-settings';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox } from '../shell/workspace-context';
import { DeleteSite } from './delete-site';
import { NewSiteForm } from './new-site-form';
import { SiteSettingsForm } from './site-settings-form';

export function SitesSettingsPage({ itemId }: SettingsPageProps) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  if (itemId) {
    const site = sites.find((s) => s.id === itemId);
    if (!site)
      return (
        <p role="alert" className="error">
          {t('siteSettings.notFound')}
        </p>
      );
    return (
      <div className="settings-form">
        <SiteSettingsForm key={site.id} site={site} />
        <FileSettingsForm key={`files-${site.id}`} site={site} />
        <IdentitySettings key={`identity-${site.id}`} site={site} />
        <EmailSettingsForm key={`email-${site.id}`} site={site} />
        <DeleteSite site={site} />
      </div>
    );
  }
  return (
    <section className="settings-list" aria-labelledby="sites-title">
      <h2 id="sites-title">{t('settings.sites')}</h2>
      <p className="muted small">{t('sites.listHint')}</p>
      {sites.length === 0 ? (
        <p className="empty">{t('sites.empty')}</p>
      ) : (
        <ul>
          {sites.map((site) => (
            <li key={site.id}>
              <RouteLink href={pathForSettings('sites', site.id)}>{site.name}</RouteLink>
              <span className="muted small">
                {t('sites.key')}: <code>{site.publicKey}</code>
              </span>
            </li>
          ))}
        </ul>
      )}
      <NewSiteForm onCreated={(site) => navigate(pathForSettings('sites', site.id))} />
    </section>
  );
}
