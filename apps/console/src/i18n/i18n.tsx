/**
 * The console's language: a context with `t(key, params)`, the chosen
 * language (remembered in localStorage, else the browser's), and the
 * formatters for dates and durations that follow it.
 */
import type { Language } from '@parley/protocol';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Catalog, en, type MessageKey } from './en';
import { hy } from './hy';
import { ru } from './ru';

const catalogs: Record<Language, Catalog> = { en, ru, hy };

/** Each language named in itself, so anyone can find theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ru: 'Русский', hy: 'Հայերեն' };

const STORAGE_KEY = 'parley.console.language';

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  formatTime(iso: string): string;
  formatDateTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function initialLanguage(): Language {
  const stored = readStorage();
  if (stored && stored in catalogs) return stored as Language;
  const browser = navigator.language.slice(0, 2);
  return browser in catalogs ? (browser as Language) : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const catalog = catalogs[language];
    const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const shortDate = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short' });
    document.documentElement.lang = language;
    return {
      language,
      setLanguage,
      t: (key, params) => interpolate(catalog[key], params),
      formatTime(iso) {
        const date = new Date(iso);
        const today = new Date().toDateString() === date.toDateString();
        return today ? time.format(date) : shortDate.format(date);
      },
      formatDateTime: (iso) => dateTime.format(new Date(iso)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** "0:42", "12:05", "1:02:09": how long someone has waited, the same in every language. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
