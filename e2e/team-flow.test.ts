/**
 * Issue 10's whole story in one test, in real browsers, through the console
 * only: the owner creates a site and allows the shop's origin, invites two
 * operators who join by their links in their own browsers, sets their chat
 * limits to 1; both go online; three visitors write from the new site's
 * widget (pasted as the console shows the snippet); two chats are assigned
 * one each and the third visitor sees their place in the queue; one operator
 * transfers to the other with a note the visitor never sees, and the waiting
 * third chat goes to the one freed; the other sees who else views the
 * conversation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, logIn, type Operator, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import { chatFrame, openChat } from './widget-support.js';

const SITE = 'Hiking Store';
const COLLEAGUES = [
  { name: 'Anna', email: 'anna@hiking.test', password: 'anna-password-1' },
  { name: 'Boris', email: 'boris@hiking.test', password: 'boris-password-1' },
] as const;

let parley: ParleyProcess;
const consoles: Operator[] = [];
const people: Person[] = [];

/** The shop: a real server on another origin whose page carries whatever snippet the owner pasted. */
let shop: Server;
let shopOrigin = '';
let snippet = '';

beforeAll(async () => {
  parley = await startParleyProcess();
  shop = createServer((request, response) => {
    if (request.url !== '/product.html') return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hiking boots</title></head>` +
          `<body><h1>Hiking boots</h1><p>Waterproof, size 36–47.</p>${snippet}</body></html>`,
      );
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const o of consoles) await o.person.close();
  for (const p of people) await p.close();
  await parley?.stop();
  await new Promise((resolve) => shop?.close(resolve));
});

async function settingsSection(page: Page, section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: section }).click();
}

/** Invites `email` as an operator of the new site through Settings → Team; returns the link shown to copy. */
async function invite(page: Page, email: string): Promise<string> {
  await page.getByRole('button', { name: 'Invite a colleague' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a colleague' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
  await dialog.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Operator' });
  await dialog.getByRole('checkbox', { name: SITE }).check();
  await dialog.getByRole('checkbox', { name: 'Demo shop' }).uncheck();
  await expectAccessible(page, 'team flow, invite dialog');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.waitFor({ state: 'detached' });
  const link = page.getByRole('textbox', { name: `Invitation link for ${email}` });
  await link.waitFor();
  return link.inputValue();
}

/** A colleague opens their link in a browser of their own, sets name and password, lands in the console. */
async function join(url: string, colleague: (typeof COLLEAGUES)[number]): Promise<Page> {
  const person = await launchPerson();
  people.push(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  await page.goto(url);
  const form = page.getByRole('form', { name: 'Join your team' });
  await form.waitFor();
  await expectAccessible(page, `team flow, ${colleague.name}'s invitation`);
  await form.getByRole('textbox', { name: 'Your name' }).fill(colleague.name);
  await form.getByLabel('Password').fill(colleague.password);
  await form.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('tab', { name: 'Open' }).waitFor();
  await page.getByRole('button', { name: new RegExp(`${colleague.name}.*Profile`) }).waitFor();
  await expectAccessible(page, `team flow, ${colleague.name}'s console`);
  return page;
}

async function visitorWrites(text: string) {
  const person = await launchPerson();
  people.push(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  await page.goto(`${shopOrigin}/product.html`);
  const chat = await openChat(page);
  await chat.getByRole('textbox', { name: 'Message' }).fill(text);
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
  await chat.getByRole('log').getByText(text).waitFor();
  return { page, chat };
}

describe('a team on a new site', () => {
  it('creates a site, invites two operators who join, routes three visitors within limits, and transfers with a private note', async () => {
    // The owner logs in and creates the site.
    const ownerConsole = await openConsole(parley.url);
    consoles.push(ownerConsole);
    const owner = ownerConsole.page;
    await owner.setViewportSize({ width: 1280, height: 900 });
    await logIn(owner, E2E_ADMIN);
    await owner.getByRole('tab', { name: 'Open' }).waitFor();
    await expectAccessible(owner, 'team flow, owner inbox');
    await owner.getByRole('link', { name: 'Settings', exact: true }).click();
    await owner.getByRole('heading', { name: 'Sites' }).waitFor();
    await expectAccessible(owner, 'team flow, sites');
    await owner.getByRole('textbox', { name: /Name of the new site/ }).fill(SITE);
    await owner.getByRole('button', { name: 'Create site' }).click();

    // Its settings: the snippet goes onto the shop's page, the shop's origin is allowed.
    const siteForm = owner.getByRole('form', { name: `Site settings: ${SITE}` });
    await siteForm.waitFor();
    snippet = (await siteForm.getByRole('code').filter({ hasText: 'loader.js' }).textContent()) ?? '';
    expect(snippet).toMatch(/data-site="pk_[A-Za-z0-9_-]{22}"/);
    await siteForm.getByRole('textbox', { name: 'Add origin' }).fill(shopOrigin);
    await siteForm.getByRole('button', { name: 'Add', exact: true }).click();
    await siteForm.getByRole('button', { name: `Remove ${shopOrigin}` }).waitFor();
    await siteForm.getByRole('button', { name: 'Save settings' }).click();
    await siteForm.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await expectAccessible(owner, 'team flow, the new site');

    // Two colleagues invited in Settings → Team, each joining in their own browser.
    await settingsSection(owner, 'Team');
    await owner.getByRole('heading', { name: 'Team', level: 2 }).waitFor();
    await expectAccessible(owner, 'team flow, team');
    const links = [];
    for (const c of COLLEAGUES) links.push(await invite(owner, c.email));
    const anna = await join(links[0] ?? '', COLLEAGUES[0]);
    const boris = await join(links[1] ?? '', COLLEAGUES[1]);
    await owner.reload();
    for (const c of COLLEAGUES) {
      const row = owner.getByRole('row', { name: new RegExp(c.name) });
      await row.waitFor();
      expect(await row.textContent()).toContain(SITE);
    }
    await expectAccessible(owner, 'team flow, team with two colleagues');

    // Settings → Departments and routing of the new site: chat limits 1, 1, and 0 for the owner.
    await settingsSection(owner, 'Departments and routing');
    await owner.getByRole('link', { name: SITE }).click();
    await owner.getByRole('heading', { name: `Departments and routing: ${SITE}` }).waitFor();
    await expectAccessible(owner, 'team flow, routing settings');
    for (const [name, limit] of [
      ['Anna', '1'],
      ['Boris', '1'],
      ['Admin', '0'],
    ] as const) {
      await owner.getByRole('spinbutton', { name: `Chat limit of ${name}` }).fill(limit);
      await owner.getByRole('button', { name: `Save the limit of ${name}` }).click();
      await owner.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    }

    for (const page of [anna, boris])
      await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });

    // Three visitors write on the new site's widget: one chat each, the third waits in the queue.
    const first = await visitorWrites('First: are these boots waterproof?');
    const second = await visitorWrites('Second: do you have size 44?');
    const third = await visitorWrites('Third: can I return them in 30 days?');
    const queued = third.chat.getByRole('status').filter({ hasText: /number 1 in the queue/ });
    await queued.waitFor();
    await expectAccessible(chatFrame(third.page), 'team flow, widget queued');
    await third.page.screenshot({ path: screenshotPath('team-flow-queue.png') });

    const mineOf = async (page: Page) => {
      await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Mine' });
      const rows = page.getByRole('tabpanel').getByRole('listitem');
      await eventually(async () => expect(await rows.count()).toBe(1));
      return rows;
    };
    const annas = await mineOf(anna);
    const boriss = await mineOf(boris);
    const annasText = (await annas.textContent()) ?? '';
    const borissText = (await boriss.textContent()) ?? '';
    expect([annasText.includes('First'), borissText.includes('First')].filter(Boolean)).toHaveLength(1);
    expect([annasText.includes('Second'), borissText.includes('Second')].filter(Boolean)).toHaveLength(1);
    expect(annasText + borissText).not.toContain('Third');

    // Anna transfers hers to Boris with a note.
    await annas.getByRole('button').click();
    await anna.locator('.conversation-routing').getByText('Assigned to Anna').waitFor();
    await expectAccessible(anna, 'team flow, Anna’s conversation');
    await anna.getByRole('button', { name: 'Transfer', exact: true }).click();
    const dialog = anna.getByRole('dialog', { name: 'Transfer this conversation' });
    await dialog.getByRole('combobox', { name: 'Transfer to' }).selectOption({ label: 'Boris' });
    await dialog
      .getByRole('textbox', { name: /Note for colleagues/ })
      .fill('Regular customer: offer free insoles');
    await expectAccessible(anna, 'team flow, transfer dialog');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await anna.locator('.conversation-routing').getByText('Assigned to Boris').waitFor();

    // Anna is free again: the waiting third chat comes to her, and its visitor leaves the queue.
    await eventually(async () => expect(await annas.textContent()).toContain('Third'));
    await queued.waitFor({ state: 'detached' });

    // Boris opens it: the note is there, and Anna is shown viewing it too.
    const transferred = boris
      .getByRole('tabpanel')
      .getByRole('button', { name: /free insoles|joined the chat/ });
    await transferred.first().click();
    await boris.getByText('Regular customer: offer free insoles').waitFor();
    await boris.getByRole('status').filter({ hasText: 'Also viewing: Anna' }).waitFor();
    await expectAccessible(boris, 'team flow, transferred conversation');
    await boris.screenshot({ path: screenshotPath('team-flow-also-viewing.png') });

    // The visitor whose chat moved sees Boris join, never the note, even after a reload.
    const moved = annasText.includes('First') ? first : second;
    await moved.page.reload();
    const log = (await openChat(moved.page)).getByRole('log');
    await log.getByText('Boris joined the chat').waitFor();
    expect(await log.getByText(/insoles/).count()).toBe(0);
    await expectAccessible(chatFrame(moved.page), 'team flow, widget after the transfer');
  }, 240_000);
});
