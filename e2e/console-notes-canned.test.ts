/**
 * The consultant's writing tools in real Chromium (issue 11): an operator
 * writes an internal note mentioning a colleague, who is notified live (toast,
 * badge, desktop notification) and opens it; the visitor's widget never shows
 * the note, not even reloaded; the operator inserts a canned reply by its
 * shortcut typed in the wrong keyboard layout, with its variables filled,
 * edits and sends it, and the visitor reads it; saves a message as a canned
 * reply; the pickers in Russian; the Canned replies settings page searches
 * (in either layout), edits and deletes, and an operator writes a personal
 * reply there but cannot touch shared ones. Found by role and accessible name; every
 * screen checked with axe.
 */
import type { ConversationDetail, ConversationList } from '@parley/protocol';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { addOperator } from '../apps/server/src/testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../apps/server/src/testing/test-parley.js';
import { eventually, literal, logIn, type Operator, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { chatFrame } from './widget-support.js';

let parley: TestParley;
const people: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(async () => {
  for (const p of people) await p.close().catch(() => {});
  await parley?.close();
});

async function consoleOf(credentials: { email: string; password: string }): Promise<Operator> {
  const o = await openConsole(parley.url);
  people.push(o.person);
  await logIn(o.page, credentials);
  await o.page.getByRole('tab', { name: 'Open' }).waitFor();
  return o;
}

async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: 'Open chat', exact: true }).click();
  const frame = page.getByTitle('Chat', { exact: true }).contentFrame();
  await frame.getByRole('textbox', { name: 'Message' }).waitFor();
  return frame;
}

const NOTE = 'can we give this customer 10% off the red pair?';
const QUESTION = 'Hi! How much are the red sneakers?';

