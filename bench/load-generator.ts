/**
 * The coordinating side of the load generator: forks a few `load-worker.ts`
 * processes (connections spread over them: one process may hold only 20,000
 * open files here, and one core cannot both send and parse at full rate),
 * hands each its share of visitors and operators, runs phases, waits for the
 * stragglers, and joins the workers' send and receipt records into one
 * phase result: latencies, achieved rate, and the exactly-once check.
 *
 * The same code drives Parley and the baseline relay, so their figures differ
 * only by the server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ReceiptRecord, SendRecord, ToWorker } from './load-protocol.js';

const WORKER_FILE = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
const REPLY_TIMEOUT_MS = 180_000;

export interface PhaseResult {
  targetRate: number;
  sent: number;
  acked: number;
  /** Acked messages per second, from the first send to the last ack. */
  achievedRate: number;
  /** Visitor send → first operator socket receives message.created (ms); undelivered count as +Infinity. */
  delivery: { p50: number; p95: number; p99: number; max: number };
  /** Visitor send → the visitor's ack (ms). */
  ack: { p50: number; p99: number };
  /** Acked messages some operator never received. */
  lost: number;
  /** Receipts of one message by one operator socket beyond the first. */
  duplicates: number;
  /** Sent, never acked within the drain time. */
  unacked: number;
  errors: number;
  firstError: string | null;
  closedSockets: number;
}

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

class WorkerHandle {
  private waiting: { type: string; resolve: (m: FromWorker) => void; reject: (e: Error) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromWorker) => {
      if (message.type === 'fatal') return this.failAll(new Error(`load worker: ${message.message}`));
      const index = this.waiting.findIndex((w) => w.type === message.type);
      const waiter = index >= 0 ? this.waiting.splice(index, 1)[0] : undefined;
      waiter?.resolve(message);
    });
    child.on('exit', (code) => this.failAll(new Error(`load worker exited (${code})`)));
  }

  request<T extends FromWorker['type']>(message: ToWorker, replyType: T): Promise<Reply<T>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`load worker: no ${replyType} reply`)),
        REPLY_TIMEOUT_MS,
      );
      this.waiting.push({
        type: replyType,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Reply<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send(message);
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export class LoadGenerator {
  private operatorCount = 0;

  private constructor(private readonly workers: WorkerHandle[]) {}

  static start(count: number): LoadGenerator {
    const workers = Array.from(
      { length: count },
      () =>
        new WorkerHandle(
          fork(WORKER_FILE, [], {
            execArgv: ['--import', 'tsx'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        ),
    );
    return new LoadGenerator(workers);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.child.pid ?? -1);
  }

  /** Visitors split evenly, operators round-robin; resolves when every socket is open (or failed). */
  async connect(wsBase: string, tokens: string[], operators: number, headers: Record<string, string>) {
    const n = this.workers.length;
    const replies = await Promise.all(
      this.workers.map((worker, i) =>
        worker.request(
          {
            type: 'connect',
            workerIndex: i,
            wsBase,
            visitorTokens: tokens.filter((_, t) => t % n === i),
            operatorCount: Math.floor(operators / n) + (i < operators % n ? 1 : 0),
            operatorHeaders: headers,
          },
          'connected',
        ),
      ),
    );
    this.operatorCount = replies.reduce((sum, r) => sum + r.operators, 0);
    return {
      visitors: replies.reduce((sum, r) => sum + r.visitors, 0),
      operators: this.operatorCount,
      failures: replies.reduce((sum, r) => sum + r.failures, 0),
      firstError: replies.find((r) => r.firstError)?.firstError ?? null,
    };
  }

  /**
   * One phase: every worker sends its share of `rate` for `durationMs` ('once': each visitor once), then up to
   * `drainMs` more for acks and deliveries to arrive, then the records are joined.
   */
  async runPhase(
    phase: number,
    mode: 'rate' | 'once',
    rate: number,
    durationMs: number,
    drainMs: number,
  ): Promise<PhaseResult> {
    const share = rate / this.workers.length;
    await Promise.all(
      this.workers.map((w) => w.request({ type: 'run', phase, mode, ratePerSec: share, durationMs }, 'ran')),
    );
    const drainUntil = Date.now() + drainMs;
    while (Date.now() < drainUntil) {
      const progress = await Promise.all(
        this.workers.map((w) => w.request({ type: 'progress' }, 'progress')),
      );
      const sum = (key: 'sent' | 'acked' | 'errors' | 'receipts') =>
        progress.reduce((total, p) => total + p[key], 0);
      if (sum('acked') + sum('errors') >= sum('sent') && sum('receipts') >= sum('acked') * this.operatorCount)
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const collected = await Promise.all(
      this.workers.map((w) => w.request({ type: 'collect', phase }, 'collected')),
    );
    return this.join(rate, collected);
  }

  private join(targetRate: number, collected: Reply<'collected'>[]): PhaseResult {
    const sends: SendRecord[] = collected.flatMap((c) => c.sends);
    const receipts = new Map<string, ReceiptRecord>();
    for (const c of collected)
      for (const r of c.receipts) {
        const seen = receipts.get(r[0]);
        if (!seen) receipts.set(r[0], [...r]);
        else {
          seen[1] = Math.min(seen[1], r[1]);
          seen[2] += r[2];
        }
      }
    const delivery: number[] = [];
    const ack: number[] = [];
    let lost = 0;
    let firstSent = Number.POSITIVE_INFINITY;
    let lastAck = Number.NEGATIVE_INFINITY;
    for (const [clientId, sentAt, ackAt] of sends) {
      firstSent = Math.min(firstSent, sentAt);
      const receipt = receipts.get(clientId);
      delivery.push(receipt ? receipt[1] - sentAt : Number.POSITIVE_INFINITY);
      if (ackAt >= 0) {
        ack.push(ackAt - sentAt);
        lastAck = Math.max(lastAck, ackAt);
        if ((receipt?.[2] ?? 0) < this.operatorCount) lost++;
      }
    }
    delivery.sort((a, b) => a - b);
    ack.sort((a, b) => a - b);
    const spanSec = (lastAck - firstSent) / 1000;
    return {
      targetRate,
      sent: sends.length,
      acked: ack.length,
      achievedRate: spanSec > 0 ? ack.length / spanSec : 0,
      delivery: {
        p50: percentile(delivery, 50),
        p95: percentile(delivery, 95),
        p99: percentile(delivery, 99),
        max: delivery.at(-1) ?? Number.NaN,
      },
      ack: { p50: percentile(ack, 50), p99: percentile(ack, 99) },
      lost,
      duplicates: collected.reduce((sum, c) => sum + c.duplicates, 0),
      unacked: sends.length - ack.length,
      errors: collected.reduce((sum, c) => sum + c.errors, 0),
      firstError: collected.find((c) => c.firstError)?.firstError ?? null,
      closedSockets: collected.reduce((sum, c) => sum + c.closedSockets, 0),
    };
  }

  /** Closes every socket and ends the workers; kills those that do not go within a few seconds. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.child.exitCode !== null || w.child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => w.child.once('exit', () => resolve()));
        w.child.send({ type: 'close' } satisfies ToWorker, () => {});
        const timer = setTimeout(() => w.child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  /** Last resort (SIGINT, crash): no goodbyes. */
  kill(): void {
    for (const w of this.workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}
