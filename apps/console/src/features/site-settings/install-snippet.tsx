/** The install snippet for a site, read-only, with a button that copies it. */
import { useI18n } from '../../i18n/i18n';
import { CopyableCode } from '../../lib/copyable-code';
import { installSnippet } from './site-settings-state';

export function InstallSnippet({ publicKey }: { publicKey: string }) {
  const { t } = useI18n();
  return (
    <section className="settings-section" aria-labelledby="site-install-title">
      <h3 id="site-install-title">{t('siteSettings.install')}</h3>
      <p className="muted small">{t('siteSettings.installHint')}</p>
      <CopyableCode
        code={installSnippet(window.location.origin, publicKey)}
        labels={{
          copy: t('siteSettings.copy'),
          copied: t('siteSettings.copied'),
          copyFailed: t('siteSettings.copyFailed'),
        }}
      />
    </section>
  );
}
