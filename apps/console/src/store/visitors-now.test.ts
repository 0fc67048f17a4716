import type { VisitorNowDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { initialVisitorsNow, sortedRows, withActivity, withList, withoutStale } from './visitors-now';

const SITE = '11111111-1111-4111-8111-111111111111';
const T0 = Date.parse('2026-12-05T10:00:00Z');

function row(id: string, changes: Partial<VisitorNowDTO> = {}): VisitorNowDTO {
  return {
    visitorId: id,
    siteId: SITE,
    name: `#${id}`,
    email: null,
    currentPage: { url: 'https://shop.example/', title: 'Shop' },
    visitStartedAt: new Date(T0 - 60_000).toISOString(),
    pagesThisVisit: 1,
    source: null,
    country: null,
    region: null,
    city: null,
    browser: null,
    os: null,
    device: null,
    visitCount: 1,
    conversationId: null,
    cart: null,
    lastSeenAt: new Date(T0).toISOString(),
    left: false,
    ...changes,
  };
}

const listed = (...rows: VisitorNowDTO[]) =>
  withList(
    { ...initialVisitorsNow, siteId: SITE },
    { visitors: rows, serverTime: new Date(T0).toISOString() },
    T0,
  );

describe('visitors now in the console', () => {
  it('adds, updates and removes rows from batches of its own site only', () => {
    const state = listed(row('a'), row('b'));
    const next = withActivity(state, {
      siteId: SITE,
      visitors: [row('a', { left: true }), row('b', { pagesThisVisit: 3 }), row('c')],
    });
    expect([...next.rows.keys()].sort()).toEqual(['b', 'c']);
    expect(next.rows.get('b')?.pagesThisVisit).toBe(3);
    expect(withActivity(state, { siteId: 'other', visitors: [row('z')] })).toBe(state);
  });

  it('keeps the newer row when batches cross, but takes a new chat at once', () => {
    const state = listed(row('a', { lastSeenAt: new Date(T0 + 5000).toISOString(), pagesThisVisit: 4 }));
    const older = withActivity(state, { siteId: SITE, visitors: [row('a', { pagesThisVisit: 2 })] });
    expect(older.rows.get('a')?.pagesThisVisit).toBe(4);
    const chatting = withActivity(state, { siteId: SITE, visitors: [row('a', { conversationId: 'c1' })] });
    expect(chatting.rows.get('a')?.conversationId).toBe('c1');
  });

  it('drops visitors quiet for longer than the online window, on the server clock', () => {
    const state = listed(row('fresh'), row('quiet', { lastSeenAt: new Date(T0 - 80_000).toISOString() }));
    expect([...withoutStale(state, T0 + 5_000).rows.keys()]).toEqual(['fresh', 'quiet']);
    expect([...withoutStale(state, T0 + 15_000).rows.keys()]).toEqual(['fresh']);
    expect(withoutStale(state, T0)).toBe(state);
  });

  it('sorts by a column either way, ties by the latest activity', () => {
    const rows = [
      row('a', { cart: { amount: '10.00', currency: 'EUR' } }),
      row('b', { cart: null }),
      row('c', { cart: { amount: '99.50', currency: 'EUR' } }),
    ];
    expect(sortedRows(rows, { key: 'cart', direction: 'descending' }).map((r) => r.visitorId)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(sortedRows(rows, { key: 'cart', direction: 'ascending' }).map((r) => r.visitorId)).toEqual([
      'b',
      'a',
      'c',
    ]);
    const longest = row('long', { visitStartedAt: new Date(T0 - 3_600_000).toISOString() });
    expect(sortedRows([...rows, longest], { key: 'timeOnSite', direction: 'descending' })[0]?.visitorId).toBe(
      'long',
    );
  });
});
