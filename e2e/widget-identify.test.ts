/**
 * Parley('identify') and Parley('on') in real Chromium against Parley started as `npm start` does:
 * a shop page signs its customer in (the userHash computed from the site's secret, as the shop's
 * server would) in two separate browser profiles, and both show the same conversation history; the
 * page's `message` handler fires on the operator's reply (a handler that throws breaks nothing), and
 * `open`/`close` fire with the window. The operator's card marks the user verified. The identity
 * settings screen passes axe and is screenshotted.
 */
import { createHmac } from 'node:crypto';
import { API_PATHS, type SiteIdentityDTO, type VisitorDTO } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api } from '../apps/server/src/testing/clients.js';
import { logIn, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson } from './support/browser.js';
import { E2E_ADMIN } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import { openChat, useWidgetWorld } from './widget-support.js';

const world = useWidgetWorld();
const USER = 'customer-1042';

async function signature(): Promise<string> {
  const siteId = world.operator.session.sites[0]?.id ?? '';
  const { body } = await api<SiteIdentityDTO>(world.parley.url, API_PATHS.siteIdentity(siteId), {
    cookie: world.operator.session.cookie,
  });
  return createHmac('sha256', body.secret).update(USER).digest('hex');
}

/** A browser profile of its own on the logged-in page, once the loader has identified it. */
async function loggedInVisitor(hash: string): Promise<Page> {
  const person = await launchPerson();
  world.people.push(person);
  const page = await person.context.newPage();
  await page.goto(`${world.shop.origin}/fixtures/identify-page.html#id=${USER}&hash=${hash}`);
  await page.waitForFunction(() => localStorage.getItem('parley:demo:ident') !== null);
  return page;
}

const events = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __events: { type: string; operatorName?: string }[] }).__events,
  );

// Two or three browsers each: on a busy 2-core machine one test can take half a minute.
const SLOW = 90_000;

describe('identify and on', () => {
  it(
    'gives a signed-in customer the same history in two browsers, and tells the page of replies',
    async () => {
      const hash = await signature();
      const laptop = await loggedInVisitor(hash);
      const chat = await openChat(laptop);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Hello from the laptop');
      await chat.getByRole('button', { name: 'Send', exact: true }).click();
      const asked = await world.operator.waitForVisitorMessage('Hello from the laptop');
      const card = await world.operator.socket.waitFor<VisitorDTO>(
        'visitor.updated',
        (v) => v.identity?.externalId === USER,
      );
      expect(card.identity).toEqual({ externalId: USER, verified: true });
      expect(card.name).toBe('Anna Petrosyan');

      await world.operator.reply(asked.conversationId, 'Hi Anna, how can I help?');
      await chat.getByRole('log').getByText('Hi Anna, how can I help?').waitFor();
      await laptop.waitForFunction(() =>
        (window as unknown as { __events: { type: string }[] }).__events.some((e) => e.type === 'message'),
      );
      const seen = await events(laptop);
      // The handler after the one that threw still ran: a page's broken handler breaks nothing.
      expect(seen.find((e) => e.type === 'message')?.operatorName).toBeTruthy();
      expect(seen[0]?.type).toBe('open');
      await chat.getByRole('textbox', { name: 'Message' }).press('Escape');
      await laptop.waitForFunction(() =>
        (window as unknown as { __events: { type: string }[] }).__events.some((e) => e.type === 'close'),
      );
      await expectAccessible(laptop, 'identified visitor page');

      // Another browser profile, nothing in its storage: the same customer, the same history.
      const phone = await loggedInVisitor(hash);
      const again = await openChat(phone);
      const log = again.getByRole('log');
      await log.getByText('Hello from the laptop').waitFor();
      await log.getByText('Hi Anna, how can I help?').waitFor();
      expect(await log.getByText('Hello from the laptop').count()).toBe(1);
      await again.getByRole('textbox', { name: 'Message' }).fill('And from the phone');
      await again.getByRole('button', { name: 'Send', exact: true }).click();
      const fromPhone = await world.operator.waitForVisitorMessage('And from the phone');
      expect(fromPhone.conversationId).toBe(asked.conversationId);
    },
    SLOW,
  );

  it(
    'merges what a visitor said anonymously when they log in, and the open chat reloads with the whole history',
    async () => {
      const hash = await signature();
      const person = await launchPerson();
      world.people.push(person);
      const page = await person.context.newPage();
      // Not logged in yet: the page identifies nobody (no id), only says a name, unverified.
      await page.goto(`${world.shop.origin}/fixtures/identify-page.html`);
      const chat = await openChat(page);
      await chat.getByRole('textbox', { name: 'Message' }).fill('Asked before logging in');
      await chat.getByRole('button', { name: 'Send', exact: true }).click();
      await world.operator.waitForVisitorMessage('Asked before logging in');

      // Logs in: the shop's page identifies the customer, signed. The chat, still open, starts afresh.
      await page.evaluate(
        ([id, userHash]) =>
          (window as unknown as { Parley: (...a: unknown[]) => void }).Parley('identify', { id, userHash }),
        [USER, hash],
      );
      const log = chat.getByRole('log');
      await log.getByText('Hello from the laptop').waitFor();
      await log.getByText('Asked before logging in').waitFor();
      expect(await log.getByText('Asked before logging in').count()).toBe(1);
      await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    },
    SLOW,
  );

  it(
    'shows the identity settings to an owner, accessibly, and the verified mark on the card',
    async () => {
      const o = await openConsole(world.parley.url);
      world.people.push(o.person);
      const page = o.page;
      await logIn(page, E2E_ADMIN);
      await page.getByRole('tab', { name: 'Open' }).waitFor();
      // The identified customer's conversation: the card names the user id, verified.
      await page.getByRole('listitem').filter({ hasText: 'Anna Petrosyan' }).first().click();
      const card = page.getByRole('complementary', { name: 'Visitor' });
      await card.getByText(USER).waitFor();
      await card.getByText('verified', { exact: false }).first().waitFor();
      await page.screenshot({ path: screenshotPath('identity-visitor-card.png') });

      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('main').getByRole('link', { name: 'Demo shop' }).click();
      const section = page.getByRole('region', { name: 'Identity verification' });
      await section.waitFor();
      await section.getByRole('checkbox', { name: /Require identity verification/ }).waitFor();
      await section.getByRole('button', { name: 'Show secret' }).click();
      await section
        .getByRole('code')
        .filter({ hasText: /^[0-9a-f]{64}$/ })
        .waitFor();
      await section.getByRole('combobox', { name: 'Server language' }).selectOption({ label: 'PHP' });
      await section.getByText("hash_hmac('sha256'", { exact: false }).waitFor();
      await section.scrollIntoViewIfNeeded();
      await expectAccessible(page, 'console site settings, identity');
      await section.screenshot({ path: screenshotPath('identity-site-settings.png') });

      await section.getByRole('checkbox', { name: /Require identity verification/ }).check();
      await section.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const siteId = world.operator.session.sites[0]?.id ?? '';
      const { body } = await api<SiteIdentityDTO>(world.parley.url, API_PATHS.siteIdentity(siteId), {
        cookie: world.operator.session.cookie,
      });
      expect(body.requireVerification).toBe(true);
    },
    SLOW,
  );
});
