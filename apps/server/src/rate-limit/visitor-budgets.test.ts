/**
 * Budgets that fresh visitor tokens cannot multiply, over real HTTP and
 * sockets: new visitors per IP and per site, and messages per IP and per site
 * on top of each visitor's own limit. Each test uses its own site and its own
 * client addresses (through a trusted proxy's X-Forwarded-For), so budgets
 * spent by one test never decide another.
 */
import { API_PATHS, type MessageDTO, type WidgetSessionResponse } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../modules/sites/commands.js';
import { visitorTokensRevoker } from '../modules/visitors/access.js';
import { MESSAGE_REFUSALS } from '../realtime/visitor-frames.js';
import { ApiError, api, TestSocket } from '../testing/clients.js';
import { newClientId } from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const BUDGETS = {
  VISITOR_MESSAGES_PER_MINUTE: 3,
  VISITOR_MESSAGES_PER_IP_PER_MINUTE: 7,
  SITE_VISITOR_MESSAGES_PER_MINUTE: 20,
  NEW_VISITORS_PER_IP_PER_MINUTE: 4,
  NEW_VISITORS_PER_SITE_PER_MINUTE: 10,
};

let parley: TestParley;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  parley = await startTestParley({
    env: {
      TRUST_PROXY: 'true',
      ...Object.fromEntries(Object.entries(BUDGETS).map(([k, v]) => [k, String(v)])),
    },
  });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await parley?.close();
});

async function freshSite(): Promise<{ id: string; key: string }> {
  const site = await createSite(parley.services.ctx.db, { name: 'Budget shop', allowedOrigins: [] });
  return { id: site.id, key: site.public_key };
}

function session(siteKey: string, ip: string, visitorToken?: string) {
  return api<WidgetSessionResponse>(parley.url, API_PATHS.widgetSession, {
    headers: { 'x-forwarded-for': ip },
    body: { siteKey, ...(visitorToken && { visitorToken }) },
  });
}

async function visitorSocket(siteKey: string, ip: string) {
  const { body } = await session(siteKey, ip);
  const socket = await TestSocket.visitor(parley.wsUrl, body.visitorToken, { 'x-forwarded-for': ip });
  sockets.push(socket);
  await socket.waitFor('session.ready');
  return socket;
}

/** Sends `count` messages; resolves with how many were stored and the refusals' messages. */
async function sendMessages(socket: TestSocket, count: number) {
  let stored = 0;
  const refusals: string[] = [];
  for (let i = 0; i < count; i++) {
    await socket
      .request<{ message: MessageDTO }>('message.send', { clientId: newClientId(), text: `m${i}` })
      .then(
        () => {
          stored += 1;
        },
        (error: { frame?: { error?: { code: string; message: string } } }) => {
          expect(error.frame?.error?.code).toBe('rate_limited');
          refusals.push(error.frame?.error?.message ?? '');
        },
      );
  }
  return { stored, refusals };
}

async function messagesOfSite(siteId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE c.site_id = ${siteId}`.execute(parley.services.ctx.db);
  return rows[0]?.n ?? 0;
}

describe('new visitors', () => {
  it('are limited per IP address; returning visitors and other addresses are not', async () => {
    const site = await freshSite();
    const first = await session(site.key, '10.1.0.1');
    for (let i = 1; i < BUDGETS.NEW_VISITORS_PER_IP_PER_MINUTE; i++) await session(site.key, '10.1.0.1');
    await expect(session(site.key, '10.1.0.1')).rejects.toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
    const back = await session(site.key, '10.1.0.1', first.body.visitorToken);
    expect(back.body.visitorId).toBe(first.body.visitorId);
    expect((await session(site.key, '10.1.0.2')).status).toBe(200);
  });

  it('count a revoked visitor’s token as new: it is no way round the budget', async () => {
    const site = await freshSite();
    const revoked = await session(site.key, '10.9.0.1');
    await visitorTokensRevoker(parley.services.ctx, revoked.body.visitorId);
    const arrivals: string[] = [];
    for (let i = 1; i < BUDGETS.NEW_VISITORS_PER_IP_PER_MINUTE; i++) {
      const { body } = await session(site.key, '10.9.0.1', revoked.body.visitorToken);
      arrivals.push(body.visitorId);
    }
    expect(arrivals).not.toContain(revoked.body.visitorId);
    await expect(session(site.key, '10.9.0.1', revoked.body.visitorToken)).rejects.toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
  });

  it('are limited per site, from every address together', async () => {
    const site = await freshSite();
    for (let i = 1; i <= BUDGETS.NEW_VISITORS_PER_SITE_PER_MINUTE; i++)
      await session(site.key, `10.2.0.${i}`);
    const refused = await session(site.key, '10.2.1.1').catch((error: ApiError) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM visitors WHERE site_id = ${site.id}`.execute(parley.services.ctx.db);
    expect(rows[0]?.n).toBe(BUDGETS.NEW_VISITORS_PER_SITE_PER_MINUTE);
  });
});

describe('visitor messages', () => {
  it('share one budget per IP address, however many fresh tokens send them', async () => {
    const site = await freshSite();
    const visitors = [];
    for (let i = 0; i < 3; i++) visitors.push(await visitorSocket(site.key, '10.3.0.1'));
    let stored = 0;
    const refusals: string[] = [];
    for (const socket of visitors) {
      const result = await sendMessages(socket, BUDGETS.VISITOR_MESSAGES_PER_MINUTE);
      stored += result.stored;
      refusals.push(...result.refusals);
    }
    expect(stored).toBe(BUDGETS.VISITOR_MESSAGES_PER_IP_PER_MINUTE);
    expect(new Set(refusals)).toEqual(new Set([MESSAGE_REFUSALS.ip]));
    expect(await messagesOfSite(site.id)).toBe(BUDGETS.VISITOR_MESSAGES_PER_IP_PER_MINUTE);
    // A visitor elsewhere is unaffected.
    expect((await sendMessages(await visitorSocket(site.key, '10.3.0.2'), 1)).stored).toBe(1);
  });

  it('share one budget per site, and offline requests draw on the same budgets', async () => {
    const site = await freshSite();
    const perVisitor = BUDGETS.VISITOR_MESSAGES_PER_MINUTE;
    const visitors = Math.ceil(BUDGETS.SITE_VISITOR_MESSAGES_PER_MINUTE / perVisitor);
    let stored = 0;
    const refusals: string[] = [];
    for (let i = 0; i < visitors; i++) {
      const result = await sendMessages(await visitorSocket(site.key, `10.4.0.${i + 1}`), perVisitor);
      stored += result.stored;
      refusals.push(...result.refusals);
    }
    expect(stored).toBe(BUDGETS.SITE_VISITOR_MESSAGES_PER_MINUTE);
    expect(new Set(refusals)).toEqual(new Set([MESSAGE_REFUSALS.site]));

    const { body } = await session(site.key, '10.4.1.1');
    await expect(
      api(parley.url, API_PATHS.widgetRequests, {
        headers: { 'x-forwarded-for': '10.4.1.1', authorization: `Bearer ${body.visitorToken}` },
        body: { clientId: newClientId(), email: 'late@shop.example', text: 'Call me back' },
      }),
    ).rejects.toMatchObject({ status: 429 });
    expect(await messagesOfSite(site.id)).toBe(BUDGETS.SITE_VISITOR_MESSAGES_PER_MINUTE);
  });
});
