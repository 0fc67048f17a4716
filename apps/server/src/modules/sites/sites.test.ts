/**
 * Sites through the API, as owners, admins and operators use them: adding one
 * (with a fresh key), renaming it, deleting it with what it holds, who sees
 * which site, live consoles following along, refusals that write nothing, and
 * the demo site living only while PARLEY_DEMO is on.
 */
import { API_PATHS, type DeleteSiteResponse, type SiteDTO, type SiteList } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiError,
  api,
  asOperator,
  loginOperator,
  type OperatorSession,
  startVisitorSession,
  TestSocket,
} from '../../testing/clients.js';
import { addOperator, closeAllSockets, newClientId, snapshotRows } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { bootstrapInstallation, DEMO_SITE_KEY } from '../installation/bootstrap.js';
import { createOperator } from '../operators/commands.js';
import { addOperatorToSite, operatorSitesSetter } from './commands.js';
import { findSiteByPublicKey } from './queries.js';

let parley: TestParley;
let owner: OperatorSession;
let admin: OperatorSession;
/** An operator granted the demo site only. */
let operator: OperatorSession;
let operatorId: string;

beforeAll(async () => {
  parley = await startTestParley({ env: { VISITOR_MESSAGES_PER_MINUTE: '1000' } });
  owner = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  await createOperator(parley.services.ctx.db, {
    email: 'admin2@parley.test',
    password: 'admin-password',
    displayName: 'Ada Admin',
    role: 'admin',
  });
  // No grant: an admin works on every site by role.
  admin = await loginOperator(parley.url, 'admin2@parley.test', 'admin-password');
  const added = await addOperator(parley, 'Olga');
  operator = added.session;
  operatorId = added.operator.id;
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

const createSite = (session: OperatorSession, body: unknown) =>
  api<SiteDTO>(parley.url, API_PATHS.sites, { ...asOperator(session), method: 'POST', body });
const listSites = async (session: OperatorSession) =>
  (await api<SiteList>(parley.url, API_PATHS.sites, asOperator(session))).body.sites;
const deleteSite = (session: OperatorSession, id: string) =>
  api<DeleteSiteResponse>(parley.url, API_PATHS.site(id), { ...asOperator(session), method: 'DELETE' });

async function visitorWrites(siteKey: string, text = 'Hello') {
  const session = await startVisitorSession(parley.url, siteKey);
  const socket = await TestSocket.visitor(parley.wsUrl, session.visitorToken);
  await socket.waitFor('session.ready');
  const ack = await socket.request<{ message: { conversationId: string } }>('message.send', {
    clientId: newClientId(),
    text,
  });
  return { session, socket, conversationId: ack.message.conversationId };
}

async function consoleOf(session: OperatorSession): Promise<TestSocket> {
  const socket = await TestSocket.operator(parley.wsUrl, session.cookie);
  await socket.waitFor('session.ready');
  return socket;
}

describe('adding a site', () => {
  it('gives it a fresh unguessable key that the widget can use at once', async () => {
    const { status, body: site } = await createSite(owner, {
      name: '  Trail Shop  ',
      allowedOrigins: ['https://trail.example'],
    });
    expect(status).toBe(201);
    expect(site.name).toBe('Trail Shop');
    expect(site.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{22}$/);
    expect(site.allowedOrigins).toEqual(['https://trail.example']);
    const second = (await createSite(owner, { name: 'Trail Shop EU' })).body;
    expect(second.publicKey).not.toBe(site.publicKey);
    expect([site.publicKey, second.publicKey]).not.toContain(DEMO_SITE_KEY);

    const widget = await startVisitorSession(parley.url, site.publicKey);
    expect(widget.site.name).toBe('Trail Shop');
  });

  it('shows it to every owner and admin, and to operators only once granted', async () => {
    const { body: site } = await createSite(admin, { name: 'Granted later' });
    expect((await listSites(owner)).map((s) => s.id)).toContain(site.id);
    expect((await listSites(admin)).map((s) => s.id)).toContain(site.id);
    expect((await listSites(operator)).map((s) => s.id)).toEqual([parley.demoSiteId]);
    await expect(api(parley.url, API_PATHS.site(site.id), asOperator(operator))).rejects.toMatchObject({
      status: 404,
    });
    await addOperatorToSite(parley.services.ctx.db, site.id, operatorId);
    expect((await listSites(operator)).map((s) => s.id)).toEqual([parley.demoSiteId, site.id]);
    const me = await api<{ sites: SiteDTO[] }>(parley.url, API_PATHS.me, asOperator(operator));
    expect(me.body.sites.map((s) => s.id)).toEqual([parley.demoSiteId, site.id]);
  });

  it("puts an open console in the new site's room: it is told the new list and gets its chats live", async () => {
    const console = await consoleOf(owner);
    const { body: site } = await createSite(owner, { name: 'Live shop' });
    await console.waitFor<{ sites: SiteDTO[] }>('sites.changed', (d) =>
      d.sites.some((s) => s.id === site.id),
    );
    const visitor = await visitorWrites(site.publicKey, 'First on the new site');
    const message = await console.waitForMessage((m) => m.text === 'First on the new site');
    expect(message.conversationId).toBe(visitor.conversationId);
    // The socket's frames may act on the new site too (the policy reads the refreshed sites).
    await console.request('message.send', {
      conversationId: visitor.conversationId,
      clientId: newClientId(),
      text: 'Welcome!',
    });
    await visitor.socket.waitForMessage((m) => m.text === 'Welcome!');
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name too long', { name: 'x'.repeat(101) }],
    ['a NUL in the name', { name: `Shop${String.fromCharCode(0)}` }],
    ['a name that is not text', { name: 42 }],
    ['a chosen key', { name: 'Mine', publicKey: 'demo' }],
    ['a bad origin', { name: 'Mine', allowedOrigins: ['shop.example/path'] }],
  ])('refuses %s with 400, writing nothing', async (_case, body) => {
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(createSite(owner, body)).rejects.toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });

  it('refuses an operator with 403, writing nothing', async () => {
    const before = await snapshotRows(parley.services.ctx.db);
    const refusal = await createSite(operator, { name: 'Not mine to add' }).catch((e: ApiError) => e);
    expect(refusal).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });
});

describe('renaming a site', () => {
  it('lets an owner or admin rename it, and refuses bad names and operators', async () => {
    const { body: site } = await createSite(owner, { name: 'Old name' });
    const rename = (session: OperatorSession, name: unknown) =>
      api<SiteDTO>(parley.url, API_PATHS.site(site.id), {
        ...asOperator(session),
        method: 'PATCH',
        body: { name },
      });
    const console = await consoleOf(owner);
    expect((await rename(admin, 'New name')).body.name).toBe('New name');
    // Every open console hears of it: the switcher shows the new name.
    await console.waitFor<{ sites: SiteDTO[] }>('sites.changed', (d) =>
      d.sites.some((s) => s.id === site.id && s.name === 'New name'),
    );
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(rename(owner, ' ')).rejects.toMatchObject({ status: 400 });
    await expect(rename(owner, 'y'.repeat(101))).rejects.toMatchObject({ status: 400 });
    await addOperatorToSite(parley.services.ctx.db, site.id, operatorId);
    const granted = await snapshotRows(parley.services.ctx.db);
    await expect(rename(operator, 'Mine')).rejects.toMatchObject({ status: 403 });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(granted);
    expect(before.sites).toEqual(granted.sites);
    expect((await listSites(owner)).find((s) => s.id === site.id)?.name).toBe('New name');
  });
});

describe('deleting a site', () => {
  it("takes its visitors, conversations and messages with it, ends its widgets' sockets and its key", async () => {
    const { body: site } = await createSite(owner, { name: 'Closing down' });
    const console = await consoleOf(admin);
    const visitor = await visitorWrites(site.publicKey);
    await console.waitForMessage((m) => m.conversationId === visitor.conversationId);
    const demoVisitor = await visitorWrites(DEMO_SITE_KEY, 'Still here');
    const db = parley.services.ctx.db;
    const countOf = async (table: 'visitors' | 'conversations') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('site_id', '=', site.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await countOf('conversations')).toBe(1);

    const { body } = await deleteSite(owner, site.id);
    expect(body.deleted).toEqual({ conversations: 1, visitors: 1 });
    expect(await countOf('visitors')).toBe(0);
    expect(await countOf('conversations')).toBe(0);
    const messages = await db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', visitor.conversationId)
      .execute();
    expect(messages).toEqual([]);
    // Its widget is cut (4401: do not come back with that token), other sites' widgets are not.
    await expect.poll(() => visitor.socket.closeCode).toBe(4401);
    expect(demoVisitor.socket.closeCode).toBeNull();
    // The key is gone with the site; consoles are told the new list.
    await expect(startVisitorSession(parley.url, site.publicKey)).rejects.toMatchObject({ status: 404 });
    await console.waitFor<{ sites: SiteDTO[] }>(
      'sites.changed',
      (d) => !d.sites.some((s) => s.id === site.id),
    );
    await expect(
      api(parley.url, API_PATHS.conversation(visitor.conversationId), asOperator(owner)),
    ).rejects.toMatchObject({ status: 404 });
    // Deleting it again: it does not exist.
    await expect(deleteSite(owner, site.id)).rejects.toMatchObject({ status: 404 });
  });

  it('deletes a large site in batches, counting everything', async () => {
    const { body: site } = await createSite(owner, { name: 'Big shop' });
    const db = parley.services.ctx.db;
    await sql`
      WITH v AS (
        INSERT INTO visitors (site_id) SELECT ${site.id}::uuid FROM generate_series(1, 1203) RETURNING id
      )
      INSERT INTO conversations (site_id, visitor_id) SELECT ${site.id}::uuid, id FROM v`.execute(db);
    await sql`INSERT INTO visitors (site_id) SELECT ${site.id}::uuid FROM generate_series(1, 7)`.execute(db);
    const { body } = await deleteSite(admin, site.id);
    expect(body.deleted).toEqual({ conversations: 1203, visitors: 1210 });
  });

  it('refuses unknown ids, bad ids, other sites and operators, writing nothing', async () => {
    const { body: site } = await createSite(owner, { name: 'Kept' });
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(deleteSite(owner, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
    });
    await expect(deleteSite(owner, 'not-a-uuid')).rejects.toMatchObject({ status: 400 });
    // Not their site: the same answer as for one that does not exist.
    await expect(deleteSite(operator, site.id)).rejects.toMatchObject({ status: 404 });
    // Their site, but their role may not.
    await expect(deleteSite(operator, parley.demoSiteId)).rejects.toMatchObject({ status: 403 });
    // Without the CSRF header.
    await expect(
      api(parley.url, API_PATHS.site(site.id), { cookie: owner.cookie, method: 'DELETE' }),
    ).rejects.toMatchObject({ status: 403 });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
  });
});

describe("an operator's sites", () => {
  it("lists, opens and answers only the conversations of the operator's sites", async () => {
    const { body: other } = await createSite(owner, { name: 'Not Olga’s' });
    const theirs = await visitorWrites(DEMO_SITE_KEY, 'On the demo site');
    const foreign = await visitorWrites(other.publicKey, 'On the other site');
    const list = await api<{ items: { id: string; siteId: string }[] }>(
      parley.url,
      `${API_PATHS.conversations}?limit=200`,
      asOperator(operator),
    );
    const ids = list.body.items.map((c) => c.id);
    expect(ids).toContain(theirs.conversationId);
    expect(ids).not.toContain(foreign.conversationId);
    expect(new Set(list.body.items.map((c) => c.siteId))).toEqual(new Set([parley.demoSiteId]));
    await expect(
      api(parley.url, `${API_PATHS.conversations}?siteId=${other.id}`, asOperator(operator)),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      api(parley.url, API_PATHS.conversation(foreign.conversationId), asOperator(operator)),
    ).rejects.toMatchObject({ status: 404 });
    const console = await consoleOf(operator);
    const before = await snapshotRows(parley.services.ctx.db);
    await expect(
      console.request('message.send', {
        conversationId: foreign.conversationId,
        clientId: newClientId(),
        text: 'Not mine',
      }),
    ).rejects.toMatchObject({ frame: { error: { code: 'not_found' } } });
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
    // The owner sees both.
    const all = await api<{ items: { id: string }[] }>(
      parley.url,
      `${API_PATHS.conversations}?limit=200`,
      asOperator(owner),
    );
    expect(all.body.items.map((c) => c.id)).toEqual(
      expect.arrayContaining([theirs.conversationId, foreign.conversationId]),
    );
  });

  it('follows a grant given and taken back while the console is open', async () => {
    const { body: site } = await createSite(owner, { name: 'Granted live' });
    const console = await consoleOf(operator);
    const visitor = await visitorWrites(site.publicKey, 'Anyone?');
    const ctx = parley.services.ctx;
    await operatorSitesSetter(ctx, operatorId, [parley.demoSiteId, site.id]);
    await console.waitFor<{ sites: SiteDTO[] }>('sites.changed', (d) =>
      d.sites.some((s) => s.id === site.id),
    );
    await console.request('message.send', {
      conversationId: visitor.conversationId,
      clientId: newClientId(),
      text: 'Yes, me',
    });
    await visitor.socket.request('message.send', { clientId: newClientId(), text: 'Thanks!' });
    await console.waitForMessage((m) => m.text === 'Thanks!');

    // Taken back: no more of that site's messages, and its conversations are refused (nothing written).
    await operatorSitesSetter(ctx, operatorId, [parley.demoSiteId]);
    await console.waitFor<{ sites: SiteDTO[] }>(
      'sites.changed',
      (d) => d.sites.length === 1 && d.sites[0]?.id === parley.demoSiteId,
    );
    const before = await snapshotRows(ctx.db);
    await expect(
      console.request('message.send', {
        conversationId: visitor.conversationId,
        clientId: newClientId(),
        text: 'Still here?',
      }),
    ).rejects.toMatchObject({ frame: { error: { code: 'not_found' } } });
    expect(await snapshotRows(ctx.db)).toEqual(before);
    await visitor.socket.request('message.send', { clientId: newClientId(), text: 'Hello again' });
    // The demo site's chats still arrive: the one after it proves the other was not merely late.
    const demo = await visitorWrites(DEMO_SITE_KEY, 'On my own site');
    await console.waitForMessage((m) => m.conversationId === demo.conversationId);
    expect(console.messagesReceived().map((m) => m.text)).not.toContain('Hello again');
    expect((await listSites(operator)).map((s) => s.id)).toEqual([parley.demoSiteId]);
  });
});

describe('the demo site', () => {
  it('lives only while PARLEY_DEMO is on: removed when unused, kept under a new key when chatted on', async () => {
    const db = parley.services.ctx.db;
    const options = { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password };
    // The demo site has conversations by now: turned into an ordinary site, not lost.
    const used = await bootstrapInstallation(db, { ...options, demo: false });
    expect(used.demoSiteId).toBeNull();
    expect(used.retiredDemo).toMatchObject({ kept: { publicKey: expect.stringMatching(/^pk_/) } });
    expect(await findSiteByPublicKey(db, DEMO_SITE_KEY)).toBeUndefined();
    await expect(startVisitorSession(parley.url, DEMO_SITE_KEY)).rejects.toMatchObject({ status: 404 });
    // On again: a fresh demo site; off again while nobody chatted on it: gone.
    const again = await bootstrapInstallation(db, { ...options, demo: true });
    expect((await findSiteByPublicKey(db, DEMO_SITE_KEY))?.id).toBe(again.demoSiteId);
    const unused = await bootstrapInstallation(db, { ...options, demo: false });
    expect(unused.retiredDemo).toEqual({ kept: null });
    expect(await findSiteByPublicKey(db, DEMO_SITE_KEY)).toBeUndefined();
    expect(
      await db
        .selectFrom('sites')
        .select('id')
        .where('id', '=', again.demoSiteId ?? '')
        .execute(),
    ).toEqual([]);
  });
});
