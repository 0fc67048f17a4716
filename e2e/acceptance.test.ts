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
import type { ConversationDetail, ConversationList } from '@parley/protocol';
import type { FrameLocator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { TEST_REDIS_URL } from '../apps/server/src/testing/databases.js';
import { eventually, literal, logIn } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import { chatFrame } from './widget-support.js';

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

/** Opens the widget on the shop page and returns the chat window once its message box is there. */
async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: 'Open chat', exact: true }).click();
  const frame = page.getByTitle('Chat', { exact: true }).contentFrame();
  await frame.getByRole('textbox', { name: 'Message' }).waitFor();
  return frame;
}

/** The conversations the server lists for the admin on `node` (`query` as the console asks). */
async function listed(node: ParleyProcess, query: string): Promise<ConversationList['items']> {
  const admin = await loginOperator(node.url, E2E_ADMIN.email, E2E_ADMIN.password);
  const { body } = await api<ConversationList>(node.url, `/api/conversations?${query}`, {
    cookie: admin.cookie,
  });
  return body.items;
}

async function conversation(node: ParleyProcess, id: string): Promise<ConversationDetail> {
  const admin = await loginOperator(node.url, E2E_ADMIN.email, E2E_ADMIN.password);
  const { body } = await api<ConversationDetail>(node.url, `/api/conversations/${id}`, {
    cookie: admin.cookie,
  });
  return body;
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
    await inbox.getByRole('button', { name: 'Log in' }).waitFor();
    await expectAccessible(inbox, 'console login');
    await logIn(inbox, E2E_ADMIN);
    await inbox.getByText('No open conversations').waitFor();
    await expectAccessible(inbox, 'console inbox, empty');
    await inbox.getByRole('button', { name: 'Profile' }).click();
    const profile = inbox.getByRole('dialog', { name: 'Your profile' });
    await profile.getByRole('textbox', { name: 'Display name' }).fill('Anna Petrosyan');
    await profile.getByRole('button', { name: 'Save' }).click();
    await profile.getByText('Saved.').waitFor();
    await expectAccessible(inbox, 'console profile dialog');
    await profile.getByRole('button', { name: 'Close' }).click();
    // The top bar shows the new name, and the profile button is named by it.
    await inbox.getByRole('button', { name: /^Anna Petrosyan\W+Profile$/ }).waitFor();
    await inbox.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });
    await eventually(async () =>
      expect(await inbox.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('online'),
    );

    // A visitor on the shop opens the chat and asks.
    const shopper = await firstPage(await person());
    await shopper.goto(`${visitorNode.url}/shop/`);
    await shopper.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    await expectAccessible(shopper, 'demo shop with the launcher');
    const question = 'Hello! Do you ship to Yerevan?';
    let chat = await openChat(shopper);
    // The operator's "online" travels through presence (across nodes): the chat, not the form, appears.
    await chat.getByText('We are online').waitFor({ timeout: 15_000 });
    expect(await chat.getByRole('textbox', { name: 'Email' }).count()).toBe(0);
    await chat.getByRole('textbox', { name: 'Message' }).fill(question);
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByRole('log').getByText(question).waitFor();
    await expectAccessible(chatFrame(shopper), 'chat with a question');

    // The operator sees it arrive, with the waiting time counting.
    const row = inbox.getByRole('button', { name: new RegExp(literal(question)) });
    await row.waitFor({ timeout: 15_000 });
    await eventually(async () => {
      const text = (await row.textContent()) ?? '';
      if (!/waiting \d+:\d\d/.test(text)) throw new Error(`no waiting time in "${text}"`);
    });
    await expectAccessible(inbox, 'console inbox, a visitor waiting');
    if (setup.screenshots) await inbox.screenshot({ path: screenshotPath('console-waiting.png') });
    await row.click();
    const messages = inbox.getByRole('log', { name: 'Messages' });
    await messages.getByText(question).waitFor();
    const answer = 'Yes, delivery to Yerevan takes two days.';
    await inbox.getByRole('textbox', { name: 'Reply' }).fill(answer);
    await inbox.getByRole('button', { name: 'Send', exact: true }).click();

    // The list names who answered; the visitor sees the answer and who wrote it.
    await inbox.getByRole('button', { name: new RegExp(`Anna Petrosyan: ${literal(answer)}`) }).waitFor();
    await chat.getByText(answer).waitFor({ timeout: 15_000 });
    await chat.getByText('Anna Petrosyan', { exact: true }).waitFor();
    await expectAccessible(inbox, 'console inbox, a conversation answered');
    await expectAccessible(chatFrame(shopper), 'chat with an answer');
    // Stored once each, in order, on the server both nodes share.
    const [chatRow] = await listed(operatorNode, 'status=open&channel=chat');
    const stored = await conversation(operatorNode, chatRow?.id ?? '');
    expect(stored.messages.map((m) => [m.author.kind, m.text])).toEqual([
      ['visitor', question],
      ['operator', answer],
    ]);
    expect(await messages.getByText(question).count()).toBe(1);
    expect(await messages.getByText(answer).count()).toBe(1);
    if (setup.screenshots) {
      await inbox.screenshot({ path: screenshotPath('console-conversation.png') });
      await shopper.screenshot({ path: screenshotPath('widget-chat.png') });
    }

    // After a reload the chat starts closed (the launcher, no open window), and opened again it holds
    // the whole conversation, each message once.
    await shopper.reload();
    await shopper.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    expect(await shopper.getByTitle('Chat', { exact: true }).isVisible()).toBe(false);
    chat = await openChat(shopper);
    const history = chat.getByRole('log');
    await history.getByText(answer).waitFor();
    expect(await history.getByText(question).count()).toBe(1);
    expect(await history.getByText(answer).count()).toBe(1);

    // The operator closes the conversation and goes offline.
    await inbox.getByRole('button', { name: 'Close conversation' }).click();
    await inbox.getByRole('button', { name: 'Reopen conversation' }).waitFor();
    await eventually(async () =>
      expect((await conversation(operatorNode, chatRow?.id ?? '')).conversation.status).toBe('closed'),
    );
    await inbox.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Offline' });

    // A second visitor finds nobody online: the request form, then thanks.
    const latecomer = await firstPage(await person());
    await latecomer.goto(`${visitorNode.url}/shop/`);
    const form = await openChat(latecomer);
    const request = 'Please call me about a bulk order of 40 pairs.';
    await form.getByRole('textbox', { name: 'Email' }).waitFor({ timeout: 15_000 });
    await expectAccessible(chatFrame(latecomer), 'offline request form');
    await form.getByRole('textbox', { name: 'Email' }).fill('buyer@example.com');
    await form.getByRole('textbox', { name: 'Phone (optional)' }).fill('+374 10 123456');
    await form.getByRole('textbox', { name: 'Message' }).fill(request);
    await form.getByRole('button', { name: 'Send request' }).click();
    await form
      .getByText(/Thank you/)
      .first()
      .waitFor();
    await expectAccessible(chatFrame(latecomer), 'offline request sent');
    if (setup.screenshots) await latecomer.screenshot({ path: screenshotPath('widget-request-sent.png') });

    // The request is in the operator's Requests list.
    await inbox.getByRole('tab', { name: 'Requests' }).click();
    const requestRow = inbox.getByRole('button', { name: new RegExp(literal(request)) });
    await requestRow.waitFor({ timeout: 15_000 });
    await requestRow.click();
    const card = inbox.getByRole('complementary', { name: 'Visitor' });
    await card.getByText('buyer@example.com').waitFor();
    await card.getByText('+374 10 123456').waitFor();
    await expectAccessible(inbox, 'console requests, a request open');
    const requests = await listed(operatorNode, 'channel=offline_request');
    expect(requests).toHaveLength(1);
    const storedRequest = await conversation(operatorNode, requests[0]?.id ?? '');
    expect(storedRequest.messages.map((m) => m.text)).toEqual([request]);
    expect([storedRequest.visitor.email, storedRequest.visitor.phone]).toEqual([
      'buyer@example.com',
      '+374 10 123456',
    ]);
    if (setup.screenshots) await inbox.screenshot({ path: screenshotPath('console-requests.png') });
  });
});
