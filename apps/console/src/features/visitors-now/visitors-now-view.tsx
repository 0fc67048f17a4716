/**
 * "Visitors now": who is on the site at this moment, live. A table of one site's visitors (current
 * page, time on site ticking, pages this visit, source with campaign and search query, place,
 * device, new or returning, chatting, cart), sortable by each column, and a "Start chat" per row.
 * Only the rows in view are rendered (fixed row height, spacers above and below), so 2,000 visitors
 * changing every second cost what ~20 rows cost; `aria-rowcount`/`aria-rowindex` tell assistive
 * technology the whole table's size. Column widths are fixed per language in styles.css (Russian and
 * Armenian words are longer); a secondary line that carries information wraps onto a second line,
 * and a value that may still be cut short carries its whole text in `title`.
 */
import type { VisitorNowDTO } from '@parley/protocol';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n';
import { RouteLink } from '../../lib/route-link';
import { useNow } from '../../lib/use-now';
import { pathForConversation } from '../../store/routes';
import { useStore } from '../../store/store';
import { type Sort, type SortKey, sortedRows } from '../../store/visitors-now';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { deviceKindLabel, deviceOf, formatDuration, money, placeOf, sourceLines } from './format';
import { useSegmentRows } from './segment-membership';
import { StartChatDialog } from './start-chat-dialog';

/** Room for a line and a two-line secondary text (or a page title on two lines and its path). */
const ROW_HEIGHT = 60;
const OVERSCAN = 8;

const COLUMNS: { key: SortKey; label: MessageKey }[] = [
  { key: 'name', label: 'visitorsNow.col.visitor' },
  { key: 'page', label: 'visitorsNow.col.page' },
  { key: 'timeOnSite', label: 'visitorsNow.col.timeOnSite' },
  { key: 'pages', label: 'visitorsNow.col.pages' },
  { key: 'source', label: 'visitorsNow.col.source' },
  { key: 'location', label: 'visitorsNow.col.location' },
  { key: 'device', label: 'visitorsNow.col.device' },
  { key: 'returning', label: 'visitorsNow.col.returning' },
  { key: 'chatting', label: 'visitorsNow.col.chat' },
  { key: 'cart', label: 'visitorsNow.col.cart' },
];

