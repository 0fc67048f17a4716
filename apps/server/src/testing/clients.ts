/**
 * Clients that speak Parley's protocol the way the widget and console do, for
 * integration tests and benchmarks: a typed socket with acks and an event
 * inbox, operator login, visitor sessions, and a JSON HTTP helper.
 */
import type {
  ApiErrorBody,
  ErrorFrame,
  MessageCreatedDTO,
  MessageDTO,
  SessionResponse,
  WidgetSessionResponse,
} from '@parley/protocol';
import { API_PATHS } from '@parley/protocol';
import WebSocket from 'ws';

/** `message.created` as a visitor receives it (the message) or an operator (the message and its row). */
type CreatedEventData = MessageDTO | MessageCreatedDTO;

function messageOf(data: CreatedEventData): MessageDTO {
  return 'message' in data ? data.message : data;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(`${status} ${body.error?.code}: ${body.error?.message}`);
  }
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  cookie?: string;
  csrfToken?: string;
  headers?: Record<string, string>;
}

export async function api<T>(
  baseUrl: string,
  path: string,
  options: ApiOptions = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(baseUrl + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.cookie && { cookie: options.cookie }),
      ...(options.csrfToken && { 'x-csrf-token': options.csrfToken }),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as T) : (undefined as T);
  if (!response.ok) throw new ApiError(response.status, body as ApiErrorBody);
  return { status: response.status, body, headers: response.headers };
}

export interface OperatorSession extends SessionResponse {
  cookie: string;
}

/** What `api` needs to call as this operator: the session cookie and its CSRF token. */
export const asOperator = (session: OperatorSession): Pick<ApiOptions, 'cookie' | 'csrfToken'> => ({
  cookie: session.cookie,
  csrfToken: session.csrfToken,
});

export async function loginOperator(
  baseUrl: string,
  email: string,
  password: string,
): Promise<OperatorSession> {
  const { body, headers } = await api<SessionResponse>(baseUrl, API_PATHS.login, {
    body: { email, password },
  });
  const setCookie = headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { ...body, cookie };
}

/** What a visitor's browser sends; the server derives the browser and OS for the visitor card from it. */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export async function startVisitorSession(
  baseUrl: string,
  siteKey = 'demo',
  visitorToken?: string,
): Promise<WidgetSessionResponse> {
  const { body } = await api<WidgetSessionResponse>(baseUrl, API_PATHS.widgetSession, {
    headers: { 'user-agent': BROWSER_USER_AGENT },
    body: {
      siteKey,
      page: { url: 'https://shop.example/product/1', title: 'Shoes' },
      ...(visitorToken && { visitorToken }),
    },
  });
  return body;
}

interface Frame {
  type: string;
  ref?: string;
  data?: unknown;
  error?: ErrorFrame['error'];
}

/** A protocol-speaking socket: `request` resolves with the ack's data or rejects with the error frame. */
export class TestSocket {
  readonly events: Frame[] = [];
  private readonly pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private nextRef = 1;
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.receive(JSON.parse(raw.toString()) as Frame));
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const { reject } of this.pending.values()) reject(new Error(`socket closed (${code})`));
      this.pending.clear();
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  static visitor(wsBase: string, token: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return TestSocket.connect(
      `${wsBase}${API_PATHS.visitorSocket}?token=${encodeURIComponent(token)}`,
      headers,
    );
  }

  static operator(wsBase: string, cookie: string): Promise<TestSocket> {
    return TestSocket.connect(`${wsBase}${API_PATHS.operatorSocket}`, { cookie });
  }

  request<T = unknown>(type: string, data: unknown): Promise<T> {
    const ref = String(this.nextRef++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(ref, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ type, ref, data }));
    });
  }

  sendRaw(payload: string): void {
    this.ws.send(payload);
  }

  /** Resolves with the first event (past or future) matching type and predicate. */
  waitFor<T = unknown>(
    type: string,
    predicate: (data: T) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<T> {
    const match = (f: Frame) => f.type === type && predicate(f.data as T);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen.data as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f.data as T);
        },
      });
    });
  }

  /**
   * The first `message.created` (past or future) whose message matches, on a
   * visitor's socket or an operator's (whose event also carries the row).
   */
  async waitForMessage(
    predicate: (message: MessageDTO) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<MessageDTO> {
    return messageOf(
      await this.waitFor<CreatedEventData>(
        'message.created',
        (data) => predicate(messageOf(data)),
        timeoutMs,
      ),
    );
  }

  /** Every message.created event received so far, in arrival order. */
  messagesReceived(): MessageDTO[] {
    return this.events
      .filter((e) => e.type === 'message.created')
      .map((e) => messageOf(e.data as CreatedEventData));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private receive(frame: Frame): void {
    if ((frame.type === 'ack' || frame.type === 'error') && frame.ref && this.pending.has(frame.ref)) {
      const waiter = this.pending.get(frame.ref);
      this.pending.delete(frame.ref);
      if (frame.type === 'ack') waiter?.resolve(frame.data);
      else waiter?.reject(Object.assign(new Error(frame.error?.message ?? 'error'), { frame }));
      return;
    }
    this.events.push(frame);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter?.match(frame)) {
        this.waiters.splice(i, 1);
        waiter.resolve(frame);
      }
    }
  }
}
