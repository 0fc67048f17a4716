/**
 * The outbox worker, one per node: claims due rows of the topics it has
 * handlers for, runs each row's handler, and records the outcome — done,
 * retry after backoff, or dead. Rows it holds have a lease that it extends
 * while their handlers run; if the node dies, the lease ends and any node
 * claims them again. It sleeps between rounds until the next row is due or
 * the poll interval ends, and wakes at once on the NOTIFY an enqueue sends
 * at commit. `stop()` stops claiming and lets running handlers finish.
 */
import type { DatabaseHandle } from '../db/database.js';
import type { Logger } from '../logger.js';
import { type Backoff, backoffDelay, OUTBOX_BACKOFF } from './backoff.js';
import {
  type ClaimedRow,
  claimDueRows,
  extendLease,
  markRowDone,
  markRowFailed,
  msUntilNextDue,
  pruneDoneRows,
  releaseRow,
} from './claims.js';
import { OUTBOX_CHANNEL } from './enqueue.js';
import { OutboxListener } from './listener.js';
import { type OutboxHandlerRegistry, PermanentOutboxError } from './topics.js';
import { Wakeup } from './wakeup.js';

/** Rows one node runs at once; a claim takes at most the free slots, so a node never holds rows it isn't running. */
export const OUTBOX_CONCURRENCY = 8;
/** The longest a due row waits when its NOTIFY was missed (listener reconnecting, a row enqueued by hand). */
export const OUTBOX_POLL_MS = 5_000;
/** How long a claimed row is a node's before another may take it; extended every third of it while the handler runs. */
export const OUTBOX_LEASE_MS = 60_000;
/** How long done rows are kept (to answer "was it sent?") before pruning. Dead rows are kept until removed by hand. */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
export const OUTBOX_PRUNE_EVERY_MS = 3600 * 1000;
/** How long `stop()` waits for running handlers before handing their rows back. */
export const OUTBOX_DRAIN_MS = 10_000;
/** Longest error text kept on a row. */
const ERROR_CHARS = 2000;

export interface OutboxWorkerOptions {
  database: Pick<DatabaseHandle, 'db' | 'pool'>;
  handlers: OutboxHandlerRegistry;
  /** Recorded on claimed rows (`locked_by`), to tell which node held a row. */
  nodeId: string;
  log: Logger;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  backoff?: Backoff;
  retentionMs?: number;
  pruneEveryMs?: number;
  drainMs?: number;
}

interface Running {
  row: ClaimedRow;
  controller: AbortController;
  settled: Promise<void>;
}

export class OutboxWorker {
  private readonly topics: string[];
  private readonly wakeup = new Wakeup();
  private readonly running = new Map<string, Running>();
  private readonly listener: OutboxListener;
  private loop: Promise<void> | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private stopRequested = false;
  /** Counts since start, for logs and tests. */
  readonly stats = { done: 0, retried: 0, dead: 0, lostLeases: 0 };

  constructor(private readonly options: OutboxWorkerOptions) {
    this.topics = Object.keys(options.handlers).filter((topic) => options.handlers[topic]);
    this.listener = new OutboxListener(
      options.database.pool,
      OUTBOX_CHANNEL,
      (topic) => {
        if (this.topics.includes(topic)) this.wakeup.nudge();
      },
      options.log,
      this.pollMs,
    );
  }

  private get pollMs() {
    return this.options.pollMs ?? OUTBOX_POLL_MS;
  }
  private get leaseMs() {
    return this.options.leaseMs ?? OUTBOX_LEASE_MS;
  }
  private get concurrency() {
    return this.options.concurrency ?? OUTBOX_CONCURRENCY;
  }

