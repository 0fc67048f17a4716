/**
 * Without SMTP_URL nothing is sent and nothing is dropped: email rows wait in
 * the outbox, owners and admins see how many (operators may not), and the
 * widget is told email is not available (so it promises no answer by email).
 */
import { API_PATHS, type MailStatusResponse } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ApiError,
  api,
  BROWSER_USER_AGENT,
  loginOperator,
  startVisitorSession,
  TestSocket,
} from '../../../testing/clients.js';
import { addOperator, newClientId } from '../../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../../testing/test-parley.js';
import { digestFigures, digestsQueuer, lastPeriod } from './digest.js';
import { missedChatsQueuer } from './sweeps.js';

let parley: TestParley;
beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(async () => {
  await parley?.close();
});

it('keeps every email waiting, counts them for owners and admins only, and tells the widget', async () => {
  const session = await startVisitorSession(parley.url);
  expect(session.emailAvailable).toBe(false);
  await addOperator(parley, 'Narek');
  await api(parley.url, API_PATHS.widgetRequests, {
    headers: { authorization: `Bearer ${session.visitorToken}`, 'user-agent': BROWSER_USER_AGENT },
    body: { clientId: newClientId(), email: 'v@visitor.test', text: 'Is the shop open on Sunday?' },
  });
  // The owner and Narek want offline requests (on by default): two mails, waiting.
  const admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  const { body } = await api<MailStatusResponse>(parley.url, API_PATHS.mailStatus, { cookie: admin.cookie });
  expect(body).toEqual({ smtpConfigured: false, waiting: 2, failed: 0 });

  // A while later (past the outbox's poll and a sweep): still waiting, none done or dead.
  await new Promise((r) => setTimeout(r, 6000));
  const { rows } = await sql<{ status: string; attempts: number }>`
    SELECT status, attempts FROM outbox WHERE topic = 'email.send'`.execute(parley.services.ctx.db);
  expect(rows).toEqual([
    { status: 'pending', attempts: 0 },
    { status: 'pending', attempts: 0 },
  ]);

  const operator = await addOperator(parley, 'Lilit');
  const refused = await api(parley.url, API_PATHS.mailStatus, { cookie: operator.session.cookie }).catch(
    (error: ApiError) => error,
  );
  expect((refused as ApiError).status).toBe(403);
});

it('a chat left unanswered past the escalation limit queues one missed-chat mail per operator, once', async () => {
  const session = await startVisitorSession(parley.url);
  const socket = await TestSocket.visitor(parley.wsUrl, session.visitorToken);
  await socket.waitFor('session.ready');
  const { message } = await socket.request<{ message: { conversationId: string } }>('message.send', {
    clientId: newClientId(),
    text: 'Hello? Anyone?',
  });
  await socket.close();
  const later = new Date(Date.now() + 2 * 60_000);
  const queued = await missedChatsQueuer(parley.services.ctx.db, later);
  expect(queued).toBeGreaterThan(0);
  expect(await missedChatsQueuer(parley.services.ctx.db, later)).toBe(0);
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM outbox
    WHERE payload ->> 'kind' = 'missed-chat' AND payload ->> 'conversationId' = ${message.conversationId}`.execute(
    parley.services.ctx.db,
  );
  expect(rows[0]?.n).toBe(queued);
});

it("an owner's digest is queued once per site and period, and its figures count the period", async () => {
  const db = parley.services.ctx.db;
  await db
    .updateTable('sites')
    .set({
      settings: sql`settings || '{"email":{"unseenMinutes":5,"transcriptOnClose":false,"digest":"daily"}}'::jsonb`,
    })
    .where('id', '=', parley.demoSiteId)
    .execute();
  const tomorrow = new Date(Date.now() + 86_400_000);
  expect(await digestsQueuer(db, tomorrow)).toBe(1); // one owner
  expect(await digestsQueuer(db, tomorrow)).toBe(0); // never twice for the period
  const { from, to } = lastPeriod('daily', tomorrow);
  expect(to.getTime() - from.getTime()).toBe(86_400_000);
  const figures = await digestFigures(db, parley.demoSiteId, from, to);
  // Today's conversations of the tests above: the request and the missed chat, neither answered.
  expect(figures).toMatchObject({ conversations: 2, missed: 2, medianFirstResponseSeconds: null });
  expect(lastPeriod('weekly', new Date('2026-12-09T10:00:00Z'))).toEqual({
    from: new Date('2026-11-30T00:00:00Z'),
    to: new Date('2026-12-07T00:00:00Z'),
  });
});