it('a note with a mention, a canned reply by shortcut; the visitor sees the reply and never the note', {
  timeout: 240_000,
}, async () => {
  const boris = await addOperator(parley, 'Boris');
  const admin = await consoleOf(TEST_ADMIN);
  await admin.page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });
  // The shortcuts dialog lists the new ones.
  await admin.page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const shortcuts = admin.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await shortcuts.getByText('Switch the reply box between reply and internal note').waitFor();
  await shortcuts.getByText('Insert a canned reply (in the reply box)').waitFor();
  await shortcuts.getByRole('button', { name: 'Close' }).click();
  const colleague = await consoleOf({ email: 'boris@parley.test', password: 'Boris-password' });
  await colleague.page.getByRole('button', { name: 'Mentions', exact: true }).waitFor();

  // A visitor on the demo shop asks.
  const shopperPerson: Person = await launchPerson();
  people.push(shopperPerson);
  const shopper = shopperPerson.context.pages()[0] ?? (await shopperPerson.context.newPage());
  await shopper.goto(`${parley.url}/shop/`);
  let chat = await openChat(shopper);
  await chat.getByText('We are online').waitFor({ timeout: 15_000 });
  await chat.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
  await chat.getByRole('log').getByText(QUESTION).waitFor();

  // The operator opens it and switches the reply box to a note with Alt+N.
  const { page } = admin;
  await page.getByRole('button', { name: new RegExp(literal(QUESTION)) }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await log.getByText(QUESTION).waitFor();
  await page.getByRole('textbox', { name: 'Reply' }).focus();
  await page.keyboard.press('Alt+n');
  const toggle = page.getByRole('button', { name: 'Internal note' });
  expect(await toggle.getAttribute('aria-pressed')).toBe('true');
  const noteBox = page.getByRole('textbox', { name: 'Note to colleagues' });
  await noteBox.waitFor();
  // `@` lists the site's colleagues; Enter inserts the name.
  await noteBox.pressSequentially('@Bo');
  const colleagues = page.getByRole('listbox', { name: 'Colleagues' });
  await colleagues.getByRole('option', { name: '@Boris' }).waitFor();
  await expectAccessible(page, 'console, note with the colleague picker open');
  await page.keyboard.press('Enter');
  expect(await noteBox.inputValue()).toBe('@Boris ');
  await noteBox.pressSequentially(NOTE);
  await page.keyboard.press('Enter');
  const note = log.getByRole('listitem').filter({ hasText: NOTE });
  await note.waitFor();
  await note.getByText('Note', { exact: true }).waitFor();
  await note.getByText('only operators see it').waitFor();
  await expectAccessible(page, 'console, a note in the conversation');
  await page.screenshot({ path: screenshotPath('console-note.png') });

  // Boris is told at once: a toast, the unread badge, a desktop notification; he opens the note.
  const toast = colleague.page.getByRole('status').filter({ hasText: 'mentioned you in a note' });
  await toast.waitFor({ timeout: 15_000 });
  await colleague.page.getByRole('button', { name: 'Mentions 1 (unread)' }).waitFor();
  await eventually(async () =>
    expect(await colleague.notifications()).toContain('Admin mentioned you in a note'),
  );
  await expectAccessible(colleague.page, 'console, a mention arrived');
  await colleague.page.screenshot({ path: screenshotPath('console-mention-toast.png') });
  await toast.getByRole('button', { name: 'Open the conversation' }).click();
  await colleague.page.getByRole('log', { name: 'Messages' }).getByText(NOTE).waitFor();
  await colleague.page.getByRole('button', { name: 'Mentions', exact: true }).click();
  // The list keeps it (read now), for whoever comes back to it later.
  const mentions = colleague.page.getByRole('dialog', { name: 'Mentions in notes' });
  await mentions.getByRole('button', { name: new RegExp(`Admin in a note.*${literal(NOTE)}`) }).waitFor();
  await expectAccessible(colleague.page, 'console, the mentions list');
  await mentions.getByRole('button', { name: 'Close' }).click();

  // Back to replies: `/` typed in the Russian layout (`/руддщ` is `/hello`) finds the greeting.
  await toggle.click();
  expect(await toggle.getAttribute('aria-pressed')).toBe('false');
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.pressSequentially('/руддщ');
  const picker = page.getByRole('listbox', { name: 'Canned replies' });
  const hello = picker.getByRole('option', { name: /\/hello/ });
  await hello.waitFor();
  expect(await hello.getAttribute('aria-selected')).toBe('true');
  expect(await reply.getAttribute('aria-activedescendant')).toBe(await hello.getAttribute('id'));
  await expectAccessible(page, 'console, the canned reply picker open');
  await page.screenshot({ path: screenshotPath('console-canned-picker.png') });
  await page.keyboard.press('Tab');
  await picker.waitFor({ state: 'detached' });
  // Filled: the visitor gave no name (the fallback), the operator's and the site's names.
  const greeting = 'Hello, there! I’m Admin from Demo shop. How can I help?';
  expect(await reply.inputValue()).toBe(greeting);
  // Editable before sending.
  await reply.press('End');
  await reply.pressSequentially(' The red pair is 89 €.');
  // Escape closes a picker without inserting anything.
  await reply.pressSequentially(' /pri');
  await picker.waitFor();
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  for (let i = 0; i < ' /pri'.length; i++) await reply.press('Backspace');
  await page.keyboard.press('Enter');
  const sent = `${greeting} The red pair is 89 €.`;
  await log.getByText(sent).waitFor();

  // The visitor reads the reply; reloaded, the widget shows the question and the reply, never the note.
  await chat.getByText(sent).waitFor({ timeout: 15_000 });
  await shopper.reload();
  chat = await openChat(shopper);
  const history = chat.getByRole('log');
  await history.getByText(sent).waitFor();
  await history.getByText(QUESTION).waitFor();
  // The whole frame's text, hidden parts included.
  const frameText = (await chatFrame(shopper).locator('body').textContent()) ?? '';
  expect(frameText).not.toContain(NOTE);
  expect(frameText).not.toContain('@Boris');
  await expectAccessible(chatFrame(shopper), 'chat reloaded after a note');

  // Stored as the server has it: the note internal, between question and reply.
  const session = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const { body: list } = await api<ConversationList>(parley.url, '/api/conversations?status=open', session);
  const { body: detail } = await api<ConversationDetail>(
    parley.url,
    `/api/conversations/${list.items[0]?.id}`,
    session,
  );
  expect(detail.messages.map((m) => [m.visibility, m.text])).toEqual([
    ['public', QUESTION],
    ['internal', `@Boris ${NOTE}`],
    ['public', sent],
  ]);
  expect(boris.operator.display_name).toBe('Boris');

  // "Save as canned reply" on the message just sent: a personal reply, at once in the picker.
  await log
    .getByRole('listitem')
    .filter({ hasText: sent })
    .getByRole('button', { name: 'Save as canned reply' })
    .click();
  const save = page.getByRole('dialog', { name: 'Save as canned reply' });
  expect(await save.getByRole('textbox', { name: 'Text' }).inputValue()).toBe(sent);
  await save.getByRole('radio', { name: 'Only me' }).check();
  await save.getByRole('textbox', { name: 'Shortcut' }).fill('red');
  await expectAccessible(page, 'console, save as canned reply');
  await save.getByRole('button', { name: 'Save' }).click();
  await save.waitFor({ state: 'detached' });
  await reply.pressSequentially('/red');
  await picker.getByRole('option', { name: /\/red.*Personal/ }).waitFor();
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached', timeout: 3000 });
  await reply.fill('');

  // The same tools speak Russian.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
  await page.getByRole('button', { name: 'Внутренняя заметка' }).waitFor();
  await page.getByRole('textbox', { name: 'Ответ' }).pressSequentially('/цен');
  await page
    .getByRole('listbox', { name: 'Шаблоны ответов' })
    .getByRole('option', { name: /\/цена/ })
    .waitFor();
  await expectAccessible(page, 'console in Russian, the canned reply picker open');
  await page.keyboard.press('Escape');
  await page.getByRole('listbox', { name: 'Шаблоны ответов' }).waitFor({ state: 'detached', timeout: 3000 });
  await page.getByRole('textbox', { name: 'Ответ' }).fill('');
  await page.getByRole('combobox', { name: 'Язык' }).selectOption('en');

  // The settings page lists the demo set and searches it in either layout.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('link', { name: 'Canned replies' }).click();
  await page.getByRole('heading', { name: 'Canned replies' }).waitFor();
  await page.getByRole('searchbox', { name: 'Search canned replies' }).fill('wtyf');
  await page.getByText('Цена и скидки').waitFor();
  expect(await page.getByText('Price and discounts').count()).toBe(0);
  await expectAccessible(page, 'settings, canned replies searched');
  await page.screenshot({ path: screenshotPath('settings-canned-replies.png') });

  // Edit and delete there: the personal /red saved above.
  const search = page.getByRole('searchbox', { name: 'Search canned replies' });
  await search.fill('red');
  await page.getByRole('link', { name: 'Edit /red' }).click();
  const form = page.getByRole('form', { name: 'Edit /red' });
  await form.getByRole('textbox', { name: 'Title' }).fill('Red sneakers price');
  await expectAccessible(page, 'settings, editing a canned reply');
  await form.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Red sneakers price').waitFor();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete /red' }).click();
  await page.getByText('Red sneakers price').waitFor({ state: 'detached' });

  // An operator keeps personal replies there; the shared set is the admins'.
  const other = colleague.page;
  await other.getByRole('link', { name: 'Settings' }).click();
  await other.getByRole('link', { name: 'Canned replies' }).click();
  await other.getByRole('link', { name: 'New canned reply' }).click();
  const mine = other.getByRole('form', { name: 'New canned reply' });
  expect(await mine.getByRole('radio', { name: 'Everyone on this site' }).isDisabled()).toBe(true);
  expect(await mine.getByRole('radio', { name: 'Only me' }).isChecked()).toBe(true);
  await mine.getByRole('textbox', { name: 'Shortcut' }).fill('thanks');
  await mine.getByRole('textbox', { name: 'Title' }).fill('Thanks');
  await mine.getByRole('textbox', { name: 'Text' }).fill('Thank you, {visitor.name|and have a nice day}!');
  await expectAccessible(other, 'settings, an operator writes a personal canned reply');
  await mine.getByRole('button', { name: 'Save' }).click();
  await other.getByText('Thank you, {visitor.name|and have a nice day}!').waitFor();
  // A shared reply shows no Edit for an operator.
  await other.getByRole('searchbox', { name: 'Search canned replies' }).fill('price');
  await other.getByText('Price and discounts').waitFor();
  expect(await other.getByRole('link', { name: 'Edit /price' }).count()).toBe(0);
});
