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
 * - Close code 4401: the session is gone; it stops and says so. A refused
 *   upgrade cannot carry that code (browsers see 1006), so a socket closed
 *   before `session.ready` asks `stillAllowed` (an HTTP call that does get
 *   the 401) and stops the same way when it answers false.
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
  /**
   * After a socket closed before `session.ready`: are the credentials still
   * good? False is handled as 4401; true, or a failure (network, server
   * away), reconnects as usual.
   */
  stillAllowed?(): Promise<boolean>;
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

export interface ClientSocket<F> {
  /** True while the link is up (`session.ready` came, the socket is open). */
  readonly connected: boolean;
  start(): void;
  /** Closes the link for good (`reconnect` false: logged out), or as a network failure would (it comes back by itself). */
  close(reconnect: boolean): void;
  request<K extends keyof F>(
    type: K,
    data: F[K] extends { request: infer R } ? R : never,
  ): Promise<AckOf<F, K>>;
}

/**
 * A closure rather than a class: its state stays in locals, which the
 * widget's minifier shortens (the frame's size budget counts every byte).
 */
export function createClientSocket<F, E extends { 'server.draining': { reconnectAfterMs: number } }>(
  options: ClientSocketOptions<E>,
): ClientSocket<F> {
  let ws: WebSocketLike | null = null;
  let up = false;
  /** The current socket got `session.ready`: it was let in. */
  let ready = false;
  let draining = false;
  let drainDelay: number | null = null;
  let stopped = true;
  let attempt = 0;
  let nextRef = 1;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let checkTimer: ReturnType<typeof setInterval> | undefined;
  const pending = new Map<string, Pending>();

  const connect = (): void => {
    if (stopped || ws) return;
    let socket: WebSocketLike;
    try {
      const url = options.url();
      socket = options.open ? options.open(url) : (new WebSocket(url) as unknown as WebSocketLike);
    } catch {
      reconnect();
      return;
    }
    ws = socket;
    draining = false;
    ready = false;
    socket.onmessage = (event) => {
      if (ws === socket && typeof event.data === 'string') receive(event.data);
    };
    socket.onclose = (event) => {
      if (ws !== socket) return;
      detach();
      if (event.code === CLOSE_CODES.unauthorized) return refused();
      const drain = drainDelay;
      drainDelay = null;
      if (ready || !options.stillAllowed) return reconnect(drain ?? undefined);
      const before = attempt;
      const answered = (allowed: boolean): void => {
        if (ws || stopped || attempt !== before) return; // start/close moved on meanwhile
        if (allowed) reconnect();
        else refused();
      };
      options.stillAllowed().then(answered, () => answered(true));
    };
  };

  const refused = (): void => {
    stopped = true;
    options.onUnauthorized();
  };

  const reconnect = (delay = backoffDelay(attempt++)): void => {
    if (stopped) return;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  };

  /** Closes the current socket (if any) and fails what waits on it. */
  const drop = (code?: number): void => {
    const socket = ws;
    if (!socket) return;
    detach();
    socket.close(code);
  };

  const detach = (): void => {
    ws = null;
    draining = false;
    for (const waiter of pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new LinkError());
    }
    pending.clear();
    setUp(false);
  };

  const setUp = (next: boolean): void => {
    if (up === next) return;
    up = next;
    clearInterval(checkTimer);
    if (up && options.onCheck)
      checkTimer = setInterval(options.onCheck, options.checkEveryMs ?? MISSED_EVENT_CHECK_MS);
    options.onLink(up);
  };

  const receive = (raw: string): void => {
    let frame: Frame;
    try {
      frame = JSON.parse(raw) as Frame;
    } catch {
      return;
    }
    const { type, ref, data } = frame;
    if (type === 'ack' || type === 'error') {
      const waiter = ref ? pending.get(ref) : undefined;
      if (!waiter || !ref) return;
      pending.delete(ref);
      clearTimeout(waiter.timer);
      if (type === 'ack') waiter.resolve(data);
      else {
        const { code = 'internal', message = code } = frame.error ?? {};
        waiter.reject(new FrameError(code, message));
      }
      return;
    }
    if (type === 'session.ready') {
      ready = true;
      attempt = 0;
      setUp(true);
    }
    if (type === 'server.draining') {
      draining = true;
      drainDelay = (data as E['server.draining']).reconnectAfterMs;
    }
    (options.events[type as keyof E] as ((data: unknown) => void) | undefined)?.(data);
  };

  // Browsers only: come back at once when the network does, and give up a link the OS says is gone.
  globalThis.addEventListener?.('online', () => {
    if (!ws && !stopped) reconnect(0);
  });
  globalThis.addEventListener?.('offline', () => drop());

  return {
    get connected() {
      return up;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    close(again) {
      stopped = !again;
      clearTimeout(retryTimer);
      drop(again ? 4000 : 1000);
      reconnect();
    },
    request(type, data) {
      const socket = ws;
      if (!socket || !up || draining) return Promise.reject(new LinkError());
      const ref = String(nextRef++);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // No answer in time: the link is dead (or the node frozen). Rebuild it; the caller resends.
          if (ws === socket) {
            drop(4000);
            reconnect();
          }
        }, ACK_TIMEOUT_MS);
        pending.set(ref, { resolve: resolve as (data: unknown) => void, reject, timer });
        socket.send(JSON.stringify({ type, ref, data }));
      });
    },
  };
}
