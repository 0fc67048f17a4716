/**
 * Settings › Tracking in real Chromium against Parley started as `npm start` does: an admin finds
 * the two tracking settings of the demo site (Do Not Track off, email capture on, by default),
 * turns them around, and the site's settings say so through the API; copies the JS API examples
 * for the shop's pages; the page names its controls
 * in English, Russian and Armenian, and passes axe in each.
 */
import type { SiteDTO } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { type LoginLabels, logIn, type Operator, openConsole, unnamedControls } from './console-helpers.js';
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

interface Labels {
  login?: LoginLabels;
  settings: string;
  tracking: string;
  dnt: string;
  capture: string;
}

const EN: Labels = {
  settings: 'Settings',
  tracking: 'Tracking',
  dnt: 'Respect Do Not Track and Global Privacy Control',
  capture: "Email capture: an email typed into the site's own forms goes to the visitor's card",
};

async function openTracking(language: string, labels: Labels): Promise<Page> {
  const o = await openConsole(parley.url);
  operators.push(o);
  const { page } = o;
  if (language !== 'en') await page.getByRole('combobox', { name: 'Language' }).selectOption(language);
  await logIn(page, E2E_ADMIN, labels.login);
  await page.getByRole('link', { name: labels.settings, exact: true }).click();
  await page
    .getByRole('navigation', { name: labels.settings })
    .getByRole('link', { name: labels.tracking })
    .click();
  await page.getByRole('heading', { name: labels.tracking, level: 2 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/console/settings/tracking');
  await expectAccessible(page, `console settings, tracking (${language})`);
  return page;
}

async function siteNow(): Promise<SiteDTO> {
  const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
  const { body } = await api<SiteDTO>(parley.url, `/api/sites/${session.sites[0]?.id ?? ''}`, {
    cookie: session.cookie,
  });
  return body;
}

describe('console tracking settings', () => {
  it('shows the defaults, saves both settings at once on change, and keeps them after a reload', async () => {
    const page = await openTracking('en', EN);
    const dnt = page.getByRole('checkbox', { name: EN.dnt });
    const capture = page.getByRole('checkbox', { name: EN.capture });
    expect(await dnt.isChecked()).toBe(false);
    expect(await capture.isChecked()).toBe(true);
    await page.screenshot({ path: screenshotPath('tracking-settings.png') });

    await dnt.check();
    await expect.poll(async () => (await siteNow()).settings.respectDoNotTrack).toBe(true);
    await capture.uncheck();
    await expect.poll(async () => (await siteNow()).settings.emailCapture).toBe(false);
    // The JS API a developer pastes into the shop's pages, copied as shown.
    const api = page.getByRole('region', { name: 'Events from your pages' });
    const code = (await api.getByRole('code').textContent()) ?? '';
    expect(code).toContain("Parley('track', 'order_placed', {");
    expect(code).toContain("Parley('page');");
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.url });
    await api.getByRole('button', { name: 'Copy examples' }).click();
    await api.getByRole('status').getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    await expectAccessible(page, 'console settings, tracking, after copying the JS API examples');
    await page.screenshot({ path: screenshotPath('tracking-settings-js-api.png'), fullPage: true });

    await page.reload();
    await page.getByRole('heading', { name: EN.tracking, level: 2 }).waitFor();
    expect(await page.getByRole('checkbox', { name: EN.dnt }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: EN.capture }).isChecked()).toBe(false);
    expect(await unnamedControls(page.getByRole('main'))).toEqual([]);
  }, 60_000);

  it('names its controls in Russian', async () => {
    const ru = await openTracking('ru', {
      login: { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' },
      settings: 'Настройки',
      tracking: 'Отслеживание',
      dnt: '',
      capture: '',
    });
    await ru.getByRole('checkbox', { name: 'Учитывать Do Not Track и Global Privacy Control' }).waitFor();
    await ru.getByRole('checkbox', { name: /^Сбор email/ }).waitFor();
    await ru
      .getByRole('region', { name: 'События с ваших страниц' })
      .getByRole('button', { name: 'Скопировать примеры' })
      .waitFor();
    expect(await unnamedControls(ru.getByRole('main'))).toEqual([]);
  }, 60_000);

  it('names its controls in Armenian', async () => {
    const hy = await openTracking('hy', {
      login: { email: 'Էլ. փոստ', password: 'Գաղտնաբառ', submit: 'Մուտք գործել' },
      settings: 'Կարգավորումներ',
      tracking: 'Հետևում',
      dnt: '',
      capture: '',
    });
    await hy.getByRole('checkbox', { name: 'Հարգել Do Not Track-ը և Global Privacy Control-ը' }).waitFor();
    await hy.getByRole('checkbox', { name: /^Էլ. փոստի հավաքում/ }).waitFor();
    await hy
      .getByRole('region', { name: 'Իրադարձություններ ձեր էջերից' })
      .getByRole('button', { name: 'Պատճենել օրինակները' })
      .waitFor();
    expect(await unnamedControls(hy.getByRole('main'))).toEqual([]);
  }, 60_000);
});
