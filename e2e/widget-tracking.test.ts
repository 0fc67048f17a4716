/**
 * Tracking from the loader, with no chat frame: in real Chromium on a shop origin, a visitor who
 * lands from a search engine is a visitor on the server before they touch the widget (page view,
 * source), a single-page navigation is a second page, `Parley('track')` (queued before the loader
 * arrived, and called after) are events, an email typed into the shop's newsletter field is
 * captured but one typed into a password or card field never is, and leaving the page fills the
 * time spent. A browser sending Global Privacy Control on a site that respects it is not tracked.
 */
import type { VisitorNowDTO } from '@parley/protocol';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JS_API_EXAMPLE } from '../apps/console/src/features/tracking/js-api-example.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson } from './support/browser.js';
import { configureDemoSite, useWidgetWorld } from './widget-support.js';

const world = useWidgetWorld();
let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: world.parley.databaseUrl ?? undefined });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

/** Calls the page's `Parley` global, as the site's own scripts do. */
const callParley = (page: Page, ...args: unknown[]) =>
  page.evaluate((call) => (window as unknown as { Parley: (...a: unknown[]) => void }).Parley(...call), args);

async function rows<T>(text: string, values: unknown[]): Promise<T[]> {
  return (await db.query(text, values)).rows as T[];
}

/** A fresh browser's page, with the errors the page throws collected. */
async function openShopPage(): Promise<{ page: Page; errors: string[] }> {
  const person = await launchPerson();
  world.people.push(person);
  const page = await person.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function land(page: Page): Promise<string> {
  await page.goto(`${world.shop.origin}/fixtures/tracking-page.html?utm_source=google&utm_campaign=boots`, {
    referer: 'https://www.google.com/search?q=winter+boots',
  });
  // The tracker's first answer carries the visitor's token, kept where the chat frame will find it.
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('parley:demo:token')), { timeout: 10_000 })
    .toBeTruthy();
  const token = (await page.evaluate(() => localStorage.getItem('parley:demo:token'))) as string;
  return token.split('.')[0] as string;
}

