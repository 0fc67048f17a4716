/**
 * Routing on two nodes sharing PostgreSQL and Redis: concurrent first
 * messages on both nodes never give an operator more than their limit and
 * never assign one conversation twice; chats closed at once on both nodes
 * hand the queue on the same way; presence and viewers cross nodes.
 */
import type { ConversationDTO, ViewersDTO } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '../../testing/databases.js';
import {
  assigneesOf,
  closeRoutingSockets,
  onlineOperator,
  routingSite,
  routingVisitor,
} from '../../testing/routing-fixtures.js';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { waitUntil } from '../../testing/wait-until.js';
import { conversationStatusChanger } from '../conversations/commands.js';
import { waitingConversationsRouter } from './assigner.js';

let database: TestDatabase;
let nodeA: TestParley;
let nodeB: TestParley;

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { NEW_VISITORS_PER_SITE_PER_MINUTE: '100000' };
  nodeA = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, env });
  nodeB = await startTestParley({ databaseUrl: database.url, redisUrl: TEST_REDIS_URL, env });
});
afterEach(closeRoutingSockets);
afterAll(async () => {
  await nodeA?.close();
  await nodeB?.close();
  await database?.drop();
});

it('assigns concurrent first messages on two nodes within every limit, each conversation once', async () => {
  const site = await routingSite(nodeA);
  const limits = new Map<string, number>();
  const anna = await onlineOperator(nodeA, site.id, 'Anna', { chatLimit: 1, node: nodeA });
  const boris = await onlineOperator(nodeA, site.id, 'Boris', { chatLimit: 1, node: nodeB });
  const clara = await onlineOperator(nodeA, site.id, 'Clara', { chatLimit: 2, node: nodeB });
  for (const [operator, limit] of [
    [anna, 1],
    [boris, 1],
    [clara, 2],
  ] as const)
    limits.set(operator.id, limit);
  // Every assignment anyone announces, seen from a console on each node.
  const assignments = new Map<string, Set<string>>();
  for (const socket of [anna.socket, boris.socket])
    socket.ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as { type: string; data: ConversationDTO };
      if (frame.type !== 'conversation.updated' || !frame.data.assigneeId) return;
      assignments.set(
        frame.data.id,
        (assignments.get(frame.data.id) ?? new Set()).add(frame.data.assigneeId),
      );
    });

  const visitors = await Promise.all(
    Array.from({ length: 12 }, (_, i) => routingVisitor(i % 2 === 0 ? nodeA : nodeB, site.public_key)),
  );
  await Promise.all(visitors.map((v, i) => v.send(`first message ${i}`)));

  const checkLimits = async () => {
    const byAssignee = await assigneesOf(nodeA, site.id);
    for (const [operatorId, limit] of limits)
      expect(byAssignee.get(operatorId)?.length ?? 0).toBeLessThanOrEqual(limit);
    return byAssignee;
  };
  let byAssignee = await checkLimits();
  expect(byAssignee.get(null)?.length).toBe(12 - 4);

  // Free every slot at once, half through each node: the oldest waiting chats take them, still within limits.
  const assigned = [...byAssignee.entries()].filter(([id]) => id !== null).flatMap(([, ids]) => ids);
  await Promise.all(
    assigned.map((id, i) =>
      conversationStatusChanger((i % 2 === 0 ? nodeA : nodeB).services.ctx, id, 'close'),
    ),
  );
  byAssignee = await checkLimits();
  expect(byAssignee.get(null)?.length).toBe(12 - 8);
  const assignedNow = [...byAssignee.entries()].filter(([id]) => id !== null).flatMap(([, ids]) => ids);
  expect(assignedNow).toHaveLength(4);

  // No conversation was ever announced with two different assignees.
  await waitUntil(async () => assignments.size >= 8);
  for (const [, assignees] of assignments) expect(assignees.size).toBe(1);
});

it('never exceeds a limit when many routers run at once on both nodes', async () => {
  const site = await routingSite(nodeA);
  const operators = [
    await onlineOperator(nodeA, site.id, 'Anna', { chatLimit: 2, node: nodeA }),
    await onlineOperator(nodeA, site.id, 'Boris', { chatLimit: 3, node: nodeB }),
  ];
  // Thirty chats already waiting (as if their first messages had come while nobody had room).
  const db = nodeA.services.ctx.db;
  for (let i = 0; i < 30; i++) {
    const visitor = await db
      .insertInto('visitors')
      .values({ site_id: site.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('conversations')
      .values({ site_id: site.id, visitor_id: visitor.id, waiting_since: new Date(Date.now() - 60_000 + i) })
      .execute();
  }
  await Promise.all(
    Array.from({ length: 16 }, (_, i) =>
      waitingConversationsRouter((i % 2 ? nodeB : nodeA).services.ctx, site.id),
    ),
  );
  const byAssignee = await assigneesOf(nodeA, site.id);
  expect(byAssignee.get(operators[0]?.id ?? '')?.length).toBe(2);
  expect(byAssignee.get(operators[1]?.id ?? '')?.length).toBe(3);
  expect(byAssignee.get(null)?.length).toBe(25);
  // The oldest five went first.
  const oldest = await db
    .selectFrom('conversations')
    .select('assignee_id')
    .where('site_id', '=', site.id)
    .orderBy('waiting_since')
    .limit(5)
    .execute();
  expect(oldest.every((c) => c.assignee_id !== null)).toBe(true);
});

it('tells a console on one node who views a conversation from the other', async () => {
  const site = await routingSite(nodeA);
  const anna = await onlineOperator(nodeA, site.id, 'Anna', { node: nodeA });
  const boris = await onlineOperator(nodeA, site.id, 'Boris', { node: nodeB });
  const { conversationId } = await (await routingVisitor(nodeB, site.public_key)).send('Hi');
  await anna.socket.request('conversation.viewing', { conversationId, viewing: true });
  await boris.socket.request('conversation.viewing', { conversationId, viewing: true });
  const seen = await boris.socket.waitFor<ViewersDTO>('viewers.updated', (v) => v.operators.length === 2);
  expect(seen.operators.map((o) => o.displayName)).toEqual(['Anna', 'Boris']);
  await anna.socket.request('conversation.viewing', { conversationId, viewing: false });
  await boris.socket.waitFor<ViewersDTO>(
    'viewers.updated',
    (v) => v.operators.length === 1 && v.operators[0]?.displayName === 'Boris',
  );
});
