/**
 * The inbox's site switcher: "All my sites" or one of them. Shown only to an
 * operator who works on more than one site; with one, there is nothing to switch.
 */
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function SiteSwitcher() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const sites = useInbox((s) => s.sites);
  const siteFilter = useInbox((s) => s.siteFilter);
  if (sites.length < 2) return null;
  return (
    <label className="site-switcher">
      <span className="visually-hidden">{t('sites.switcher')}</span>
      <select value={siteFilter ?? ''} onChange={(e) => workspace.selectSite(e.target.value || null)}>
        <option value="">{t('sites.all')}</option>
        {sites.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </select>
    </label>
  );
}
