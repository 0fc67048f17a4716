/**
 * Tags, close reasons, read receipts and the first-message sneak peek in real
 * Chromium against Parley started as `npm start` does: a visitor in the
 * widget on a shop page, an operator in the console. The operator turns on
 * close reasons in Settings › Tags, tags the conversation from its header,
 * sees the visitor's "Seen" under the reply (and the visitor sees "Read"),
 * closes with a reason and filters the list by tag. A new visitor's first
 * question shows while it is typed, and with sneak peek off no draft leaves
 * the widget (checked on the wire) and none shows.
 */
import { API_PATHS, type ConversationDetail, type TagList } from '@parley/protocol';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { eventually, logIn, type Operator, openConsole } from './console-helpers.js';
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

let parley: ParleyProcess;
let shop: FixtureShop;
let operator: Operator;
const people: Person[] = [];

beforeAll(async () => {
  parley = await startParleyProcess();
  shop = await startFixtureShop(parley.url);
  await configureDemoSite(parley, shop);
  operator = await openConsole(parley.url);
  await logIn(operator.page, E2E_ADMIN);
  await operator.page.getByRole('tab', { name: 'Open' }).waitFor();
  // Online, so the widget offers a chat (not the request form).
  await operator.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });
});

afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await operator?.person.close();
  await parley?.stop();
  await shop?.close();
});

/** A visitor on the shop page, recording every frame its widget sends on the socket. */
async function visitorWithChat(): Promise<{ page: Page; chat: FrameLocator; sent: string[] }> {
  const person = await launchPerson();
  people.push(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => sent.push(String(payload))));
  await page.goto(`${shop.origin}/fixtures/widget-page.html`);
  const chat = await openChat(page);
  await chat.getByRole('textbox', { name: 'Message' }).waitFor();
  return { page, chat, sent };
}

async function adminApi() {
  const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
  return { session, siteId: session.sites[0]?.id ?? '' };
}

async function openTagsSettings(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Tags' }).click();
  await page.getByRole('heading', { name: 'Tags', level: 2 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/settings/tags');
}

async function backToInbox(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Back/ }).click();
  await page.getByRole('tab', { name: 'Open' }).waitFor();
}

