/**
 * The team's rules against a real Parley: invitations as one-time links
 * delivered through the outbox (expired, reused, revoked, re-sent), duplicate
 * emails, who may manage whom (an admin never touches an owner), the last
 * owner, password changes and resets, the sessions list, and site grants.
 * Every refusal is checked to write nothing. Deactivation, which must reach
 * every node, is in `deactivation.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import {
  API_PATHS,
  type InvitationDTO,
  type InvitationResponse,
  type InvitationsResponse,
  type OperatorRole,
  type OwnSessionsResponse,
  type SessionResponse,
  TEAM_LINK_TTL_DAYS,
  type TeamLinkInfo,
  type TeamMemberResponse,
  type TeamMembersResponse,
} from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, loginOperator, type OperatorSession } from '../../testing/clients.js';
import { newClientId, snapshotRows } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { waitUntil } from '../../testing/wait-until.js';
import { createOperator } from '../operators/commands.js';
import { addOperatorToSite, createSite } from '../sites/commands.js';
import { tokenOfUrl } from './links.js';

let parley: TestParley;
let owner: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  owner = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
});
afterAll(async () => {
  await parley?.close();
});

const db = () => parley.services.ctx.db;

function as<T>(session: OperatorSession, path: string, options: { method?: string; body?: unknown } = {}) {
  return api<T>(parley.url, path, { ...options, cookie: session.cookie, csrfToken: session.csrfToken });
}

/** The refusal a call gets: its status and code. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.body.error.code}`;
    throw error;
  }
  throw new Error('the call was not refused');
}

/** Expects `call` to be refused with `expected` and to write nothing. */
async function refusedUnchanged(call: () => Promise<unknown>, expected: string): Promise<void> {
  // A delivery queued by an earlier call must not land between the two snapshots.
  await waitUntil(outboxIdle);
  const before = await snapshotRows(db());
  expect(await refusal(call())).toBe(expected);
  expect(await snapshotRows(db())).toEqual(before);
}

async function outboxIdle(): Promise<boolean> {
  const busy = await db()
    .selectFrom('outbox')
    .select('id')
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();
  return busy === undefined;
}

async function member(role: OperatorRole, siteIds = [parley.demoSiteId]) {
  const email = `${role}-${newClientId()}@team.test`;
  const password = `${role}-password-1`;
  const operator = await createOperator(db(), { email, password, displayName: `A ${role}`, role });
  for (const siteId of siteIds) await addOperatorToSite(db(), siteId, operator.id);
  return { operator, password, session: await loginOperator(parley.url, email, password) };
}

async function invite(by: OperatorSession, email: string, role: OperatorRole = 'operator') {
  const { body } = await as<InvitationResponse>(by, API_PATHS.invitations, {
    body: { email, role, siteIds: [parley.demoSiteId] },
  });
  return body.invitation;
}

/** The link of an invitation, once the outbox has delivered it to the console. */
async function deliveredUrl(by: OperatorSession, invitationId: string): Promise<string> {
  let found: InvitationDTO | undefined;
  await waitUntil(async () => {
    const { body } = await as<InvitationsResponse>(by, API_PATHS.invitations);
    found = body.invitations.find((i) => i.id === invitationId);
    return Boolean(found?.url);
  });
  return found?.url ?? '';
}

const lookup = (token: string) =>
  api<TeamLinkInfo>(parley.url, API_PATHS.teamLink, { body: { token } }).then((r) => r.body);

