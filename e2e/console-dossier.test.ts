/**
 * The visitor's dossier and segments in real Chromium against Parley started as `npm start`
 * does. A visitor's tracking history (visits with source, UTM, search query, pages and events) is
 * written into the database as the tracking ingest stores it (with an email captured from the
 * shop's form); the visitor chats. The operator sees source, UTM, search query, pages and the
 * captured email marked as such on the card, opens the full profile, renames the visitor,
 * creates a segment in Settings › Segments with the form (previewing its count), sees its chip on
 * the card, and filters the inbox by it. axe runs on every screen.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  logIn,
  newVisitor,
  type Operator,
  openConsole,
  type TestVisitor,
} from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

let parley: ParleyProcess;
let operator: Operator;
let pool: pg.Pool;
const visitors: TestVisitor[] = [];

beforeAll(async () => {
  parley = await startParleyProcess();
  pool = new pg.Pool({ connectionString: parley.databaseUrl ?? '' });
  operator = await openConsole(parley.url);
  await logIn(operator.page, E2E_ADMIN);
  await operator.page.getByRole('tab', { name: 'Open' }).waitFor();
});

afterAll(async () => {
  await Promise.all(visitors.map((v) => v.socket.close()));
  await operator?.person.close();
  await pool?.end();
  await parley?.stop();
});

/** A visit of the visitor with its pages and events, as tracking stores them (017's tables). */
async function seedHistory(visitorId: string): Promise<void> {
  const { rows } = await pool.query<{ site_id: string }>('SELECT site_id FROM visitors WHERE id = $1', [
    visitorId,
  ]);
  const siteId = rows[0]?.site_id;
  const touch = {
    kind: 'search',
    name: 'Yandex',
    referrer: 'https://yandex.ru/search/?text=red+running+shoes',
    landingUrl: 'https://shop.example/catalog/shoes?utm_source=yandex&utm_medium=cpc&utm_campaign=winter',
    utm: { source: 'yandex', medium: 'cpc', campaign: 'winter' },
    searchQuery: 'red running shoes',
    at: new Date(Date.now() - 3600_000).toISOString(),
  };
  await pool.query(
    `UPDATE visitors SET country = 'AM', region = 'Yerevan', city = 'Yerevan', device = 'desktop', visit_count = 1,
       first_touch = $2, last_touch = $2, referrer = $3, cart_amount = 89.90, cart_currency = 'USD',
       email = 'anna@example.am', email_source = 'captured' WHERE id = $1`,
    [visitorId, JSON.stringify(touch), touch.referrer],
  );
  const visit = await pool.query<{ id: string }>(
    `INSERT INTO visits (site_id, visitor_id, number, started_at, last_activity_at, landing_url, referrer, source_kind,
       source_name, utm_source, utm_medium, utm_campaign, search_query, page_view_count, country, city)
     VALUES ($1, $2, 1, now() - interval '1 hour', now(), $3, $4, 'search', 'Yandex', 'yandex', 'cpc', 'winter',
       'red running shoes', 3, 'AM', 'Yerevan') RETURNING id`,
    [siteId, visitorId, touch.landingUrl, touch.referrer],
  );
  const visitId = visit.rows[0]?.id;
  const pages: [string, string, number | null, number][] = [
    ['https://shop.example/catalog/shoes', 'Running shoes', 48, 60],
    ['https://shop.example/catalog/shoes/red-38', 'Red runner, size 38', 135, 50],
    ['https://shop.example/cart', 'Cart', null, 40],
  ];
  for (const [url, title, seconds, minutesAgo] of pages)
    await pool.query(
      `INSERT INTO page_views (site_id, visitor_id, visit_id, client_id, url, title, viewed_at, seconds)
       VALUES ($1, $2, $3, $4, $5, $6, now() - make_interval(mins => $7), $8)`,
      [siteId, visitorId, visitId, randomUUID(), url, title, minutesAgo, seconds],
    );
  await pool.query(
    `INSERT INTO visitor_events (site_id, visitor_id, visit_id, client_id, name, properties, occurred_at)
     VALUES ($1, $2, $3, $4, 'add_to_cart', $5, now() - interval '45 minutes')`,
    [
      siteId,
      visitorId,
      visitId,
      randomUUID(),
      JSON.stringify({ sku: 'RUN-RED-38', amount: 89.9, currency: 'USD' }),
    ],
  );
}

