/**
 * A site's file limits, on its settings page: the largest file visitors and
 * operators may send, and which types (as the server detects them from the
 * content). Saved with its own PATCH of `settings.files`; the server enforces
 * both, whatever a client checks.
 */
import { FILE_LIMITS, FILE_TYPES, type FileType, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useWorkspace } from '../shell/workspace-context';

/** Each type by the name people know its files by. */
const TYPE_LABELS: Record<FileType, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
  'text/plain': 'TXT',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/zip': 'ZIP',
};

const MB = 1024 * 1024;

export function FileSettingsForm({ site }: { site: SiteDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [megabytes, setMegabytes] = useState(String(site.settings.files.maxBytes / MB));
  const [types, setTypes] = useState<FileType[]>(site.settings.files.allowedTypes);
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
        settings: { files: { maxBytes: Math.round(Number(megabytes) * MB), allowedTypes: types } },
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

  const toggle = (type: FileType, on: boolean) =>
    setTypes((current) => (on ? [...current, type] : current.filter((one) => one !== type)));

  return (
    <form onSubmit={save} className="settings-form" aria-labelledby="file-settings-title">
      <section className="settings-section" aria-labelledby="file-settings-title">
        <h3 id="file-settings-title">{t('files.settings')}</h3>
        <p className="muted small">{t('files.settingsHint')}</p>
        <label>
          {t('files.maxSize')}
          <input
            type="number"
            min={FILE_LIMITS.minBytes / MB}
            max={FILE_LIMITS.maxBytes / MB}
            step="any"
            required
            value={megabytes}
            onChange={(e) => setMegabytes(e.target.value)}
          />
        </label>
        <fieldset className="file-types">
          <legend>{t('files.types')}</legend>
          {FILE_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              {TYPE_LABELS[type]}
            </label>
          ))}
        </fieldset>
      </section>
      <p className="ok small" role="status">
        {state.kind === 'saved' && t('files.settingsSaved')}
      </p>
      {state.kind === 'error' && (
        <p className="error small" role="alert">
          {t('siteSettings.error', { error: state.message })}
        </p>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary" disabled={state.kind === 'saving'}>
          {t('files.saveSettings')}
        </button>
      </div>
    </form>
  );
}
