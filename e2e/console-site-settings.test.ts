/**
 * The console's settings area and a site's page in real Chromium against
 * Parley started as `npm start` does: its own addresses (a reload and Back
 * keep the place), the install snippet and its copy button, allowed origins,
 * the widget's language and greetings saved through the real API (checked by
 * the API and by a widget session) and shown again after a reload, the
 * server's objection to a bad origin, and the Russian UI.
 */
import type { SiteDTO } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator, startVisitorSession } from '../apps/server/src/testing/clients.js';
import { logIn, type Operator, openConsole, unnamedControls } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

let parley: ParleyProcess;
const operators: Operator[] = [];

beforeAll(async () => {
  parley = await startParleyProcess();
});

afterAll(async () => {
  for (const o of operators) await o.person.close();
  await parley?.stop();
});

async function loggedIn(): Promise<Page> {
  const o = await openConsole(parley.url);
  operators.push(o);
  await o.person.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.url });
  await logIn(o.page, E2E_ADMIN);
  await o.page.getByRole('tab', { name: 'Open' }).waitFor();
  return o.page;
}

const EN = { open: 'Settings', nav: 'Settings', site: 'Site settings: Demo shop' };

/** Settings from the top bar, then the demo site's page from the list of sites: the page's form. */
async function openSiteSettings(page: Page, labels = EN): Promise<Locator> {
  await page.getByRole('link', { name: labels.open, exact: true }).click();
  const nav = page.getByRole('navigation', { name: labels.nav });
  await nav.waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/settings/sites');
  await expectAccessible(page, `console settings, sites (${labels.open})`);
  await page.getByRole('main').getByRole('link', { name: 'Demo shop' }).click();
  const form = page.getByRole('form', { name: labels.site });
  await form.waitFor();
  expect(new URL(page.url()).pathname).toMatch(/^\/console\/settings\/sites\/[0-9a-f-]{36}$/);
  await expectAccessible(page, `console site settings (${labels.site})`);
  return form;
}

/** The demo site as the API returns it now, read with a fresh operator session. */
async function siteNow(): Promise<SiteDTO> {
  const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
  const id = session.sites[0]?.id ?? '';
  const { body } = await api<SiteDTO>(parley.url, `/api/sites/${id}`, { cookie: session.cookie });
  return body;
}

const GREETING = 'Здравствуйте! Чем помочь с заказом?';

describe('console site settings', () => {
  it('shows the install snippet, saves an origin, the language and a greeting, and shows them after a reload', async () => {
    const page = await loggedIn();
    const dialog = await openSiteSettings(page);
    const origin = await page.evaluate(() => window.location.origin);
    expect(origin).toBe(new URL(parley.url).origin);
    const snippet = await dialog.getByRole('code').filter({ hasText: 'loader.js' }).textContent();
    expect(snippet).toBe(
      [
        '<script>',
        '  window.Parley = window.Parley || Object.assign((...args) => window.Parley.q.push(args), { q: [] });',
        '</script>',
        `<script async src="${origin}/widget/loader.js" data-site="demo"></script>`,
      ].join('\n'),
    );
    await dialog.getByRole('button', { name: 'Copy snippet' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    await dialog.getByRole('textbox', { name: 'Add origin' }).fill('https://shop.example/');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByRole('button', { name: 'Remove https://shop.example' }).waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Add origin' }).inputValue()).toBe('');
    await dialog.getByRole('textbox', { name: 'Greeting (Russian)' }).fill(GREETING);
    await dialog.getByRole('combobox', { name: 'Widget language' }).selectOption({ label: 'Русский' });
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    const site = await siteNow();
    expect(site.allowedOrigins).toContain('https://shop.example');
    expect(site.settings.language).toBe('ru');
    expect(site.settings.greeting.ru).toBe(GREETING);
    // What the widget is told: its session carries the new language and greeting.
    const visitor = await startVisitorSession(parley.url);
    expect(visitor.site.settings.language).toBe('ru');
    expect(visitor.site.settings.greeting.ru).toBe(GREETING);

    await page.setViewportSize({ width: 1280, height: 1180 });
    await page.screenshot({ path: screenshotPath('console-site-settings.png') });

    // The page has its own address: a reload shows the same site's page with what was saved.
    await page.reload();
    const again = page.getByRole('form', { name: EN.site });
    await again.getByRole('button', { name: 'Remove https://shop.example' }).waitFor();
    expect(await again.getByRole('combobox', { name: 'Widget language' }).inputValue()).toBe('ru');
    expect(await again.getByRole('textbox', { name: 'Greeting (Russian)' }).inputValue()).toBe(GREETING);

    // Back goes to the list of sites, the navigation's link back to the inbox.
    await page.goBack();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
  });

  it("shows the server's objection to an invalid origin and saves nothing", async () => {
    const before = await siteNow();
    const page = await loggedIn();
    const dialog = await openSiteSettings(page);
    await dialog.getByRole('textbox', { name: 'Add origin' }).fill('shop.example/path');
    await dialog.getByRole('textbox', { name: 'Add origin' }).press('Enter');
    await dialog.getByRole('button', { name: 'Remove shop.example/path' }).waitFor();
    await dialog.getByRole('textbox', { name: 'Greeting (English)' }).fill('Not saved');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('shop.example/path: An origin is scheme://host[:port]');
    await expectAccessible(page, 'console site settings, an invalid origin');
    expect(await dialog.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(0);
    expect(await siteNow()).toEqual(before);
  });

  it('names every control of the page in Russian', async () => {
    const o = await openConsole(parley.url);
    operators.push(o);
    const { page } = o;
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await logIn(page, E2E_ADMIN, { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
    await page.getByRole('tab', { name: 'Открытые' }).waitFor();
    const dialog = await openSiteSettings(page, {
      open: 'Настройки',
      nav: 'Настройки',
      site: 'Настройки сайта: Demo shop',
    });
    await dialog.getByRole('button', { name: 'Скопировать код' }).waitFor();
    await dialog.getByRole('button', { name: 'Удалить https://shop.example' }).waitFor();
    await dialog.getByRole('textbox', { name: 'Добавить источник' }).waitFor();
    await dialog.getByRole('button', { name: 'Добавить', exact: true }).waitFor();
    await dialog.getByRole('textbox', { name: 'Название сайта' }).waitFor();
    const language = dialog.getByRole('combobox', { name: 'Язык виджета' });
    expect(await language.getByRole('option').allTextContents()).toEqual([
      'Авто — язык браузера посетителя',
      'English',
      'Русский',
      'Հայերեն',
    ]);
    for (const name of ['английский', 'русский', 'армянский']) {
      await dialog.getByRole('textbox', { name: `Приветствие (${name})` }).waitFor();
    }
    await dialog.getByLabel('Акцентный цвет').waitFor();
    await dialog.getByRole('button', { name: 'Сохранить настройки' }).waitFor();
    expect(await unnamedControls(dialog)).toEqual([]);
  });
});