async function accept(token: string, body: { displayName?: string; password: string }) {
  const { body: session, headers } = await api<SessionResponse>(parley.url, API_PATHS.acceptTeamLink, {
    body: { token, ...body },
  });
  return { ...session, cookie: (headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

describe('invitations', () => {
  it('a link made by an invitation, delivered through the outbox, sets name and password once and logs in', async () => {
    const email = `anna-${newClientId()}@shop.test`;
    const invitation = await invite(owner, email, 'admin');
    expect(invitation).toMatchObject({ email, role: 'admin', siteIds: [parley.demoSiteId], expired: false });
    // Valid for a week from now.
    const week = TEAM_LINK_TTL_DAYS * 24 * 3600_000;
    expect(Math.abs(Date.parse(invitation.expiresAt) - Date.now() - week)).toBeLessThan(60_000);
    const url = await deliveredUrl(owner, invitation.id);
    expect(url).toMatch(/\/console\/join#[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored.
    const token = tokenOfUrl(url);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM team_links WHERE token_hash = ${token}`.execute(db());
    expect(rows[0]?.n).toBe(0);

    expect(await lookup(token)).toMatchObject({ kind: 'invitation', state: 'valid', email, role: 'admin' });
    const anna = await accept(token, { displayName: 'Anna', password: 'anna-password-1' });
    expect(anna.operator).toMatchObject({ email, displayName: 'Anna', role: 'admin' });
    expect(anna.sites.map((s) => s.id)).toEqual([parley.demoSiteId]);
    const me = await api<SessionResponse>(parley.url, API_PATHS.me, { cookie: anna.cookie });
    expect(me.body.operator.email).toBe(email);
    await loginOperator(parley.url, email, 'anna-password-1');

    // Reused: a clear refusal, nothing written, and the page says why.
    await refusedUnchanged(
      () => accept(token, { displayName: 'Eve', password: 'eve-password-1' }),
      '409 conflict',
    );
    expect((await lookup(token)).state).toBe('used');
    const { body } = await as<InvitationsResponse>(owner, API_PATHS.invitations);
    expect(body.invitations.map((i) => i.id)).not.toContain(invitation.id);
  });

  it('an expired link is refused, writing nothing; re-sending gives a fresh link and kills the old one', async () => {
    const invitation = await invite(owner, `late-${newClientId()}@shop.test`);
    const oldToken = tokenOfUrl(await deliveredUrl(owner, invitation.id));
    // The clock, driven: the link's week is over.
    await db()
      .updateTable('team_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', invitation.id)
      .execute();
    expect((await lookup(oldToken)).state).toBe('expired');
    await refusedUnchanged(
      () => accept(oldToken, { displayName: 'Late', password: 'late-password' }),
      '409 conflict',
    );
    const listed = (await as<InvitationsResponse>(owner, API_PATHS.invitations)).body.invitations;
    expect(listed.find((i) => i.id === invitation.id)?.expired).toBe(true);

    await as(owner, API_PATHS.resendInvitation(invitation.id), { body: {} });
    const newUrl = await waitForNewUrl(invitation.id, oldToken);
    expect(await refusal(lookup(oldToken))).toBe('404 not_found');
    const accepted = await accept(tokenOfUrl(newUrl), { displayName: 'Late', password: 'late-password' });
    expect(accepted.operator.displayName).toBe('Late');
  });

  async function waitForNewUrl(invitationId: string, oldToken: string): Promise<string> {
    let url = '';
    await waitUntil(async () => {
      const { body } = await as<InvitationsResponse>(owner, API_PATHS.invitations);
      url = body.invitations.find((i) => i.id === invitationId)?.url ?? '';
      return url !== '' && tokenOfUrl(url) !== oldToken;
    });
    return url;
  }

  it('a revoked link is refused, writing nothing, and leaves the console', async () => {
    const invitation = await invite(owner, `gone-${newClientId()}@shop.test`);
    const token = tokenOfUrl(await deliveredUrl(owner, invitation.id));
    await as(owner, API_PATHS.revokeInvitation(invitation.id), { body: {} });
    expect((await lookup(token)).state).toBe('revoked');
    await refusedUnchanged(
      () => accept(token, { displayName: 'Gone', password: 'gone-password' }),
      '409 conflict',
    );
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM team_link_deliveries WHERE link_id = ${invitation.id}`.execute(db());
    expect(rows[0]?.n).toBe(0);
    // A revoked invitation cannot be re-sent: invite again.
    await refusedUnchanged(
      () => as(owner, API_PATHS.resendInvitation(invitation.id), { body: {} }),
      '409 conflict',
    );
  });

  it('refuses duplicate emails (already on the team, or already invited), writing nothing', async () => {
    const invite_ = (email: string) =>
      as(owner, API_PATHS.invitations, { body: { email, role: 'operator', siteIds: [] } });
    await refusedUnchanged(() => invite_(TEST_ADMIN.email.toUpperCase()), '409 conflict');
    const email = `twice-${newClientId()}@shop.test`;
    await invite_(email);
    await refusedUnchanged(() => invite_(email.toUpperCase()), '409 conflict');
    // Two invitations at once: one wins.
    const racing = `race-${newClientId()}@shop.test`;
    const results = await Promise.allSettled([invite_(racing), invite_(racing)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a link that is not one, bad input, and a name missing from an invitation', async () => {
    await refusedUnchanged(
      () => accept('x'.repeat(43), { displayName: 'X', password: 'x-password' }),
      '404 not_found',
    );
    await refusedUnchanged(
      () => accept('not a token', { displayName: 'X', password: 'x-password' }),
      '400 bad_request',
    );
    const invitation = await invite(owner, `short-${newClientId()}@shop.test`);
    const token = tokenOfUrl(await deliveredUrl(owner, invitation.id));
    await refusedUnchanged(
      () => accept(token, { displayName: 'Short', password: 'short' }),
      '400 bad_request',
    );
    await refusedUnchanged(() => accept(token, { password: 'long-enough-1' }), '400 bad_request');
    await refusedUnchanged(
      () =>
        as(owner, API_PATHS.invitations, { body: { email: 'not-an-email', role: 'operator', siteIds: [] } }),
      '400 bad_request',
    );
    // Accepting logs in: only from Parley's own pages.
    await refusedUnchanged(
      () =>
        api(parley.url, API_PATHS.acceptTeamLink, {
          body: { token, displayName: 'Short', password: 'long-enough-1' },
          headers: { origin: 'https://elsewhere.example' },
        }),
      '403 forbidden',
    );
  });
});

describe('who may manage whom', () => {
  it('an admin invites admins and operators but never an owner, and never touches an owner', async () => {
    const admin = await member('admin');
    const otherOwner = await member('owner');
    await invite(admin.session, `op-${newClientId()}@shop.test`, 'operator');
    await invite(admin.session, `ad-${newClientId()}@shop.test`, 'admin');
    const adminCall =
      (path: string, body: unknown, method = 'POST') =>
      () =>
        as(admin.session, path, { method, body });
    await refusedUnchanged(
      adminCall(API_PATHS.invitations, { email: `o-${newClientId()}@shop.test`, role: 'owner', siteIds: [] }),
      '403 forbidden',
    );
    const ownerId = otherOwner.operator.id;
    await refusedUnchanged(
      adminCall(API_PATHS.teamMember(ownerId), { role: 'operator' }, 'PATCH'),
      '403 forbidden',
    );
    await refusedUnchanged(adminCall(API_PATHS.deactivateMember(ownerId), {}), '403 forbidden');
    await refusedUnchanged(adminCall(API_PATHS.memberPasswordReset(ownerId), {}), '403 forbidden');
    await refusedUnchanged(
      adminCall(API_PATHS.teamMemberSites(ownerId), { siteIds: [parley.demoSiteId] }, 'PUT'),
      '403 forbidden',
    );
    // Nor make anyone owner, themself included.
    await refusedUnchanged(
      adminCall(API_PATHS.teamMember(admin.operator.id), { role: 'owner' }, 'PATCH'),
      '403 forbidden',
    );
    const operator = await member('operator');
    await refusedUnchanged(
      adminCall(API_PATHS.teamMember(operator.operator.id), { role: 'owner' }, 'PATCH'),
      '403 forbidden',
    );
    const { body } = await as<TeamMemberResponse>(admin.session, API_PATHS.teamMember(operator.operator.id), {
      method: 'PATCH',
      body: { role: 'admin' },
    });
    expect(body.member.role).toBe('admin');
  });

  it("an admin never sees an owner's invitation or reset link (they could become that owner)", async () => {
    const admin = await member('admin');
    const otherOwner = await member('owner');
    const ownerInvite = await invite(owner, `boss-${newClientId()}@shop.test`, 'owner');
    await as(owner, API_PATHS.memberPasswordReset(otherOwner.operator.id), { body: {} });
    await deliveredUrl(owner, ownerInvite.id);
    await waitUntil(outboxIdle);
    const invitations = (await as<InvitationsResponse>(admin.session, API_PATHS.invitations)).body
      .invitations;
    expect(invitations.find((i) => i.id === ownerInvite.id)?.url).toBeNull();
    const members = (await as<TeamMembersResponse>(admin.session, API_PATHS.teamMembers)).body.members;
    const reset = members.find((m) => m.id === otherOwner.operator.id)?.passwordReset;
    expect(reset?.expiresAt).toBeTruthy();
    expect(reset?.url).toBeNull();
    // The owner sees both.
    const ownersView = (await as<TeamMembersResponse>(owner, API_PATHS.teamMembers)).body.members;
    expect(ownersView.find((m) => m.id === otherOwner.operator.id)?.passwordReset?.url).toMatch(
      /reset-password#/,
    );
  });

  it('an operator manages nobody and does not see the team', async () => {
    const operator = await member('operator');
    await refusedUnchanged(() => as(operator.session, API_PATHS.teamMembers), '403 forbidden');
    await refusedUnchanged(
      () =>
        as(operator.session, API_PATHS.invitations, {
          body: { email: 'x@shop.test', role: 'operator', siteIds: [] },
        }),
      '403 forbidden',
    );
  });

  it('unknown ids are "not found", writing nothing', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refusedUnchanged(
      () => as(owner, API_PATHS.deactivateMember(unknown), { body: {} }),
      '404 not_found',
    );
    await refusedUnchanged(
      () => as(owner, API_PATHS.teamMember(unknown), { method: 'PATCH', body: { role: 'admin' } }),
      '404 not_found',
    );
    await refusedUnchanged(
      () => as(owner, API_PATHS.resendInvitation(unknown), { body: {} }),
      '404 not_found',
    );
    await refusedUnchanged(
      () => as(owner, API_PATHS.revokeInvitation(unknown), { body: {} }),
      '404 not_found',
    );
    await refusedUnchanged(
      () => as(owner, API_PATHS.deactivateMember('nope'), { body: {} }),
      '400 bad_request',
    );
  });

  it('the last active owner can be neither demoted nor deactivated; nobody deactivates themself', async () => {
    // Leave exactly one active owner: the test admin.
    await db()
      .updateTable('operators')
      .set({ role: 'admin' })
      .where('role', '=', 'owner')
      .where('email', '<>', TEST_ADMIN.email)
      .execute();
    const adminId = owner.operator.id;
    await refusedUnchanged(
      () => as(owner, API_PATHS.teamMember(adminId), { method: 'PATCH', body: { role: 'admin' } }),
      '409 conflict',
    );
    await refusedUnchanged(
      () => as(owner, API_PATHS.deactivateMember(adminId), { body: {} }),
      '409 conflict',
    );
    // With a second owner, one may step down; then the other is the last again.
    const second = await member('owner');
    await as(owner, API_PATHS.teamMember(adminId), { method: 'PATCH', body: { role: 'admin' } });
    await refusedUnchanged(
      () =>
        as(second.session, API_PATHS.teamMember(second.operator.id), {
          method: 'PATCH',
          body: { role: 'admin' },
        }),
      '409 conflict',
    );
    // A deactivated owner does not count: the one active owner still cannot go.
    await as(second.session, API_PATHS.teamMember(adminId), { method: 'PATCH', body: { role: 'owner' } });
    await as(owner, API_PATHS.deactivateMember(second.operator.id), { body: {} });
    await refusedUnchanged(
      () => as(owner, API_PATHS.teamMember(adminId), { method: 'PATCH', body: { role: 'operator' } }),
      '409 conflict',
    );
    await as(owner, API_PATHS.reactivateMember(second.operator.id), { body: {} });
  });
});

describe('passwords and sessions', () => {
  it('changing one’s own password needs the current one and ends every other session', async () => {
    const anna = await member('operator');
    const otherTab = await loginOperator(parley.url, anna.operator.email, anna.password);
    await refusedUnchanged(
      () =>
        as(anna.session, API_PATHS.ownPassword, {
          method: 'PUT',
          body: { currentPassword: 'wrong-one', newPassword: 'new-password-1' },
        }),
      '403 forbidden',
    );
    await refusedUnchanged(
      () =>
        as(anna.session, API_PATHS.ownPassword, {
          method: 'PUT',
          body: { currentPassword: anna.password, newPassword: 'short' },
        }),
      '400 bad_request',
    );
    const { body } = await as<{ endedSessions: number }>(anna.session, API_PATHS.ownPassword, {
      method: 'PUT',
      body: { currentPassword: anna.password, newPassword: 'new-password-1' },
    });
    expect(body.endedSessions).toBe(1);
    expect(await refusal(as(otherTab, API_PATHS.me))).toBe('401 unauthorized');
    await as(anna.session, API_PATHS.me);
    expect(await refusal(loginOperator(parley.url, anna.operator.email, anna.password))).toBe(
      '401 unauthorized',
    );
    await loginOperator(parley.url, anna.operator.email, 'new-password-1');
  });

  it('an owner resets a member’s password with a one-time link; using it ends the member’s sessions', async () => {
    const bob = await member('operator');
    const { body } = await as<TeamMemberResponse>(owner, API_PATHS.memberPasswordReset(bob.operator.id), {
      body: {},
    });
    expect(body.member.passwordReset).not.toBeNull();
    let url = '';
    await waitUntil(async () => {
      const { body: team } = await as<TeamMembersResponse>(owner, API_PATHS.teamMembers);
      url = team.members.find((m) => m.id === bob.operator.id)?.passwordReset?.url ?? '';
      return url !== '';
    });
    expect(url).toMatch(/\/console\/reset-password#/);
    const token = tokenOfUrl(url);
    expect(await lookup(token)).toMatchObject({ kind: 'password_reset', state: 'valid', role: null });
    // Bob can still log in until he uses it.
    await as(bob.session, API_PATHS.me);
    const reset = await accept(token, { password: 'bob-new-password' });
    expect(reset.operator.id).toBe(bob.operator.id);
    expect(await refusal(as(bob.session, API_PATHS.me))).toBe('401 unauthorized');
    await loginOperator(parley.url, bob.operator.email, 'bob-new-password');
    await refusedUnchanged(() => accept(token, { password: 'again-password' }), '409 conflict');
  });

  it('lists one’s own sessions with the current one marked, and ends another', async () => {
    const carol = await member('operator');
    const phone = await api<SessionResponse>(parley.url, API_PATHS.login, {
      body: { email: carol.operator.email, password: carol.password },
      headers: {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      },
    });
    const phoneCookie = (phone.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { body } = await as<OwnSessionsResponse>(carol.session, API_PATHS.ownSessions);
    expect(body.sessions).toHaveLength(2);
    expect(body.sessions.filter((s) => s.current)).toHaveLength(1);
    const other = body.sessions.find((s) => !s.current);
    expect(other).toMatchObject({ browser: 'Safari 17', os: 'iOS 17.0' });
    // Another operator's session id is "not found" to Carol, and stays.
    const dave = await member('operator');
    const daveSessions = (await as<OwnSessionsResponse>(dave.session, API_PATHS.ownSessions)).body.sessions;
    await refusedUnchanged(
      () => as(carol.session, API_PATHS.ownSession(daveSessions[0]?.id ?? ''), { method: 'DELETE' }),
      '404 not_found',
    );
    await as(dave.session, API_PATHS.me);

    await as(carol.session, API_PATHS.ownSession(other?.id ?? ''), { method: 'DELETE' });
    expect(await refusal(api(parley.url, API_PATHS.me, { cookie: phoneCookie }))).toBe('401 unauthorized');
    await as(carol.session, API_PATHS.me);
  });
});

describe('site grants', () => {
  it('an admin grants and revokes sites (admins work on every site); an unknown site is "not found"', async () => {
    const second = await createSite(db(), { name: 'Second shop', allowedOrigins: [] });
    const admin = await member('admin', []);
    const erin = await member('operator', []);
    const grant = (siteIds: string[]) =>
      as<TeamMemberResponse>(admin.session, API_PATHS.teamMemberSites(erin.operator.id), {
        method: 'PUT',
        body: { siteIds },
      });
    expect((await grant([second.id])).body.member.siteIds).toEqual([second.id]);
    await refusedUnchanged(() => grant([randomUUID()]), '404 not_found');
    const { body } = await grant([parley.demoSiteId]);
    expect(body.member.siteIds).toEqual([parley.demoSiteId]);
    const me = await api<SessionResponse>(parley.url, API_PATHS.me, { cookie: erin.session.cookie });
    expect(me.body.sites.map((s) => s.id)).toEqual([parley.demoSiteId]);
  });
});