describe('tags, close reasons and read receipts', () => {
  it('tags a conversation, shows Seen and Read, closes it with a reason and filters by tag', async () => {
    const { page } = operator;
    await openTagsSettings(page);
    const ask = page.getByRole('checkbox', { name: /Ask for a reason/ });
    await ask.check();
    await eventually(async () => {
      const { session, siteId } = await adminApi();
      const { body } = await api<{ settings: { askCloseReason: boolean } }>(
        parley.url,
        API_PATHS.site(siteId),
        {
          cookie: session.cookie,
        },
      );
      expect(body.settings.askCloseReason).toBe(true);
    });
    await expectAccessible(page, 'settings › tags');
    await backToInbox(page);

    const visitor = await visitorWithChat();
    await visitor.chat.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Gyumri?');
    await visitor.chat.getByRole('button', { name: 'Send', exact: true }).click();
    const row = page.getByRole('button', { name: /Do you ship to Gyumri\?/ });
    await row.click();

    // Tag it on the fly from the header: a new tag, its colour picked by the server.
    await page.getByRole('button', { name: '+ Tag' }).click();
    await page.getByRole('combobox', { name: 'Tag name' }).fill('Delivery');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const header = page.locator('.conversation-header');
    await header.getByRole('button', { name: 'Remove tag Delivery' }).waitFor();
    await expect.poll(() => row.locator('.tag-chip', { hasText: 'Delivery' }).count()).toBe(1);

    // The operator has the chat on screen: the visitor's message is read, and the widget says so quietly.
    const log = visitor.chat.getByRole('log');
    await log.getByText('Read', { exact: true }).waitFor();
    // The reply, seen by the visitor with the chat open: "Seen" under it in the console.
    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes, in two days, free over 20,000 AMD.');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await log.getByText('Yes, in two days, free over 20,000 AMD.').waitFor();
    await page.locator('.message.operator').getByText('Seen', { exact: true }).waitFor();
    await expectAccessible(page, 'conversation with a tag and a seen reply');
    await page.screenshot({ path: screenshotPath('console-tags-seen.png') });
    await visitor.chat.getByText('Do you ship to Gyumri?').waitFor();
    await expectAccessible(chatFrame(visitor.page), 'widget with a read mark');

    // The visitor writes again: "Read" moves to the new message once the operator has it on screen.
    await visitor.chat.getByRole('textbox', { name: 'Message' }).fill('Great, thank you!');
    await visitor.chat.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.message.visitor').getByText('Great, thank you!').waitFor();
    await eventually(async () => {
      expect(await log.getByText('Read', { exact: true }).count()).toBe(1);
      const last = log.locator('.me').last();
      expect(await last.getByText('Read', { exact: true }).count()).toBe(1);
    });
    await visitor.page.screenshot({ path: screenshotPath('widget-read.png') });

    // Close: the site asks for a reason, so a chooser opens; a new reason becomes a tag.
    await header.getByRole('button', { name: 'Close conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the conversation' });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Another reason…' }).check();
    await dialog.getByRole('textbox', { name: /New reason/ }).fill('Answered');
    await expectAccessible(page, 'close reason chooser');
    await page.screenshot({ path: screenshotPath('console-close-reason.png') });
    await dialog.getByRole('button', { name: 'Close with this reason' }).click();
    await page.getByRole('button', { name: 'Reopen' }).waitFor();

    const { session, siteId } = await adminApi();
    const tags = (await api<TagList>(parley.url, API_PATHS.siteTags(siteId), { cookie: session.cookie })).body
      .tags;
    const byName = (name: string) => tags.find((t) => t.name === name)?.id;
    const conversationId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const detail = await api<ConversationDetail>(parley.url, API_PATHS.conversation(conversationId), {
      cookie: session.cookie,
    });
    expect(detail.body.conversation).toMatchObject({
      status: 'closed',
      tagIds: [byName('Delivery'), byName('Answered')],
      closeReasonTagId: byName('Answered'),
    });

    // The inbox filtered by a tag: the closed conversation is there under "Answered", not under another.
    await page.getByRole('tab', { name: 'Closed' }).click();
    const filter = page.getByRole('combobox', { name: 'Tag', exact: true });
    await filter.selectOption({ label: 'Answered' });
    const list = page.locator('.list-pane');
    await expect.poll(() => list.getByRole('button', { name: /Great, thank you!/ }).count()).toBe(1);
    await expectAccessible(page, 'closed list filtered by tag');
    await page.screenshot({ path: screenshotPath('console-tag-filter.png') });
    await filter.selectOption({ label: 'All tags' });
    await page.getByRole('tab', { name: 'Open' }).click();

    // Settings › Tags: rename and recolour a tag; every console shows it (this one through `tags.updated`).
    await openTagsSettings(page);
    await page.getByRole('textbox', { name: 'Name of tag Answered' }).fill('Answered in chat');
    await page.getByRole('button', { name: 'Rename' }).first().click();
    await page
      .getByRole('combobox', { name: 'Colour of tag Answered in chat' })
      .selectOption({ label: 'Green' });
    await eventually(async () => {
      const now = (await api<TagList>(parley.url, API_PATHS.siteTags(siteId), { cookie: session.cookie }))
        .body.tags;
      expect(now.find((t) => t.id === byName('Answered'))).toMatchObject({
        name: 'Answered in chat',
        color: 'green',
      });
    });
    await expectAccessible(page, 'settings › tags with tags');
    await page.screenshot({ path: screenshotPath('console-tags-settings.png') });
    // Back to no reasons asked, for the next test.
    await page.getByRole('checkbox', { name: /Ask for a reason/ }).uncheck();
    await backToInbox(page);
  }, 120_000);

  it("shows a new visitor's first message while it is typed, and nothing of it with sneak peek off", async () => {
    const { page } = operator;
    const first = await visitorWithChat();
    await first.chat
      .getByRole('textbox', { name: 'Message' })
      .pressSequentially('Do you sell gift cards', { delay: 20 });
    const drafts = page.getByRole('region', { name: 'Typing a first message' });
    await drafts.getByText('Do you sell gift cards').waitFor();
    await expectAccessible(page, 'inbox with a first message being typed');
    await page.screenshot({ path: screenshotPath('console-first-draft.png') });
    expect(first.sent.some((frame) => frame.includes('"preview"'))).toBe(true);

    await openTagsSettings(page);
    await page.getByRole('checkbox', { name: /Sneak peek/ }).uncheck();
    await eventually(async () => {
      const { session, siteId } = await adminApi();
      const { body } = await api<{ settings: { sneakPeek: boolean } }>(parley.url, API_PATHS.site(siteId), {
        cookie: session.cookie,
      });
      expect(body.settings.sneakPeek).toBe(false);
    });
    await backToInbox(page);
    // Record whether a first draft ever shows from now on.
    await page.evaluate(() => {
      const scope = window as unknown as { __draftShown: boolean };
      scope.__draftShown = false;
      const region = document.querySelector('.first-drafts');
      if (!region) throw new Error('no first-drafts region');
      new MutationObserver(() => {
        if (region.textContent?.includes('Where is my parcel')) scope.__draftShown = true;
      }).observe(region, { childList: true, subtree: true, characterData: true });
    });

    const second = await visitorWithChat();
    const box = second.chat.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('Where is my parcel', { delay: 20 });
    // The widget still says it is typing, without the draft: wait until that frame is on the wire.
    await eventually(async () =>
      expect(second.sent.some((frame) => frame.includes('"typing.set"'))).toBe(true),
    );
    await box.press('Enter');
    await page.getByRole('button', { name: /Where is my parcel/ }).waitFor();
    const typingFrames = second.sent.filter((frame) => frame.includes('"typing.set"'));
    expect(typingFrames.length).toBeGreaterThan(0);
    expect(second.sent.filter((frame) => frame.includes('"preview"'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __draftShown: boolean }).__draftShown)).toBe(
      false,
    );

    await openTagsSettings(page);
    await page.getByRole('checkbox', { name: /Sneak peek/ }).check();

    // The page in Russian and Armenian: every control named in the language.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await page.getByRole('heading', { name: 'Метки', level: 2 }).waitFor();
    await page.getByRole('checkbox', { name: /Подглядывание/ }).waitFor();
    await page.getByRole('checkbox', { name: /Спрашивать причину/ }).waitFor();
    await page.getByRole('textbox', { name: 'Название метки Delivery' }).waitFor();
    await page.getByRole('combobox', { name: 'Цвет метки Delivery' }).waitFor();
    await page.getByRole('button', { name: 'Удалить метку Delivery' }).waitFor();
    await expectAccessible(page, 'settings › tags in Russian');
    await page.getByRole('combobox', { name: 'Язык' }).selectOption('hy');
    await page.getByRole('checkbox', { name: /Նախադիտում/ }).waitFor();
    await page.getByRole('button', { name: 'Ջնջել Delivery պիտակը' }).waitFor();
    await expectAccessible(page, 'settings › tags in Armenian');
    await page.getByRole('combobox', { name: 'Լեզու' }).selectOption('en');
    await backToInbox(page);
  }, 120_000);
});
