/**
 * Site settings for owners and admins: the install snippet, the origins that
 * may embed the widget, and the widget's name, language, greetings and
 * colour. Saved with one PATCH; the server's objections are listed by field.
 */
import { LANGUAGES, type Language, LIMITS, type SiteDTO } from '@parley/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { LANGUAGE_NAMES, useI18n } from '../../i18n/i18n';
import { useStore } from '../../store/store';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { AllowedOrigins } from './allowed-origins';
import { InstallSnippet } from './install-snippet';
import { describeIssue, SiteSettingsEditor, type WidgetLanguage } from './site-settings-state';

export function SiteSettingsDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const sites = useInbox((s) => s.sites);
  const ref = useRef<HTMLDialogElement>(null);
  const [editor] = useState(
    () =>
      new SiteSettingsEditor(workspace.http, sites[0] as SiteDTO, (saved) =>
        workspace.store.update((s) => ({
          ...s,
          sites: s.sites.map((site) => (site.id === saved.id ? saved : site)),
        })),
      ),
  );
  const state = useStore(editor.store, (s) => s);
  const { site, draft, saving, result } = state;

  useEffect(() => {
    // Focus goes back to whatever opened the panel when it closes.
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    void editor.open(editor.store.get().site);
    return () => opener?.focus();
  }, [editor]);

  function save(event: FormEvent) {
    event.preventDefault();
    void editor.save();
  }

  return (
    <dialog
      ref={ref}
      className="dialog site-settings"
      aria-labelledby="site-settings-title"
      onClose={onClose}
    >
      <form onSubmit={save} className="settings-form">
        <div className="settings-head">
          <h2 id="site-settings-title">{t('siteSettings.title')}</h2>
          {sites.length > 1 && (
            <select
              className="compact"
              aria-label={t('siteSettings.site')}
              value={site.id}
              onChange={(e) => {
                const next = sites.find((s) => s.id === e.target.value);
                if (next) void editor.open(next);
              }}
            >
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </div>
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
          <button type="button" onClick={() => ref.current?.close()}>
            {t('siteSettings.close')}
          </button>
          <button type="submit" className="primary" disabled={saving || !draft.name.trim()}>
            {t('siteSettings.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
