/**
 * Replies by mail, end to end on loopback: mails built by nodemailer's MailComposer (a real MIME
 * builder) delivered by nodemailer's SMTP client to Parley's own listener, and posted raw to
 * POST /api/mail/inbound, land in their conversation as the visitor or the operator; and every
 * kind of bad mail is refused or ignored with nothing written anywhere.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { API_PATHS, type MessageDTO } from '@parley/protocol';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type InboundSmtpListener, startInboundSmtp } from '../../../smtp/inbound-listener.js';
import { api, startVisitorSession } from '../../../testing/clients.js';
import { addOperator, closeAllSockets, connectOperator, snapshotRows } from '../../../testing/fixtures.js';
import { HTML_PAGE, samplePng } from '../../../testing/sample-files.js';
import { startTestParley, type TestParley } from '../../../testing/test-parley.js';
import { offlineRequestCreator } from '../../conversations/commands.js';
import { ensureThreadToken, replyAddress } from '../addresses.js';

const DOMAIN = 'reply.parley.test';
const SECRET = randomBytes(24).toString('hex');

let parley: TestParley;
let smtp: InboundSmtpListener;

beforeAll(async () => {
  parley = await startTestParley({ env: { MAIL_REPLY_DOMAIN: DOMAIN, INBOUND_MAIL_SECRET: SECRET } });
  smtp = await startInboundSmtp(
    parley.services.inboundMail,
    { port: 0, host: '127.0.0.1' },
    parley.services.ctx.log,
  );
}, 60_000);
afterAll(async () => {
  await smtp?.close();
  await parley?.close();
});
afterEach(closeAllSockets);

/** A visitor who left a request with their email: their conversation and its reply address. */
async function visitorThread(email = `v${randomBytes(4).toString('hex')}@mail.example`) {
  const session = await startVisitorSession(parley.url);
  const request = await offlineRequestCreator(parley.services.ctx, {
    siteId: parley.demoSiteId,
    visitorId: session.visitorId,
    clientId: randomBytes(8).toString('hex'),
    email,
    phone: null,
    text: 'Do you have these shoes in size 42?',
  });
  const token = await ensureThreadToken(parley.services.ctx.db, request.conversationId, null);
  return { email, visitorId: session.visitorId, conversationId: request.conversationId, token };
}

const newMessageId = () => `<${randomBytes(8).toString('hex')}@mail.example>`;

/** A mail as a mail program builds it. */
function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ messageId: newMessageId(), subject: 'Re: Your question', ...options })
    .compile()
    .build();
}

const transport = () =>
  nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

/** Delivers over SMTP; resolves with the server's answer, or rejects with its refusal code. */
async function deliver(raw: Buffer, envelope: { from: string; to: string[] }): Promise<string> {
  const info = await transport().sendMail({ envelope, raw });
  return info.response;
}

async function refusalCode(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { responseCode?: number }).responseCode;
  }
  throw new Error('expected a refusal');
}

function postRaw(raw: Buffer | string, secret = SECRET) {
  return api<{ outcome: string; conversationId?: string }>(parley.url, API_PATHS.mailInbound, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
    body: raw.toString(),
  });
}

async function messagesOf(conversationId: string) {
  return parley.services.ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('seq')
    .execute();
}

