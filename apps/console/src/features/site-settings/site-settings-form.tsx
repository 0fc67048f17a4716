/**
 * One site's settings page for owners and admins: the install snippet, the
 * origins that may embed the widget, and the widget's name, language,
 * greetings and colour. Saved with one PATCH; the server's objections are
 * listed by field.
 */
import { LANGUAGES, type Language, LIMITS, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useEffect, useState } from 'react';
import { LANGUAGE_NAMES, useI18n } from '../../i18n/i18n';
import { useStore } from '../../store/store';
import { useWorkspace } from '../shell/workspace-context';
import { AllowedOrigins } from './allowed-origins';
import { InstallSnippet } from './install-snippet';
import { describeIssue, SiteSettingsEditor, type WidgetLanguage } from './site-settings-state';

export function SiteSettingsForm({ site: shown }: { site: SiteDTO }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [editor] = useState(
    () =>
      new SiteSettingsEditor(workspace.http, shown, (saved) =>
        workspace.store.update((s) => ({
          ...s,
          sites: s.sites.map((site) => (site.id === saved.id ? saved : site)),
        })),
      ),
  );
  const state = useStore(editor.store, (s) => s);
  const { site, draft, saving, result } = state;

  useEffect(() => {
    // The freshest settings, not the ones the session started with.
    void editor.open(editor.store.get().site);
  }, [editor]);

  function save(event: FormEvent) {
    event.preventDefault();
    void editor.save();
  }

  return (
    <form onSubmit={save} className="settings-form" aria-labelledby="site-settings-title">
      <h2 id="site-settings-title">{t('siteSettings.titleOf', { name: site.name })}</h2>
      <InstallSnippet publicKey={site.publicKey} />
      <AllowedOrigins editor={editor} />
      <section className="settings-section" aria-labelledby="site-widget-title">
        <h3 id="site-widget-title">{t('siteSettings.widget')}</h3>
        <label>
          {t('siteSettings.name')}
          <input
            value={draft.name}
            required
            maxLength={LIMITS.siteName}
            onChange={(e) => editor.edit({ name: e.target.value })}
          />
        </label>
        <label>
          {t('siteSettings.language')}
          <select
            value={draft.language}
            onChange={(e) => editor.edit({ language: e.target.value as WidgetLanguage })}
          >
            <option value="auto">{t('siteSettings.languageAuto')}</option>
            {LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </label>
        {LANGUAGES.map((code: Language) => (
          <label key={code}>
            {t(`siteSettings.greeting.${code}`)}
            <textarea
              rows={2}
              lang={code}
              maxLength={LIMITS.greeting}
              value={draft.greeting[code]}
              onChange={(e) => editor.setGreeting(code, e.target.value)}
            />
          </label>
        ))}
        <label className="color-field">
          {t('siteSettings.accent')}
          <input
            type="color"
            value={draft.accentColor}
            onChange={(e) => editor.edit({ accentColor: e.target.value })}
          />
          <code aria-hidden="true">{draft.accentColor}</code>
        </label>
      </section>
      <p className="ok small" role="status">
        {result?.kind === 'saved' && t('siteSettings.saved')}
      </p>
      {result?.kind === 'error' && (
        <div className="error small" role="alert">
          <p>{t('siteSettings.error', { error: result.message })}</p>
          {result.issues.length > 0 && (
            <ul>
              {result.issues.map((issue) => (
                <li key={issue.path}>{describeIssue(issue, draft, t)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="dialog-actions">
        <button type="submit" className="primary" disabled={saving || !draft.name.trim()}>
          {t('siteSettings.save')}
        </button>
      </div>
    </form>
  );
}
