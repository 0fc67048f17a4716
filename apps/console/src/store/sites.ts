/**
 * The sites the operator works on, as the console keeps them: the list (the
 * session's, then each `sites.changed` from the server), and the inbox's site
 * switcher, which narrows every list to one site. Pure state changes, tested
 * beside; the workspace does the fetching.
 */
import type { SiteDTO } from '@parley/protocol';
import { type InboxState, TABS, type Tab, type TabState } from './inbox-state';

/**
 * The operator's sites are now `sites`: a site gone (deleted, or no longer
 * granted) takes its rows and the selection on it out of the inbox, and the
 * switcher back to all sites if it showed that one.
 */
export function withSites(state: InboxState, sites: SiteDTO[]): InboxState {
  const ids = new Set(sites.map((s) => s.id));
  const conversations = Object.fromEntries(
    Object.entries(state.conversations).filter(([, c]) => ids.has(c.siteId)),
  );
  const selectionGone = state.selectedId !== null && !conversations[state.selectedId];
  const next = {
    ...state,
    sites,
    conversations,
    selectedId: selectionGone ? null : state.selectedId,
  };
  return state.siteFilter && !ids.has(state.siteFilter) ? withSiteFilter(next, null) : next;
}

/**
 * Shows one site's conversations (null: all the operator's sites). Every tab
 * is to be loaded again for it: a page and its cursor belong to one filter.
 */
export function withSiteFilter(state: InboxState, siteId: string | null): InboxState {
  if (state.siteFilter === siteId) return state;
  const tabs = Object.fromEntries(
    TABS.map((tab): [Tab, TabState] => [
      tab,
      { loaded: false, loading: false, nextCursor: null, error: null },
    ]),
  ) as Record<Tab, TabState>;
  return { ...state, siteFilter: siteId, tabs };
}

/** The name to show on a conversation's row: only when the list mixes several sites. */
export function siteNameForRow(state: InboxState, siteId: string): string | null {
  if (state.siteFilter || state.sites.length < 2) return null;
  return state.sites.find((s) => s.id === siteId)?.name ?? null;
}
