/**
 * The operator socket: typed frames with acks, a typed event→handler map,
 * and reconnects with capped, jittered backoff. A `server.draining` notice
 * makes it reconnect (to any node) after the pause the server asks for;
 * close code 4401 means the session is gone, so it stops and reports it.
 * After every (re)connect it calls `onReady`, where the app resyncs.
 */
import {
  type AckOf,
  API_PATHS,
  CLOSE_CODES,
  type ErrorFrame,
  type OperatorClientFrames,
  type OperatorServerEvents,
} from '@parley/protocol';

export type EventHandlers = { [K in keyof OperatorServerEvents]: (data: OperatorServerEvents[K]) => void };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class FrameError extends Error {
  constructor(readonly error: ErrorFrame['error']) {
    super(error.message);
  }
}

export interface SocketOptions {
  handlers: EventHandlers;
  onState(state: ConnectionState): void;
  /** The session ended (logged out elsewhere, expired): do not retry. */
  onUnauthorized(): void;
  url?: string;
}

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** A frame unanswered this long is treated as lost; the outbox resends it on the next connection. */
const ACK_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(data: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export class OperatorSocket {
  private ws: WebSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextRef = 1;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly url: string;

  constructor(private readonly options: SocketOptions) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.url = options.url ?? `${scheme}://${location.host}${API_PATHS.operatorSocket}`;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Drops the connection as a network failure would; it reconnects by itself. Used by tests and "Reconnect". */
  dropConnection(): void {
    this.ws?.close(4000, 'client reconnect');
  }

  request<K extends keyof OperatorClientFrames>(
    type: K,
    data: OperatorClientFrames[K]['request'],
  ): Promise<AckOf<OperatorClientFrames, K>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new Error('no answer'));
      }, ACK_TIMEOUT_MS);
      this.pending.set(ref, { resolve: resolve as (data: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ type, ref, data }));
    });
  }

  private connect(): void {
    if (this.stopped) return;
    this.options.onState('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') this.receive(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.failPending();
      this.options.onState('closed');
      if (event.code === CLOSE_CODES.unauthorized) {
        this.stopped = true;
        this.options.onUnauthorized();
        return;
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(delayMs?: number): void {
    if (this.stopped || this.retryTimer) return;
    // Full jitter: a node restart must not bring every console back in the same millisecond.
    const cap = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt);
    const delay = delayMs ?? MIN_DELAY_MS / 2 + Math.random() * cap;
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private receive(raw: string): void {
    let frame: { type: string; ref?: string; data?: unknown; error?: ErrorFrame['error'] };
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === 'ack' || frame.type === 'error') {
      const waiter = frame.ref ? this.pending.get(frame.ref) : undefined;
      if (!waiter || !frame.ref) return;
      this.pending.delete(frame.ref);
      clearTimeout(waiter.timer);
      if (frame.type === 'ack') waiter.resolve(frame.data);
      else waiter.reject(new FrameError(frame.error ?? { code: 'internal', message: 'error' }));
      return;
    }
    if (frame.type === 'session.ready') {
      this.attempt = 0;
      this.options.onState('open');
    }
    if (frame.type === 'server.draining') {
      const { reconnectAfterMs } = frame.data as OperatorServerEvents['server.draining'];
      const ws = this.ws;
      this.ws = null;
      this.failPending();
      ws?.close(1000);
      this.options.onState('closed');
      this.scheduleReconnect(reconnectAfterMs);
    }
    const handler = this.options.handlers[frame.type as keyof OperatorServerEvents] as
      | ((data: unknown) => void)
      | undefined;
    handler?.(frame.data);
  }

  private failPending(): void {
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('connection lost'));
    }
    this.pending.clear();
  }
}
