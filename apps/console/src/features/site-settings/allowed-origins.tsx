/** The origins that may embed the widget: a list with remove buttons and a field to add one. */
import { type KeyboardEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useStore } from '../../store/store';
import type { SiteSettingsEditor } from './site-settings-state';

export function AllowedOrigins({ editor }: { editor: SiteSettingsEditor }) {
  const { t } = useI18n();
  const origins = useStore(editor.store, (s) => s.draft.allowedOrigins);
  const [text, setText] = useState('');

  function add() {
    if (editor.addOrigin(text)) setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Enter adds the origin instead of submitting (saving) the whole form.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  }

  return (
    <section className="settings-section" aria-labelledby="site-origins-title">
      <h3 id="site-origins-title">{t('siteSettings.origins')}</h3>
      <p className="muted small">{t('siteSettings.originsHint', { origin: window.location.origin })}</p>
      {origins.length === 0 ? (
        <p className="muted small">{t('siteSettings.originsEmpty')}</p>
      ) : (
        <ul className="origin-list" aria-labelledby="site-origins-title">
          {origins.map((origin) => (
            <li key={origin}>
              <code>{origin}</code>
              <button
                type="button"
                className="small"
                aria-label={t('siteSettings.removeOrigin', { origin })}
                onClick={() => editor.removeOrigin(origin)}
              >
                {t('siteSettings.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="settings-row">
        <input
          type="text"
          inputMode="url"
          aria-label={t('siteSettings.addOrigin')}
          placeholder="https://shop.example"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="button" onClick={add} disabled={!text.trim()}>
          {t('siteSettings.add')}
        </button>
      </div>
    </section>
  );
}
