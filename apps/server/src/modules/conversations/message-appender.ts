/**
 * Group commit for messages (see append-message.ts for the statements).
 *
 * Appends queue up; a batch leaves once the current event-loop turn has
 * queued everything it read, and while a batch is in the database the next
 * one fills. So under light load every message goes alone and at once, and
 * under heavy load the batches grow with the load instead of the queue.
 *
 * A batch holds at most one message per conversation (one UPDATE cannot
 * apply two changes to a row), and no conversation is in two batches at once
 * (the second could take its row lock first); the others wait for a later
 * batch, in the order they came. Two batches in the database at once hide
 * one's commit (its WAL flush) behind the other's work.
 *
 * Whatever the batch statement cannot settle — it failed, or a message came
 * back unstored — is appended alone, which tells a retry ("duplicate") from a
 * closed conversation ("not_open"). Nothing is lost to a failed batch: it is
 * one statement, so it wrote nothing.
 *
 * A command that must append together with other writes passes its
 * transaction (`append(props, { tx })`): that message skips the batch and is
 * stored on the caller's connection, committed or rolled back with the rest.
 */
import type pg from 'pg';
import type { Tx } from '../../db/database.js';
import { isUniqueViolation } from '../errors.js';
import {
  type AppendedMessage,
  type AppendMessageProps,
  type AppendResult,
  appendMessage,
  appendMessageInTransaction,
  appendMessages,
} from './append-message.js';

interface PendingAppend {
  props: AppendMessageProps;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface MessageAppenderOptions {
  /** Batches in the database at once. */
  maxInFlight?: number;
  /** Messages per statement: bounds one statement's size and its row locks. */
  maxBatch?: number;
  /** Where a failed batch is told (it is then appended message by message); pino's logger fits. */
  log?: AppenderLog;
}

export interface AppenderLog {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** Counters since start: how well appends are being batched. */
export interface MessageAppenderStats {
  /** Statements run for batches of several messages. */
  batches: number;
  /** Messages settled by those statements. */
  batchedMessages: number;
  /** Messages appended alone: alone in their turn, or left over by a batch. */
  aloneMessages: number;
  /** Batch statements that failed and fell back to appending each message alone. */
  failedBatches: number;
}

/** Attempts of one message on its own when PostgreSQL breaks a deadlock by failing it. */
const ALONE_ATTEMPTS = 3;

const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01';

export class MessageAppender {
  readonly stats: MessageAppenderStats = {
    batches: 0,
    batchedMessages: 0,
    aloneMessages: 0,
    failedBatches: 0,
  };
  private pending: PendingAppend[] = [];
  private inFlight = 0;
  /** Conversations with a message in a batch being written. */
  private readonly writing = new Set<string>();
  private flushScheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private readonly log: MessageAppenderOptions['log'];

  constructor(
    private readonly pool: pg.Pool,
    options: MessageAppenderOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
    this.log = options.log;
  }

  /**
   * Stores a message. With `tx`, on that transaction and at once (no batch):
   * it commits or rolls back with the caller's other writes.
   */
  append(props: AppendMessageProps, options: { tx?: Tx } = {}): Promise<AppendResult> {
    if (options.tx) return appendMessageInTransaction(options.tx, props);
    return new Promise((resolve, reject) => {
      this.pending.push({ props, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Flushes after the current turn, so that every frame read in it joins the batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.takeBatch();
      // Everything pending is of conversations being written: the end of that write flushes again.
      if (batch.length === 0) return;
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        for (const append of batch) this.writing.delete(append.props.conversationId);
        this.scheduleFlush();
      });
    }
  }

  /** The oldest pending appends of conversations not being written, one each; the rest keep their order. */
  private takeBatch(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    const waiting: PendingAppend[] = [];
    for (const append of this.pending) {
      const { conversationId } = append.props;
      if (batch.length < this.maxBatch && !this.writing.has(conversationId)) {
        this.writing.add(conversationId);
        batch.push(append);
      } else {
        waiting.push(append);
      }
    }
    this.pending = waiting;
    return batch;
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only) return this.writeAlone(only);
    let stored: Map<string, AppendedMessage>;
    try {
      stored = await appendMessages(
        this.pool,
        batch.map((append) => append.props),
      );
    } catch (error) {
      // One statement: it wrote nothing. Each message on its own finds out what it is.
      this.stats.failedBatches += 1;
      // A retry racing its original is expected; anything else (a deadlock between nodes, a lost connection) is worth a look.
      const details = { err: error, messages: batch.length };
      if (isUniqueViolation(error))
        this.log?.debug(details, 'message batch refused a duplicate; appending one by one');
      else this.log?.warn(details, 'message batch failed; appending one by one');
      await this.writeEachAlone(batch);
      return;
    }
    this.stats.batches += 1;
    const unsettled: PendingAppend[] = [];
    for (const append of batch) {
      const row = stored.get(append.props.conversationId);
      if (row) {
        this.stats.batchedMessages += 1;
        append.resolve({ kind: 'created', row });
      } else unsettled.push(append);
    }
    await this.writeEachAlone(unsettled);
  }

  /** In call order, so that of two sends that collide the first one wins. Rare: retries and failures. */
  private async writeEachAlone(appends: PendingAppend[]): Promise<void> {
    for (const append of appends) await this.writeAlone(append);
  }

  private async writeAlone(append: PendingAppend): Promise<void> {
    this.stats.aloneMessages += 1;
    for (let attempt = 1; ; attempt++) {
      try {
        append.resolve(await appendMessage(this.pool, append.props));
        return;
      } catch (error) {
        // The transaction that broke the batch may still be there and deadlock this one statement too
        // (seen under load); a deadlock wrote nothing, and the client id keeps a retry from doubling.
        if (isDeadlock(error) && attempt < ALONE_ATTEMPTS) continue;
        append.reject(error);
        return;
      }
    }
  }
}
