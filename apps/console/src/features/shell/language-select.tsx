/** The language switcher: each language named in itself. */
import { LANGUAGES, type Language } from '@parley/protocol';
import { LANGUAGE_NAMES, useI18n } from '../../i18n/i18n';

export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  return (
    <select
      className="compact"
      aria-label={t('language')}
      value={language}
      onChange={(e) => setLanguage(e.target.value as Language)}
    >
      {LANGUAGES.map((code) => (
        <option key={code} value={code} lang={code}>
          {LANGUAGE_NAMES[code]}
        </option>
      ))}
    </select>
  );
}
