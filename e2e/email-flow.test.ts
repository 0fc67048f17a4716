/**
 * Issue 13's "done means", as one story through the real UIs and real SMTP both ways on loopback:
 * Parley sends to an `smtp-server` sink (the visitor's mailbox) and listens for replies with its
 * own inbound SMTP listener. A visitor leaves a request with their email while nobody is online and
 * goes away; the operator answers in the console (and writes an internal note); the answer reaches
 * the visitor's mailbox, threaded, with their reply address; the visitor answers it from their mail
 * client (nodemailer's MailComposer, quoting the operator's mail) and the answer appears live in
 * the operator's open conversation, marked as email, the quote stripped. Back on the shop, the
 * visitor asks for the conversation by email: it holds the whole exchange and never the note.
 * axe checks every screen; the screenshot goes to docs/screenshots/email-flow.png with
 * WRITE_SCREENSHOTS=1.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type SinkMail, SmtpSink } from '../apps/server/src/testing/smtp-sink.js';
import { logIn, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import {
  chatFrame,
  configureDemoSite,
  type FixtureShop,
  openChat,
  startFixtureShop,
} from './widget-support.js';

const DOMAIN = 'reply.shop.test';
const VISITOR_EMAIL = `lilit.${randomBytes(3).toString('hex')}@example.am`;
const QUESTION = 'Can I return the wool coat I bought last week?';
const ANSWER = 'Of course: within 30 days, with the receipt. Shall I send you a return label?';
const NOTE = `NOTE-flow-${randomBytes(4).toString('hex')}: she is a regular, offer free shipping`;
const VISITOR_REPLY = 'Yes please, send the label. I will post it on Monday.';

let sink: SmtpSink;
let parley: ParleyProcess;
let shop: FixtureShop;
let inboundPort: number;
const people: Person[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  sink = await SmtpSink.start();
  inboundPort = await freePort();
  parley = await startParleyProcess({
    env: {
      SMTP_URL: sink.url,
      MAIL_REPLY_DOMAIN: DOMAIN,
      INBOUND_SMTP_PORT: String(inboundPort),
      INBOUND_SMTP_HOST: '127.0.0.1',
    },
  });
  shop = await startFixtureShop(parley.url);
  // Unseen replies go by email after one minute (the shortest the setting allows).
  await configureDemoSite(parley, shop, {
    email: { unseenMinutes: 1, transcriptOnClose: false, digest: 'off' },
  });
});
afterAll(async () => {
  await Promise.all(people.map((p) => p.close()));
  await parley?.stop();
  await shop?.close();
  await sink?.close();
});

async function openShop(visitor: Person): Promise<Page> {
  const page = await visitor.context.newPage();
  await page.goto(`${shop.origin}/fixtures/widget-page.html`);
  return page;
}

/** The visitor's answer from their mail client: a reply to the operator's mail, quoting it below. */
function visitorsReplyTo(mail: SinkMail): Promise<Buffer> {
  const replyTo = mail.header('reply-to') ?? '';
  const quoted = (mail.parsed.text ?? '')
    .trimEnd()
    .split('\n')
    .map((line) => `> ${line}`);
  return new MailComposer({
    from: `Lilit <${VISITOR_EMAIL}>`,
    to: replyTo,
    subject: `Re: ${mail.parsed.subject}`,
    messageId: `<${randomBytes(8).toString('hex')}@example.am>`,
    inReplyTo: mail.parsed.messageId,
    references: [mail.header('references') ?? '', mail.parsed.messageId ?? ''].filter(Boolean),
    text: [
      VISITOR_REPLY,
      '',
      '-- ',
      'Lilit Hakobyan, Yerevan',
      '',
      `On Sat, 5 Dec 2026 at 10:14, ${mail.parsed.from?.text} wrote:`,
      ...quoted,
    ].join('\n'),
  })
    .compile()
    .build();
}