  /** Starts claiming. A node with no handlers (no topics yet) holds no connection and runs no loop. */
  async start(): Promise<void> {
    if (this.loop || this.topics.length === 0) return;
    await this.listener.start();
    this.loop = this.run();
    const prune = () => {
      this.pruning = this.prune();
    };
    this.pruneTimer = setInterval(prune, this.options.pruneEveryMs ?? OUTBOX_PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    prune();
    this.options.log.debug({ topics: this.topics }, 'outbox worker started');
  }

  /**
   * Stops claiming, waits up to `drainMs` for running handlers, then hands
   * unfinished rows back (due at once, for another node) and aborts their
   * handlers. Safe to call more than once.
   */
  stop(drainMs = this.options.drainMs ?? OUTBOX_DRAIN_MS): Promise<void> {
    this.stopping ??= this.drain(drainMs);
    return this.stopping;
  }

  private async drain(drainMs: number): Promise<void> {
    this.stopRequested = true;
    this.listener.close();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.wakeup.nudge();
    await Promise.all([this.loop, this.pruning]);
    const all = Promise.allSettled([...this.running.values()].map((r) => r.settled));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), drainMs);
    });
    const outcome = await Promise.race([all.then(() => 'drained' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'drained') return;
    const late = [...this.running.values()];
    this.options.log.warn(
      { rows: late.length },
      'outbox handlers still running at shutdown; handing rows back',
    );
    for (const { row, controller } of late) {
      // Handed back first, so the aborted handler's failure finds the row no longer its own and records nothing.
      await releaseRow(this.options.database.db, row, `attempt ${row.attempt} cut short by a shutdown`).catch(
        (error) => this.options.log.warn({ err: error, id: row.id }, 'outbox row not handed back'),
      );
      controller.abort(new Error('the node is shutting down'));
    }
  }

  private async run(): Promise<void> {
    const { db } = this.options.database;
    while (!this.stopRequested) {
      const free = this.concurrency - this.running.size;
      if (free <= 0) {
        await this.wakeup.sleep(this.pollMs); // a finishing handler wakes it
        continue;
      }
      try {
        const claim = await claimDueRows(db, {
          topics: this.topics,
          limit: free,
          leaseMs: this.leaseMs,
          nodeId: this.options.nodeId,
        });
        this.stats.dead += claim.taken - claim.rows.length;
        for (const row of claim.rows) this.execute(row);
        if (claim.taken === free) continue; // more may be due
        if (this.stopRequested) break;
        const dueIn = await msUntilNextDue(db, this.topics);
        // A due row a concurrent claim has locked shows as due now: wait a moment rather than spin.
        await this.wakeup.sleep(Math.max(10, Math.min(dueIn ?? this.pollMs, this.pollMs)));
      } catch (error) {
        this.options.log.warn({ err: error }, 'outbox claim failed; retrying after the poll interval');
        await this.wakeup.sleep(this.pollMs);
      }
    }
  }

  private execute(row: ClaimedRow): void {
    const controller = new AbortController();
    const settled = this.attempt(row, controller)
      .catch((error) => {
        // The outcome could not be recorded (database gone): the lease ends and the row is tried again.
        this.options.log.warn({ err: error, id: row.id, topic: row.topic }, 'outbox outcome not recorded');
      })
      .finally(() => {
        this.running.delete(row.id);
        this.wakeup.nudge();
      });
    this.running.set(row.id, { row, controller, settled });
  }

  private async attempt(row: ClaimedRow, controller: AbortController): Promise<void> {
    const { db } = this.options.database;
    const log = this.options.log;
    const handler = this.options.handlers[row.topic];
    const renew = setInterval(() => {
      extendLease(db, row, this.leaseMs)
        .then((held) => {
          if (!held) controller.abort(new Error('the row was claimed by another worker'));
        })
        .catch((error) => log.warn({ err: error, id: row.id }, 'outbox lease not extended'));
    }, this.leaseMs / 3);
    try {
      if (!handler) throw new Error(`no handler for topic ${row.topic}`);
      await handler({
        id: row.id,
        topic: row.topic,
        payload: row.payload as never,
        attempt: row.attempt,
        maxAttempts: row.maxAttempts,
        signal: controller.signal,
      });
    } catch (error) {
      clearInterval(renew);
      const permanent = error instanceof PermanentOutboxError;
      const status = await markRowFailed(db, row, {
        error: describe(error),
        retryInMs: backoffDelay(row.attempt, this.options.backoff ?? OUTBOX_BACKOFF),
        permanent,
      });
      if (status === 'dead') {
        this.stats.dead++;
        log.warn({ err: error, id: row.id, topic: row.topic, attempts: row.attempt }, 'outbox row gave up');
      } else if (status === 'pending') {
        this.stats.retried++;
        log.info({ err: error, id: row.id, topic: row.topic, attempt: row.attempt }, 'outbox attempt failed');
      } else {
        this.stats.lostLeases++;
      }
      return;
    } finally {
      clearInterval(renew);
    }
    if (await markRowDone(db, row)) this.stats.done++;
    else {
      // Another worker took the row after this one's lease ran out: the handler's idempotency covers the repeat.
      this.stats.lostLeases++;
      log.warn({ id: row.id, topic: row.topic }, 'outbox row finished after its lease was lost');
    }
  }

  private async prune(): Promise<void> {
    try {
      const deleted = await pruneDoneRows(
        this.options.database.db,
        this.options.retentionMs ?? OUTBOX_RETENTION_MS,
      );
      if (deleted > 0) this.options.log.info({ deleted }, 'outbox: done rows pruned');
    } catch (error) {
      this.options.log.warn({ err: error }, 'outbox prune failed');
    }
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, ERROR_CHARS);
}
