/**
 * The socket both clients keep to Parley: typed requests answered by acks,
 * typed events, reconnects with backoff, and the periodic missed-event check.
 *
 * - A request unanswered for `ACK_TIMEOUT_MS` means a dead link: it fails as
 *   a `LinkError` and the socket is dropped and rebuilt (resend is safe: every
 *   message carries its clientId). A request the server refused fails as a
 *   `FrameError` with the server's code.
 * - `session.ready` makes the link "up" (`onLink(true)`): the client resumes
 *   from the last seq it saw, then sends its outbox.
 * - `server.draining`: requests already sent are still answered (the node
 *   saves what is in flight, then closes); new ones fail as `LinkError` at
 *   once, to be resent on the next node, reached after the pause it asks for.
 * - Close code 4401: the session is gone; it stops and says so.
 * - While up, `onCheck` runs every `checkEveryMs`: the cheap "did I miss an
 *   event?" resync (see docs/ARCHITECTURE.md, "Missed events").
 */
import { type AckOf, CLOSE_CODES, type ErrorCode } from '@parley/protocol';
import { backoffDelay } from './backoff.js';

/** One ack timeout for every request of both clients. */
export const ACK_TIMEOUT_MS = 10_000;

/** How often a client with the link up checks that it missed no event (see `onCheck`). */
export const MISSED_EVENT_CHECK_MS = 10_000;

/** The server answered and said no. */
export class FrameError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** No answer: the link was down, dropped, or the node is draining. Safe to send again later. */
export class LinkError extends Error {}

/** The part of the browser's WebSocket used here (the `ws` package's socket fits too, for tests in Node). */
export interface WebSocketLike {
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type EventHandlers<E> = { [K in keyof E]?: (data: E[K]) => void };

export interface ClientSocketOptions<E> {
  /** The address of the next connection (read at each connect: a token may have changed). */
  url(): string;
  events: EventHandlers<E>;
  /** Connected and `session.ready` arrived (true), or the link is down (false). */
  onLink(up: boolean): void;
  /** The server refused the token or session (4401): no reconnect until `start` is called again. */
  onUnauthorized(): void;
  /** Runs every `checkEveryMs` while the link is up. */
  onCheck?(): void;
  checkEveryMs?: number;
  /** Opens a socket; the browser's WebSocket by default. */
  open?(url: string): WebSocketLike;
}

interface Frame {
  type: string;
  ref?: string;
  data?: unknown;
  error?: { code: ErrorCode; message: string };
}

interface Pending {
  resolve(data: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class ClientSocket<F, E extends { 'server.draining': { reconnectAfterMs: number } }> {
  private ws: WebSocketLike | null = null;
  private up = false;
  private draining = false;
  private drainDelay: number | null = null;
  private stopped = true;
  private attempt = 0;
  private nextRef = 1;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private checkTimer: ReturnType<typeof setInterval> | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: ClientSocketOptions<E>) {
    // Browsers only: come back at once when the network does, and give up a link the OS says is gone.
    if (typeof addEventListener === 'function') {
      addEventListener('online', () => {
        if (!this.ws && !this.stopped) this.reconnect(0);
      });
      addEventListener('offline', () => this.drop());
    }
  }

  get connected(): boolean {
    return this.up;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.drop(1000);
  }

  /** Drops the link as a network failure would; it comes back by itself. */
  dropConnection(): void {
    this.drop(4000);
    this.reconnect();
  }

  request<K extends keyof F>(
    type: K,
    data: F[K] extends { request: infer R } ? R : never,
  ): Promise<AckOf<F, K>> {
    const ws = this.ws;
    if (!ws || !this.up || this.draining) return Promise.reject(new LinkError('not connected'));
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // No answer in time: the link is dead (or the node frozen). Rebuild it; the caller resends.
        if (this.ws === ws) {
          this.drop(4000);
          this.reconnect();
        }
      }, ACK_TIMEOUT_MS);
      this.pending.set(ref, { resolve: resolve as (data: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ type, ref, data }));
    });
  }

  private connect(): void {
    if (this.stopped || this.ws) return;
    let ws: WebSocketLike;
    try {
      const url = this.options.url();
      ws = this.options.open ? this.options.open(url) : (new WebSocket(url) as unknown as WebSocketLike);
    } catch {
      this.reconnect();
      return;
    }
    this.ws = ws;
    this.draining = false;
    ws.onmessage = (event) => {
      if (this.ws === ws && typeof event.data === 'string') this.receive(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.detach();
      if (event.code === CLOSE_CODES.unauthorized) {
        this.stopped = true;
        this.options.onUnauthorized();
        return;
      }
      const drain = this.drainDelay;
      this.drainDelay = null;
      this.reconnect(drain ?? undefined);
    };
  }

  private reconnect(delay = backoffDelay(this.attempt++)): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Closes the current socket (if any) and fails what waits on it. */
  private drop(code?: number): void {
    const ws = this.ws;
    if (!ws) return;
    this.detach();
    ws.close(code);
  }

  private detach(): void {
    this.ws = null;
    this.draining = false;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new LinkError('connection lost'));
    }
    this.pending.clear();
    this.setUp(false);
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    clearInterval(this.checkTimer);
    const { onCheck } = this.options;
    if (up && onCheck)
      this.checkTimer = setInterval(onCheck, this.options.checkEveryMs ?? MISSED_EVENT_CHECK_MS);
    this.options.onLink(up);
  }

  private receive(raw: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(raw) as Frame;
    } catch {
      return;
    }
    if (frame.type === 'ack' || frame.type === 'error') {
      const waiter = frame.ref ? this.pending.get(frame.ref) : undefined;
      if (!waiter || !frame.ref) return;
      this.pending.delete(frame.ref);
      clearTimeout(waiter.timer);
      if (frame.type === 'ack') waiter.resolve(frame.data);
      else waiter.reject(new FrameError(frame.error?.code ?? 'internal', frame.error?.message ?? 'error'));
      return;
    }
    if (frame.type === 'session.ready') {
      this.attempt = 0;
      this.setUp(true);
    }
    if (frame.type === 'server.draining') {
      this.draining = true;
      this.drainDelay = (frame.data as E['server.draining']).reconnectAfterMs;
    }
    const handler = this.options.events[frame.type as keyof E] as ((data: unknown) => void) | undefined;
    handler?.(frame.data);
  }
}
