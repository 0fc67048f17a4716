/** The left pane: tabs (Open, Closed, Requests) over the conversation list of the chosen tab. */
import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { listOf, TABS, type Tab } from '../../store/inbox-state';
import { type InboxFilter, matchesFilter } from '../routing/inbox-filter';
import { InboxFilterSelect } from '../routing/inbox-filter-select';
import { SearchPanel } from '../search/search-panel';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import { FirstDrafts } from '../tags/first-drafts';
import { TagFilter } from '../tags/tag-filter';
import { SegmentFilter } from '../visitor/segment-filter';
import { ConversationRow } from './conversation-row';
import { SiteSwitcher } from './site-switcher';

export function InboxPane() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const tab = useInbox((s) => s.tab);
  const conversations = useInbox((s) => s.conversations);
  const tabState = useInbox((s) => s.tabs[s.tab]);
  const selectedId = useInbox((s) => s.selectedId);
  const siteFilter = useInbox((s) => s.siteFilter);
  const tagFilter = useInbox((s) => s.tagFilter);
  const segmentVisitors = useInbox((s) => (s.segmentFilter ? s.segmentVisitors : null));
  const me = useInbox((s) => s.operator.id);
  const [filter, setFilter] = useState<InboxFilter>('all');
  const ids = useMemo(
    () =>
      listOf(conversations, tab, siteFilter, tagFilter, segmentVisitors).filter((id) =>
        matchesFilter(conversations[id], filter, me),
      ),
    [conversations, tab, siteFilter, tagFilter, segmentVisitors, filter, me],
  );
  const waitingCounts = useMemo(
    () => countWaiting(Object.values(conversations).filter((c) => !siteFilter || c.siteId === siteFilter)),
    [conversations, siteFilter],
  );

  return (
    <section className="pane list-pane" aria-label={t('list.label')}>
      <SiteSwitcher />
      {/* While a search is typed, its results take the list's place. */}
      <SearchPanel>
        <FirstDrafts />
        <TagFilter />
        <SegmentFilter />
        <div role="tablist" aria-label={t('tabs.label')} className="tabs">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              id={`tab-${name}`}
              aria-selected={tab === name}
              aria-controls="conversation-list"
              className="tab"
              onClick={() => workspace.selectTab(name)}
            >
              {t(`tabs.${name}`)}
              {waitingCounts[name] > 0 && (
                <span className="tab-count" aria-hidden="true">
                  {waitingCounts[name]}
                </span>
              )}
            </button>
          ))}
        </div>
        <InboxFilterSelect value={filter} onChange={setFilter} />
        <div role="tabpanel" id="conversation-list" aria-labelledby={`tab-${tab}`} className="list-scroll">
          {tabState.error && (
            <p className="error small" role="alert">
              {t('list.error', { error: tabState.error })}
            </p>
          )}
          {ids.length === 0 && tabState.loaded && <p className="empty">{t(`list.empty.${tab}`)}</p>}
          {ids.length === 0 && !tabState.loaded && <p className="empty">{t('list.loading')}</p>}
          <ul className="rows">
            {ids.map((id) => (
              <ConversationRow key={id} id={id} selected={id === selectedId} />
            ))}
          </ul>
          {tabState.nextCursor && (
            <button
              type="button"
              className="ghost load-more"
              disabled={tabState.loading}
              onClick={() => void workspace.loadTab(tab, true)}
            >
              {tabState.loading ? t('list.loading') : t('list.loadMore')}
            </button>
          )}
        </div>
      </SearchPanel>
    </section>
  );
}

/** Conversations where a visitor waits for an answer, per tab: the badge an operator looks for. */
function countWaiting(conversations: { status: string; channel: string; waitingSince: string | null }[]) {
  const counts: Record<Tab, number> = { open: 0, closed: 0, requests: 0 };
  for (const c of conversations) {
    if (c.status !== 'open' || !c.waitingSince) continue;
    counts[c.channel === 'offline_request' ? 'requests' : 'open']++;
  }
  return counts;
}