it('a request left by email is answered in the console, by mail, and the reply by mail comes back live', async () => {
  // The visitor, with nobody online, leaves a request with their email and leaves the shop.
  const visitor = await launchPerson();
  people.push(visitor);
  const shopPage = await openShop(visitor);
  for (const page of visitor.context.pages()) if (page !== shopPage) await page.close();
  const chat = await openChat(shopPage);
  await expect.poll(() => chat.getByRole('textbox', { name: 'Email' }).count(), { timeout: 15_000 }).toBe(1);
  await chat.getByText('Leave your email and question, and we will answer').waitFor();
  await chat.getByRole('textbox', { name: 'Email' }).fill(VISITOR_EMAIL);
  await chat.getByRole('textbox', { name: 'Message' }).fill(QUESTION);
  await expectAccessible(chatFrame(shopPage), 'widget, request form with an email');
  await chat.getByRole('button', { name: 'Send request' }).click();
  await chat.getByText(`Thank you! We have your request and will reply to ${VISITOR_EMAIL}.`).waitFor();
  await expectAccessible(chatFrame(shopPage), 'widget, request sent');
  // The page closes; the browser (its stored visitor token) stays for the visitor's return.
  await shopPage.close();

  // The operator answers in the console, and leaves a note for colleagues.
  const operator = await openConsole(parley.url);
  people.push(operator.person);
  const { page } = operator;
  await logIn(page, E2E_ADMIN);
  await page.getByRole('tab', { name: 'Requests' }).click();
  await page.getByRole('button', { name: new RegExp(QUESTION.replace(/[?.]/g, '\\$&')) }).click();
  const log = page.getByRole('log', { name: 'Messages' });
  await log.getByText(QUESTION).waitFor();
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await reply.fill(ANSWER);
  await reply.press('Enter');
  await log.getByText(ANSWER).waitFor();
  await page.getByRole('button', { name: 'Internal note' }).click();
  const noteBox = page.getByRole('textbox', { name: 'Note to colleagues' });
  await noteBox.fill(NOTE);
  await noteBox.press('Enter');
  await log.getByRole('listitem').filter({ hasText: NOTE }).waitFor();
  // Back to replying, as the operator leaves the conversation open.
  await page.getByRole('button', { name: 'Internal note' }).click();
  await reply.waitFor();
  await expectAccessible(page, 'console, the request answered, with a note');

  // Unseen for a minute, the answer goes to the visitor's mailbox (the sweep runs every 30 s).
  const answer = await sink.waitForMail(
    (m) => m.to.includes(VISITOR_EMAIL) && m.parsed.text?.includes('within 30 days') === true,
    150_000,
  );
  expect(answer.parsed.subject).toBe('Admin answered you on Demo shop');
  const replyTo = answer.header('reply-to') ?? '';
  expect(replyTo).toMatch(new RegExp(`^reply\\+[a-z2-7]{26}@${DOMAIN.replaceAll('.', '\\.')}$`));
  const root = answer.header('in-reply-to');
  expect(root).toMatch(new RegExp(`^<conversation\\.[0-9a-f-]{36}@${DOMAIN.replaceAll('.', '\\.')}>$`));
  expect(answer.header('references')).toBe(root);
  expect(answer.parsed.messageId).toMatch(/^<mail\.[0-9a-f-]{36}@/);
  expect(answer.raw.toString('utf8')).not.toContain(NOTE);
  // Sites have no time zone: the answer's time is in UTC, and says so.
  expect(answer.parsed.text).toMatch(/\(\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M UTC\):\n/);

  // The visitor answers from their mail client, over SMTP to Parley's listener.
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: inboundPort,
    secure: false,
    ignoreTLS: true,
  });
  const sent = await transport.sendMail({
    envelope: { from: VISITOR_EMAIL, to: [replyTo] },
    raw: await visitorsReplyTo(answer),
  });
  expect(sent.response).toMatch(/^250/);

  // It appears in the operator's open conversation at once, as email, without the quoted mail.
  const byMail = log.locator('.message.visitor', { hasText: VISITOR_REPLY });
  await byMail.waitFor({ timeout: 15_000 });
  await byMail.getByText('by email', { exact: true }).waitFor();
  const shown = (await byMail.textContent()) ?? '';
  expect(shown).not.toContain('wrote:');
  expect(shown).not.toContain('within 30 days');
  expect(shown).not.toContain('Lilit Hakobyan');
  await expectAccessible(page, 'console, a reply by email in the open conversation');
  await page.screenshot({ path: screenshotPath('email-flow.png') });

  // Back on the shop, the visitor asks for the conversation by email: all of it, and not the note.
  const back = await openShop(visitor);
  const again = await openChat(back);
  await again.getByText(VISITOR_REPLY).waitFor({ timeout: 15_000 });
  await again.getByRole('button', { name: 'Email me this conversation' }).click();
  // A new page of the shop has not been told the address (the frame keeps it for its page only): left
  // empty, the conversation goes to the address on file, and the answer names it.
  expect(await again.getByRole('textbox', { name: 'Your email' }).inputValue()).toBe('');
  await expectAccessible(
    chatFrame(back),
    'widget, the conversation with the reply by email, transcript form',
  );
  await again.getByRole('button', { name: 'Send the conversation' }).click();
  await again.getByText(`Sent to ${VISITOR_EMAIL}.`, { exact: false }).waitFor();
  const transcript = await sink.waitForMail(
    (m) => m.to.includes(VISITOR_EMAIL) && m.parsed.subject === 'Your conversation with Demo shop',
    30_000,
  );
  for (const text of [transcript.parsed.text ?? '', String(transcript.parsed.html)]) {
    expect(text).toContain(QUESTION);
    expect(text).toContain(ANSWER);
    expect(text).toContain(VISITOR_REPLY);
    expect(text).not.toContain('NOTE-flow');
    expect(text).not.toContain('regular, offer free shipping');
  }
  expect(transcript.header('in-reply-to')).toBe(root);
  expect(transcript.raw.toString('utf8')).not.toContain('NOTE-flow');
  // No mail of the whole story carried the note.
  for (const mail of sink.mails)
    expect(`${mail.parsed.text}${mail.parsed.html}`, mail.parsed.subject).not.toContain('NOTE-flow');
}, 300_000);
