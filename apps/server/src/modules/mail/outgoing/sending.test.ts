/**
 * Email out against a real SMTP exchange on loopback: Parley sends to an
 * `smtp-server` sink (testing/smtp-sink.ts) and the test reads what arrived
 * — each kind of mail with its headers (Message-ID from the outbox row,
 * In-Reply-To/References of the conversation, Reply-To with the right side's
 * token, List-Unsubscribe on notifications) and language; the outbox's
 * retries on a 4xx and its stop on a 5xx; the transcript request's bad input.
 */
import { API_PATHS, type MailPreferencesDTO, type MessageDTO } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  api,
  BROWSER_USER_AGENT,
  loginOperator,
  startVisitorSession,
} from '../../../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
} from '../../../testing/fixtures.js';
import { SmtpSink } from '../../../testing/smtp-sink.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../../testing/test-parley.js';
import { waitUntil } from '../../../testing/wait-until.js';
import { unseenRepliesQueuer } from './sweeps.js';

const DOMAIN = 'mail.shop.test';
let sink: SmtpSink;
let parley: TestParley;

beforeAll(async () => {
  sink = await SmtpSink.start();
  parley = await startTestParley({
    env: { SMTP_URL: sink.url, MAIL_REPLY_DOMAIN: DOMAIN, MAIL_FROM: 'support@shop.test' },
  });
});
afterEach(async () => {
  await closeAllSockets();
  await setSiteSettings({ language: 'auto' });
});
afterAll(async () => {
  await parley?.close();
  await sink?.close();
});

const db = () => parley.services.ctx.db;
const send = (socket: Awaited<ReturnType<typeof connectVisitor>>['socket'], data: object) =>
  socket.request<{ message: MessageDTO }>('message.send', data).then((ack) => ack.message);

async function setSiteSettings(settings: object) {
  const admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  await api(parley.url, API_PATHS.site(parley.demoSiteId), {
    method: 'PATCH',
    cookie: admin.cookie,
    csrfToken: admin.csrfToken,
    body: { settings },
  });
}

async function outboxRowOf(kind: string, conversationId: string) {
  const { rows } = await sql<{ id: string; status: string; attempts: number; last_error: string | null }>`
    SELECT id, status, attempts, last_error FROM outbox
    WHERE topic = 'email.send' AND payload ->> 'kind' = ${kind} AND payload ->> 'conversationId' = ${conversationId}`.execute(
    db(),
  );
  return rows;
}

async function threadToken(conversationId: string, operatorId: string | null) {
  let query = db().selectFrom('mail_threads').select('token').where('conversation_id', '=', conversationId);
  query = operatorId ? query.where('operator_id', '=', operatorId) : query.where('operator_id', 'is', null);
  return (await query.executeTakeFirstOrThrow()).token;
}

/** A visitor with an email, a conversation with a question, an operator's two replies and a note between them. */
async function answeredConversation(email: string) {
  const operator = await connectOperator(parley);
  const visitor = await connectVisitor(parley);
  await db().updateTable('visitors').set({ email }).where('id', '=', visitor.session.visitorId).execute();
  const question = await send(visitor.socket, { clientId: newClientId(), text: 'Do you have size 43?' });
  const conversationId = question.conversationId;
  const first = await send(operator.socket, {
    conversationId,
    clientId: newClientId(),
    text: 'Yes, in black.',
  });
  await send(operator.socket, {
    conversationId,
    clientId: newClientId(),
    text: 'NOTE-secret-margin-41 do not tell',
    visibility: 'internal',
  });
  const second = await send(operator.socket, {
    conversationId,
    clientId: newClientId(),
    text: 'And in brown <b>too</b>.',
  });
  return { operator, visitor, conversationId, first, second };
}

