/**
 * Routing's rules against a real Parley and database: automatic assignment
 * (fewest open chats, ties to the longest idle, limits, not away, connected),
 * the queue (positions, an honest estimate, oldest first when a slot frees),
 * departments, transfers (notes never reach the visitor, no ping-pong),
 * invitations, escalation with a driven clock, the shared-queue mode, giving
 * a deactivated operator's chats back, who views a conversation, and the
 * inbox filters. Each test has a site of its own.
 */
import type {
  ConversationDTO,
  ConversationList,
  ConversationResponse,
  MessageDTO,
  QueueStatusDTO,
  ViewersDTO,
} from '@parley/protocol';
import { API_PATHS } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError, api, startVisitorSession } from '../../testing/clients.js';
import { newClientId } from '../../testing/fixtures.js';
import {
  assigneesOf,
  closeRoutingSockets,
  onlineOperator,
  type RoutingOperator,
  routingSite,
  routingVisitor,
} from '../../testing/routing-fixtures.js';
import { startTestParley, type TestParley, type TestParleyOptions } from '../../testing/test-parley.js';
import { conversationStatusChanger } from '../conversations/commands.js';
import { chatLimitUpdater } from './departments.js';
import { escalationSweeper } from './escalation.js';
import { operatorConversationsReleaser } from './release.js';
import { routingSettingsUpdater } from './settings.js';