describe('the visitor dossier and segments', () => {
  it('shows the dossier on the card and the full profile, edits the name, makes a segment and filters by it', async () => {
    const { page } = operator;
    const shopper = await newVisitor(parley.url);
    visitors.push(shopper);
    await seedHistory(shopper.session.visitorId);
    await shopper.say('Do you have the red runners in 38?');
    const other = await newVisitor(parley.url);
    visitors.push(other);
    await other.say('What are your opening hours?');

    // The card beside the conversation: source, UTM, search query, referrer, location, pages.
    await page.getByRole('button', { name: /red runners in 38/ }).click();
    const card = page.getByRole('complementary', { name: 'Visitor' });
    await card.getByText('Search · Yandex').waitFor();
    await card.getByText('utm_source=yandex, utm_medium=cpc, utm_campaign=winter').waitFor();
    await card.getByText('«red running shoes»').waitFor();
    await card.getByRole('link', { name: 'https://yandex.ru/search/?text=red+running+shoes' }).waitFor();
    await card.getByText(/Yerevan, Armenia/).waitFor();
    await card.getByRole('link', { name: 'Red runner, size 38' }).waitFor();
    await card.getByRole('link', { name: 'IP geolocation by DB-IP' }).waitFor();
    // The email the tracker captured from the shop's form says so, in the card's text (not only a colour).
    const email = card.getByRole('definition').filter({ hasText: 'anna@example.am' });
    await email.getByText("captured from the site's form").waitFor();
    await expect(email.textContent()).resolves.toBe("anna@example.am captured from the site's form");
    await expectAccessible(page, 'conversation with the visitor dossier');
    await card.screenshot({ path: screenshotPath('visitor-card.png') });

    // The full profile: the timeline with time spent and event properties; rename the visitor.
    await card.getByRole('link', { name: 'Open full profile' }).click();
    await page.getByRole('heading', { level: 1, name: /Visitor profile/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/visitors/${shopper.session.visitorId}`);
    const timeline = page.getByRole('region', { name: 'Visit timeline' });
    await timeline.getByRole('link', { name: 'Red runner, size 38' }).waitFor();
    await timeline.getByText('2:15', { exact: true }).waitFor();
    await timeline.getByText(/sku: RUN-RED-38/).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Anna Petrosyan');
    await page.getByRole('textbox', { name: 'Attribute name' }).fill('plan');
    await page.getByRole('textbox', { name: 'Value', exact: true }).fill('gold');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: /Anna Petrosyan/ }).waitFor();
    await page.getByRole('textbox', { name: 'Value of plan' }).waitFor();
    await expectAccessible(page, 'visitor profile');
    await page.screenshot({ path: screenshotPath('visitor-card-profile.png'), fullPage: true });
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM visitors WHERE id = $1', [
      shopper.session.visitorId,
    ]);
    expect(rows[0]?.name).toBe('Anna Petrosyan');

    // A bad edit is refused with the server's words.
    await page.getByRole('textbox', { name: 'Phone' }).fill('call me maybe');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(/phone number/)
      .waitFor();

    // Settings › Segments: "viewed /catalog/shoes at least twice and came from utm_source=yandex".
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { name: 'Segments', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'New segment' }).click();
    await page.getByRole('textbox', { name: 'Segment name' }).fill('Shoe hunters from Yandex');
    await page.getByRole('combobox', { name: 'Colour' }).selectOption({ label: 'Green' });
    await page
      .getByRole('combobox', { name: 'Condition 1', exact: true })
      .selectOption({ label: 'Viewed a page' });
    await page
      .getByRole('combobox', { name: 'Comparison, condition 1' })
      .selectOption({ label: 'starts with' });
    await page.getByRole('textbox', { name: 'Value, condition 1' }).fill('/catalog/shoes');
    await page.getByRole('spinbutton', { name: 'How many times, condition 1' }).fill('2');
    await page.getByRole('spinbutton', { name: 'Within days, condition 1' }).fill('30');
    await page.getByRole('button', { name: '+ Add condition' }).click();
    await page
      .getByRole('combobox', { name: 'Condition 2', exact: true })
      .selectOption({ label: 'UTM parameter' });
    await page.getByRole('textbox', { name: 'Value, condition 2' }).fill('yandex');
    await page.getByRole('button', { name: 'Count matching visitors' }).click();
    await page.getByRole('status').getByText('1 visitors match now.').waitFor();
    await expectAccessible(page, 'settings › segments, the rule editor');
    await page.locator('.segments-settings').screenshot({ path: screenshotPath('segments-editor.png') });
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('button', { name: 'Edit segment Shoe hunters from Yandex' }).waitFor();
    await expectAccessible(page, 'settings › segments, the list');
    await page.locator('.segments-settings').screenshot({ path: screenshotPath('segments-list.png') });

    // Back in the inbox: the chip on the card, and the list filtered by the segment.
    await page.getByRole('link', { name: /Back/ }).click();
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    const list = page.locator('#conversation-list');
    await list.getByRole('button', { name: /red runners in 38/ }).click();
    await card.locator('.segment-chips').getByText('Shoe hunters from Yandex').waitFor();
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ label: 'Shoe hunters from Yandex' });
    await eventually(async () => {
      expect(await list.getByRole('button', { name: /opening hours/ }).count()).toBe(0);
      expect(await list.getByRole('button', { name: /red runners in 38/ }).count()).toBe(1);
    });
    await expectAccessible(page, 'inbox filtered by a segment');
    await page.screenshot({ path: screenshotPath('segments-inbox-filter.png') });
    await page.getByRole('combobox', { name: 'Segment' }).selectOption({ label: 'All visitors' });
    await list.getByRole('button', { name: /opening hours/ }).waitFor();
  }, 180_000);
});
