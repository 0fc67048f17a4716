/**
 * A restart in the middle of sending loses and duplicates nothing, against a
 * real SMTP server on loopback:
 *
 * - a sending node SIGKILLed while the server holds its mail (before the
 *   250): the restarted node sends it once, with the same Message-ID;
 * - a worker that died after the server's 250 but before marking the row
 *   done: the next attempt finds the delivery recorded and sends nothing.
 */
import { API_PATHS, type MessageDTO } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimDueRows } from '../../../outbox/claims.js';
import { api } from '../../../testing/clients.js';
import { createTestDatabase, type TestDatabase } from '../../../testing/databases.js';
import { closeAllSockets, connectOperator, connectVisitor, newClientId } from '../../../testing/fixtures.js';
import { type OutboxNode, startOutboxNode } from '../../../testing/outbox-node.js';
import { SmtpSink } from '../../../testing/smtp-sink.js';
import { startTestParley, type TestParley } from '../../../testing/test-parley.js';
import { waitUntil } from '../../../testing/wait-until.js';
import { mailConfig } from './config.js';
import { emailSender } from './sender.js';
import { smtpTransport } from './transport.js';

const DOMAIN = 'mail.restart.test';
const CHILD = 'apps/server/src/testing/mail-worker-process.ts';
let testDb: TestDatabase;
let sink: SmtpSink;
/** Parley without SMTP: it writes the email rows; only the test's nodes send them. */
let parley: TestParley;
const nodes: OutboxNode[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  sink = await SmtpSink.start();
  parley = await startTestParley({ databaseUrl: testDb.url });
});
afterAll(async () => {
  for (const node of nodes) if (node.child.exitCode === null) node.child.kill('SIGKILL');
  await closeAllSockets();
  await parley?.close();
  await sink?.close();
  await testDb?.drop();
});

const db = () => parley.services.ctx.db;

/** A conversation with a question and a reply, and a transcript asked for to `email`: one pending row. */
async function transcriptRow(email: string): Promise<string> {
  const operator = await connectOperator(parley);
  const visitor = await connectVisitor(parley);
  const send = (socket: typeof visitor.socket, data: object) =>
    socket.request<{ message: MessageDTO }>('message.send', data).then((a) => a.message);
  const question = await send(visitor.socket, { clientId: newClientId(), text: 'Is it waterproof?' });
  await send(operator.socket, {
    conversationId: question.conversationId,
    clientId: newClientId(),
    text: 'Yes.',
  });
  await api(parley.url, API_PATHS.widgetTranscript, {
    headers: { authorization: `Bearer ${visitor.session.visitorToken}` },
    body: { email },
  });
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM outbox WHERE topic = 'email.send' AND payload ->> 'email' = ${email}`.execute(db());
  expect(rows).toHaveLength(1);
  return rows[0]?.id ?? '';
}

async function rowState(id: string) {
  const { rows } = await sql<{ status: string; attempts: number }>`
    SELECT status, attempts FROM outbox WHERE id = ${id}`.execute(db());
  return rows[0];
}

it('a node killed while the server holds its mail: the restarted node sends it once, same Message-ID', async () => {
  const email = 'killed-mid-send@visitor.test';
  const rowId = await transcriptRow(email);
  const env = { SMTP_URL: sink.url, MAIL_REPLY_DOMAIN: DOMAIN, OUTBOX_TEST_LEASE_MS: '1500' };
  sink.answerNext({ hold: true });
  const first = await startOutboxNode(testDb.url, env, /ready/, CHILD);
  nodes.push(first);
  await waitUntil(async () => sink.attempts >= 1);
  first.child.kill('SIGKILL');
  await first.exited();
  sink.dropHeld(); // the connection died before the 250: the server never took the mail
  expect(sink.mailsTo(email)).toHaveLength(0);
  expect(await rowState(rowId)).toMatchObject({ status: 'running', attempts: 1 });

  const restarted = await startOutboxNode(testDb.url, env, /ready/, CHILD);
  nodes.push(restarted);
  const mail = await sink.waitForMail((m) => m.to.includes(email));
  expect(mail.parsed.messageId).toBe(`<mail.${rowId}@${DOMAIN}>`);
  await waitUntil(async () => (await rowState(rowId))?.status === 'done');
  expect(await rowState(rowId)).toMatchObject({ status: 'done', attempts: 2 });
  // Give a duplicate every chance to show up.
  await new Promise((r) => setTimeout(r, 1000));
  expect(sink.mailsTo(email)).toHaveLength(1);
  const deliveries = await db()
    .selectFrom('mail_deliveries')
    .selectAll()
    .where('outbox_id', '=', rowId)
    .execute();
  expect(deliveries).toHaveLength(1);
  restarted.child.kill('SIGKILL');
  await restarted.exited();
});

it('a worker that died after the 250 but before marking the row done: the retry sends nothing', async () => {
  const email = 'sent-then-died@visitor.test';
  const rowId = await transcriptRow(email);
  // Attempt 1, by hand: claimed by a node that then "dies" right after the send and its record.
  const claim = await claimDueRows(db(), {
    topics: ['email.send'],
    limit: 10,
    leaseMs: 500,
    nodeId: 'doomed',
  });
  const row = claim.rows.find((r) => r.id === rowId);
  if (!row) throw new Error('row not claimed');
  const config = mailConfig({ mailReplyDomain: DOMAIN, publicUrl: 'http://127.0.0.1:3000' });
  const transport = smtpTransport(sink.url);
  await emailSender(
    db(),
    config,
    transport,
  )({
    id: row.id,
    topic: row.topic,
    payload: row.payload as never,
    attempt: row.attempt,
    maxAttempts: row.maxAttempts,
    signal: new AbortController().signal,
  });
  transport.close();
  expect(sink.mailsTo(email)).toHaveLength(1);
  expect(await rowState(rowId)).toMatchObject({ status: 'running', attempts: 1 });

  // The lease runs out; a restarted node claims the row again.
  const node = await startOutboxNode(
    testDb.url,
    { SMTP_URL: sink.url, MAIL_REPLY_DOMAIN: DOMAIN, OUTBOX_TEST_LEASE_MS: '1500' },
    /ready/,
    CHILD,
  );
  nodes.push(node);
  await waitUntil(async () => (await rowState(rowId))?.status === 'done');
  expect(await rowState(rowId)).toMatchObject({ status: 'done', attempts: 2 });
  expect(sink.mailsTo(email)).toHaveLength(1);
});
