/**
 * The login lockout holds against parallel guesses: 200 wrong logins sent at
 * once get at most the limit's worth of password checks (each a 401), and the
 * rest are refused unchecked (429), with the limiter in memory and in Redis.
 */
import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createOperator } from '../modules/operators/commands.js';
import { api } from '../testing/clients.js';
import { TEST_REDIS_URL } from '../testing/databases.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const LIMIT = 5;
const GUESSES = 200;
const started: TestParley[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.close()));
});

async function start(redisUrl?: string): Promise<TestParley> {
  const parley = await startTestParley({
    ...(redisUrl && { redisUrl }),
    // A client address of the test's own (X-Forwarded-For), so the shared Redis of parallel test files never sees it.
    env: { LOGIN_ATTEMPTS_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'true' },
  });
  started.push(parley);
  return parley;
}

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function guessAtOnce(parley: TestParley, email: string, ip: string) {
  const statuses = await Promise.all(
    Array.from({ length: GUESSES }, (_, n) =>
      api(parley.url, '/api/auth/login', {
        body: { email, password: `guess-${n}` },
        headers: { 'x-forwarded-for': ip },
      }).then(
        (r) => r.status,
        (error: { status: number }) => error.status,
      ),
    ),
  );
  const count = (status: number) => statuses.filter((s) => s === status).length;
  return { wrong: count(401), refused: count(429), other: GUESSES - count(401) - count(429) };
}

describe.each([
  ['in memory', undefined],
  ['in Redis', TEST_REDIS_URL],
])('login lockout with the limiter %s', (_name, redisUrl) => {
  it(`checks at most ${LIMIT} passwords of ${GUESSES} parallel guesses`, async () => {
    const parley = await start(redisUrl);
    const email = `target-${randomInt(1e9)}@parley.test`;
    await createOperator(parley.services.ctx.db, {
      email,
      password: 'the-right-one',
      displayName: 'Target',
      role: 'operator',
    });
    const ip = randomIp();
    const result = await guessAtOnce(parley, email, ip);
    expect(result).toEqual({ wrong: LIMIT, refused: GUESSES - LIMIT, other: 0 });
    // Locked: even the right password is refused now.
    await expect(
      api(parley.url, '/api/auth/login', {
        body: { email, password: 'the-right-one' },
        headers: { 'x-forwarded-for': ip },
      }),
    ).rejects.toMatchObject({ status: 429 });
  });

  it('gives a successful login its attempt back', async () => {
    const parley = await start(redisUrl);
    const email = `tabs-${randomInt(1e9)}@parley.test`;
    await createOperator(parley.services.ctx.db, {
      email,
      password: 'the-right-one',
      displayName: 'Tabs',
      role: 'operator',
    });
    const ip = randomIp();
    const login = () =>
      api(parley.url, '/api/auth/login', {
        body: { email, password: 'the-right-one' },
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < LIMIT * 2; i++) await login();
    // One wrong guess after many good logins is one attempt of the limit, not the last straw.
    await expect(
      api(parley.url, '/api/auth/login', {
        body: { email, password: 'wrong' },
        headers: { 'x-forwarded-for': ip },
      }),
    ).rejects.toMatchObject({ status: 401 });
    await login();
  });
});
