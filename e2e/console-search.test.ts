/**
 * Search in the console, in real Chromium against Parley started as `npm start` does: an operator
 * goes to the search box with Ctrl+K, finds an earlier message by a Russian word form (`заказа`
 * finds `заказ`), sees the match marked, opens the result and lands in the conversation scrolled
 * to that message, marked and focused, far above the latest messages; Escape brings the list back.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { newClientId } from '../apps/server/src/testing/fixtures.js';
import { logIn, newVisitor, type Operator, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

let parley: ParleyProcess;
const operators: Operator[] = [];
const QUESTION = 'Здравствуйте! Где мой заказ №4512? Обещали доставку во вторник.';

beforeAll(async () => {
  parley = await startParleyProcess();
});

afterAll(async () => {
  for (const o of operators) await o.person.close();
  await parley?.stop();
});

/** Whether the message is inside the visible part of its scrolling list. */
function inScrolledView(message: Locator): Promise<boolean> {
  return message.evaluate((element) => {
    const scroller = element.closest('.messages-scroll') as HTMLElement;
    const box = element.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom;
  });
}

describe('console search', () => {
  it('finds an earlier message by заказа and opens the conversation at it', async () => {
    const visitor = await newVisitor(parley.url);
    const question = await visitor.say(QUESTION);
    await visitor.say('Номер телефона тот же, что в профиле.');
    // Enough later messages that the question is far above the 50 the conversation first shows.
    const admin = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
    for (let i = 1; i <= 70; i++) {
      await api(parley.url, `/api/conversations/${question.conversationId}/messages`, {
        cookie: admin.cookie,
        csrfToken: admin.csrfToken,
        body: { clientId: newClientId(), text: `Проверяю склад, шаг ${i} из 70.` },
      });
    }
    const other = await newVisitor(parley.url);
    await other.say('Do you ship to Yerevan?');

    const o = await openConsole(parley.url);
    operators.push(o);
    const { page } = o;
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, E2E_ADMIN);
    await page.getByRole('tab', { name: 'Open' }).waitFor();

    await page.keyboard.press('Control+KeyK');
    const box = page.getByRole('searchbox', { name: 'Search messages and visitors' });
    expect(await box.evaluate((element) => element === document.activeElement)).toBe(true);
    await box.fill('заказа');
    const results = page.getByRole('list', { name: 'Messages' });
    const hit = results.getByRole('button').filter({ hasText: '№4512' });
    await hit.waitFor();
    await page.getByRole('status').filter({ hasText: 'Found: 1' }).waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(['заказ']);
    // The list of conversations is replaced by the results while the search is typed.
    expect(await page.getByRole('tab', { name: 'Open' }).count()).toBe(0);
    await expectAccessible(page, 'console search results');
    await page.screenshot({ path: screenshotPath('console-search-results.png') });

    await hit.click();
    const pane = page.getByRole('region', { name: `Conversation with ${visitor.label}` });
    const target = pane.locator(`li.message[data-seq="${question.seq}"]`);
    await target.waitFor();
    await expect.poll(() => target.getAttribute('aria-current')).toBe('true');
    expect(await target.textContent()).toContain(QUESTION);
    // Scrolled to it (not to the newest message), and the keyboard focus is on it.
    await expect.poll(() => inScrolledView(target)).toBe(true);
    expect(await target.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await inScrolledView(pane.locator('li.message').filter({ hasText: 'шаг 70 из 70.' }))).toBe(false);
    await expectAccessible(page, 'console conversation opened at a search hit');
    await page.screenshot({ path: screenshotPath('console-search-opened.png') });

    // Escape in the box clears the search and brings the list back.
    await box.focus();
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    expect(await box.inputValue()).toBe('');
  });

  it('reads syntax characters as text and says what it needs, without an error', async () => {
    const o = await openConsole(parley.url);
    operators.push(o);
    const page: Page = o.page;
    await logIn(page, E2E_ADMIN);
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    await page.keyboard.press('/');
    const box = page.getByRole('searchbox', { name: 'Search messages and visitors' });
    await box.pressSequentially("'&|!():*<>\\");
    await page.getByRole('status').filter({ hasText: 'Type a letter or a digit to search.' }).waitFor();
    await box.fill('ship & (Yerevan | !):*');
    await page
      .getByRole('list', { name: 'Messages' })
      .getByRole('button')
      .filter({ hasText: 'Yerevan' })
      .waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