describe('unseen replies', () => {
  it('go to the visitor in one mail after the site’s minutes, threaded, with the visitor’s reply address and no note', async () => {
    const email = 'buyer1@visitor.test';
    const { conversationId, operator } = await answeredConversation(email);
    // Not yet: the replies are younger than the site's 5 minutes.
    expect(await unseenRepliesQueuer(db())).toBe(0);
    expect(await unseenRepliesQueuer(db(), new Date(Date.now() + 6 * 60_000))).toBe(1);
    // Again: nothing new to send, never twice.
    expect(await unseenRepliesQueuer(db(), new Date(Date.now() + 7 * 60_000))).toBe(0);

    const mail = await sink.waitForMail((m) => m.to.includes(email));
    const [row] = await outboxRowOf('unseen-replies', conversationId);
    const token = await threadToken(conversationId, null);
    expect(mail.parsed.messageId).toBe(`<mail.${row?.id}@${DOMAIN}>`);
    expect(mail.header('in-reply-to')).toBe(`<conversation.${conversationId}@${DOMAIN}>`);
    expect(mail.header('references')).toBe(`<conversation.${conversationId}@${DOMAIN}>`);
    expect(mail.header('reply-to')).toBe(`reply+${token}@${DOMAIN}`);
    const site = await db()
      .selectFrom('sites')
      .select('name')
      .where('id', '=', parley.demoSiteId)
      .executeTakeFirstOrThrow();
    // From: the site's name beside MAIL_FROM.
    expect(mail.parsed.from?.value).toEqual([{ name: site.name, address: 'support@shop.test' }]);
    expect(mail.parsed.subject).toBe(`${operator.session.operator.displayName} answered you on ${site.name}`);
    // Both replies in the one mail, as text and as escaped HTML; the note in neither.
    expect(mail.parsed.text).toContain('Yes, in black.');
    expect(mail.parsed.text).toContain('And in brown <b>too</b>.');
    expect(mail.parsed.html).toContain('And in brown &lt;b&gt;too&lt;/b&gt;.');
    expect(mail.parsed.html).toContain('<html lang="en">');
    expect(mail.raw.toString()).not.toContain('NOTE-secret');
    expect(mail.parsed.text).not.toContain('NOTE-secret');
    expect(mail.parsed.html).not.toContain('NOTE-secret');
    expect(mail.parsed.text).not.toContain('Do you have size 43?'); // only the unseen replies
    expect(sink.mailsTo(email)).toHaveLength(1);
    await waitUntil(async () => (await outboxRowOf('unseen-replies', conversationId))[0]?.status === 'done');
    const deliveries = await db()
      .selectFrom('mail_deliveries')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(deliveries).toMatchObject([
      { kind: 'unseen-replies', recipient: email, message_id: mail.parsed.messageId },
    ]);
  });

  it('are not mailed once the visitor has read them, and a later reply goes alone in the next mail', async () => {
    const email = 'buyer2@visitor.test';
    const { conversationId, visitor, operator } = await answeredConversation(email);
    // The visitor's numbering has no note: question 1, replies 2 and 3.
    await visitor.socket.request('conversation.read', { conversationId, seq: 3 });
    await waitUntil(async () => {
      const row = await db()
        .selectFrom('conversations')
        .select('visitor_read_seq')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      return row.visitor_read_seq > 0;
    });
    expect(await unseenRepliesQueuer(db(), new Date(Date.now() + 6 * 60_000))).toBe(0);
    await send(operator.socket, { conversationId, clientId: newClientId(), text: 'Shall I reserve a pair?' });
    expect(await unseenRepliesQueuer(db(), new Date(Date.now() + 6 * 60_000))).toBe(1);
    const mail = await sink.waitForMail((m) => m.to.includes(email));
    expect(mail.parsed.text).toContain('Shall I reserve a pair?');
    expect(mail.parsed.text).not.toContain('Yes, in black.');
  });

  it('the widget is told email is available', async () => {
    expect((await startVisitorSession(parley.url)).emailAvailable).toBe(true);
  });

  it('are written in the site’s language', async () => {
    await setSiteSettings({ language: 'ru' });
    const email = 'buyer3@visitor.test';
    const { operator } = await answeredConversation(email);
    expect(await unseenRepliesQueuer(db(), new Date(Date.now() + 6 * 60_000))).toBe(1);
    const mail = await sink.waitForMail((m) => m.to.includes(email));
    expect(mail.parsed.subject).toContain(`${operator.session.operator.displayName} ответил(а) вам`);
    expect(mail.parsed.html).toContain('<html lang="ru">');
    expect(mail.parsed.text).toContain('просто ответьте на это письмо');
    // Sites have no time zone: times are in UTC, written the Russian way, and say so.
    expect(mail.parsed.text).toMatch(/ \(\d{1,2} [а-яё]+\.? \d{4} г\., \d{2}:\d{2} UTC\):\n/);
  });
});

