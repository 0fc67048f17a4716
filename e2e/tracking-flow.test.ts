/**
 * Issue 12's whole flow in real Chromium against Parley started as `npm start` does: a visitor lands
 * on the demo shop from a Yandex search with UTM parameters, views pages, adds to cart and orders
 * through the shop's own buttons (which call `Parley('track', …)`), types an email into the shop's
 * newsletter field, never opening the chat. The operator sees them in "visitors now" (source,
 * campaign, cart), starts a chat from there; the visitor's page shows it as a bubble and the visitor
 * answers; the card beside the conversation shows source, UTM, search query, pages, events and the
 * captured email. axe runs on each console screen.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, type Operator, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import { openChat, waitForChatFrame } from './widget-support.js';

let parley: ParleyProcess;
let operator: Operator;
let visitor: Person;

beforeAll(async () => {
  parley = await startParleyProcess();
  operator = await openConsole(parley.url);
  await logIn(operator.page, E2E_ADMIN);
  await operator.page.getByRole('tab', { name: 'Open' }).waitFor();
  await operator.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });
});

afterAll(async () => {
  await visitor?.close();
  await operator?.person.close();
  await parley?.stop();
});

async function openVisitorsNow(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('link', { name: 'Visitors now' })
    .click();
  await page.getByRole('heading', { name: 'Visitors now', level: 1 }).waitFor();
}

describe('a tracked visitor, from a search ad to a chat', () => {
  it('is seen whole by the operator, who starts a chat the visitor answers', {
    timeout: 120_000,
  }, async () => {
    visitor = await launchPerson();
    const shop = visitor.context.pages()[0] ?? (await visitor.context.newPage());
    await shop.goto(
      `${parley.url}/shop/index.html?utm_source=yandex&utm_medium=cpc&utm_campaign=spring_trail`,
      { referer: 'https://yandex.ru/search/?text=trail+running+shoes' },
    );
    await shop
      .getByRole('link', { name: /Rain jacket/i })
      .first()
      .click();
    await shop.waitForURL(/rain-jacket/);
    await shop.goBack();
    await shop
      .getByRole('link', { name: /Trail running shoes/i })
      .first()
      .click();
    await shop.waitForURL(/trail-shoes/);
    await shop.getByRole('radio', { name: '44' }).check();
    await shop.getByRole('button', { name: 'Add to cart' }).click();
    await shop.waitForURL(/cart\.html/);
    const newsletter = shop.getByRole('textbox', { name: 'Newsletter' });
    // The loader's first answer turns email capture on; give it that moment.
    await shop.waitForTimeout(1500);
    await newsletter.fill('ani@example.am');
    await shop.getByRole('button', { name: 'Subscribe' }).click();
    await shop.getByRole('button', { name: 'Check out' }).click();
    await shop.getByText(/Order NW-/).waitFor();
    // No chat frame was ever opened.
    expect(shop.frames().some((f) => f.url().includes('/widget/frame'))).toBe(false);

    // "Visitors now": the row with source, campaign and search query.
    const page = operator.page;
    await openVisitorsNow(page);
    const table = page.getByRole('table', { name: 'Visitors on the site now' });
    await table
      .getByText(/ · Yandex/i)
      .first()
      .waitFor({ timeout: 20_000 });
    await table
      .getByText(/spring_trail/)
      .first()
      .waitFor();
    // One person, one row: pages left before the loader read its first answer stay this visitor (their key).
    expect(await table.getByRole('button', { name: /^Start chat with / }).count()).toBe(1);
    await expectAccessible(page, 'visitors now, a tracked visitor');
    await page.screenshot({ path: screenshotPath('visitors-now-tracked.png') });

    await page
      .getByRole('button', { name: /^Start chat with / })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: /^Start a chat with/ });
    await expectAccessible(page, 'start chat dialog');
    await dialog.getByRole('textbox', { name: 'Message' }).fill('Did the size 44 fit you before?');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/\/console\/conversations\/[0-9a-f-]{36}$/);

    // Within one ping (25 s) the loader hears of it and brings the frame quietly: a bubble.
    const frame = await waitForChatFrame(shop);
    const reply = frame.getByRole('button', { name: /Did the size 44 fit you before\? Reply$/ });
    await reply.waitFor({ timeout: 40_000 });
    await reply.click();
    const message = frame.getByRole('textbox', { name: 'Message' });
    await message.fill('Yes, 44 is my size');
    await frame.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log', { name: 'Messages' }).getByText('Yes, 44 is my size').waitFor();

    // The card: source, UTM, search query, captured email, pages.
    const card = page.getByRole('complementary', { name: 'Visitor' });
    await card
      .getByText(/ · Yandex/i)
      .first()
      .waitFor();
    await card
      .getByText(/utm_source=yandex, utm_medium=cpc, utm_campaign=spring_trail/)
      .first()
      .waitFor();
    await card.getByText('«trail running shoes»').first().waitFor();
    await card.getByText('ani@example.am').first().waitFor();
    await card.first().waitFor();
    await card
      .getByText(/Trail running shoes/)
      .first()
      .waitFor();
    await expectAccessible(page, 'conversation with the tracked visitor');
    await card.screenshot({ path: screenshotPath('visitor-card-tracked.png') });

    // The full profile's timeline: the events with their properties.
    await card.getByRole('link', { name: 'Open full profile' }).click();
    const timeline = page.getByRole('region', { name: 'Visit timeline' });
    await timeline
      .getByText(/add_to_cart/)
      .first()
      .waitFor();
    await timeline
      .getByText(/order_placed/)
      .first()
      .waitFor();
    await timeline
      .getByText(/orderId: NW-/)
      .first()
      .waitFor();
    await expectAccessible(page, 'visitor profile of the tracked visitor');
  });

  it('is one visitor when they open the chat at once, before the first tracking answer', {
    timeout: 120_000,
  }, async () => {
    const quick = await launchPerson();
    try {
      const shop = quick.context.pages()[0] ?? (await quick.context.newPage());
      // A slow network for tracking only: the chat's session answers long before the loader's first batch does.
      await shop.route('**/api/widget/track', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        await route.continue();
      });
      await shop.goto(
        `${parley.url}/shop/index.html?utm_source=google&utm_medium=cpc&utm_campaign=quick_chat`,
        {
          referer: 'https://www.google.com/',
          waitUntil: 'domcontentloaded',
        },
      );
      const chat = await openChat(shop);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Gyumri?');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByText('Do you ship to Gyumri?').waitFor();

      const page = operator.page;
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Inbox' }).click();
      await page.getByRole('listitem').filter({ hasText: 'Do you ship to Gyumri?' }).first().click();
      const card = page.getByRole('complementary', { name: 'Visitor' });
      // The campaign reaches the card once the delayed batch lands: the same visitor the chat made.
      await card
        .getByText(/utm_campaign=quick_chat/)
        .first()
        .waitFor({ timeout: 20_000 });
      await card
        .getByText(/ · Google/i)
        .first()
        .waitFor();
      await expectAccessible(page, 'conversation with a visitor who opened the chat at once');

      // One person: "visitors now" has a single row with that campaign.
      await openVisitorsNow(page);
      const table = page.getByRole('table', { name: 'Visitors on the site now' });
      await table
        .getByText(/quick_chat/)
        .first()
        .waitFor();
      expect(
        await table
          .getByRole('row')
          .filter({ hasText: /quick_chat/ })
          .count(),
      ).toBe(1);
      await page.screenshot({ path: screenshotPath('visitors-now-quick-chat.png') });
    } finally {
      await quick.close();
    }
  });
});
