/** Pages of the tabs' lists, and which tabs a reconnect refreshes. */
import { describe, expect, it } from 'vitest';
import { listOf } from './inbox-state';
import { withListPage, withTabChange } from './lists';
import { tabsToRefresh } from './resync';
import { at, buildConversation, buildState } from './test-factories';

const row = (id: string, second: number) => buildConversation({ id, lastActivityAt: at(second) });

describe('lists', () => {
  it('adds pages, keeps the cursor of deeper pages when the first is fetched again', () => {
    let state = withListPage(
      buildState(),
      'open',
      { items: [row('a', 9), row('b', 8)], nextCursor: 'p2' },
      false,
    );
    expect(state.tabs.open).toEqual({ loaded: true, loading: false, nextCursor: 'p2', error: null });
    state = withListPage(state, 'open', { items: [row('c', 7)], nextCursor: 'p3' }, true);
    expect(state.tabs.open.nextCursor).toBe('p3');
    // A reconnect fetches the first page again: a row that moved comes along, the cursor stays.
    state = withListPage(state, 'open', { items: [row('c', 10), row('a', 9)], nextCursor: 'p2' }, false);
    expect(state.tabs.open.nextCursor).toBe('p3');
    expect(listOf(state.conversations, 'open')).toEqual(['c', 'a', 'b']);
  });

  it('refreshes after a reconnect the tabs loaded before and the one on screen', () => {
    const state = withTabChange({ ...buildState(), tab: 'requests' }, 'closed', { loaded: true });
    expect(tabsToRefresh(state)).toEqual(['closed', 'requests']);
  });
});
