/**
 * The group commit on a real PostgreSQL: appends made in one turn share a
 * statement, and batching changes nothing about the outcome — seqs stay
 * gapless and in call order, retries are recognised, closed conversations
 * refuse, and a failed batch falls back without losing or doubling anything.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import { newClientId } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import type { AppendMessageProps } from './append-message.js';
import { MessageAppender } from './message-appender.js';

let parley: TestParley;
let db: Db;

beforeAll(async () => {
  parley = await startTestParley();
  db = parley.services.ctx.db;
});
afterAll(async () => {
  await parley?.close();
});

const newAppender = () => new MessageAppender(parley.services.database.pool);

/** A visitor with an open conversation of the demo site. */
async function openConversation(): Promise<{ conversationId: string; visitorId: string }> {
  const visitor = await db
    .insertInto('visitors')
    .values({ site_id: parley.demoSiteId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const conversation = await db
    .insertInto('conversations')
    .values({ site_id: parley.demoSiteId, visitor_id: visitor.id, assignee_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { conversationId: conversation.id, visitorId: visitor.id };
}

function visitorMessage(
  conversation: { conversationId: string; visitorId: string },
  text: string,
  clientId = newClientId(),
): AppendMessageProps {
  return {
    conversationId: conversation.conversationId,
    authorKind: 'visitor',
    authorId: conversation.visitorId,
    clientId,
    text,
  };
}

async function storedSeqs(conversationId: string): Promise<{ seq: number; text: string }[]> {
  return db
    .selectFrom('messages')
    .select(['seq', 'text'])
    .where('conversation_id', '=', conversationId)
    .orderBy('seq')
    .execute();
}

describe('MessageAppender', () => {
  it('writes appends made in one turn as one statement', async () => {
    const appender = newAppender();
    const conversations = await Promise.all(Array.from({ length: 20 }, openConversation));
    const results = await Promise.all(
      conversations.map((c, i) => appender.append(visitorMessage(c, `m${i}`))),
    );
    expect(results.map((r) => r.kind)).toEqual(Array(20).fill('created'));
    expect(appender.stats).toMatchObject({ batches: 1, batchedMessages: 20, aloneMessages: 0 });
    for (const [i, c] of conversations.entries()) {
      expect(await storedSeqs(c.conversationId)).toEqual([{ seq: 1, text: `m${i}` }]);
    }
    const row = await db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversations[0]?.conversationId ?? '')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last_seq: 1, last_message_text: 'm0', unanswered_count: 1 });
    expect(row.waiting_since).toBeInstanceOf(Date);
  });

  it('keeps one conversation in call order across batches, with gapless seqs', async () => {
    const appender = newAppender();
    const busy = await openConversation();
    const others = await Promise.all(Array.from({ length: 5 }, openConversation));
    const calls = [
      appender.append(visitorMessage(busy, 'first')),
      ...others.map((c) => appender.append(visitorMessage(c, 'other'))),
      appender.append(visitorMessage(busy, 'second')),
      appender.append(visitorMessage(busy, 'third')),
    ];
    const results = await Promise.all(calls);
    expect(results.every((r) => r.kind === 'created')).toBe(true);
    expect(appender.stats).toMatchObject({ batches: 1, aloneMessages: 2, failedBatches: 0 });
    expect(await storedSeqs(busy.conversationId)).toEqual([
      { seq: 1, text: 'first' },
      { seq: 2, text: 'second' },
      { seq: 3, text: 'third' },
    ]);
  });

  it('recognises a retry of a stored message inside a batch and stores the rest', async () => {
    const appender = newAppender();
    const conversation = await openConversation();
    const clientId = newClientId();
    const original = await appender.append(visitorMessage(conversation, 'once', clientId));
    expect(original.kind).toBe('created');

    const others = await Promise.all(Array.from({ length: 3 }, openConversation));
    const [retry, ...rest] = await Promise.all([
      appender.append(visitorMessage(conversation, 'once', clientId)),
      ...others.map((c) => appender.append(visitorMessage(c, 'fresh'))),
    ]);
    expect(retry).toEqual({ kind: 'duplicate' });
    expect(rest.map((r) => r.kind)).toEqual(['created', 'created', 'created']);
    // The retry took no seq: the next message is 2.
    const next = await appender.append(visitorMessage(conversation, 'next'));
    expect(next.kind === 'created' && next.row.message.seq).toBe(2);
    expect(await storedSeqs(conversation.conversationId)).toHaveLength(2);
  });

  it('refuses messages to a closed conversation and stores the others of the batch', async () => {
    const appender = newAppender();
    const [closed, open] = await Promise.all([openConversation(), openConversation()]);
    await db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('id', '=', closed.conversationId)
      .execute();
    const [refused, stored] = await Promise.all([
      appender.append(visitorMessage(closed, 'too late')),
      appender.append(visitorMessage(open, 'in time')),
    ]);
    expect(refused).toEqual({ kind: 'not_open' });
    expect(stored.kind).toBe('created');
    expect(await storedSeqs(closed.conversationId)).toEqual([]);
  });

  it('falls back to one by one when the batch statement fails, storing each message once', async () => {
    const logged: string[] = [];
    const appender = new MessageAppender(parley.services.database.pool, {
      log: {
        debug: (_details: object, message: string) => void logged.push(`debug: ${message}`),
        warn: (_details: object, message: string) => void logged.push(`warn: ${message}`),
      },
    });
    const { id: operatorId } = await db
      .selectFrom('operators')
      .select('id')
      .where('email', '=', TEST_ADMIN.email)
      .executeTakeFirstOrThrow();
    const [first, second, third] = await Promise.all([
      openConversation(),
      openConversation(),
      openConversation(),
    ]);
    // One operator sending the same client id to two conversations in one batch: both pass the
    // statement's check for stored retries, the unique index fails the statement, and appending
    // alone settles it — the first stored, the second recognised as its retry.
    const clientId = newClientId();
    const reply = (conversationId: string, id = newClientId()): AppendMessageProps => ({
      conversationId,
      authorKind: 'operator',
      authorId: operatorId,
      clientId: id,
      text: 'reply',
    });
    const results = await Promise.all([
      appender.append(reply(first.conversationId, clientId)),
      appender.append(reply(second.conversationId, clientId)),
      appender.append(reply(third.conversationId)),
    ]);
    expect(results.map((r) => r.kind)).toEqual(['created', 'duplicate', 'created']);
    expect(appender.stats.failedBatches).toBe(1);
    // A retry racing its original is expected: told at debug level, not as a warning.
    expect(logged).toEqual(['debug: message batch refused a duplicate; appending one by one']);
    const stored = await db
      .selectFrom('messages')
      .select(['conversation_id', 'seq'])
      .where('author_id', '=', operatorId)
      .where(
        'conversation_id',
        'in',
        [first, second, third].map((c) => c.conversationId),
      )
      .execute();
    expect(stored).toHaveLength(2);
    expect(stored.every((m) => m.seq === 1)).toBe(true);
    // The first operator reply assigns the conversation.
    const assigned = await db
      .selectFrom('conversations')
      .select('assignee_id')
      .where('id', '=', third.conversationId)
      .executeTakeFirstOrThrow();
    expect(assigned.assignee_id).toBe(operatorId);
  });

  it('treats a missing conversation like a closed one', async () => {
    const appender = newAppender();
    const open = await openConversation();
    const [missing, stored] = await Promise.all([
      appender.append(visitorMessage({ conversationId: randomUUID(), visitorId: open.visitorId }, 'lost?')),
      appender.append(visitorMessage(open, 'fine')),
    ]);
    expect(missing).toEqual({ kind: 'not_open' });
    expect(stored.kind).toBe('created');
  });

  it('loses and doubles nothing when a batch deadlocks with another transaction, appending one by one', async () => {
    // Made, not hoped for, whatever order the plan locks rows in: another transaction (another
    // node's) has inserted, uncommitted, a message with the client id the batch's first message
    // carries. The batch locks its conversations, then waits on that transaction at the unique
    // index; the transaction then asks for the first conversation's row, held by the batch.
    // PostgreSQL breaks the deadlock by failing the batch (it waited longest); the transaction
    // rolls back, and the appender must store both messages alone.
    const failures: { message: string; code?: string }[] = [];
    const log = {
      debug: () => undefined,
      warn: (details: object, message: string) =>
        void failures.push({ message, code: (details as { err?: { code?: string } }).err?.code }),
    };
    const appender = new MessageAppender(parley.services.database.pool, { log });
    const [first, second, elsewhere] = await Promise.all([
      openConversation(),
      openConversation(),
      openConversation(),
    ]);
    const pool = parley.services.database.pool;
    const lockWaits = async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      return rows[0]?.n;
    };
    const clientId = newClientId();

    const other = await pool.connect();
    let results: Awaited<ReturnType<MessageAppender['append']>>[];
    try {
      await other.query('BEGIN');
      // The batch must be the one PostgreSQL fails: the side whose deadlock_timeout runs out first checks
      // and gives way. Under load the other transaction's 1 s could run out first; 10 s here never does.
      await other.query("SET LOCAL deadlock_timeout = '10s'");
      await other.query(
        `INSERT INTO messages (conversation_id, seq, public_seq, author_kind, author_id, client_id, text)
         VALUES ($1, 1, 1, 'visitor', $2, $3, 'the same client id, not yet committed')`,
        [elsewhere.conversationId, first.visitorId, clientId],
      );
      const appends = [
        appender.append(visitorMessage(first, 'to first', clientId)),
        appender.append(visitorMessage(second, 'to second')),
      ];
      await expect.poll(lockWaits).toBe(1);
      const otherTakesFirst = other.query('SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE', [
        first.conversationId,
      ]);
      await expect.poll(() => failures.length, { timeout: 10_000 }).toBe(1);
      await otherTakesFirst;
      await other.query('ROLLBACK');
      results = await Promise.all(appends);
    } finally {
      // Never hand the pool a client inside a transaction (a failure above would poison the next test).
      await other.query('ROLLBACK').catch(() => {});
      other.release();
    }

    expect(results.map((r) => r.kind)).toEqual(['created', 'created']);
    // The fallback ran, for the deadlock and nothing else, and appended both messages alone.
    expect(failures).toEqual([{ message: 'message batch failed; appending one by one', code: '40P01' }]);
    expect(appender.stats).toMatchObject({ failedBatches: 1, aloneMessages: 2, batchedMessages: 0 });
    expect(await storedSeqs(first.conversationId)).toEqual([{ seq: 1, text: 'to first' }]);
    expect(await storedSeqs(second.conversationId)).toEqual([{ seq: 1, text: 'to second' }]);
  }, 30_000);

  it("takes part in a caller's transaction: committed or rolled back with its other writes", async () => {
    const appender = newAppender();
    const conversation = await openConversation();
    await expect(
      db.transaction().execute(async (tx) => {
        const result = await appender.append(visitorMessage(conversation, 'rolled back'), { tx });
        expect(result.kind === 'created' && result.row.message.seq).toBe(1);
        throw new Error('a later write failed');
      }),
    ).rejects.toThrow('a later write failed');
    // Nothing stayed: neither the message nor the seq it took.
    expect(await storedSeqs(conversation.conversationId)).toEqual([]);

    const clientId = newClientId();
    await db.transaction().execute(async (tx) => {
      const first = await appender.append(visitorMessage(conversation, 'in a transaction', clientId), { tx });
      expect(first.kind === 'created' && first.row.message.seq).toBe(1);
      // A retry inside the transaction is recognised without aborting it.
      expect(
        await appender.append(visitorMessage(conversation, 'in a transaction', clientId), { tx }),
      ).toEqual({
        kind: 'duplicate',
      });
      await tx
        .updateTable('visitors')
        .set({ email: 'kept@shop.example' })
        .where('id', '=', conversation.visitorId)
        .execute();
    });
    expect(await storedSeqs(conversation.conversationId)).toEqual([{ seq: 1, text: 'in a transaction' }]);
    // It went on the caller's connection, not through a batch.
    expect(appender.stats).toMatchObject({ batches: 0, aloneMessages: 0 });
  });
});
