/**
 * The project's main acceptance test (issue 4, "End-to-end"): a visitor on
 * the demo shop and an operator in the console, two people in two real
 * Chromium profiles, talking through the real UI of Parley started as
 * `npm start` starts it. Run three ways: the machine's PostgreSQL, the
 * embedded PostgreSQL, and two nodes sharing PostgreSQL and Redis (visitor
 * on node A, operator on node B). Screenshots of both sides are taken in the
 * first run (see support/screenshots.ts for where they go).
 */
import { rm } from 'node:fs/promises';
import type { FrameLocator, Page } from 'playwright-core';
import { afterEach, describe, it } from 'vitest';
import { TEST_REDIS_URL } from '../apps/server/src/testing/databases.js';
import { eventually, literal, logIn } from './console-helpers.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

interface Setup {
  name: string;
  /** Node the visitors use, node the operator uses (the same one unless there are two). */
  start(): Promise<{ visitorNode: ParleyProcess; operatorNode: ParleyProcess; all: ParleyProcess[] }>;
  screenshots: boolean;
}

const setups: Setup[] = [
  {
    name: "the machine's PostgreSQL",
    screenshots: true,
    async start() {
      const node = await startParleyProcess({ database: 'local' });
      return { visitorNode: node, operatorNode: node, all: [node] };
    },
  },
  {
    name: 'the embedded PostgreSQL',
    screenshots: false,
    async start() {
      const node = await startParleyProcess({ database: 'embedded' });
      return { visitorNode: node, operatorNode: node, all: [node] };
    },
  },
  {
    name: 'two nodes with Redis (visitor on A, operator on B)',
    screenshots: false,
    async start() {
      const a = await startParleyProcess({ database: 'local', redisUrl: TEST_REDIS_URL });
      try {
        const b = await startParleyProcess({
          database: { url: a.databaseUrl ?? '' },
          redisUrl: TEST_REDIS_URL,
        });
        return { visitorNode: a, operatorNode: b, all: [b, a] };
      } catch (error) {
        await a.stop();
        throw error;
      }
    },
  },
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
  cleanup = [];
});

async function person(): Promise<Person> {
  const p = await launchPerson();
  cleanup.push(() => p.close());
  return p;
}

async function firstPage(p: Person): Promise<Page> {
  return p.context.pages()[0] ?? p.context.newPage();
}

/** Opens the widget on the shop page and returns the chat frame. */
async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  const frame = page.frameLocator('iframe[title="Chat"]');
  await frame.locator('body').waitFor();
  return frame;
}

describe.each(setups)('end to end on $name', (setup) => {
  it('a visitor asks on the shop, an operator answers in the console, a request arrives while offline', {
    timeout: 180_000,
  }, async () => {
    const { visitorNode, operatorNode, all } = await setup.start();
    cleanup.push(async () => {
      for (const node of all) await node.stop();
      for (const node of all) if (node.dataDir) await rm(node.dataDir, { recursive: true, force: true });
    });

    // The operator logs in, introduces themself, goes online.
    const inbox = await firstPage(await person());
    await inbox.goto(`${operatorNode.url}/console/`);
    await logIn(inbox, E2E_ADMIN);
    await inbox.getByRole('button', { name: 'Profile' }).click();
    const profile = inbox.getByRole('dialog', { name: 'Your profile' });
    await profile.getByRole('textbox', { name: 'Display name' }).fill('Anna Petrosyan');
    await profile.getByRole('button', { name: 'Save' }).click();
    await profile.getByText('Saved.').waitFor();
    await profile.getByRole('button', { name: 'Close' }).click();
    await inbox.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });

    // A visitor on the shop opens the chat and asks.
    const shopper = await firstPage(await person());
    await shopper.goto(`${visitorNode.url}/shop/`);
    const question = 'Hello! Do you ship to Yerevan?';
    let chat = await openChat(shopper);
    // The operator's "online" travels through presence (across nodes): the chat, not the form, appears.
    await chat.getByRole('textbox', { name: 'Message' }).fill(question);
    await chat.getByRole('button', { name: 'Send' }).click();

    // The operator sees it arrive, with the waiting time counting.
    const row = inbox.getByRole('button', { name: new RegExp(literal(question)) });
    await row.waitFor({ timeout: 15_000 });
    await eventually(async () => {
      const text = (await row.textContent()) ?? '';
      if (!/waiting \d+:\d\d/.test(text)) throw new Error(`no waiting time in "${text}"`);
    });
    if (setup.screenshots) await inbox.screenshot({ path: screenshotPath('console-waiting.png') });
    await row.click();
    const answer = 'Yes, delivery to Yerevan takes two days.';
    await inbox.getByRole('textbox', { name: 'Reply' }).fill(answer);
    await inbox.getByRole('button', { name: 'Send' }).click();

    // The list names who answered; the visitor sees the answer and who wrote it.
    await inbox.getByRole('button', { name: new RegExp(`Anna Petrosyan: ${literal(answer)}`) }).waitFor();
    await chat.getByText(answer).waitFor({ timeout: 15_000 });
    await chat.getByText('Anna Petrosyan').first().waitFor();
    if (setup.screenshots) {
      await inbox.screenshot({ path: screenshotPath('console-conversation.png') });
      await shopper.screenshot({ path: screenshotPath('widget-chat.png') });
    }

    // After a reload the whole conversation is still there.
    await shopper.reload();
    chat = (await shopper.getByRole('button', { name: 'Open chat' }).isVisible())
      ? await openChat(shopper)
      : shopper.frameLocator('iframe[title="Chat"]');
    await chat.getByText(question).waitFor();
    await chat.getByText(answer).waitFor();

    // The operator closes the conversation and goes offline.
    await inbox.getByRole('button', { name: 'Close conversation' }).click();
    await inbox.getByRole('button', { name: 'Reopen conversation' }).waitFor();
    await inbox.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Offline' });

    // A second visitor finds nobody online: the request form, then thanks.
    const latecomer = await firstPage(await person());
    await latecomer.goto(`${visitorNode.url}/shop/`);
    const form = await openChat(latecomer);
    const request = 'Please call me about a bulk order of 40 pairs.';
    await form.getByRole('textbox', { name: 'Email' }).fill('buyer@example.com');
    await form.getByRole('textbox', { name: 'Phone (optional)' }).fill('+374 10 123456');
    await form.getByRole('textbox', { name: 'Message' }).fill(request);
    await form.getByRole('button', { name: 'Send request' }).click();
    await form
      .getByText(/Thank you/)
      .first()
      .waitFor();
    if (setup.screenshots) await latecomer.screenshot({ path: screenshotPath('widget-request-sent.png') });

    // The request is in the operator's Requests list.
    await inbox.getByRole('tab', { name: 'Requests' }).click();
    const requestRow = inbox.getByRole('button', { name: new RegExp(literal(request)) });
    await requestRow.waitFor({ timeout: 15_000 });
    await requestRow.click();
    await inbox.getByRole('complementary', { name: 'Visitor' }).getByText('buyer@example.com').waitFor();
    if (setup.screenshots) await inbox.screenshot({ path: screenshotPath('console-requests.png') });
  });
});
