/**
 * The team in real Chromium against Parley started as `npm start` does: the
 * owner invites a colleague from Settings → Team; the colleague opens the
 * one-time link in a browser of their own, sets name and password and lands
 * in the console; the link cannot be used twice; the owner deactivates them
 * and their open console is logged out at once. Also: changing one's own
 * password from "Your account", with the sessions list.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginOperator } from '../apps/server/src/testing/clients.js';
import { eventually, logIn, type Operator, openConsole, unnamedControls } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

let parley: ParleyProcess;
const operators: Operator[] = [];
const people: Person[] = [];

beforeAll(async () => {
  parley = await startParleyProcess();
});

afterAll(async () => {
  for (const o of operators) await o.person.close();
  for (const p of people) await p.close();
  await parley?.stop();
});

async function ownerOnTeamPage(): Promise<Page> {
  const o = await openConsole(parley.url);
  operators.push(o);
  await logIn(o.page, E2E_ADMIN);
  await o.page.getByRole('tab', { name: 'Open' }).waitFor();
  await o.page.getByRole('link', { name: 'Settings', exact: true }).click();
  await o.page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Team' }).click();
  await o.page.getByRole('heading', { name: 'Team', level: 2 }).waitFor();
  expect(new URL(o.page.url()).pathname).toBe('/console/settings/team');
  return o.page;
}

/** Invites `email` as an operator of the demo site through the dialog; returns the link the page shows. */
async function invite(page: Page, email: string): Promise<string> {
  await page.getByRole('button', { name: 'Invite a colleague' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite a colleague' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill(email);
  await dialog.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Operator' });
  expect(await dialog.getByRole('checkbox', { name: 'Demo shop' }).isChecked()).toBe(true);
  await expectAccessible(page, 'console team, invite dialog');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The link arrives through the outbox a moment later; the page shows it to copy.
  const link = page.getByRole('textbox', { name: `Invitation link for ${email}` });
  await link.waitFor();
  return link.inputValue();
}

describe('console team', () => {
  it('invites a colleague who joins by the link in their own browser, then deactivates them: their console logs out', async () => {
    const owner = await ownerOnTeamPage();
    await expectAccessible(owner, 'console team page');
    const url = await invite(owner, 'nina@shop.test');
    expect(url).toMatch(new RegExp(`^${parley.url}/console/join#[A-Za-z0-9_-]{43}$`));

    // The colleague's own browser.
    const colleague = await launchPerson();
    people.push(colleague);
    const page = colleague.context.pages()[0] ?? (await colleague.context.newPage());
    await page.goto(url);
    const form = page.getByRole('form', { name: 'Join your team' });
    await form.waitFor();
    await expectAccessible(page, 'console, invitation link');
    await form.getByRole('textbox', { name: 'Your name' }).fill('Nina');
    await form.getByLabel('Password').fill('nina-password-1');
    await page.screenshot({ path: screenshotPath('console-join.png') });
    await form.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect(new URL(page.url()).hash).toBe('');
    await page.getByRole('button', { name: /Nina.*Profile/ }).waitFor();

    // The same link again, in a fresh browser: a clear page, nothing else.
    const stranger = await launchPerson();
    people.push(stranger);
    const again = stranger.context.pages()[0] ?? (await stranger.context.newPage());
    await again.goto(url);
    await again.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    expect(await again.getByRole('alert').textContent()).toContain('already been used');
    await expectAccessible(again, 'console, a used invitation link');

    // A second invitation stays pending, for the picture; Nina appears in the list.
    await invite(owner, 'omar@shop.test');
    await owner.reload();
    const ninaRow = owner.getByRole('row', { name: /Nina/ });
    await ninaRow.waitFor();
    expect(await ninaRow.textContent()).toContain('nina@shop.test');
    expect(await ninaRow.textContent()).toContain('Demo shop');
    await owner.setViewportSize({ width: 1400, height: 900 });
    await owner.screenshot({ path: screenshotPath('console-team.png') });

    owner.once('dialog', (d) => void d.accept());
    await owner.getByRole('button', { name: 'Deactivate Nina' }).click();
    await ninaRow.getByRole('cell', { name: 'Deactivated' }).waitFor();
    // Nina's open console is logged out at once.
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await expectAccessible(owner, 'console team page, a member deactivated');
    await expect(loginOperator(parley.url, 'nina@shop.test', 'nina-password-1')).rejects.toThrow('403');
  }, 120_000);

  it('changes one’s own password from Your account and lists the sessions', async () => {
    const o = await openConsole(parley.url);
    operators.push(o);
    const other = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
    await logIn(o.page, E2E_ADMIN);
    await o.page.getByRole('tab', { name: 'Open' }).waitFor();
    // From the profile dialog.
    await o.page.getByRole('button', { name: /Admin.*Profile/ }).click();
    await o.page
      .getByRole('dialog', { name: 'Your profile' })
      .getByRole('link', { name: 'Password and sessions' })
      .click();
    await o.page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(new URL(o.page.url()).pathname).toBe('/console/settings/account');
    const sessions = o.page.getByRole('region', { name: 'Where you are logged in' });
    await sessions.getByText('this browser').waitFor();
    await expectAccessible(o.page, 'console, your account');
    const form = o.page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill(E2E_ADMIN.password);
    await form.getByLabel('New password').fill('a-new-password-1');
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await eventually(async () => expect(await sessions.getByRole('listitem').count()).toBe(1));
    await expect(loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password)).rejects.toThrow('401');
    expect(other.cookie).not.toBe('');
    // Put it back for the other tests of this file.
    await form.getByLabel('Current password').fill('a-new-password-1');
    await form.getByLabel('New password').fill(E2E_ADMIN.password);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
  }, 60_000);

  it('names every control of the team and account pages in Russian and Armenian', async () => {
    const o = await openConsole(parley.url);
    operators.push(o);
    const { page } = o;
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await logIn(page, E2E_ADMIN, { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
    await page.getByRole('tab', { name: 'Открытые' }).waitFor();
    await page.goto(`${parley.url}/console/settings/team`);
    const team = page.getByRole('region', { name: 'Команда' });
    await team.getByRole('button', { name: 'Пригласить коллегу' }).waitFor();
    await team.getByRole('button', { name: 'Отозвать приглашение: omar@shop.test' }).waitFor();
    await team.getByRole('button', { name: 'Включить снова: Nina' }).waitFor();
    expect(await unnamedControls(team)).toEqual([]);
    await expectAccessible(page, 'console team page in Russian');
    await team.getByRole('button', { name: 'Пригласить коллегу' }).click();
    const dialog = page.getByRole('dialog', { name: 'Пригласить коллегу' });
    await dialog.getByRole('combobox', { name: 'Роль' }).waitFor();
    expect(await unnamedControls(dialog)).toEqual([]);
    await dialog.getByRole('button', { name: 'Отмена' }).click();

    await page.getByRole('combobox', { name: 'Язык' }).selectOption('hy');
    await page.goto(`${parley.url}/console/settings/account`);
    const account = page.getByRole('region', { name: 'Ձեր հաշիվը' });
    await account.getByRole('button', { name: 'Փոխել գաղտնաբառը' }).waitFor();
    expect(await unnamedControls(account)).toEqual([]);
    await expectAccessible(page, 'console account page in Armenian');
  }, 60_000);
});
