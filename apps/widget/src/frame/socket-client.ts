/**
 * The visitor's WebSocket: typed requests answered by acks, typed events,
 * and reconnects with exponential backoff (sooner when the browser comes back
 * online, after `reconnectAfterMs` when a node drains). A request unanswered
 * for 10 s means a dead link: the socket is dropped and rebuilt.
 */
import {
  type AckOf,
  API_PATHS,
  CLOSE_CODES,
  type VisitorClientFrames,
  type VisitorServerEvents,
  type VisitorServerFrame,
} from '@parley/protocol';
import { backoffDelay } from './backoff.js';

type EventHandlers = { [K in keyof VisitorServerEvents]?: (data: VisitorServerEvents[K]) => void };

export interface SocketCallbacks {
  events: EventHandlers;
  /** Connected and `session.ready` arrived, or the link is down. */
  onLink(up: boolean): void;
  /** The token was refused (4401): a new session is needed before reconnecting. */
  onUnauthorized(): void;
}

const ACK_TIMEOUT_MS = 10_000;

export class SocketClient {
  private ws: WebSocket | null = null;
  private up = false;
  private attempt = 0;
  private nextRef = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private drainDelay: number | null = null;
  private stopped = true;
  private readonly pending = new Map<
    string,
    { resolve: (data: never) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(
    private token: string,
    private readonly callbacks: SocketCallbacks,
  ) {
    addEventListener('online', () => {
      if (!this.ws && !this.stopped) this.connectSoon(0);
    });
    addEventListener('offline', () => this.ws?.close());
  }

  get connected(): boolean {
    return this.up;
  }

  /** The token for the next (re)connect; the open socket stays as it is. */
  useToken(token: string): void {
    this.token = token;
  }

  start(token = this.token): void {
    this.token = token;
    this.stopped = false;
    this.connect();
  }

  request<K extends keyof VisitorClientFrames>(
    type: K,
    data: VisitorClientFrames[K]['request'],
  ): Promise<AckOf<VisitorClientFrames, K>> {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!ws || !this.up) return reject(new Error('offline'));
      const ref = String(this.nextRef++);
      const timer = setTimeout(() => ws.close(), ACK_TIMEOUT_MS);
      this.pending.set(ref, { resolve: resolve as (data: never) => void, reject, timer });
      ws.send(JSON.stringify({ type, ref, data }));
    });
  }

  private connect(): void {
    const url = `${location.origin.replace(/^http/, 'ws')}${API_PATHS.visitorSocket}?token=${encodeURIComponent(this.token)}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      this.connectSoon();
      return;
    }
    this.ws = ws;
    ws.onmessage = (event) => this.receive(JSON.parse(String(event.data)) as VisitorServerFrame);
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setUp(false);
      for (const { reject, timer } of this.pending.values()) {
        clearTimeout(timer);
        reject(new Error('closed'));
      }
      this.pending.clear();
      if (event.code === CLOSE_CODES.unauthorized) {
        this.stopped = true;
        this.callbacks.onUnauthorized();
        return;
      }
      const drain = this.drainDelay;
      this.drainDelay = null;
      this.connectSoon(drain ?? undefined);
    };
  }

  private connectSoon(delay = backoffDelay(this.attempt++)): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.ws && !this.stopped) this.connect();
    }, delay);
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.callbacks.onLink(up);
  }

  private receive(frame: VisitorServerFrame): void {
    if (frame.type === 'ack' || frame.type === 'error') {
      const waiter = frame.ref ? this.pending.get(frame.ref) : undefined;
      if (!waiter || !frame.ref) return;
      this.pending.delete(frame.ref);
      clearTimeout(waiter.timer);
      if (frame.type === 'ack') waiter.resolve(frame.data as never);
      else waiter.reject(Object.assign(new Error(frame.error.message), { code: frame.error.code }));
      return;
    }
    if (frame.type === 'session.ready') {
      this.attempt = 0;
      this.setUp(true);
    }
    if (frame.type === 'server.draining') this.drainDelay = frame.data.reconnectAfterMs;
    const handler = this.callbacks.events[frame.type] as ((data: unknown) => void) | undefined;
    handler?.(frame.data);
  }
}