export function defineRoutingSuite(database: NonNullable<TestParleyOptions['database']>): void {
  let parley: TestParley;

  beforeAll(async () => {
    parley = await startTestParley({
      database,
      env: { NEW_VISITORS_PER_IP_PER_MINUTE: '1000', VISITOR_MESSAGES_PER_MINUTE: '1000' },
    });
  });
  afterEach(closeRoutingSockets);
  afterAll(async () => {
    await parley?.close();
  });

  const db = () => parley.services.ctx.db;
  const ctx = () => parley.services.ctx;
  const assigneeOf = async (conversationId: string) =>
    (
      await db()
        .selectFrom('conversations')
        .select('assignee_id')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow()
    ).assignee_id;
  const asOperator = (operator: RoutingOperator) => ({
    cookie: operator.session.cookie,
    csrfToken: operator.session.csrfToken,
  });

  describe('automatic assignment', () => {
    it('gives a new chat to the operator with the fewest open chats; ties go to the longest idle', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris');
      // Anna was given a chat an hour ago; Boris never: Boris has waited longest.
      await db()
        .updateTable('operators')
        .set({ last_assigned_at: new Date(Date.now() - 3600_000) })
        .where('id', '=', anna.id)
        .execute();
      const first = await (await routingVisitor(parley, site.public_key)).send('Hello');
      const second = await (await routingVisitor(parley, site.public_key)).send('Hi');
      const third = await (await routingVisitor(parley, site.public_key)).send('Hey');
      expect(await assigneeOf(first.conversationId)).toBe(boris.id);
      expect(await assigneeOf(second.conversationId)).toBe(anna.id); // 0 open against Boris's 1
      expect(await assigneeOf(third.conversationId)).toBe(boris.id); // 1 each: Boris was assigned before Anna
      const updated = await anna.socket.waitFor<ConversationDTO>(
        'conversation.updated',
        (c) => c.id === second.conversationId && c.assigneeId === anna.id,
      );
      expect(updated.assigneeId).toBe(anna.id);
    });

    it('gives chats to admins too, who work on every site without a grant', async () => {
      const site = await routingSite(parley);
      const lead = await onlineOperator(parley, site.id, 'Lead', { role: 'admin' });
      const message = await (await routingVisitor(parley, site.public_key)).send('Is anyone there?');
      expect(await assigneeOf(message.conversationId)).toBe(lead.id);
    });

    it('passes over away operators and those with no console connected', async () => {
      const site = await routingSite(parley);
      await onlineOperator(parley, site.id, 'Away', { status: 'away' });
      const gone = await onlineOperator(parley, site.id, 'Gone');
      await gone.socket.close();
      const clara = await onlineOperator(parley, site.id, 'Clara');
      const message = await (await routingVisitor(parley, site.public_key)).send('Anyone?');
      expect(await assigneeOf(message.conversationId)).toBe(clara.id);
    });

    it('routes only on a conversation’s first message, and keeps the assignee across reconnects', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const visitor = await routingVisitor(parley, site.public_key);
      const first = await visitor.send('One');
      expect(await assigneeOf(first.conversationId)).toBe(anna.id);
      await anna.socket.close();
      const boris = await onlineOperator(parley, site.id, 'Boris');
      await visitor.send('Two');
      expect(await assigneeOf(first.conversationId)).toBe(anna.id);
      expect(boris.id).not.toBe(anna.id);
    });
  });

  describe('the queue', () => {
    it('holds chats beyond every limit, tells each visitor their place, and serves the oldest first', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna', { chatLimit: 1 });
      const boris = await onlineOperator(parley, site.id, 'Boris', { chatLimit: 1 });
      const v1 = await routingVisitor(parley, site.public_key);
      const c1 = (await v1.send('1')).conversationId;
      const c2 = (await (await routingVisitor(parley, site.public_key)).send('2')).conversationId;
      const v3 = await routingVisitor(parley, site.public_key);
      const c3 = (await v3.send('3')).conversationId;
      const v4 = await routingVisitor(parley, site.public_key);
      await v4.send('4');
      expect(new Set([await assigneeOf(c1), await assigneeOf(c2)])).toEqual(new Set([anna.id, boris.id]));
      expect(await assigneeOf(c3)).toBeNull();
      expect(await v3.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === 1)).toEqual({
        position: 1,
        estimatedWaitSeconds: null, // no history on this site: no estimate rather than an invented one
      });
      await v4.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === 2);
      // Visitor 4 joining behind visitor 3 moved nobody: visitor 3 heard of their place once, not again.
      expect(v3.socket.events.filter((e) => e.type === 'queue.updated')).toHaveLength(1);
      // A reload finds the place in the session.
      const again = await startVisitorSession(parley.url, site.public_key, v3.session.visitorToken);
      expect(again.queue).toEqual({ position: 1, estimatedWaitSeconds: null });

      // Closing c1 frees its operator: the oldest waiting chat (c3) is theirs, and visitor 4 moves up.
      const freed = await assigneeOf(c1);
      await conversationStatusChanger(ctx(), c1, 'close');
      expect(await assigneeOf(c3)).toBe(freed);
      await v3.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === null);
      await v4.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === 1);

      // A raised limit takes the next one at once.
      await chatLimitUpdater(ctx(), site.id, boris.id, 2);
      const queued = await assigneesOf(parley, site.id);
      expect(queued.get(null)).toBeUndefined();
      expect(queued.get(boris.id)?.length).toBe(2);
    });

    it('estimates the wait from how long the site’s chats lasted, over the online capacity', async () => {
      const site = await routingSite(parley);
      await onlineOperator(parley, site.id, 'Anna', { chatLimit: 1 });
      await onlineOperator(parley, site.id, 'Boris', { chatLimit: 1 });
      // History: three chats of 10 minutes each, closed today.
      const visitor = await db()
        .insertInto('visitors')
        .values({ site_id: site.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 3; i++)
        await db()
          .insertInto('conversations')
          .values({
            site_id: site.id,
            visitor_id: visitor.id,
            status: 'closed',
            assigned_at: new Date(Date.now() - 3600_000 - 600_000),
            closed_at: new Date(Date.now() - 3600_000),
          })
          .execute();
      await (await routingVisitor(parley, site.public_key)).send('1');
      await (await routingVisitor(parley, site.public_key)).send('2');
      const third = await routingVisitor(parley, site.public_key);
      await third.send('3');
      // One place ahead × 600 s per chat ÷ 2 chats at once.
      expect(await third.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === 1)).toEqual({
        position: 1,
        estimatedWaitSeconds: 300,
      });
    });

    it('in shared-queue mode assigns nothing: the operator who answers takes the chat', async () => {
      const site = await routingSite(parley);
      await routingSettingsUpdater(db(), site.id, { mode: 'queue' });
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const visitor = await routingVisitor(parley, site.public_key);
      const { conversationId } = await visitor.send('Hello?');
      expect(await assigneeOf(conversationId)).toBeNull();
      await visitor.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === 1);
      await anna.socket.request('message.send', { conversationId, clientId: newClientId(), text: 'Hi!' });
      expect(await assigneeOf(conversationId)).toBe(anna.id);
      await visitor.socket.waitFor<QueueStatusDTO>('queue.updated', (q) => q.position === null);
    });
  });

  describe('departments', () => {
    it('routes a chat to its department’s operators, and refuses another site’s department', async () => {
      const site = await routingSite(parley);
      const other = await routingSite(parley);
      await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris');
      const admin = await onlineOperator(parley, site.id, 'Admin');
      await db().updateTable('operators').set({ role: 'admin' }).where('id', '=', admin.id).execute();
      await routingSettingsUpdater(db(), site.id, { departmentPicker: true });
      const { body } = await api<{ department: { id: string } }>(
        parley.url,
        API_PATHS.siteDepartments(site.id),
        {
          ...asOperator(admin),
          body: { name: 'Sales', operatorIds: [boris.id] },
        },
      );
      // Boris already has a chat; the Sales chat still goes to him, not to idle Anna.
      await (await routingVisitor(parley, site.public_key)).send('first');
      const session = await startVisitorSession(parley.url, site.public_key);
      expect(session.departments).toEqual([{ id: body.department.id, name: 'Sales' }]);
      const sales = await routingVisitor(parley, site.public_key);
      const message = await sales.send('Price for 10?', { departmentId: body.department.id });
      expect(await assigneeOf(message.conversationId)).toBe(boris.id);

      const foreign = await db()
        .insertInto('departments')
        .values({ site_id: other.id, name: 'X' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const stranger = await routingVisitor(parley, site.public_key);
      const before = await db()
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await expect(stranger.send('Hi', { departmentId: foreign.id })).rejects.toMatchObject({
        frame: { error: { code: 'not_found' } },
      });
      const after = await db()
        .selectFrom('conversations')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });
  });

  describe('transfers and invitations', () => {
    it('transfers with a note the visitor never sees; the visitor sees who joined; going back needs a reason', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris', { chatLimit: 0 });
      const visitor = await routingVisitor(parley, site.public_key);
      const { conversationId } = await visitor.send('I need a refund');
      expect(await assigneeOf(conversationId)).toBe(anna.id);

      const transfer = (by: RoutingOperator, body: unknown) =>
        api<ConversationResponse>(parley.url, API_PATHS.transferConversation(conversationId), {
          ...asOperator(by),
          body,
        });
      const { body } = await transfer(anna, {
        toOperatorId: boris.id,
        note: 'Refunds are Boris’s; order 1234',
      });
      expect(body.conversation.assigneeId).toBe(boris.id);
      const joined = await visitor.socket.waitForMessage((m) => m.author.kind === 'system');
      expect(joined).toMatchObject({ text: 'Boris joined the chat', author: { name: 'Boris' } });
      const note = await boris.socket.waitForMessage((m) => m.visibility === 'internal');
      expect(note.text).toBe('Refunds are Boris’s; order 1234');
      // Neither live nor after a reload does the visitor see the note.
      expect(visitor.socket.messagesReceived().some((m) => m.text.includes('order 1234'))).toBe(false);
      const reloaded = await startVisitorSession(parley.url, site.public_key, visitor.session.visitorToken);
      expect(reloaded.history.map((m: MessageDTO) => m.text)).toEqual([
        'I need a refund',
        'Boris joined the chat',
      ]);

      // Back to Anna, who handed it on: refused without a reason, nothing written.
      const seqBefore = (
        await db()
          .selectFrom('conversations')
          .select('last_seq')
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow()
      ).last_seq;
      await expect(transfer(boris, { toOperatorId: anna.id, note: 'yours' })).rejects.toMatchObject({
        status: 400,
      });
      expect(await assigneeOf(conversationId)).toBe(boris.id);
      const after = (
        await db()
          .selectFrom('conversations')
          .select('last_seq')
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow()
      ).last_seq;
      expect(after).toBe(seqBefore);
      await transfer(boris, {
        toOperatorId: anna.id,
        note: 'yours',
        reason: 'The refund needs her approval',
      });
      expect(await assigneeOf(conversationId)).toBe(anna.id);
    });

    it('refuses a transfer to an operator or department of another site, writing nothing', async () => {
      const site = await routingSite(parley);
      const other = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const outsider = await onlineOperator(parley, other.id, 'Outsider');
      const { conversationId } = await (await routingVisitor(parley, site.public_key)).send('Hi');
      const foreign = await db()
        .insertInto('departments')
        .values({ site_id: other.id, name: 'Y' })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const body of [{ toOperatorId: outsider.id }, { toDepartmentId: foreign.id }, {}]) {
        const error = await api(parley.url, API_PATHS.transferConversation(conversationId), {
          ...asOperator(anna),
          body,
        }).catch((e: ApiError) => e);
        expect((error as ApiError).status).toBe(
          'toOperatorId' in body || 'toDepartmentId' in body ? 404 : 400,
        );
      }
      expect(await assigneeOf(conversationId)).toBe(anna.id);
    });

    it('a department transfer puts the chat back in the queue for that department', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const { conversationId } = await (await routingVisitor(parley, site.public_key)).send('Hi');
      const boris = await onlineOperator(parley, site.id, 'Boris');
      const sales = await db()
        .insertInto('departments')
        .values({ site_id: site.id, name: 'Sales' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db()
        .insertInto('department_operators')
        .values({ department_id: sales.id, operator_id: boris.id })
        .execute();
      await api(parley.url, API_PATHS.transferConversation(conversationId), {
        ...asOperator(anna),
        body: { toDepartmentId: sales.id },
      });
      expect(await assigneeOf(conversationId)).toBe(boris.id);
    });

    it('invites a colleague in beside the assignee; the visitor sees them join', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris', { chatLimit: 0 });
      const visitor = await routingVisitor(parley, site.public_key);
      const { conversationId } = await visitor.send('Hello');
      const { body } = await api<ConversationResponse>(
        parley.url,
        API_PATHS.inviteToConversation(conversationId),
        {
          ...asOperator(anna),
          body: { operatorId: boris.id },
        },
      );
      expect(body.conversation).toMatchObject({ assigneeId: anna.id, participantIds: [boris.id] });
      await visitor.socket.waitForMessage((m) => m.text === 'Boris joined the chat');
      const mine = await api<ConversationList>(
        parley.url,
        `${API_PATHS.conversations}?siteId=${site.id}&assignee=me`,
        asOperator(boris),
      );
      expect(mine.body.items.map((c) => c.id)).toEqual([conversationId]);
    });
  });

  describe('escalation (the clock is driven, not waited for)', () => {
    it('alerts the assignee after 30 s, opens the chat to everyone after 60 s, and a reply settles it', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris', { chatLimit: 0 });
      const visitor = await routingVisitor(parley, site.public_key);
      const { conversationId } = await visitor.send('Hello?');
      const { waiting_since } = await db()
        .selectFrom('conversations')
        .select('waiting_since')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      const at = (seconds: number) => new Date((waiting_since as Date).getTime() + seconds * 1000);
      expect(await escalationSweeper(ctx(), at(29))).not.toContain(conversationId);
      expect(await escalationSweeper(ctx(), at(31))).toContain(conversationId);
      await anna.socket.waitFor<ConversationDTO>(
        'conversation.updated',
        (c) => c.id === conversationId && c.escalation === 'alert',
      );
      expect(await escalationSweeper(ctx(), at(40))).not.toContain(conversationId); // announced once
      const take = () =>
        api(parley.url, API_PATHS.takeConversation(conversationId), { ...asOperator(boris), body: {} });
      await expect(take()).rejects.toMatchObject({ status: 409 });

      expect(await escalationSweeper(ctx(), at(61))).toContain(conversationId);
      await boris.socket.waitFor<ConversationDTO>(
        'conversation.updated',
        (c) => c.id === conversationId && c.escalation === 'open',
      );
      await take();
      expect(await assigneeOf(conversationId)).toBe(boris.id);
      await visitor.socket.waitForMessage((m) => m.text === 'Boris joined the chat');
      const { message } = await boris.socket.request<{ message: MessageDTO }>('message.send', {
        conversationId,
        clientId: newClientId(),
        text: 'Sorry for the wait!',
      });
      expect(message.seq).toBeGreaterThan(0);
      const row = await db()
        .selectFrom('conversations')
        .select(['escalation', 'waiting_since'])
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ escalation: 0, waiting_since: null });
    });

    it('uses the site’s own thresholds', async () => {
      const site = await routingSite(parley);
      await routingSettingsUpdater(db(), site.id, { alertAfterSeconds: 10, escalateAfterSeconds: 20 });
      await onlineOperator(parley, site.id, 'Anna');
      const { conversationId } = await (await routingVisitor(parley, site.public_key)).send('Hello?');
      const { waiting_since } = await db()
        .selectFrom('conversations')
        .select('waiting_since')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      await escalationSweeper(ctx(), new Date((waiting_since as Date).getTime() + 21_000));
      const { escalation } = await db()
        .selectFrom('conversations')
        .select('escalation')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      expect(escalation).toBe(2);
      await expect(routingSettingsUpdater(db(), site.id, { alertAfterSeconds: 30 })).rejects.toMatchObject({
        code: 'bad_request',
      });
    });
  });

  describe('an operator leaving routing (the team’s deactivation)', () => {
    it('returns their open chats to the queue, where colleagues with room take them', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const c1 = (await (await routingVisitor(parley, site.public_key)).send('1')).conversationId;
      const c2 = (await (await routingVisitor(parley, site.public_key)).send('2')).conversationId;
      const boris = await onlineOperator(parley, site.id, 'Boris');
      expect([await assigneeOf(c1), await assigneeOf(c2)]).toEqual([anna.id, anna.id]);
      expect((await operatorConversationsReleaser(ctx(), anna.id)).sort()).toEqual([c1, c2].sort());
      expect([await assigneeOf(c1), await assigneeOf(c2)]).toEqual([boris.id, boris.id]);
    });
  });

  describe('who views a conversation', () => {
    it('tells colleagues who has it open, and when they leave', async () => {
      const site = await routingSite(parley);
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const boris = await onlineOperator(parley, site.id, 'Boris');
      const { conversationId } = await (await routingVisitor(parley, site.public_key)).send('Hi');
      await anna.socket.request('conversation.viewing', { conversationId, viewing: true });
      await boris.socket.request('conversation.viewing', { conversationId, viewing: true });
      const both = await anna.socket.waitFor<ViewersDTO>('viewers.updated', (v) => v.operators.length === 2);
      expect(both.operators.map((o) => o.displayName)).toEqual(['Anna', 'Boris']);
      await boris.socket.close();
      const left = await anna.socket.waitFor<ViewersDTO>('viewers.updated', (v) => v.operators.length === 1);
      expect(left.operators.map((o) => o.displayName)).toEqual(['Anna']);
    });
  });

  describe('inbox filters', () => {
    it('lists mine, unassigned, an operator’s and a department’s', async () => {
      const site = await routingSite(parley);
      await routingSettingsUpdater(db(), site.id, { mode: 'queue' });
      const anna = await onlineOperator(parley, site.id, 'Anna');
      const c1 = (await (await routingVisitor(parley, site.public_key)).send('1')).conversationId;
      const sales = await db()
        .insertInto('departments')
        .values({ site_id: site.id, name: 'Sales' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const c2 = (await (await routingVisitor(parley, site.public_key)).send('2', { departmentId: sales.id }))
        .conversationId;
      await anna.socket.request('message.send', {
        conversationId: c1,
        clientId: newClientId(),
        text: 'Mine',
      });
      const list = async (query: string) =>
        (
          await api<ConversationList>(
            parley.url,
            `${API_PATHS.conversations}?siteId=${site.id}&${query}`,
            asOperator(anna),
          )
        ).body.items.map((c) => c.id);
      expect(await list('assignee=me')).toEqual([c1]);
      expect(await list(`assignee=${anna.id}`)).toEqual([c1]);
      expect(await list('assignee=unassigned')).toEqual([c2]);
      expect(await list(`departmentId=${sales.id}`)).toEqual([c2]);
      await expect(list('assignee=nobody')).rejects.toMatchObject({ status: 400 });
    });
  });
}
