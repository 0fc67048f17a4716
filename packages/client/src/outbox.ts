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
const BUSY_CODES = ['rate_limited', 'unavailable', 'internal'];

/** `internal` answers for one message before it counts as refused. */
export const MAX_INTERNAL_ANSWERS = 3;

/**
 * Reads an error from either client's transport: a `FrameError`, or an HTTP
 * error with a status (the console's), was the server's answer; anything
 * else (a lost link, a failed fetch) was no answer.
 */
export function verdictOf(error: unknown): Verdict {
  const { code, status } = (error ?? {}) as { code?: string; status?: number };
  if (!(error instanceof FrameError) && !(status && status > 0)) return 'no-answer';
  return BUSY_CODES.includes(code ?? '') ? 'busy' : 'refused';
}

export interface Outbox<T extends OutboxEntry> {
  entries(): readonly T[];
  /** Queues a new message and sends it when its turn comes. */
  add(entry: T): Promise<void>;
  /** Sends a refused message again (the person asked to). */
  retry(clientId: string): Promise<void>;
  /** Forgets a message the person chose not to send. */
  discard(clientId: string): void;
  /** The server has this message (acked here, or seen arriving): it leaves the outbox. */
  settle(clientId: string): void;
  /** Sends, in order, every message still to send; refused ones are skipped, not waited on. */
  flush(): Promise<void>;
}

/** A closure rather than a class, for the widget's size budget (see socket-client.ts). */
export function createOutbox<T extends OutboxEntry>({ read, write, deliver }: OutboxOptions<T>): Outbox<T> {
  let flushing = false;
  let again = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Busy answers per clientId (for the backoff), and `internal` ones (for the cap).
  const busy = new Map<string, number>();
  const internal = new Map<string, number>();

  // Anything not marked failed is to be sent (entries saved before there were states included).
  const nextToSend = () => read().find((e) => e.state !== 'failed');
  const forget = (clientId: string) => {
    busy.delete(clientId);
    internal.delete(clientId);
  };
  const change = (clientId: string, changed: Partial<OutboxEntry>) =>
    write(read().map((e) => (e.clientId === clientId ? { ...e, ...changed } : e)));
  const settle = (clientId: string) => {
    forget(clientId);
    const entries = read();
    if (entries.some((e) => e.clientId === clientId)) write(entries.filter((e) => e.clientId !== clientId));
  };

  /** True when the queue may go on to the next message. */
  const send = async (entry: T): Promise<boolean> => {
    const id = entry.clientId;
    try {
      await deliver(entry);
      settle(id);
      return true;
    } catch (error) {
      const verdict = verdictOf(error);
      const internals = (internal.get(id) ?? 0) + ((error as { code?: string }).code === 'internal' ? 1 : 0);
      if (verdict === 'refused' || internals >= MAX_INTERNAL_ANSWERS) {
        forget(id);
        change(id, { state: 'failed', error: (error as Error).message });
        return true;
      }
      if (verdict === 'busy') {
        const answers = (busy.get(id) ?? 0) + 1;
        busy.set(id, answers);
        internal.set(id, internals);
        retryTimer = setTimeout(() => void flush(), backoffDelay(answers));
      }
      return false;
    }
  };

  const flush = async (): Promise<void> => {
    if (flushing) {
      again = true;
      return;
    }
    flushing = true;
    clearTimeout(retryTimer);
    try {
      do {
        again = false;
        for (let next = nextToSend(); next; next = nextToSend()) {
          if (!(await send(next))) return;
        }
      } while (again);
    } finally {
      flushing = false;
    }
  };

  return {
    entries: read,
    add(entry) {
      write([...read(), entry]);
      return flush();
    },
    retry(clientId) {
      forget(clientId);
      change(clientId, { state: 'sending', error: null });
      return flush();
    },
    discard: settle,
    settle,
    flush,
  };
}