describe('a reply by mail over SMTP', () => {
  it('lands in its conversation as the visitor, quoted history cut, files kept, live for operators', async () => {
    const thread = await visitorThread();
    const { socket } = await connectOperator(parley);
    const raw = await compose({
      from: `"Ann Visitor" <${thread.email.toUpperCase()}>`,
      to: replyAddress(thread.token, DOMAIN),
      text: [
        'Yes, size 42 please, in black.',
        '',
        '-- ',
        'Ann',
        '',
        `On Fri, 5 Dec 2026 at 10:00, Demo shop <${replyAddress(thread.token, DOMAIN)}> wrote:`,
        '> Which size would you like?',
      ].join('\n'),
      html: '<p>Yes, size 42 please, in black.</p><div class="gmail_quote">Which size would you like?</div>',
      attachments: [{ filename: 'my-foot.png', content: samplePng() }],
    });
    const answer = await deliver(raw, { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] });
    expect(answer).toMatch(/^250/);

    const live = await socket.waitFor<{ message: MessageDTO }>(
      'message.created',
      (event) => event.message.conversationId === thread.conversationId && event.message.via === 'email',
    );
    expect(live.message.author.kind).toBe('visitor');
    expect(live.message.text).toBe('Yes, size 42 please, in black.');
    expect(live.message.attachments?.map((file) => [file.name, file.contentType])).toEqual([
      ['my-foot.png', 'image/png'],
    ]);
    const stored = await messagesOf(thread.conversationId);
    expect(stored.at(-1)).toMatchObject({ author_id: thread.visitorId, via: 'email', visibility: 'public' });
    const files = await parley.services.ctx.db
      .selectFrom('files')
      .selectAll()
      .where('message_id', '=', live.message.id)
      .execute();
    expect(files).toHaveLength(1);
  });

  it('lands once when the same Message-ID comes again over SMTP and over HTTP', async () => {
    const thread = await visitorThread();
    const raw = await compose({
      from: thread.email,
      to: replyAddress(thread.token, DOMAIN),
      text: 'Thank you!',
    });
    const envelope = { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] };
    await deliver(raw, envelope);
    expect(await deliver(raw, envelope)).toMatch(/^250/);
    expect((await postRaw(raw)).body.outcome).toBe('duplicate');
    const texts = (await messagesOf(thread.conversationId)).map((m) => m.text);
    expect(texts.filter((text) => text === 'Thank you!')).toHaveLength(1);
  });

  it('lands once when both ways deliver the same mail at the same moment', async () => {
    const thread = await visitorThread();
    const raw = await compose({
      from: thread.email,
      to: replyAddress(thread.token, DOMAIN),
      text: 'Both at once',
      attachments: [{ filename: 'receipt.png', content: samplePng(20, 20) }],
    });
    const envelope = { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] };
    const results = await Promise.all([
      deliver(raw, envelope),
      postRaw(raw).then((r) => r.body.outcome),
      deliver(raw, envelope),
      postRaw(raw).then((r) => r.body.outcome),
    ]);
    // Every delivery is answered as accepted (250, or posted/duplicate); one of them posted.
    expect(results.every((r) => /^250|^posted$|^duplicate$/.test(r))).toBe(true);
    expect(results.filter((r) => r === 'posted').length).toBeLessThanOrEqual(1);
    const landed = (await messagesOf(thread.conversationId)).filter((m) => m.text === 'Both at once');
    expect(landed).toHaveLength(1);
    // The losers' stored files were removed, not left for the sweeper.
    const files = await parley.services.ctx.db
      .selectFrom('files')
      .select(['message_id'])
      .where('name', '=', 'receipt.png')
      .where('site_id', '=', parley.demoSiteId)
      .execute();
    expect(files).toEqual([{ message_id: landed[0]?.id }]);
  });

  it('reopens a closed conversation', async () => {
    const thread = await visitorThread();
    await parley.services.ctx.db
      .updateTable('conversations')
      .set({ status: 'closed', closed_at: new Date() })
      .where('id', '=', thread.conversationId)
      .execute();
    const raw = await compose({
      from: thread.email,
      to: replyAddress(thread.token, DOMAIN),
      text: 'One more thing',
    });
    await deliver(raw, { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] });
    const conversation = await parley.services.ctx.db
      .selectFrom('conversations')
      .select(['status'])
      .where('id', '=', thread.conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation.status).toBe('open');
    expect((await messagesOf(thread.conversationId)).at(-1)?.text).toBe('One more thing');
  });

  it("posts an operator's reply to their own token as them, a public reply", async () => {
    const thread = await visitorThread();
    const { operator } = await addOperator(parley, `Mila${randomBytes(3).toString('hex')}`);
    const token = await ensureThreadToken(parley.services.ctx.db, thread.conversationId, operator.id);
    const raw = await compose({
      from: operator.email,
      to: replyAddress(token, DOMAIN),
      text: 'Да, есть в чёрном.\n\n5 дек. 2026 г., в 10:00, Parley <parley@reply.parley.test>:\n> Новая заявка',
    });
    await deliver(raw, { from: operator.email, to: [replyAddress(token, DOMAIN)] });
    const last = (await messagesOf(thread.conversationId)).at(-1);
    expect(last).toMatchObject({
      author_kind: 'operator',
      author_id: operator.id,
      visibility: 'public',
      via: 'email',
      text: 'Да, есть в чёрном.',
    });
  });

  it('refuses an operator who left the site, or was deactivated', async () => {
    const thread = await visitorThread();
    const { operator } = await addOperator(parley, `Gone${randomBytes(3).toString('hex')}`);
    const token = await ensureThreadToken(parley.services.ctx.db, thread.conversationId, operator.id);
    const db = parley.services.ctx.db;
    await db
      .updateTable('operators')
      .set({ deactivated_at: new Date() })
      .where('id', '=', operator.id)
      .execute();
    const raw = await compose({ from: operator.email, to: replyAddress(token, DOMAIN), text: 'Still here?' });
    const before = await snapshotRows(db);
    expect(await refusalCode(deliver(raw, { from: operator.email, to: [replyAddress(token, DOMAIN)] }))).toBe(
      550,
    );
    await db.updateTable('operators').set({ deactivated_at: null }).where('id', '=', operator.id).execute();
    await db.deleteFrom('site_operators').where('operator_id', '=', operator.id).execute();
    const after = await snapshotRows(db);
    expect(await refusalCode(deliver(raw, { from: operator.email, to: [replyAddress(token, DOMAIN)] }))).toBe(
      550,
    );
    expect(await snapshotRows(db)).toEqual(after);
    expect(before.messages).toBe(after.messages);
  });

  it('drops files of types the site does not take, with a note', async () => {
    const thread = await visitorThread();
    const raw = await compose({
      from: thread.email,
      to: replyAddress(thread.token, DOMAIN),
      text: 'See the page',
      attachments: [{ filename: 'page.html', content: HTML_PAGE, contentType: 'text/html' }],
    });
    await deliver(raw, { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] });
    const last = (await messagesOf(thread.conversationId)).at(-1);
    expect(last?.text).toMatch(/^See the page\n\n\[not attached: page\.html: Web pages/);
    expect(last?.attachments).toBeNull();
  });
});