export function VisitorsNowView() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const feed = workspace.visitorsNow;
  const sites = useInbox((s) => s.sites);
  const siteFilter = useInbox((s) => s.siteFilter);
  const [siteId, setSiteId] = useState<string | null>(siteFilter ?? sites[0]?.id ?? null);
  const state = useStore(feed.store, (s) => s);
  const [sort, setSort] = useState<Sort>({ key: 'timeOnSite', direction: 'descending' });
  const [inviting, setInviting] = useState<VisitorNowDTO | null>(null);
  const segments = useInbox((s) => (siteId ? s.siteSegments[siteId] : undefined));
  const [segmentId, setSegmentId] = useState<string | null>(null);

  useEffect(() => {
    feed.open(siteId);
    return () => feed.open(null);
  }, [feed, siteId]);
  useEffect(() => {
    if (siteId && !sites.some((s) => s.id === siteId)) setSiteId(sites[0]?.id ?? null);
  }, [sites, siteId]);
  // A segment of another site, or one deleted meanwhile, filters nothing.
  useEffect(() => {
    if (segmentId && !segments?.some((s) => s.id === segmentId)) setSegmentId(null);
  }, [segments, segmentId]);

  const sorted = useMemo(() => sortedRows(state.rows.values(), sort), [state.rows, sort]);
  const rows = useSegmentRows(workspace.http, siteId, segmentId, sorted);

  const toggleSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: key === 'name' || key === 'page' ? 'ascending' : 'descending' },
    );

  return (
    <main className="visitors-now" aria-labelledby="visitors-now-title">
      <div className="visitors-now-head">
        <h1 id="visitors-now-title">{t('visitorsNow.title')}</h1>
        {sites.length > 1 && (
          <label className="small">
            {t('visitorsNow.site')}{' '}
            <select value={siteId ?? ''} onChange={(e) => setSiteId(e.target.value || null)}>
              {sites.map((site) => (
                <option key={site.id} value={site.id}>
                  {site.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {segments && segments.length > 0 && (
          <label className="small">
            {t('segments.filter')}{' '}
            <select value={segmentId ?? ''} onChange={(e) => setSegmentId(e.target.value || null)}>
              <option value="">{t('segments.filterAll')}</option>
              {segments.map((segment) => (
                <option key={segment.id} value={segment.id}>
                  {segment.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted small" role="status">
          {state.loading ? t('visitorsNow.loading') : t('visitorsNow.count', { count: rows.length })}
        </span>
      </div>
      {state.error && (
        <p className="error small" role="alert">
          {t('visitorsNow.error', { error: state.error })}
        </p>
      )}
      {!state.loading && rows.length === 0 && !state.error ? (
        <p className="muted visitors-now-empty">{t('visitorsNow.empty')}</p>
      ) : (
        <WindowedTable
          rows={rows}
          sort={sort}
          onSort={toggleSort}
          clockOffset={state.clockOffset}
          onStart={setInviting}
        />
      )}
      {inviting && <StartChatDialog visitor={inviting} onClose={() => setInviting(null)} />}
    </main>
  );
}

interface TableProps {
  rows: VisitorNowDTO[];
  sort: Sort;
  onSort(key: SortKey): void;
  clockOffset: number;
  onStart(visitor: VisitorNowDTO): void;
}

function WindowedTable({ rows, sort, onSort, clockOffset, onStart }: TableProps) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView({ top: element.scrollTop, height: element.clientHeight });
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    element.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resize.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);

  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const shown = rows.slice(first, last);

  return (
    <div className="visitors-now-scroll" ref={scroller}>
      <table className="visitors-now-table" aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">{t('visitorsNow.caption')}</caption>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.key} className={`w-${column.key}`} />
          ))}
          <col className="w-action" />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                aria-sort={sort.key === column.key ? sort.direction : undefined}
              >
                <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                  {t(column.label)}
                  <span aria-hidden="true" className="sort-mark">
                    {sort.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('visitorsNow.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="spacer-row" style={{ height: first * ROW_HEIGHT }} />}
          {shown.map((row, index) => (
            <VisitorRow
              key={row.visitorId}
              row={row}
              rowIndex={first + index + 2}
              clockOffset={clockOffset}
              onStart={onStart}
            />
          ))}
          {last < rows.length && (
            <tr className="spacer-row" style={{ height: (rows.length - last) * ROW_HEIGHT }} />
          )}
        </tbody>
      </table>
    </div>
  );
}

function VisitorRow({
  row,
  rowIndex,
  clockOffset,
  onStart,
}: {
  row: VisitorNowDTO;
  rowIndex: number;
  clockOffset: number;
  onStart(visitor: VisitorNowDTO): void;
}) {
  const { t, language } = useI18n();
  const now = useNow() + clockOffset;
  const source = sourceLines(t, row.source);
  return (
    <tr aria-rowindex={rowIndex} style={{ height: ROW_HEIGHT }}>
      <td>
        <span className="cell-main" title={row.name}>
          {row.name}
        </span>
        {row.email && (
          <span className="cell-sub" title={row.email}>
            {row.email}
          </span>
        )}
      </td>
      <td>
        {row.currentPage ? (
          <>
            <span className="cell-main two-lines" title={pageTitle(row.currentPage)}>
              {row.currentPage.title || row.currentPage.url}
            </span>
            <span className="cell-sub" title={row.currentPage.url}>
              {pathOf(row.currentPage.url)}
            </span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td className="numeric">{formatDuration(now - Date.parse(row.visitStartedAt))}</td>
      <td className="numeric">{row.pagesThisVisit}</td>
      <td>
        <span className="cell-main" title={source[0]}>
          {source[0]}
        </span>
        {source.length > 1 && (
          <span className="cell-sub two-lines" title={source.slice(1).join('\n')}>
            {source.slice(1).join('\n')}
          </span>
        )}
      </td>
      <td>
        <span className="cell-main" title={placeOf(row) || undefined}>
          {row.city ?? row.country ?? '—'}
        </span>
        {row.city && (
          <span className="cell-sub" title={placeOf(row)}>
            {placeOf({ ...row, city: null })}
          </span>
        )}
      </td>
      <td>
        <span className="cell-main">{deviceKindLabel(t, row.device) ?? '—'}</span>
        <span className="cell-sub two-lines" title={deviceOf(t, row) || undefined}>
          {deviceOf(t, { ...row, device: null })}
        </span>
      </td>
      <td>
        <span className="cell-main">
          {row.visitCount > 1 ? t('visitorsNow.returning') : t('visitorsNow.new')}
        </span>
        {row.visitCount > 1 && (
          <span className="cell-sub">{t('visitorsNow.visitNumber', { count: row.visitCount })}</span>
        )}
      </td>
      <td>
        {row.conversationId ? (
          <span className="cell-main two-lines chatting">{t('visitorsNow.chatting')}</span>
        ) : (
          '—'
        )}
      </td>
      <td className="numeric">{row.cart ? money(row.cart, language) : '—'}</td>
      <td>
        {row.conversationId ? (
          <RouteLink
            className="button-like small"
            href={pathForConversation(row.conversationId)}
            aria-label={t('visitorsNow.openChatWith', { name: row.name })}
          >
            {t('visitorsNow.openChat')}
          </RouteLink>
        ) : (
          <button
            type="button"
            className="small"
            aria-label={t('visitorsNow.startChatWith', { name: row.name })}
            onClick={() => onStart(row)}
          >
            {t('visitorsNow.startChat')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The page's title and address, for the tooltip of a title cut short. */
function pageTitle(page: { url: string; title: string | null }): string {
  return page.title ? `${page.title}\n${page.url}` : page.url;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
