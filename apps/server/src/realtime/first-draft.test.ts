/**
 * Sneak peek before the first message, across two nodes sharing PostgreSQL
 * and Redis: a new visitor on node A types their first question, and an
 * operator on node B sees the draft by visitor (there is no conversation yet).
 * With the site's sneak peek off, nothing of it is announced, and a draft a
 * widget sends anyway is dropped from the in-conversation typing too.
 */
import { API_PATHS, type TypingDTO, type VisitorDraftingDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator, TestSocket } from '../testing/clients.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../testing/databases.js';
import { closeAllSockets, connectVisitor, newClientId } from '../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';

let database: TestDatabase;
let nodeA: TestParley;
let nodeB: TestParley;
let operator: TestSocket;
let session: Awaited<ReturnType<typeof loginOperator>>;

beforeAll(async () => {
  database = await createTestDatabase();
  nodeA = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
  nodeB = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL });
  session = await loginOperator(nodeB.url, TEST_ADMIN.email, TEST_ADMIN.password);
});
afterEach(async () => {
  await operator?.close();
  await closeAllSockets();
});
afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await database?.drop();
});

async function consoleOnB(): Promise<TestSocket> {
  operator = await TestSocket.operator(nodeB.wsUrl, session.cookie);
  await operator.waitFor('session.ready');
  return operator;
}

const setSneakPeek = (sneakPeek: boolean) =>
  api(nodeB.url, API_PATHS.site(nodeB.demoSiteId), {
    method: 'PATCH',
    body: { settings: { sneakPeek } },
    cookie: session.cookie,
    csrfToken: session.csrfToken,
  });

describe('sneak peek of a first message', () => {
  it("shows a new visitor's draft, by visitor, to an operator on another node, and its end", async () => {
    const console = await consoleOnB();
    const visitor = await connectVisitor(nodeA);
    await visitor.socket.request('typing.set', { typing: true, preview: 'Do you have size 44' });
    const drafting = await console.waitFor<VisitorDraftingDTO>('visitor.drafting', (d) => d.typing);
    expect(drafting).toEqual({
      siteId: nodeA.demoSiteId,
      visitorId: visitor.session.visitorId,
      visitorName: expect.stringMatching(/^#[0-9A-F]{6}$/),
      typing: true,
      preview: 'Do you have size 44',
    });
    await visitor.socket.request('typing.set', { typing: false });
    const stopped = await console.waitFor<VisitorDraftingDTO>('visitor.drafting', (d) => !d.typing);
    expect(stopped.preview).toBeNull();

    // Once the question is sent there is a conversation: its typing is the usual indicator.
    await visitor.socket.request('message.send', { clientId: newClientId(), text: 'Do you have size 44?' });
    await visitor.socket.request('typing.set', { typing: true, preview: 'in black' });
    const typing = await console.waitFor<TypingDTO>('typing.updated', (t) => t.typing);
    expect(typing.preview).toBe('in black');
    expect(console.events.filter((e) => e.type === 'visitor.drafting')).toHaveLength(2);
  });

  it('announces nothing with the setting off, and drops a draft sent anyway from the typing', async () => {
    await setSneakPeek(false);
    try {
      const console = await consoleOnB();
      const visitor = await connectVisitor(nodeA);
      expect(visitor.session.site.settings.sneakPeek).toBe(false);
      await visitor.socket.request('typing.set', { typing: true, preview: 'secret first draft' });
      await visitor.socket.request('message.send', { clientId: newClientId(), text: 'Hello' });
      await console.waitForMessage((m) => m.text === 'Hello');
      await visitor.socket.request('typing.set', { typing: true, preview: 'secret second draft' });
      const typing = await console.waitFor<TypingDTO>('typing.updated', (t) => t.typing);
      expect(typing.preview).toBe('');
      expect(JSON.stringify(console.events)).not.toContain('secret');
      expect(console.events.some((e) => e.type === 'visitor.drafting')).toBe(false);
    } finally {
      await setSneakPeek(true);
    }
  });
});