describe('tracking from the loader', () => {
  it('reports pages, navigation, events, a captured email (never from a password or card field) and time spent', async () => {
    const { page, errors } = await openShopPage();
    // Rows of "visitors now" reach only consoles that watch the site's list (visitors-now-batcher.ts).
    const [demo] = await rows<{ id: string }>("SELECT id FROM sites WHERE public_key = 'demo'", []);
    await world.operator.socket.request('visitors.watch', { siteId: demo?.id, watching: true });
    const visitorId = await land(page);
    const batch = await world.operator.socket.waitFor<{ visitors: VisitorNowDTO[] }>(
      'visitors.activity',
      (news) => news.visitors.some((now) => now.visitorId === visitorId),
      10_000,
    );
    const activity = batch.visitors.find((now) => now.visitorId === visitorId) as VisitorNowDTO;
    expect(activity.source).toMatchObject({ kind: 'search', name: 'Google', searchQuery: 'winter boots' });
    // No chat frame was loaded for any of this.
    expect(page.frames().some((f) => f.url().includes('/widget/frame.html'))).toBe(false);
    await expectAccessible(page, 'tracked shop page');

    await page.evaluate(() => {
      history.pushState(null, '', '/fixtures/boots/42');
      document.title = 'Boots, size 42';
    });
    await callParley(page, 'track', 'add_to_cart', { amount: 89.9, currency: 'EUR' });
    await page.getByRole('textbox', { name: 'Newsletter' }).fill('ann@shop.example');
    await page.getByRole('button', { name: 'Subscribe' }).click();

    await expect
      .poll(
        async () =>
          rows<{ url: string }>('SELECT url FROM page_views WHERE visitor_id = $1 ORDER BY viewed_at', [
            visitorId,
          ]),
        {
          timeout: 10_000,
        },
      )
      .toEqual([
        { url: `${world.shop.origin}/fixtures/tracking-page.html?utm_source=google&utm_campaign=boots` },
        { url: `${world.shop.origin}/fixtures/boots/42` },
      ]);
    expect(
      await rows('SELECT title FROM page_views WHERE visitor_id = $1 ORDER BY viewed_at', [visitorId]),
    ).toEqual([{ title: 'Winter boots' }, { title: 'Boots, size 42' }]);
    await expect
      .poll(
        async () =>
          rows('SELECT name FROM visitor_events WHERE visitor_id = $1 ORDER BY occurred_at', [visitorId]),
        {
          timeout: 10_000,
        },
      )
      .toEqual([{ name: 'product_viewed' }, { name: 'add_to_cart' }]);
    await expect
      .poll(
        async () => rows('SELECT email, email_source, cart_amount FROM visitors WHERE id = $1', [visitorId]),
        {
          timeout: 10_000,
        },
      )
      .toEqual([{ email: 'ann@shop.example', email_source: 'captured', cart_amount: '89.90' }]);
    // Typed after it, emails in a password and a card field would replace it: they never go.
    await page.getByLabel('Password').fill('secret@shop.example');
    await page.getByRole('textbox', { name: 'Card number' }).fill('4111@1111.example');
    await page.getByRole('textbox', { name: 'Newsletter' }).focus();
    await callParley(page, 'page');
    await expect
      .poll(
        async () => rows('SELECT count(*)::int AS n FROM page_views WHERE visitor_id = $1', [visitorId]),
        {
          timeout: 10_000,
        },
      )
      .toEqual([{ n: 3 }]);
    expect(await rows('SELECT email FROM visitors WHERE id = $1', [visitorId])).toEqual([
      { email: 'ann@shop.example' },
    ]);
    const visit = await rows(
      'SELECT source_kind, source_name, utm_source, page_view_count FROM visits WHERE visitor_id = $1',
      [visitorId],
    );
    expect(visit).toEqual([
      { source_kind: 'search', source_name: 'Google', utm_source: 'google', page_view_count: 3 },
    ]);

    await page.close({ runBeforeUnload: true });
    await expect
      .poll(
        async () =>
          rows<{ seconds: number | null }>(
            'SELECT seconds FROM page_views WHERE visitor_id = $1 AND seconds IS NOT NULL',
            [visitorId],
          ),
        { timeout: 10_000 },
      )
      .not.toEqual([]);
    expect(errors).toEqual([]);
  });

  it('runs the JS API examples Settings › Tracking shows, as shown: events, the cart, a page, open and close', async () => {
    const { page, errors } = await openShopPage();
    const visitorId = await land(page);
    const pageViews = async () =>
      (await rows('SELECT 1 FROM page_views WHERE visitor_id = $1', [visitorId])).length;
    const pagesBefore = await pageViews();
    // Pasted into the page as a developer would: a script after the snippet. (The fixture page reports
    // its own product_viewed.)
    await page.addScriptTag({ content: JS_API_EXAMPLE });
    await expect
      .poll(
        async () =>
          (
            await rows<{ name: string }>(
              "SELECT name FROM visitor_events WHERE visitor_id = $1 AND name <> 'product_viewed' ORDER BY occurred_at",
              [visitorId],
            )
          ).map((e) => e.name),
        { timeout: 15_000 },
      )
      .toEqual(['add_to_cart', 'cart_updated', 'order_placed']);
    const [order] = await rows<{ properties: Record<string, unknown> }>(
      "SELECT properties FROM visitor_events WHERE visitor_id = $1 AND name = 'order_placed'",
      [visitorId],
    );
    expect(order?.properties).toEqual({ amount: 179.8, currency: 'EUR', orderId: 'A-1001' });
    // The order emptied the cart the two events before it had filled.
    const [visitor] = await rows<{ cart_amount: string | null }>(
      'SELECT cart_amount FROM visitors WHERE id = $1',
      [visitorId],
    );
    expect(visitor?.cart_amount).toBeNull();
    // Parley('page') reported the page once more.
    await expect.poll(pageViews).toBe(pagesBefore + 1);
    // Parley('open') brought the chat window, and Parley('close') closed it again.
    await page.getByTitle('Chat', { exact: true }).waitFor({ state: 'attached' });
    await expect.poll(() => page.getByRole('button', { name: 'Open chat', exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('Global Privacy Control on a site that respects it: nothing reaches the server', async () => {
    await configureDemoSite(world.parley, world.shop, { respectDoNotTrack: true });
    try {
      const person = await launchPerson();
      world.people.push(person);
      await person.context.addInitScript(() =>
        Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
      );
      const page = await person.context.newPage();
      const [before] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM visitors', []);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/widget/track'));
      await page.goto(`${world.shop.origin}/fixtures/tracking-page.html`);
      expect(await (await answer).json()).toMatchObject({ accepted: 0, stop: true });
      await callParley(page, 'track', 'add_to_cart', { amount: 1 });
      await page.waitForTimeout(2000);
      const [after] = await rows<{ n: number }>('SELECT count(*)::int AS n FROM visitors', []);
      expect(after?.n).toBe(before?.n);
      expect(await page.evaluate(() => localStorage.getItem('parley:demo:token'))).toBeNull();
    } finally {
      await configureDemoSite(world.parley, world.shop, { respectDoNotTrack: false });
    }
  });
});
