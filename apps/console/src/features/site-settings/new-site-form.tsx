/**
 * Adding a site: its name, nothing more (the key is the server's to make;
 * origins, language and greeting wait on its settings page). Used by the
 * Sites section and by the first-run screen.
 */
import { LIMITS, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useWorkspace } from '../shell/workspace-context';

export function NewSiteForm({
  onCreated,
  autoFocus,
}: {
  onCreated(site: SiteDTO): void;
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const site = await workspace.createSite(name.trim());
      setName('');
      onCreated(site);
    } catch (failure) {
      setError(t('sites.createFailed', { error: messageOf(failure) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="new-site" onSubmit={create} aria-labelledby="new-site-title">
      <h3 id="new-site-title">{t('sites.new')}</h3>
      <label>
        {t('sites.newName')}
        <span className="muted small">{t('sites.newNameHint')}</span>
        <span className="settings-row">
          <input
            value={name}
            required
            maxLength={LIMITS.siteName}
            // biome-ignore lint/a11y/noAutofocus: the first-run screen has nothing else to do
            autoFocus={autoFocus}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {busy ? t('sites.creating') : t('sites.create')}
          </button>
        </span>
      </label>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
