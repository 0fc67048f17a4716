/**
 * A reply by mail, live in the console, in real Chromium against Parley started as `npm start`
 * does with its inbound SMTP listener on: the operator has the conversation open, the visitor
 * answers the email Parley sent them (built by nodemailer's MailComposer, quoted history and all,
 * delivered over SMTP on loopback), and the answer appears in the open thread at once, without the
 * quote, marked "by email". axe checks the screen; the screenshot goes to
 * docs/screenshots/email-inbound.png with WRITE_SCREENSHOTS=1.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newThreadToken, replyAddress } from '../apps/server/src/modules/mail/addresses.js';
import { logIn, newVisitor, type Operator, openConsole, type TestVisitor } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

const DOMAIN = 'reply.shop.test';

let parley: ParleyProcess;
let operator: Operator;
let visitor: TestVisitor;
let smtpPort: number;

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
  smtpPort = await freePort();
  parley = await startParleyProcess({
    env: {
      MAIL_REPLY_DOMAIN: DOMAIN,
      INBOUND_SMTP_PORT: String(smtpPort),
      INBOUND_SMTP_HOST: '127.0.0.1',
    },
  });
  operator = await openConsole(parley.url);
  await logIn(operator.page, E2E_ADMIN);
  await operator.page.getByRole('tab', { name: 'Open' }).waitFor();
});

afterAll(async () => {
  await visitor?.socket.close();
  await operator?.person.close();
  await parley?.stop();
});

/** What the sending side does when it mails the visitor: their email on file, and the reply address. */
async function giveReplyAddress(visitorId: string, conversationId: string, email: string): Promise<string> {
  const client = new pg.Client({ connectionString: parley.databaseUrl ?? undefined });
  await client.connect();
  try {
    await client.query('UPDATE visitors SET email = $1 WHERE id = $2', [email, visitorId]);
    const token = newThreadToken();
    await client.query('INSERT INTO mail_threads (token, conversation_id) VALUES ($1, $2)', [
      token,
      conversationId,
    ]);
    return replyAddress(token, DOMAIN);
  } finally {
    await client.end();
  }
}

describe('a reply by mail in the console', () => {
  it('appears live in the open conversation, without the quote, marked as email', async () => {
    const { page } = operator;
    visitor = await newVisitor(parley.url);
    const first = await visitor.say('Do you have the red sneakers in size 42?');
    await page.getByRole('button', { name: /red sneakers in size 42/ }).click();
    await page.getByRole('textbox', { name: 'Reply' }).fill('We do! Shall I reserve a pair for you?');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    await page.locator('.message.operator').getByText('Shall I reserve a pair').waitFor();

    const email = `ann.${randomBytes(3).toString('hex')}@mail.example`;
    const to = await giveReplyAddress(visitor.session.visitorId, first.conversationId, email);
    const raw = await new MailComposer({
      from: `Ann <${email}>`,
      to,
      subject: 'Re: Your conversation with Demo shop',
      messageId: `<${randomBytes(8).toString('hex')}@mail.example>`,
      text: [
        'Yes please, reserve them. I will come on Saturday.',
        '',
        `On Sat, 6 Dec 2026 at 11:02, Demo shop <${to}> wrote:`,
        '> We do! Shall I reserve a pair for you?',
      ].join('\n'),
    })
      .compile()
      .build();
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const sent = await transport.sendMail({ envelope: { from: email, to: [to] }, raw });
    expect(sent.response).toMatch(/^250/);

    const reply = page.locator('.message.visitor', { hasText: 'Yes please, reserve them.' });
    await reply.waitFor();
    await expect.poll(() => reply.getByText('by email', { exact: true }).count()).toBe(1);
    expect(await reply.textContent()).not.toContain('wrote:');
    expect(await reply.locator('.via-email').getAttribute('title')).toBe(
      'This message came as a reply by email',
    );
    await expectAccessible(page, 'conversation with a reply by email');
    await page.screenshot({ path: screenshotPath('email-inbound.png') });
  });
});
