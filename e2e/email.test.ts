/**
 * The conversation continues by email, through the real UIs and a real SMTP
 * exchange on loopback (an `smtp-server` sink is everyone's mailbox): a
 * visitor leaves a request with their email while nobody is online and asks
 * for the conversation by email; the operator answers in the console; the
 * visitor, gone, gets the answer by email a minute later — threaded, with
 * their reply address. The HTML mail is rendered in Chromium and checked
 * with axe like every screen; the console's email settings too. Another
 * Parley without SMTP shows owners "N emails waiting: configure SMTP".
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { type SinkMail, SmtpSink } from '../apps/server/src/testing/smtp-sink.js';
import { eventually, logIn, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import {
  chatFrame,
  configureDemoSite,
  type FixtureShop,
  openChat,
  startFixtureShop,
} from './widget-support.js';

const DOMAIN = 'mail.shop.test';
let sink: SmtpSink;
let parley: ParleyProcess;
let shop: FixtureShop;
const people: Person[] = [];

beforeAll(async () => {
  sink = await SmtpSink.start();
  parley = await startParleyProcess({ env: { SMTP_URL: sink.url, MAIL_REPLY_DOMAIN: DOMAIN } });
  shop = await startFixtureShop(parley.url);
  // Unseen replies go by email after one minute (the shortest the setting allows).
  await configureDemoSite(parley, shop, {
    email: { unseenMinutes: 1, transcriptOnClose: false, digest: 'off' },
  });
});
afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await parley?.stop();
  await shop?.close();
  await sink?.close();
});

async function renderMail(page: Page, mail: SinkMail, name: string) {
  await page.setContent(String(mail.parsed.html));
  await expectAccessible(page, `email: ${name}`);
  await page.screenshot({ path: screenshotPath(`email-${name}.png`), fullPage: true });
}

describe('email out', () => {
  it('a request left with an email is answered in the console and reaches the visitor by mail, threaded', async () => {
    const visitor = await launchPerson();
    people.push(visitor);
    const page = visitor.context.pages()[0] ?? (await visitor.context.newPage());
    await page.goto(`${shop.origin}/fixtures/widget-page.html`);
    const chat = await openChat(page);
    await expect
      .poll(() => chat.getByRole('textbox', { name: 'Email' }).count(), { timeout: 15_000 })
      .toBe(1);
    // SMTP is there: the form may promise an answer by email.
    await chat.getByText('Leave your email and question, and we will answer').waitFor();
    await chat.getByRole('textbox', { name: 'Email' }).fill('ani@example.am');
    await chat.getByRole('textbox', { name: 'Message' }).fill('Do you have these boots in size 38?');
    await chat.getByRole('button', { name: 'Send request' }).click();
    await chat.getByText('Thank you! We have your request and will reply to ani@example.am.').waitFor();

    // Operators hear of the request by email, with their own reply address and an unsubscribe.
    const notice = await sink.waitForMail((m) => m.to.includes(E2E_ADMIN.email), 30_000);
    expect(notice.parsed.subject).toBe('New request on Demo shop');
    expect(notice.header('reply-to')).toMatch(new RegExp(`^reply\\+[a-z2-7]{26}@${DOMAIN}$`));
    expect(notice.header('list-unsubscribe')).toMatch(
      /^<http.+\/mail\/unsubscribe\?key=[0-9a-f]{64}&kind=offline-requests>$/,
    );

    // The visitor asks for the conversation by email (the address they gave is filled in).
    await chat.getByRole('button', { name: 'Email me this conversation' }).click();
    expect(await chat.getByRole('textbox', { name: 'Your email' }).inputValue()).toBe('ani@example.am');
    await expectAccessible(chatFrame(page), 'widget, transcript form');
    await page.screenshot({ path: screenshotPath('email-widget-transcript.png') });
    await chat.getByRole('button', { name: 'Send the conversation' }).click();
    await chat.getByText('Sent to ani@example.am.', { exact: false }).waitFor();
    const transcript = await sink.waitForMail((m) => m.to.includes('ani@example.am'), 30_000);
    expect(transcript.parsed.subject).toBe('Your conversation with Demo shop');
    expect(transcript.parsed.text).toContain('Do you have these boots in size 38?');
    // The visitor leaves.
    await visitor.close();

    const operator = await openConsole(parley.url);
    people.push(operator.person);
    await logIn(operator.page, E2E_ADMIN);
    await operator.page.getByRole('tab', { name: 'Requests' }).click();
    await operator.page.getByRole('button', { name: /Do you have these boots in size 38\?/ }).click();
    const reply = operator.page.getByRole('textbox', { name: 'Reply' });
    await reply.fill('Yes! Size 38 is in stock in black and brown.');
    await reply.press('Enter');

    // Unseen for a minute: the answer goes to the visitor's mailbox (the sweep runs every 30 s).
    const answer = await sink.waitForMail(
      (m) => m.to.includes('ani@example.am') && m.parsed.text?.includes('Size 38 is in stock') === true,
      150_000,
    );
    expect(answer.parsed.subject).toBe('Admin answered you on Demo shop');
    const root = transcript.header('in-reply-to');
    expect(root).toMatch(new RegExp(`^<conversation\\.[0-9a-f-]{36}@${DOMAIN}>$`));
    expect(answer.header('in-reply-to')).toBe(root);
    expect(answer.header('references')).toBe(root);
    // The visitor's reply address, the same in every mail to them; the operator's own is another.
    expect(answer.header('reply-to')).toMatch(new RegExp(`^reply\\+[a-z2-7]{26}@${DOMAIN}$`));
    expect(answer.header('reply-to')).toBe(transcript.header('reply-to'));
    expect(answer.header('reply-to')).not.toBe(notice.header('reply-to'));
    expect(answer.parsed.messageId).toMatch(new RegExp(`^<mail\\.[0-9a-f-]{36}@${DOMAIN}>$`));
    expect(answer.parsed.messageId).not.toBe(transcript.parsed.messageId);
    expect(sink.mails.filter((m) => m.parsed.text?.includes('Size 38 is in stock'))).toHaveLength(1);

    // The mails as a person sees them.
    await renderMail(operator.page, answer, 'reply');
    await renderMail(operator.page, notice, 'offline-request');
  }, 300_000);

  it("the console: a site's email settings and one's email notifications, accessible", async () => {
    const operator = await openConsole(parley.url, '/console/settings/account');
    people.push(operator.person);
    await logIn(operator.page, E2E_ADMIN);
    const prefs = operator.page.getByRole('region', { name: 'Email notifications' });
    const offline = prefs.getByRole('checkbox', { name: 'Requests left while nobody was online' });
    await offline.waitFor();
    expect(await offline.isChecked()).toBe(true);
    await offline.uncheck();
    await prefs.getByText('Saved.').waitFor();
    const admin = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const { body } = await api<{ offlineRequests: boolean }>(parley.url, '/api/account/mail-preferences', {
      cookie: admin.cookie,
    });
    expect(body.offlineRequests).toBe(false);
    await expectAccessible(operator.page, 'settings, your account with email notifications');
    await operator.page.screenshot({ path: screenshotPath('email-account-preferences.png'), fullPage: true });

    await operator.page.getByRole('link', { name: 'Sites' }).click();
    await operator.page.getByRole('link', { name: 'Demo shop' }).click();
    const form = operator.page.getByRole('form', { name: 'Email' });
    await form.getByRole('spinbutton', { name: /Email unseen replies after/ }).fill('10');
    await form
      .getByRole('checkbox', { name: 'Email the conversation to the visitor when it closes' })
      .check();
    await form.getByRole('combobox', { name: 'Digest for owners' }).selectOption('weekly');
    await form.getByRole('button', { name: 'Save email settings' }).click();
    await form.getByText('Email settings saved.').waitFor();
    const sites = await api<{ id: string; settings: { email: unknown } }[]>(parley.url, '/api/sites', {
      cookie: admin.cookie,
    });
    const saved =
      (sites.body as unknown as { sites?: { settings: { email: unknown } }[] }).sites ?? sites.body;
    expect(JSON.stringify(saved)).toContain(
      '"email":{"unseenMinutes":10,"transcriptOnClose":true,"digest":"weekly"}',
    );
    await expectAccessible(operator.page, 'settings, a site with its email settings');
    await form.scrollIntoViewIfNeeded();
    await operator.page.screenshot({ path: screenshotPath('email-site-settings.png'), fullPage: true });
  }, 240_000);
});

describe('without SMTP', () => {
  it('owners see how many emails wait, and the widget promises no email answer', async () => {
    const bare = await startParleyProcess();
    try {
      const bareShop = await startFixtureShop(bare.url);
      await configureDemoSite(bare, bareShop);
      const visitor = await launchPerson();
      people.push(visitor);
      const page = visitor.context.pages()[0] ?? (await visitor.context.newPage());
      await page.goto(`${bareShop.origin}/fixtures/widget-page.html`);
      const chat = await openChat(page);
      await expect
        .poll(() => chat.getByRole('textbox', { name: 'Email' }).count(), { timeout: 15_000 })
        .toBe(1);
      await chat.getByText('the answer will appear here', { exact: false }).waitFor();
      await chat.getByRole('textbox', { name: 'Email' }).fill('nare@example.am');
      await chat.getByRole('textbox', { name: 'Message' }).fill('Is delivery free?');
      await chat.getByRole('button', { name: 'Send request' }).click();
      await chat
        .getByText('Thank you! We have your request. Our answer will appear here in the chat.')
        .waitFor();
      expect(await chat.getByRole('button', { name: 'Email me this conversation' }).count()).toBe(0);
      await expectAccessible(chatFrame(page), 'widget without email, request sent');

      const operator = await openConsole(bare.url);
      people.push(operator.person);
      await logIn(operator.page, E2E_ADMIN);
      const banner = operator.page.getByRole('status', { name: 'Email' });
      await eventually(async () => {
        expect(await banner.textContent()).toContain('Emails waiting: 1 — configure SMTP');
        return true;
      });
      await expectAccessible(operator.page, 'console with the emails-waiting banner');
      await operator.page.screenshot({ path: screenshotPath('email-waiting-banner.png') });
      await bareShop.close();
    } finally {
      await bare.stop();
    }
  }, 240_000);
});
