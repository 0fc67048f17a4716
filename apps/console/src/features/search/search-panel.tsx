/**
 * The search box at the top of the left pane, with its filters (site, dates, assignee), and the
 * results in place of the conversation list while a search is typed: visitors by name or email,
 * then messages (notes marked), newest first. A result opens its conversation at the message.
 * Ctrl/Cmd+K or "/" goes to the box; Escape clears it and brings the list back.
 */
import type { SearchQuery, SearchResults } from '@parley/protocol';
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { messageOf } from '../../lib/error-message';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { SearchResultsList } from './search-results';

export const SEARCH_INPUT_ID = 'search';
const DEBOUNCE_MS = 250;
const HAS_WORD = /[\p{L}\p{N}]/u;

interface Filters {
  siteId: string;
  from: string;
  to: string;
  assigneeId: string;
}
const NO_FILTERS: Filters = { siteId: '', from: '', to: '', assigneeId: '' };

type Outcome =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'done'; query: SearchQuery; results: SearchResults }
  | { kind: 'error'; error: string };

export function SearchPanel({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const latest = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const filtersId = useId();
  const active = text.trim() !== '';
  const searchable = HAS_WORD.test(text);

  useSearchShortcuts(input);

  useEffect(() => {
    const request = ++latest.current;
    if (!searchable) {
      setOutcome({ kind: 'idle' });
      return;
    }
    setOutcome({ kind: 'searching' });
    const query = queryOf(text, filters);
    const timer = setTimeout(() => {
      workspace.http.search(query).then(
        (results) => request === latest.current && setOutcome({ kind: 'done', query, results }),
        (error) => request === latest.current && setOutcome({ kind: 'error', error: messageOf(error) }),
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filters, searchable, workspace]);

  async function loadMore() {
    if (outcome.kind !== 'done' || !outcome.results.nextCursor) return;
    const request = latest.current;
    const query = { ...outcome.query, cursor: outcome.results.nextCursor };
    try {
      const more = await workspace.http.search(query);
      if (request !== latest.current) return;
      setOutcome({
        kind: 'done',
        query: outcome.query,
        results: {
          ...more,
          messages: [...outcome.results.messages, ...more.messages],
          visitors: outcome.results.visitors,
        },
      });
    } catch (error) {
      setOutcome({ kind: 'error', error: messageOf(error) });
    }
  }

  const filtered = filters !== NO_FILTERS && Object.values(filters).some(Boolean);
  return (
    <>
      <search className="search-box">
        <input
          ref={input}
          id={SEARCH_INPUT_ID}
          type="search"
          value={text}
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && text) {
              e.preventDefault();
              setText('');
            }
          }}
        />
        <button
          type="button"
          className={`ghost small${filtered ? ' filters-on' : ''}`}
          aria-expanded={filtersOpen}
          aria-controls={filtersId}
          onClick={() => setFiltersOpen((open) => !open)}
        >
          {t('search.filters')}
          {filtered && <span aria-hidden="true"> •</span>}
        </button>
      </search>
      <div id={filtersId} hidden={!filtersOpen}>
        <SearchFilters filters={filters} onChange={setFilters} />
      </div>
      {active ? (
        <div className="list-scroll search-results">
          <SearchStatus text={text} searchable={searchable} outcome={outcome} />
          {outcome.kind === 'done' && (
            <SearchResultsList results={outcome.results} onMore={() => void loadMore()} />
          )}
        </div>
      ) : (
        children
      )}
    </>
  );
}

function SearchStatus({
  text,
  searchable,
  outcome,
}: {
  text: string;
  searchable: boolean;
  outcome: Outcome;
}) {
  const { t } = useI18n();
  let message = '';
  if (!searchable && text.trim()) message = t('search.needWord');
  else if (outcome.kind === 'searching') message = t('search.searching');
  else if (outcome.kind === 'error') message = t('search.error', { error: outcome.error });
  else if (outcome.kind === 'done') {
    const { messages, visitors, match } = outcome.results;
    const count = messages.length + visitors.length;
    message =
      count === 0
        ? t('search.none')
        : match === 'similar'
          ? t('search.similar', { count })
          : t('search.found', { count });
  }
  return (
    <p className={`search-status${outcome.kind === 'error' ? ' error' : ''}`} role="status">
      {message}
    </p>
  );
}

function SearchFilters({ filters, onChange }: { filters: Filters; onChange(filters: Filters): void }) {
  const { t } = useI18n();
  const sites = useInbox((s) => s.sites);
  const presence = useInbox((s) => s.presence);
  const operators = useMemo(() => {
    const byId = new Map<string, string>();
    for (const [siteId, list] of Object.entries(presence)) {
      if (filters.siteId && siteId !== filters.siteId) continue;
      for (const operator of list) byId.set(operator.id, operator.displayName);
    }
    return [...byId].sort((a, b) => a[1].localeCompare(b[1]));
  }, [presence, filters.siteId]);
  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change });

  return (
    <div className="search-filters">
      {sites.length > 1 && (
        <label>
          <span>{t('search.site')}</span>
          <select value={filters.siteId} onChange={(e) => set({ siteId: e.target.value })}>
            <option value="">{t('search.allSites')}</option>
            {sites.map((site) => (
              <option key={site.id} value={site.id}>
                {site.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        <span>{t('search.from')}</span>
        <input
          type="date"
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => set({ from: e.target.value })}
        />
      </label>
      <label>
        <span>{t('search.to')}</span>
        <input
          type="date"
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => set({ to: e.target.value })}
        />
      </label>
      <label>
        <span>{t('search.assignee')}</span>
        <select value={filters.assigneeId} onChange={(e) => set({ assigneeId: e.target.value })}>
          <option value="">{t('search.anyone')}</option>
          {operators.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {Object.values(filters).some(Boolean) && (
        <button type="button" className="ghost small" onClick={() => onChange(NO_FILTERS)}>
          {t('search.clearFilters')}
        </button>
      )}
    </div>
  );
}

/** The API query for what is typed and chosen; dates are the operator's local days. */
function queryOf(text: string, filters: Filters): SearchQuery {
  const localMidnight = (day: string, plusDays = 0) => {
    const [y, m, d] = day.split('-').map(Number);
    return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
  };
  return {
    q: text.trim().slice(0, 200),
    siteId: filters.siteId || undefined,
    from: filters.from ? localMidnight(filters.from) : undefined,
    to: filters.to ? localMidnight(filters.to, 1) : undefined,
    assigneeId: filters.assigneeId || undefined,
  };
}

/** Ctrl/Cmd+K anywhere, or "/" outside a text field, goes to the search box (by physical key: any layout). */
function useSearchShortcuts(input: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      const commandK = (event.ctrlKey || event.metaKey) && !event.altKey && event.code === 'KeyK';
      const slash =
        event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTextField(event.target);
      if (!commandK && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [input]);
}

function isTextField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}
