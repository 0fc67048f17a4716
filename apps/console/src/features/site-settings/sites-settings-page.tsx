/** The Sites section: the sites this operator may configure, and one site's page at `/console/settings/sites/<id>`. */
import { useI18n } from '../../i18n/i18n';
import { RouteLink } from '../../lib/route-link';
import { pathForSettings } from '../../store/routes';
import { FileSettingsForm } from '../files/file-settings-form';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox } from '../shell/workspace-context';
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
      <>
        <SiteSettingsForm key={site.id} site={site} />
        <FileSettingsForm key={`files-${site.id}`} site={site} />
      </>
    );
  }
  return (
    <section className="settings-list" aria-labelledby="sites-title">
      <h2 id="sites-title">{t('settings.sites')}</h2>
      <ul>
        {sites.map((site) => (
          <li key={site.id}>
            <RouteLink href={pathForSettings('sites', site.id)}>{site.name}</RouteLink>
            <code className="muted small">{site.publicKey}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
