/**
 * Settings › Tracking, for owners and admins: per site, whether browsers that
 * ask not to be tracked (Do Not Track, Global Privacy Control) are left alone,
 * and whether an email a visitor types into the site's own forms goes to their
 * card (email capture). Each change is saved at once; the loader learns it with
 * its next tracking answer. Below, the JS API calls a developer pastes into the
 * shop's pages (the same for every site), as apps/widget/README.md documents them.
 */
import type { SiteDTO, SiteSettings } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { CopyableCode } from '../../lib/copyable-code';
import { messageOf } from '../../lib/error-message';
import type { SettingsPageProps } from '../settings/sections';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { JS_API_EXAMPLE } from './js-api-example';

type TrackingSettings = Pick<SiteSettings, 'respectDoNotTrack' | 'emailCapture'>;

export function TrackingSettingsPage(_props: SettingsPageProps) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  return (
    <div className="settings-form">
      <h2>{t('trackingSettings.title')}</h2>
      <p className="muted small">{t('trackingSettings.intro')}</p>
      {sites.map((site) => (
        <SiteTracking key={site.id} site={site} showName={sites.length > 1} />
      ))}
      <section className="settings-section" aria-labelledby="tracking-api-title">
        <h3 id="tracking-api-title">{t('trackingSettings.api')}</h3>
        <p className="muted small">{t('trackingSettings.apiHint')}</p>
        <CopyableCode
          code={JS_API_EXAMPLE}
          labels={{
            copy: t('trackingSettings.copyExamples'),
            copied: t('siteSettings.copied'),
            copyFailed: t('siteSettings.copyFailed'),
          }}
        />
      </section>
    </div>
  );
}

function SiteTracking({ site, showName }: { site: SiteDTO; showName: boolean }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [error, setError] = useState<string | null>(null);
  const headingId = `tracking-of-${site.id}`;

  async function save(changes: Partial<TrackingSettings>): Promise<boolean> {
    setError(null);
    try {
      const saved = await workspace.http.updateSite(site.id, { settings: changes });
      workspace.store.update((s) => ({ ...s, sites: s.sites.map((x) => (x.id === saved.id ? saved : x)) }));
      return true;
    } catch (e) {
      setError(messageOf(e));
      return false;
    }
  }

  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {showName ? t('trackingSettings.siteTitle', { name: site.name }) : t('trackingSettings.visitors')}
      </h3>
      <Toggle
        label={t('trackingSettings.respectDoNotTrack')}
        saved={site.settings.respectDoNotTrack}
        save={(on) => save({ respectDoNotTrack: on })}
      />
      <p className="muted small">{t('trackingSettings.respectDoNotTrackHint')}</p>
      <Toggle
        label={t('trackingSettings.emailCapture')}
        saved={site.settings.emailCapture}
        save={(on) => save({ emailCapture: on })}
      />
      <p className="muted small">{t('trackingSettings.emailCaptureHint')}</p>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** A checkbox saved on change, put back if saving failed. */
function Toggle({
  label,
  saved,
  save,
}: {
  label: string;
  saved: boolean;
  save(on: boolean): Promise<boolean>;
}) {
  const [shown, setShown] = useState(saved);
  useEffect(() => setShown(saved), [saved]);
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={shown}
        onChange={async (e) => {
          const on = e.target.checked;
          setShown(on);
          if (!(await save(on))) setShown(!on);
        }}
      />
      {label}
    </label>
  );
}
