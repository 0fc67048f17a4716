import { DEFAULT_FILE_SETTINGS, type SiteDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { listOf, tabQuery } from './inbox-state';
import { siteNameForRow, withSiteFilter, withSites } from './sites';
import { buildConversation, buildState } from './test-factories';

const site = (id: string, name: string): SiteDTO => ({
  id,
  name,
  publicKey: `pk_${id}`,
  allowedOrigins: [],
  settings: {
    language: 'auto',
    greeting: {},
    accentColor: '#2563eb',
    files: DEFAULT_FILE_SETTINGS,
    askCloseReason: false,
    sneakPeek: true,
    respectDoNotTrack: false,
    emailCapture: true,
    email: { unseenMinutes: 5, transcriptOnClose: false, digest: 'off' },
  },
});
const shop = site('s1', 'Shoes');
const outlet = site('s2', 'Outlet');

function twoSites() {
  const state = buildState([
    buildConversation({ id: 'c1', siteId: 's1' }),
    buildConversation({ id: 'c2', siteId: 's2' }),
  ]);
  return withSites(state, [shop, outlet]);
}

describe('the site switcher', () => {
  it('narrows the lists and their queries to one site, and every tab loads again for it', () => {
    const loaded = {
      ...twoSites(),
      tabs: { ...twoSites().tabs, open: { ...twoSites().tabs.open, loaded: true } },
    };
    expect(listOf(loaded.conversations, 'open', loaded.siteFilter).sort()).toEqual(['c1', 'c2']);
    const one = withSiteFilter(loaded, 's2');
    expect(listOf(one.conversations, 'open', one.siteFilter)).toEqual(['c2']);
    expect(one.tabs.open.loaded).toBe(false);
    expect(tabQuery('open', one.siteFilter)).toEqual({ status: 'open', channel: 'chat', siteId: 's2' });
    expect(tabQuery('closed', null)).toEqual({ status: 'closed' });
  });

  it("names each row's site only while the list mixes several", () => {
    const state = twoSites();
    expect(siteNameForRow(state, 's2')).toBe('Outlet');
    expect(siteNameForRow(withSiteFilter(state, 's2'), 's2')).toBeNull();
    expect(siteNameForRow(withSites(state, [shop]), 's1')).toBeNull();
  });
});

describe('a change of sites', () => {
  it('drops the rows and the selection of a site gone, and the switcher goes back to all', () => {
    const state = { ...withSiteFilter(twoSites(), 's2'), selectedId: 'c2' };
    const next = withSites(state, [shop]);
    expect(Object.keys(next.conversations)).toEqual(['c1']);
    expect(next.selectedId).toBeNull();
    expect(next.siteFilter).toBeNull();
    expect(next.sites).toEqual([shop]);
  });

  it('keeps everything when a site is added', () => {
    const state = { ...withSiteFilter(twoSites(), 's1'), selectedId: 'c1' };
    const next = withSites(state, [shop, outlet, site('s3', 'New')]);
    expect(next.siteFilter).toBe('s1');
    expect(next.selectedId).toBe('c1');
    expect(Object.keys(next.conversations).sort()).toEqual(['c1', 'c2']);
  });
});
