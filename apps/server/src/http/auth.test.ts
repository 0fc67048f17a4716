/** Operator sessions, CSRF, per-site access and the rate limits on logins and visitor messages. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../modules/operators/commands.js';
import { createSite } from '../modules/sites/commands.js';
import { api, loginOperator } from '../testing/clients.js';
import { addOperator, closeAllSockets, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley({
    env: { LOGIN_ATTEMPTS_PER_MINUTE: '3', VISITOR_MESSAGES_PER_MINUTE: '5' },
  });
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

describe('login', () => {
  it('sets an httpOnly SameSite session cookie and logs out for good', async () => {
    const response = await fetch(`${parley.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    const cookieHeader = response.headers.get('set-cookie') ?? '';
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
    const cookie = cookieHeader.split(';')[0] ?? '';
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    await api(parley.url, '/api/auth/me', { cookie });
    await api(parley.url, '/api/auth/logout', { cookie, csrfToken, body: {} });
    await expect(api(parley.url, '/api/auth/me', { cookie })).rejects.toMatchObject({ status: 401 });
  });

  it('locks out after repeated wrong passwords, and says so', async () => {
    const email = 'victim@parley.test';
    await createOperator(parley.services.ctx.db, {
      email,
      password: 'the-right-one',
      displayName: 'V',
      role: 'operator',
    });
    for (let i = 0; i < 3; i++) {
      await expect(
        api(parley.url, '/api/auth/login', { body: { email, password: `guess-${i}` } }),
      ).rejects.toMatchObject({ status: 401 });
    }
    // Even the right password is refused while locked: guessing cannot continue.
    await expect(
      api(parley.url, '/api/auth/login', { body: { email, password: 'the-right-one' } }),
    ).rejects.toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
  });

  it('does not count successful logins against the limit', async () => {
    for (let i = 0; i < 6; i++) await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  });
});

describe('per-site access', () => {
  it("keeps an operator out of another site's conversations and visitors", async () => {
    const db = parley.services.ctx.db;
    const otherSite = await createSite(db, { name: 'Other shop', allowedOrigins: [] });
    const { session } = await addOperator(parley, 'Outsider', otherSite.id);

    const visitor = await connectVisitor(parley);
    const ack = await visitor.socket.request<{ message: { conversationId: string } }>('message.send', {
      clientId: newClientId(),
      text: 'hi',
    });
    const auth = { cookie: session.cookie, csrfToken: session.csrfToken };

    // Another site's conversation or visitor answers like one that does not exist: ids cannot be probed.
    await expect(
      api(parley.url, `/api/conversations/${ack.message.conversationId}`, auth),
    ).rejects.toMatchObject({ status: 404 });
    await expect(api(parley.url, `/api/visitors/${visitor.session.visitorId}`, auth)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      api(parley.url, `/api/conversations/${ack.message.conversationId}/messages`, {
        ...auth,
        body: { clientId: newClientId(), text: 'x' },
      }),
    ).rejects.toMatchObject({ status: 404 });
    const list = await api<{ items: unknown[] }>(parley.url, '/api/conversations', auth);
    expect(list.body.items).toEqual([]);
  });
});

describe('visitor message rate limit', () => {
  it('refuses messages past the per-minute limit with an error frame', async () => {
    const visitor = await connectVisitor(parley);
    for (let i = 0; i < 5; i++)
      await visitor.socket.request('message.send', { clientId: newClientId(), text: `m${i}` });
    await expect(
      visitor.socket.request('message.send', { clientId: newClientId(), text: 'one too many' }),
    ).rejects.toMatchObject({
      frame: { error: { code: 'rate_limited' } },
    });
  });
});
