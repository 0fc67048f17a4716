/**
 * Installations sharing one Redis keep apart: budgets one spends are not the
 * other's (the CI failure this prevents: test files on one Redis, all from
 * 127.0.0.1, spent each other's per-IP budgets). Nodes of one installation
 * share their database and so one namespace (main.test.ts's two nodes talk).
 */
import { API_PATHS, type WidgetSessionResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationId } from '../modules/installation/secrets.js';
import { ApiError, api } from '../testing/clients.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';
import { redisNamespace } from './namespace.js';

const env = { TRUST_PROXY: 'true', NEW_VISITORS_PER_IP_PER_MINUTE: '2' };
const IP = '203.0.113.41';
let a: TestParley;
let b: TestParley;

beforeAll(async () => {
  [a, b] = await Promise.all([
    startTestParley({ redisUrl: TEST_REDIS_URL, env }),
    startTestParley({ redisUrl: TEST_REDIS_URL, env }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

function newVisitor(parley: TestParley) {
  return api<WidgetSessionResponse>(parley.url, API_PATHS.widgetSession, {
    headers: { 'x-forwarded-for': IP },
    body: { siteKey: 'demo' },
  });
}

describe('Redis namespaces', () => {
  it('differ between installations and stay the same across restarts of one', async () => {
    const idA = await loadOrCreateInstallationId(a.services.ctx.db);
    const idB = await loadOrCreateInstallationId(b.services.ctx.db);
    expect(redisNamespace(idA)).not.toBe(redisNamespace(idB));
    expect(await loadOrCreateInstallationId(a.services.ctx.db)).toBe(idA);
  });

  it("keeps one installation's per-IP budget out of another's on the same Redis", async () => {
    await newVisitor(a);
    await newVisitor(a);
    const refused = await newVisitor(a).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    // The same address is new to the other installation.
    const { body } = await newVisitor(b);
    expect(body.visitorToken).toEqual(expect.any(String));
  });
});
