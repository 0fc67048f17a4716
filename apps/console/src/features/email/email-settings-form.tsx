/**
 * A site's email settings, on its settings page: after how many minutes
 * unseen replies go to the visitor by email, the transcript when a
 * conversation closes, and the owners' digest. Saved with its own PATCH of
 * `settings.email`.
 */
import { DIGEST_FREQUENCIES, type DigestFrequency, EMAIL_LIMITS, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useWorkspace } from '../shell/workspace-context';

const DIGEST_LABELS: Record<DigestFrequency, MessageKey> = {
  off: 'mail.digestOff',
  daily: 'mail.digestDaily',
  weekly: 'mail.digestWeekly',
};

export function EmailSettingsForm({ site }: { site: SiteDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const current = site.settings.email;
  const [minutes, setMinutes] = useState(String(current.unseenMinutes));
  const [onClose, setOnClose] = useState(current.transcriptOnClose);
  const [digest, setDigest] = useState<DigestFrequency>(current.digest);
  const [state, setState] = useState<
    { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }
  >({
    kind: 'idle',
  });

  async function save(event: FormEvent) {
    event.preventDefault();
    setState({ kind: 'saving' });
    try {
      const saved = await workspace.http.updateSite(site.id, {
        settings: { email: { unseenMinutes: Number(minutes), transcriptOnClose: onClose, digest } },
      });
      workspace.store.update((s) => ({
        ...s,
        sites: s.sites.map((one) => (one.id === saved.id ? saved : one)),
      }));
      setState({ kind: 'saved' });
    } catch (error) {
      setState({ kind: 'error', message: messageOf(error) });
    }
  }

  return (
    <form onSubmit={save} className="settings-form" aria-labelledby="email-settings-title">
      <section className="settings-section" aria-labelledby="email-settings-title">
        <h3 id="email-settings-title">{t('mail.siteSettings')}</h3>
        <p className="muted small">{t('mail.siteSettingsHint')}</p>
        <label>
          {t('mail.unseenMinutes')}
          <input
            type="number"
            min={0}
            max={EMAIL_LIMITS.unseenMinutesMax}
            step={1}
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={onClose} onChange={(e) => setOnClose(e.target.checked)} />
          {t('mail.transcriptOnClose')}
        </label>
        <label>
          {t('mail.digest')}
          <select value={digest} onChange={(e) => setDigest(e.target.value as DigestFrequency)}>
            {DIGEST_FREQUENCIES.map((frequency) => (
              <option key={frequency} value={frequency}>
                {t(DIGEST_LABELS[frequency])}
              </option>
            ))}
          </select>
        </label>
      </section>
      <p className="ok small" role="status">
        {state.kind === 'saved' && t('mail.siteSettingsSaved')}
      </p>
      {state.kind === 'error' && (
        <p className="error small" role="alert">
          {t('siteSettings.error', { error: state.message })}
        </p>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary" disabled={state.kind === 'saving'}>
          {t('mail.saveSiteSettings')}
        </button>
      </div>
    </form>
  );
}
