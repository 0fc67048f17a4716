/** Site settings: owners and admins change them, operators cannot, bad input changes nothing, and the widget follows at once. */
import type { SiteDTO } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator, type OperatorSession, type startVisitorSession } from '../testing/clients.js';
import { addOperator } from '../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;
let admin: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
});
afterAll(async () => {
  await parley?.close();
});

const patch = (session: OperatorSession, body: unknown) =>
  api<SiteDTO>(parley.url, `/api/sites/${parley.demoSiteId}`, {
    method: 'PATCH',
    cookie: session.cookie,
    csrfToken: session.csrfToken,
    body,
  });

describe('site settings', () => {
  it('lets an owner allow an origin and set texts; the widget follows at once', async () => {
    const origin = 'https://shop.example';
    // Before: the shop's pages may not use the widget.
    await expect(startVisitorSessionFrom(origin)).rejects.toMatchObject({ status: 403 });
    const { body } = await patch(admin, {
      allowedOrigins: [origin, 'http://localhost:8080'],
      settings: { language: 'ru', greeting: { ru: 'Добрый день! Чем помочь?' } },
    });
    expect(body.allowedOrigins).toEqual([origin, 'http://localhost:8080']);
    // A greeting for one language leaves the others as they were.
    expect(body.settings).toMatchObject({
      language: 'ru',
      greeting: { ru: 'Добрый день! Чем помочь?', en: expect.stringContaining('Hi') },
    });
    const session = await startVisitorSessionFrom(origin);
    expect(session.site.settings.greeting.ru).toBe('Добрый день! Чем помочь?');
    const frame = await fetch(`${parley.url}/widget/frame.html?site=demo`);
    // Only the allowed origins may frame the chat window (npm test builds the widget first).
    expect(frame.headers.get('content-security-policy')).toContain(origin);
  });

  it('refuses operators who are not owners or admins', async () => {
    const { session } = await addOperator(parley, 'Plain');
    await expect(patch(session, { name: 'Mine now' })).rejects.toMatchObject({ status: 403 });
  });

  it.each([
    [{ allowedOrigins: ['shop.example/path'] }],
    [{ allowedOrigins: ['javascript:alert(1)'] }],
    [{ settings: { accentColor: 'red' } }],
    [{ settings: { language: 'de' } }],
    [{ settings: { greeting: { en: 'x'.repeat(301) } } }],
    [{ name: '' }],
    [{ publicKey: 'stolen' }],
  ])('refuses %j and changes nothing', async (body) => {
    const before = await api<SiteDTO>(parley.url, `/api/sites/${parley.demoSiteId}`, {
      cookie: admin.cookie,
    });
    await expect(patch(admin, body)).rejects.toMatchObject({
      status: 400,
      body: { error: { issues: expect.any(Array) } },
    });
    const after = await api<SiteDTO>(parley.url, `/api/sites/${parley.demoSiteId}`, { cookie: admin.cookie });
    expect(after.body).toEqual(before.body);
  });
});

async function startVisitorSessionFrom(origin: string) {
  const { body } = await api<Awaited<ReturnType<typeof startVisitorSession>>>(
    parley.url,
    '/api/widget/session',
    {
      headers: { origin },
      body: { siteKey: 'demo' },
    },
  );
  return body;
}
