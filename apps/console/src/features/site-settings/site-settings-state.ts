/**
 * The site settings panel's state, apart from the inbox's: the site being
 * edited, an editable draft of it, and how the last save went. Pure helpers
 * (the install snippet, origin clean-up, the PATCH body, naming the server's
 * issues) are exported for tests.
 */
import type { Language, SiteDTO, UpdateSiteRequest } from '@parley/protocol';
import { ApiError, type ApiIssue, type HttpClient } from '../../api/http-client';
import type { MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';
import { Store } from '../../store/store';

export type WidgetLanguage = SiteDTO['settings']['language'];

export interface SiteDraft {
  name: string;
  allowedOrigins: string[];
  language: WidgetLanguage;
  greeting: Record<Language, string>;
  accentColor: string;
}

export type SaveResult =
  | { kind: 'saved' }
  | { kind: 'error'; message: string; issues: readonly ApiIssue[] }
  | null;

export interface SiteSettingsState {
  /** The site as the server last returned it. */
  site: SiteDTO;
  draft: SiteDraft;
  /** True once the draft differs from what was loaded: a late refresh must not overwrite it. */
  dirty: boolean;
  saving: boolean;
  result: SaveResult;
}

/**
 * The snippet a site owner pastes into their pages: a queue stub, so calls
 * made before the loader arrives are replayed, then the async loader.
 *
 * @example installSnippet('https://chat.shop.example', 'demo')
 */
export function installSnippet(origin: string, publicKey: string): string {
  return [
    '<script>',
    '  window.Parley = window.Parley || Object.assign((...args) => window.Parley.q.push(args), { q: [] });',
    '</script>',
    `<script async src="${escapeAttribute(`${origin}/widget/loader.js`)}" data-site="${escapeAttribute(publicKey)}"></script>`,
  ].join('\n');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function draftOf(site: SiteDTO): SiteDraft {
  const { language, greeting, accentColor } = site.settings;
  return {
    name: site.name,
    allowedOrigins: [...site.allowedOrigins],
    language,
    greeting: { en: greeting.en ?? '', ru: greeting.ru ?? '', hy: greeting.hy ?? '' },
    accentColor,
  };
}

/** What the owner typed, minus spaces and one trailing slash; the server judges the rest. */
export function cleanOrigin(text: string): string {
  return text.trim().replace(/\/$/, '');
}

/** The PATCH body: the whole draft, so the server stores exactly what the form shows. */
export function changesOf(draft: SiteDraft): UpdateSiteRequest {
  return {
    name: draft.name.trim(),
    allowedOrigins: draft.allowedOrigins,
    settings: { language: draft.language, greeting: { ...draft.greeting }, accentColor: draft.accentColor },
  };
}

const FIELD_LABELS: Record<string, MessageKey> = {
  name: 'siteSettings.name',
  allowedOrigins: 'siteSettings.origins',
  'settings.language': 'siteSettings.language',
  'settings.greeting.en': 'siteSettings.greeting.en',
  'settings.greeting.ru': 'siteSettings.greeting.ru',
  'settings.greeting.hy': 'siteSettings.greeting.hy',
  'settings.accentColor': 'siteSettings.accent',
};

/** "https://shop.example/x: An origin is …": a server issue named the way the form names the field. */
export function describeIssue(issue: ApiIssue, draft: SiteDraft, t: Translate): string {
  const origin = /^allowedOrigins\.(\d+)$/.exec(issue.path);
  const value = origin ? draft.allowedOrigins[Number(origin[1])] : undefined;
  const key = FIELD_LABELS[issue.path];
  const field = value ?? (key ? t(key) : issue.path);
  return `${field}: ${issue.message}`;
}

/** The panel's editor for one site at a time; `onSaved` lets the workspace keep its copy current. */
export class SiteSettingsEditor {
  readonly store: Store<SiteSettingsState>;

  constructor(
    private readonly http: HttpClient,
    site: SiteDTO,
    private readonly onSaved: (site: SiteDTO) => void,
  ) {
    this.store = new Store(fresh(site));
  }

  /** Shows `site` (from the session) at once, then the server's current copy unless editing has begun. */
  async open(site: SiteDTO): Promise<void> {
    this.store.update(() => fresh(site));
    try {
      const current = await this.http.site(site.id);
      this.store.update((s) => (s.site.id !== site.id || s.dirty ? s : fresh(current)));
    } catch {
      // The session's copy is recent enough; a save reports any real problem.
    }
  }

  edit(change: Partial<SiteDraft>): void {
    this.store.update((s) => ({ ...s, draft: { ...s.draft, ...change }, dirty: true, result: null }));
  }

  setGreeting(language: Language, text: string): void {
    this.edit({ greeting: { ...this.store.get().draft.greeting, [language]: text } });
  }

  /** Adds an origin to the draft; false when it is empty or already listed. */
  addOrigin(text: string): boolean {
    const origin = cleanOrigin(text);
    const { allowedOrigins } = this.store.get().draft;
    if (!origin || allowedOrigins.some((o) => o.toLowerCase() === origin.toLowerCase())) return false;
    this.edit({ allowedOrigins: [...allowedOrigins, origin] });
    return true;
  }

  removeOrigin(origin: string): void {
    this.edit({ allowedOrigins: this.store.get().draft.allowedOrigins.filter((o) => o !== origin) });
  }

  async save(): Promise<void> {
    const { site, draft } = this.store.get();
    this.store.update((s) => ({ ...s, saving: true, result: null }));
    try {
      const saved = await this.http.updateSite(site.id, changesOf(draft));
      this.store.update(() => ({ ...fresh(saved), result: { kind: 'saved' } }));
      this.onSaved(saved);
    } catch (error) {
      const issues = error instanceof ApiError ? error.issues : [];
      const message = error instanceof Error ? error.message : String(error);
      this.store.update((s) => ({ ...s, saving: false, result: { kind: 'error', message, issues } }));
    }
  }
}

function fresh(site: SiteDTO): SiteSettingsState {
  return { site, draft: draftOf(site), dirty: false, saving: false, result: null };
}
