/**
 * The visitor's token expires, and the visitor never notices: with tokens
 * that live 8 s, a chat kept open in a real Chromium gets a fresh token over
 * its socket half way, reconnects after a network blip past the first
 * token's end as the same visitor, and a reload shows the whole history.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPerson, type Person } from './support/browser.js';
import { type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import {
  configureDemoSite,
  connectOperator,
  type FixtureShop,
  openChat,
  startFixtureShop,
  type TestOperator,
} from './widget-support.js';

const TOKEN_LIFE_MS = 8000;
let parley: ParleyProcess;
let shop: FixtureShop;
let operator: TestOperator;
let person: Person | undefined;

beforeAll(async () => {
  parley = await startParleyProcess({ env: { VISITOR_TOKEN_DAYS: String(TOKEN_LIFE_MS / 86_400_000) } });
  shop = await startFixtureShop(parley.url);
  await configureDemoSite(parley, shop);
  operator = await connectOperator(parley.url);
});
afterAll(async () => {
  await person?.close();
  await operator?.socket.close();
  await parley?.stop();
  await shop?.close();
});

/** The token the loader keeps in the shop's storage for the next page. */
const storedToken = (page: Page) => page.evaluate(() => localStorage.getItem('parley:demo:token'));

describe('visitor token renewal', () => {
  it('keeps the chat working across the token’s expiry without the visitor noticing', async () => {
    person = await launchPerson();
    const page = await person.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${shop.origin}/fixtures/widget-page.html`);
    const chat = await openChat(page);
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill('Before the token ends');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const first = await operator.waitForVisitorMessage('Before the token ends');
    const firstToken = await storedToken(page);
    expect(firstToken).toBeTruthy();
    const issuedAt = Date.now();

    // Half way through its life the server hands the widget a fresh token; the loader keeps it.
    await expect.poll(() => storedToken(page), { timeout: TOKEN_LIFE_MS }).not.toBe(firstToken);

    // Past the first token's end, the link drops and comes back: the widget reconnects as the same visitor.
    await page.waitForTimeout(Math.max(0, issuedAt + TOKEN_LIFE_MS + 500 - Date.now()));
    await person.context.setOffline(true);
    await page.waitForTimeout(300);
    await person.context.setOffline(false);
    await box.fill('After the token ended');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const second = await operator.waitForVisitorMessage('After the token ended', 15_000);
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.author).toEqual(first.author);

    await page.reload();
    const log = (await openChat(page)).getByRole('log');
    await expect.poll(() => log.textContent()).toContain('After the token ended');
    expect(await log.textContent()).toContain('Before the token ends');
    expect(errors).toEqual([]);
  }, 90_000); // waits out a real token expiry: ~20 s alone, past 30 s on a loaded machine
});