describe('a reply by mail over HTTP', () => {
  it('lands in its conversation, HTML-only mail turned into text', async () => {
    const thread = await visitorThread();
    const raw = await compose({
      from: thread.email,
      to: replyAddress(thread.token, DOMAIN),
      html: '<div dir="ltr">Մեծ <b>շնորհակալություն</b>:</div><br><div class="gmail_quote"><div>Երկ, 5 դեկ 2026, Parley &lt;x@y&gt; գրել է՝</div><blockquote>Ձեր հարցը</blockquote></div>',
    });
    const { status, body } = await postRaw(raw);
    expect(status).toBe(200);
    expect(body).toMatchObject({ outcome: 'posted', conversationId: thread.conversationId });
    expect((await messagesOf(thread.conversationId)).at(-1)).toMatchObject({
      text: 'Մեծ շնորհակալություն:',
      via: 'email',
    });
  });

  it('needs the secret, and raw MIME', async () => {
    const thread = await visitorThread();
    const raw = await compose({ from: thread.email, to: replyAddress(thread.token, DOMAIN), text: 'hi' });
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(postRaw(raw, 'wrong-secret')).rejects.toMatchObject({ status: 401 });
    const json = api(parley.url, API_PATHS.mailInbound, {
      headers: { authorization: `Bearer ${SECRET}` },
      body: { raw: raw.toString() },
    });
    await expect(json).rejects.toMatchObject({ status: 415 });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
    // A provider that takes only a URL gives the secret in it.
    const byUrl = await fetch(`${parley.url}${API_PATHS.mailInbound}?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: raw,
    });
    expect(await byUrl.json()).toMatchObject({ outcome: 'posted', conversationId: thread.conversationId });
  });
});

describe('bad mail is refused or ignored, and nothing is written', () => {
  async function expectNothingWritten(action: () => Promise<void>) {
    const before = await snapshotRows(parley.services.ctx.db);
    await action();
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  }

  it('a spoofed sender: 550 over SMTP, 403 over HTTP', async () => {
    const thread = await visitorThread();
    const to = replyAddress(thread.token, DOMAIN);
    await expectNothingWritten(async () => {
      const spoofed = await compose({ from: 'mallory@evil.example', to, text: 'Send me the invoice' });
      expect(await refusalCode(deliver(spoofed, { from: 'mallory@evil.example', to: [to] }))).toBe(550);
      await expect(postRaw(spoofed)).rejects.toMatchObject({ status: 403 });
      // The right From with another envelope sender is refused too.
      const forged = await compose({ from: thread.email, to, text: 'Send me the invoice' });
      expect(await refusalCode(deliver(forged, { from: 'mallory@evil.example', to: [to] }))).toBe(550);
    });
  });

  it('unknown, forged and foreign-domain tokens: 550 at RCPT, 404 over HTTP', async () => {
    const thread = await visitorThread();
    await expectNothingWritten(async () => {
      for (const to of [
        replyAddress('a'.repeat(26), DOMAIN),
        replyAddress(thread.token, 'elsewhere.example'),
        `reply+${thread.token.slice(0, 20)}@${DOMAIN}`,
      ]) {
        const raw = await compose({ from: thread.email, to, text: 'hello' });
        expect(await refusalCode(deliver(raw, { from: thread.email, to: [to] }))).toBe(550);
        await expect(postRaw(raw)).rejects.toMatchObject({ status: 404 });
      }
    });
  });

  it('mail to a deleted conversation: 550', async () => {
    const thread = await visitorThread();
    const raw = await compose({ from: thread.email, to: replyAddress(thread.token, DOMAIN), text: 'Hello?' });
    await parley.services.ctx.db
      .deleteFrom('conversations')
      .where('id', '=', thread.conversationId)
      .execute();
    await expectNothingWritten(async () => {
      expect(
        await refusalCode(deliver(raw, { from: thread.email, to: [replyAddress(thread.token, DOMAIN)] })),
      ).toBe(550);
      await expect(postRaw(raw)).rejects.toMatchObject({ status: 404 });
    });
  });

  it('auto-replies, bounces, lists and reports: accepted (250) and dropped', async () => {
    const thread = await visitorThread();
    const to = replyAddress(thread.token, DOMAIN);
    const mails: [Mail.Options, string][] = [
      [{ from: thread.email, headers: { 'Auto-Submitted': 'auto-replied' } }, thread.email],
      [{ from: thread.email, headers: { Precedence: 'bulk' } }, thread.email],
      [{ from: thread.email, headers: { 'X-Autoreply': 'yes' } }, thread.email],
      [{ from: thread.email, headers: { 'X-Auto-Response-Suppress': 'All' } }, thread.email],
      [{ from: `MAILER-DAEMON@mail.example` }, ''],
      [{ from: thread.email }, ''],
    ];
    await expectNothingWritten(async () => {
      for (const [options, envelopeFrom] of mails) {
        const raw = await compose({ to, text: 'I am away until Monday.', ...options });
        expect(await deliver(raw, { from: envelopeFrom, to: [to] })).toMatch(/^250/);
        if (envelopeFrom) expect((await postRaw(raw)).body.outcome).toBe('ignored');
      }
      const report = await compose({ from: thread.email, to, text: 'x' });
      const asReport = Buffer.from(
        report
          .toString()
          .replace(
            /Content-Type: text\/plain[^\r\n]*/i,
            'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          ),
      );
      expect((await postRaw(asReport)).body.outcome).toBe('ignored');
    });
  });

  it('malformed MIME: 550 over SMTP, 400 over HTTP, and the listener goes on', async () => {
    const thread = await visitorThread();
    const to = replyAddress(thread.token, DOMAIN);
    const garbage = Buffer.concat([
      Buffer.from('\x00\xff\xfe garbage without headers\r\n\r\n'),
      randomBytes(2000),
    ]);
    await expectNothingWritten(async () => {
      expect(await refusalCode(deliver(garbage, { from: thread.email, to: [to] }))).toBe(550);
      await expect(postRaw(garbage)).rejects.toMatchObject({ status: 400 });
    });
    // A client that goes away in the middle of DATA leaves nothing behind either.
    await expectNothingWritten(async () => {
      await new Promise<void>((resolve) => {
        const socket = connect(smtp.port, '127.0.0.1');
        let step = 0;
        const script = ['EHLO x\r\n', `MAIL FROM:<${thread.email}>\r\n`, `RCPT TO:<${to}>\r\n`, 'DATA\r\n'];
        socket.on('data', (chunk) => {
          if (/^\d{3}-/m.test(chunk.toString().trim().split('\r\n').at(-1) ?? '')) return;
          if (step < script.length) socket.write(script[step++] ?? '');
          else socket.end('Subject: half a mail\r\n\r\nand then');
        });
        socket.on('close', () => resolve());
      });
    });
    const fine = await compose({ from: thread.email, to, text: 'Still works' });
    expect(await deliver(fine, { from: thread.email, to: [to] })).toMatch(/^250/);
  });

  it('a 50 MB mail: 552 for a declared SIZE, 552 for one that streams past the limit, 413 over HTTP', async () => {
    const thread = await visitorThread();
    const to = replyAddress(thread.token, DOMAIN);
    const big = await compose({
      from: thread.email,
      to,
      text: 'Here is the video',
      attachments: [{ filename: 'video.bin', content: Buffer.alloc(37 * 1024 * 1024, 7) }],
    });
    expect(big.length).toBeGreaterThan(50 * 1000 * 1000);
    await expectNothingWritten(async () => {
      // The limit is announced, and a declared size above it refused at MAIL FROM.
      const declared = await rawSmtpSession([
        'EHLO client.example',
        `MAIL FROM:<${thread.email}> SIZE=${big.length}`,
        `RCPT TO:<${to}>`,
      ]);
      expect(declared[1]).toMatch(/SIZE 26214400/);
      expect(declared.at(-1)).toMatch(/^552/);
      // A client that declares nothing is cut at the end of DATA.
      const streamed = await rawSmtpSession(
        ['EHLO client.example', `MAIL FROM:<${thread.email}>`, `RCPT TO:<${to}>`, 'DATA'],
        big,
      );
      expect(streamed.at(-1)).toMatch(/^552/);
      const http = fetch(parley.url + API_PATHS.mailInbound, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
        body: big,
      });
      expect((await http).status).toBe(413);
    });
  }, 60_000);
});

/**
 * A bare SMTP client: sends each command after the answer to the previous one, the body after the
 * 354, and stops at the first refusal. Returns every answer (multi-line ones joined).
 */
function rawSmtpSession(commands: string[], body?: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(smtp.port, '127.0.0.1');
    const answers: string[] = [];
    let pending = '';
    let sentBody = false;
    const next = (answer: string) => {
      answers.push(answer);
      const command = commands.shift();
      if (
        /^[45]/.test(answer.slice(-200).split('\r\n').at(-1) ?? '') ||
        (!command && !answer.startsWith('354'))
      ) {
        socket.end('QUIT\r\n');
        resolve(answers);
      } else if (answer.startsWith('354') && body && !sentBody) {
        sentBody = true;
        if (command) commands.unshift(command);
        socket.write(body);
        socket.write('\r\n.\r\n');
      } else if (command) socket.write(`${command}\r\n`);
    };
    socket.on('data', (chunk) => {
      pending += chunk.toString();
      if (!pending.endsWith('\r\n')) return;
      const last = pending.trim().split('\r\n').at(-1) ?? '';
      if (/^\d{3}-/.test(last)) return;
      const answer = pending.trim();
      pending = '';
      next(answer);
    });
    socket.on('error', reject);
  });
}
