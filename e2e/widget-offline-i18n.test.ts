/**
 * With nobody online the widget becomes a request form, and the request is
 * stored even when the network fails on the way; and the widget speaks
 * Russian and Armenian (by the site's setting, or the browser's language).
 */
import type { ConversationDetail, ConversationList } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator, type OperatorSession } from '../apps/server/src/testing/clients.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import {
  chatFrame,
  configureDemoSite,
  type FixtureShop,
  openChat,
  startFixtureShop,
} from './widget-support.js';

let parley: ParleyProcess;
let shop: FixtureShop;
let admin: OperatorSession;
const people: Person[] = [];

beforeAll(async () => {
  parley = await startParleyProcess();
  shop = await startFixtureShop(parley.url);
  await configureDemoSite(parley, shop);
  // Logged in over HTTP only: no console socket, so nobody is online for visitors.
  admin = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
});

afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await parley?.stop();
  await shop?.close();
});

async function visit(locale?: string, prepare?: (person: Person) => Promise<void>): Promise<Page> {
  const person = await launchPerson(locale ? { locale } : {});
  people.push(person);
  await prepare?.(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  await page.goto(`${shop.origin}/fixtures/widget-page.html`);
  return page;
}

async function offlineRequests(): Promise<ConversationList['items']> {
  const { body } = await api<ConversationList>(parley.url, '/api/conversations?channel=offline_request', {
    cookie: admin.cookie,
  });
  return body.items;
}

describe('widget with nobody online', () => {
  it('asks for a request, retries it through network failures, stores it once, and thanks the visitor', async () => {
    let failures = 0;
    const page = await visit(undefined, async (person) => {
      // The first two attempts fail at the network level; the widget must keep trying on its own.
      await person.context.route('**/api/widget/requests', (route) =>
        failures++ < 2 ? route.abort('internetdisconnected') : route.continue(),
      );
    });
    await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    await expectAccessible(page, 'host page with the launcher');
    const chat = await openChat(page);
    // The window draws before the session says nobody is online: wait for the form itself.
    await expect
      .poll(() => chat.getByRole('textbox', { name: 'Email' }).count(), { timeout: 15_000 })
      .toBe(1);
    await expectAccessible(chatFrame(page), 'offline request form');
    await chat.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Yerevan?');
    await chat.getByRole('button', { name: 'Send request' }).click();
    await expect
      .poll(() => chat.getByRole('alert').textContent())
      .toBe('Please enter a valid email address.');
    await expectAccessible(chatFrame(page), 'offline request form, invalid email');

    await chat.getByRole('textbox', { name: 'Email' }).fill('ani@example.am');
    await chat.getByRole('textbox', { name: 'Phone (optional)' }).fill('+374 10 123456');
    await chat.getByRole('button', { name: 'Send request' }).click();
    await expect.poll(() => chat.getByText('Thank you').count(), { timeout: 15_000 }).toBe(1);
    expect(failures).toBeGreaterThanOrEqual(3);
    await expectAccessible(chatFrame(page), 'offline request sent');

    const requests = await offlineRequests();
    expect(requests).toHaveLength(1);
    const { body } = await api<ConversationDetail>(parley.url, `/api/conversations/${requests[0]?.id}`, {
      cookie: admin.cookie,
    });
    expect(body.messages.map((m) => m.text)).toEqual(['Do you ship to Yerevan?']);
    expect(body.visitor.email).toBe('ani@example.am');
    expect(body.visitor.phone).toBe('+374 10 123456');
  });
});

describe('widget languages', () => {
  it('speaks Russian when the site says so', async () => {
    await configureDemoSite(parley, shop, { language: 'ru' });
    try {
      const page = await visit('en-US');
      await openChat(page);
      // The frame tells the loader the site's language; the launcher and the iframe's title follow.
      await expect.poll(() => page.getByTitle('Чат', { exact: true }).count()).toBe(1);
      const chat = page.getByTitle('Чат', { exact: true }).contentFrame();
      await expect.poll(() => chat.getByRole('button', { name: 'Закрыть чат' }).count()).toBe(1);
      expect(await chat.getByText('Здравствуйте! Спросите нас о чём угодно').count()).toBe(1);
      await expectAccessible(chatFrame(page), 'offline request form in Russian');
      await chat.getByRole('textbox', { name: 'Электронная почта' }).fill('ivan@example.ru');
      await chat.getByRole('textbox', { name: 'Телефон (необязательно)' }).fill('+7 900 000-00-00');
      await chat.getByRole('textbox', { name: 'Сообщение' }).fill('Есть ли доставка в Казань?');
      await chat.getByRole('button', { name: 'Отправить заявку' }).click();
      await expect.poll(() => chat.getByText('Спасибо!').count()).toBe(1);
      await chat.getByRole('button', { name: 'Закрыть чат' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Открыть чат' }).isVisible()).toBe(true);
    } finally {
      await configureDemoSite(parley, shop, { language: 'auto' });
    }
  });

  it("speaks Armenian when the site's language is auto and the browser's is Armenian", async () => {
    const page = await visit('hy-AM');
    const chat = await openChat(page, { launcher: 'Բացել զրույցը', frame: 'Զրույց' });
    await expect.poll(() => chat.getByRole('button', { name: 'Փակել զրույցը' }).count()).toBe(1);
    // The window frame draws before the session says nobody is online; wait for the form itself.
    await expect.poll(() => chat.getByRole('textbox', { name: 'Էլ. փոստ' }).count()).toBe(1);
    expect(await chat.getByRole('textbox', { name: 'Հեռախոս (ըստ ցանկության)' }).count()).toBe(1);
    expect(await chat.getByRole('textbox', { name: 'Հաղորդագրություն' }).count()).toBe(1);
    expect(await chat.getByRole('button', { name: 'Ուղարկել հայտը' }).count()).toBe(1);
    expect(await chat.locator('html').getAttribute('lang')).toBe('hy');
    await expectAccessible(chatFrame(page), 'offline request form in Armenian');
    // Escape closes the window from inside, in any language.
    await chat.getByRole('textbox', { name: 'Էլ. փոստ' }).press('Escape');
    await expect.poll(() => page.getByRole('button', { name: 'Բացել զրույցը' }).isVisible()).toBe(true);
  });
});
