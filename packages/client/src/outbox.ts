/**
 * Messages written but not yet acknowledged by the server, for both clients.
 * Each carries a clientId made when it was written, so sending it again after
 * a lost answer returns the stored original instead of a duplicate. Sent one
 * at a time in the order written.
 *
 * What an error means for the message:
 * - no answer (`LinkError`, a network failure): it waits, and the next
 *   `flush` (the client calls it when the link is back) sends it again;
 * - the server is busy (`rate_limited`, `unavailable`, `internal`): sent
 *   again after a backoff — but `internal` only `MAX_INTERNAL_ANSWERS` times,
 *   since a message the server cannot store would otherwise be retried forever;
 * - any other refusal (`bad_request`, `payload_too_large`, `forbidden`, …):
 *   final. The message is marked failed with the server's reason, stays until
 *   the person retries or discards it, and the messages after it still go.
 *
 * Where the entries live is the client's business (`read`/`write`): the
 * widget keeps them in storage, the console in its store.
 */
import { backoffDelay } from './backoff.js';
import { FrameError } from './socket-client.js';

export interface OutboxEntry {
  clientId: string;
  text: string;
  state: 'sending' | 'failed';
  /** The server's reason, when it refused the message. */
  error: string | null;
}

export interface OutboxOptions<T extends OutboxEntry> {
  read(): readonly T[];
  write(entries: T[]): void;
  /** Sends one entry; resolves when the server has stored it. */
  deliver(entry: T): Promise<void>;
}

/** What an error from a delivery means: see the module comment. */
export type Verdict = 'refused' | 'busy' | 'no-answer';

/** Server codes that say "not now" rather than "never". */
const BUSY_CODES: ReadonlySet<string> = new Set(['rate_limited', 'unavailable', 'internal']);
const REFUSAL_CODES: ReadonlySet<string> = new Set([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
]);

/** `internal` answers for one message before it counts as refused. */
export const MAX_INTERNAL_ANSWERS = 3;

/** Reads an error from either client's transport: anything carrying a server error code was an answer. */
export function verdictOf(error: unknown): Verdict {
  const code = error instanceof FrameError ? error.code : (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'no-answer';
  if (BUSY_CODES.has(code)) return 'busy';
  return REFUSAL_CODES.has(code) ? 'refused' : 'no-answer';
}

export class Outbox<T extends OutboxEntry> {
  private flushing = false;
  private again = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Busy answers per clientId, for the backoff and the `internal` cap. */
  private readonly busy = new Map<string, { answers: number; internal: number }>();

  constructor(private readonly options: OutboxOptions<T>) {}

  entries(): readonly T[] {
    return this.options.read();
  }

  /** Queues a new message and sends it when its turn comes. */
  add(entry: T): Promise<void> {
    this.options.write([...this.options.read(), entry]);
    return this.flush();
  }

  /** Sends a refused message again (the person asked to). */
  retry(clientId: string): Promise<void> {
    this.busy.delete(clientId);
    this.change(clientId, { state: 'sending', error: null } as Partial<T>);
    return this.flush();
  }

  /** Forgets a message the person chose not to send. */
  discard(clientId: string): void {
    this.settle(clientId);
  }

  /** The server has this message (acked here, or seen arriving): it leaves the outbox. */
  settle(clientId: string): void {
    this.busy.delete(clientId);
    const entries = this.options.read();
    if (entries.some((e) => e.clientId === clientId))
      this.options.write(entries.filter((e) => e.clientId !== clientId));
  }

  /** Sends, in order, every message still to send; refused ones are skipped, not waited on. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    clearTimeout(this.retryTimer);
    try {
      do {
        this.again = false;
        for (let next = this.nextToSend(); next; next = this.nextToSend()) {
          if (!(await this.send(next))) return;
        }
      } while (this.again);
    } finally {
      this.flushing = false;
    }
  }

  /** True when the queue may go on to the next message. */
  private async send(entry: T): Promise<boolean> {
    try {
      await this.options.deliver(entry);
      this.settle(entry.clientId);
      return true;
    } catch (error) {
      const verdict = verdictOf(error);
      const tally = this.busy.get(entry.clientId) ?? { answers: 0, internal: 0 };
      if (verdict === 'busy') {
        tally.answers++;
        if ((error as { code?: string }).code === 'internal') tally.internal++;
        this.busy.set(entry.clientId, tally);
      }
      if (verdict === 'refused' || tally.internal >= MAX_INTERNAL_ANSWERS) {
        this.busy.delete(entry.clientId);
        const reason = error instanceof Error ? error.message : String(error);
        this.change(entry.clientId, { state: 'failed', error: reason } as Partial<T>);
        return true;
      }
      if (verdict === 'busy') {
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => void this.flush(), backoffDelay(tally.answers + 1));
      }
      return false;
    }
  }

  private nextToSend(): T | undefined {
    return this.options.read().find((e) => e.state === 'sending');
  }

  private change(clientId: string, change: Partial<T>): void {
    this.options.write(this.options.read().map((e) => (e.clientId === clientId ? { ...e, ...change } : e)));
  }
}
