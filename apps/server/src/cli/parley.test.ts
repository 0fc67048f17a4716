/**
 * The command line for whoever runs the server: `npm run parley --
 * create-owner|reset-password EMAIL [--password-stdin]`, as a real process
 * against DATABASE_URL and against the embedded PostgreSQL, and its commands
 * against a running Parley (links printed, then used in the console's way).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_PATHS, type SessionResponse, type TeamLinkInfo } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/cli-process.js';
import { ApiError, api, loginOperator } from '../testing/clients.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';
import { CliError, createOwner, resetPassword } from './team-commands.js';

const linkIn = (output: string) => /https?:\/\/\S+#([A-Za-z0-9_-]{43})/.exec(output)?.[1] ?? '';

let database: TestDatabase;
let parley: TestParley;

beforeAll(async () => {
  database = await createTestDatabase();
  parley = await startTestParley({ databaseUrl: database.url });
});
afterAll(async () => {
  await parley?.close();
  await database?.drop();
});

async function acceptLink(token: string, body: { displayName?: string; password: string }) {
  return api<SessionResponse>(parley.url, API_PATHS.acceptTeamLink, { body: { token, ...body } });
}

describe('the commands', () => {
  const base = () => parley.url;

  it('create-owner prints an owner invitation for every site, or creates the owner with a password', async () => {
    const output = await createOwner(parley.services.ctx.db, base(), 'new-owner@shop.test');
    const token = linkIn(output);
    const info = await api<TeamLinkInfo>(parley.url, API_PATHS.teamLink, { body: { token } });
    expect(info.body).toMatchObject({ kind: 'invitation', role: 'owner', state: 'valid' });
    const { body } = await acceptLink(token, { displayName: 'New owner', password: 'owner-password-1' });
    expect(body.operator.role).toBe('owner');
    expect(body.sites.map((s) => s.id)).toContain(parley.demoSiteId);

    await createOwner(parley.services.ctx.db, base(), 'direct@shop.test', 'direct-password');
    const direct = await loginOperator(parley.url, 'direct@shop.test', 'direct-password');
    expect(direct.operator.role).toBe('owner');

    await expect(createOwner(parley.services.ctx.db, base(), TEST_ADMIN.email)).rejects.toThrow(CliError);
    await expect(createOwner(parley.services.ctx.db, base(), 'x@shop.test', 'short')).rejects.toThrow(
      CliError,
    );
    await expect(createOwner(parley.services.ctx.db, base(), 'not-an-email')).rejects.toThrow(CliError);
  });

  it('reset-password prints a reset link, or sets the password and ends every session', async () => {
    const session = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const output = await resetPassword(parley.services.ctx, base(), TEST_ADMIN.email.toUpperCase());
    expect(output).toContain('/console/reset-password#');
    await acceptLink(linkIn(output), { password: 'reset-by-link' });
    await expect(api(parley.url, API_PATHS.me, { cookie: session.cookie })).rejects.toThrow(ApiError);

    const again = await loginOperator(parley.url, TEST_ADMIN.email, 'reset-by-link');
    await resetPassword(parley.services.ctx, base(), TEST_ADMIN.email, TEST_ADMIN.password);
    await expect(api(parley.url, API_PATHS.me, { cookie: again.cookie })).rejects.toThrow(ApiError);
    await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await expect(resetPassword(parley.services.ctx, base(), 'nobody@shop.test')).rejects.toThrow(CliError);
  });
});

describe('npm run parley', () => {
  it('works against DATABASE_URL: a password from stdin, then a link', async () => {
    const set = await runCli(
      ['reset-password', TEST_ADMIN.email, '--password-stdin'],
      { DATABASE_URL: database.url },
      'from-the-cli-1\n',
    );
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    await loginOperator(parley.url, TEST_ADMIN.email, 'from-the-cli-1');
    const link = await runCli(['reset-password', TEST_ADMIN.email], {
      DATABASE_URL: database.url,
      PUBLIC_URL: 'https://chat.shop.example',
    });
    expect(link.code).toBe(0);
    expect(link.stdout).toMatch(/https:\/\/chat\.shop\.example\/console\/reset-password#[A-Za-z0-9_-]{43}/);
    const unknown = await runCli(['reset-password', 'nobody@shop.test'], { DATABASE_URL: database.url });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody@shop.test');
    const usage = await runCli(['reset'], { DATABASE_URL: database.url });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage');
  }, 90_000); // four CLI processes, each compiled by tsx on the way: slow on a loaded machine

  it('works with the embedded PostgreSQL (the server stopped)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    try {
      const created = await runCli(
        ['create-owner', 'boss@shop.test', '--password-stdin'],
        { DATA_DIR: dataDir, DATABASE_URL: '' },
        'boss-password',
      );
      expect(created.stderr).toBe('');
      expect(created.stdout).toContain('boss@shop.test');
      const link = await runCli(['reset-password', 'boss@shop.test'], {
        DATA_DIR: dataDir,
        DATABASE_URL: '',
      });
      expect(link.code).toBe(0);
      expect(linkIn(link.stdout)).not.toBe('');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