describe('notifications to operators', () => {
  it('an offline request reaches each operator who wants it, with their own reply address and an unsubscribe', async () => {
    const colleague = await addOperator(parley, 'Ani');
    const quiet = await addOperator(parley, 'Quiet');
    await api<MailPreferencesDTO>(parley.url, API_PATHS.ownMailPreferences, {
      method: 'PATCH',
      cookie: quiet.session.cookie,
      csrfToken: quiet.session.csrfToken,
      body: { offlineRequests: false },
    });
    const session = await api<{ visitorToken: string }>(parley.url, API_PATHS.widgetSession, {
      headers: { 'user-agent': BROWSER_USER_AGENT },
      body: { siteKey: 'demo' },
    });
    const { body } = await api<{ conversationId: string }>(parley.url, API_PATHS.widgetRequests, {
      headers: { authorization: `Bearer ${session.body.visitorToken}` },
      body: {
        clientId: newClientId(),
        email: 'later@visitor.test',
        phone: '+374 10 000000',
        text: 'Call me about the red bag',
      },
    });
    const mail = await sink.waitForMail((m) => m.to.includes('ani@parley.test'));
    await sink.waitForMail(
      (m) => m.to.includes(TEST_ADMIN.email) && m.parsed.subject?.includes('New request') === true,
    );
    const token = await threadToken(body.conversationId, colleague.operator.id);
    expect(mail.header('reply-to')).toBe(`reply+${token}@${DOMAIN}`);
    expect(mail.header('in-reply-to')).toBe(`<conversation.${body.conversationId}@${DOMAIN}>`);
    const unsubscribe = /^<(.+)>$/.exec(mail.header('list-unsubscribe') ?? '')?.[1] ?? '';
    expect(unsubscribe).toContain('/mail/unsubscribe?key=');
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.parsed.text).toContain('Call me about the red bag');
    expect(mail.parsed.text).toContain('later@visitor.test, +374 10 000000');
    expect(mail.parsed.text).toContain(`/console/conversations/${body.conversationId}`);
    await waitUntil(async () =>
      (await outboxRowOf('offline-request', body.conversationId)).every((r) => r.status === 'done'),
    );
    expect(sink.mailsTo('quiet@parley.test')).toHaveLength(0);

    // The link's one-click POST turns that kind off; the page first asks (scanners follow GETs).
    const path = unsubscribe.slice(unsubscribe.indexOf('/mail/'));
    const page = await fetch(parley.url + path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">');
    const done = await fetch(parley.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    const prefs = await api<MailPreferencesDTO>(parley.url, API_PATHS.ownMailPreferences, {
      cookie: colleague.session.cookie,
    });
    expect(prefs.body).toEqual({ offlineRequests: false, missedChats: true, digest: true });
    // A made-up key: refused, nothing changed.
    const forged = await fetch(`${parley.url}/mail/unsubscribe?key=${'0'.repeat(64)}&kind=digest`, {
      method: 'POST',
    });
    expect(forged.status).toBe(404);
    const bad = await fetch(`${parley.url}/mail/unsubscribe?key=nope&kind=digest`);
    expect(bad.status).toBe(400);
  });

  it('a team invitation is mailed with its link', async () => {
    const admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await api(parley.url, API_PATHS.invitations, {
      cookie: admin.cookie,
      csrfToken: admin.csrfToken,
      body: { email: 'newbie@team.test', role: 'operator', siteIds: [parley.demoSiteId] },
    });
    const mail = await sink.waitForMail((m) => m.to.includes('newbie@team.test'));
    expect(mail.parsed.subject).toBe('You are invited to answer chats on Parley');
    expect(mail.parsed.text).toMatch(/\/console\/join#/);
    expect(mail.parsed.messageId).toMatch(
      new RegExp(`^<mail\\.[0-9a-f-]{36}@${DOMAIN.replace(/\./g, '\\.')}>$`),
    );
  });
});

describe('transcripts', () => {
  it('the visitor asks for one: every public line, no note; a bad address is refused and writes nothing', async () => {
    const { visitor, conversationId } = await answeredConversation('someone@visitor.test');
    const auth = { authorization: `Bearer ${visitor.session.visitorToken}` };
    const refused = await api(parley.url, API_PATHS.widgetTranscript, {
      headers: auth,
      body: { email: 'not-an-address' },
    }).catch((error: ApiError) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(400);
    expect(await outboxRowOf('transcript', conversationId)).toHaveLength(0);

    const { status, body } = await api<{ email: string }>(parley.url, API_PATHS.widgetTranscript, {
      headers: auth,
      body: { email: 'copy@visitor.test' },
    });
    expect(status).toBe(202);
    expect(body.email).toBe('copy@visitor.test');
    const mail = await sink.waitForMail((m) => m.to.includes('copy@visitor.test'));
    expect(mail.parsed.subject).toMatch(/^Your conversation with /);
    expect(mail.parsed.text).toContain('Do you have size 43?');
    expect(mail.parsed.text).toContain('Yes, in black.');
    expect(mail.raw.toString()).not.toContain('NOTE-secret');
    expect(mail.header('in-reply-to')).toBe(`<conversation.${conversationId}@${DOMAIN}>`);
  });

  it('goes out when a conversation closes, if the site says so', async () => {
    await setSiteSettings({ email: { transcriptOnClose: true } });
    try {
      const { operator, conversationId } = await answeredConversation('closer@visitor.test');
      await api(parley.url, API_PATHS.closeConversation(conversationId), {
        cookie: operator.session.cookie,
        csrfToken: operator.session.csrfToken,
        body: {},
      });
      const mail = await sink.waitForMail((m) => m.to.includes('closer@visitor.test'));
      expect(mail.parsed.text).toContain('And in brown <b>too</b>.');
      expect(mail.raw.toString()).not.toContain('NOTE-secret');
    } finally {
      await setSiteSettings({ email: { transcriptOnClose: false } });
    }
  });
});

describe('SMTP failures', () => {
  it('a 4xx is retried until the server accepts; a 5xx stops at once (dead row, no mail)', async () => {
    const { visitor, conversationId } = await answeredConversation('retry@visitor.test');
    const auth = { authorization: `Bearer ${visitor.session.visitorToken}` };
    sink.answerNext({ code: 451, message: 'Try again later' });
    await api(parley.url, API_PATHS.widgetTranscript, { headers: auth, body: {} });
    const mail = await sink.waitForMail((m) => m.to.includes('retry@visitor.test'), 30_000);
    const [row] = await outboxRowOf('transcript', conversationId);
    expect(row).toMatchObject({ attempts: 2 });
    expect(row?.last_error).toContain('451');
    expect(mail.parsed.messageId).toBe(`<mail.${row?.id}@${DOMAIN}>`);

    sink.answerNext({ code: 550, message: 'No such mailbox' });
    await api(parley.url, API_PATHS.widgetTranscript, {
      headers: auth,
      body: { email: 'gone@visitor.test' },
    });
    await waitUntil(async () =>
      (await outboxRowOf('transcript', conversationId)).some((r) => r.status === 'dead'),
    );
    const dead = (await outboxRowOf('transcript', conversationId)).find((r) => r.status === 'dead');
    expect(dead).toMatchObject({ attempts: 1 });
    expect(dead?.last_error).toContain('550');
    expect(sink.mailsTo('gone@visitor.test')).toHaveLength(0);
  });
});
