/**
 * Cuts live sockets whose access has ended, on this node: a console whose
 * session was logged out, ended with all its operator's sessions (on any node:
 * the news comes on the bus) or expired (a timer set at connect), and a widget
 * whose visitor's tokens were revoked. Such sockets close with
 * `CLOSE_CODES.unauthorized`, which tells clients to log in or start a new
 * session rather than reconnect. Between the end and the close, every operator
 * frame is refused by `guardOperatorFrames`. Also times the renewal of a
 * connected widget's token.
 */
import { CLOSE_CODES } from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { AccessEvent } from '../events/domain-events.js';
import { DomainError } from '../modules/errors.js';
import type { FrameHandlers } from './connection.js';

/** The longest delay setTimeout takes; later deadlines are reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface OperatorSocketSession {
  operatorId: string;
  sessionId: string;
  expiresAt: Date;
}

interface Watched {
  ws: WebSocket;
  sessionId: string | null;
}

export class AccessGuard {
  private readonly byOperator = new Map<string, Set<Watched>>();
  private readonly byVisitor = new Map<string, Set<Watched>>();

  /** Closes the console socket when its session ends or expires. */
  watchOperator(ws: WebSocket, session: OperatorSocketSession): void {
    const stopTimer = atTime(session.expiresAt, () => closeForAccess(ws, 'Your session has expired'));
    this.watch(this.byOperator, session.operatorId, { ws, sessionId: session.sessionId }, stopTimer);
  }

  /**
   * Closes the widget socket when its visitor's tokens are revoked, and calls
   * `renewal.renew` once its token is due for renewal, so a widget that stays
   * connected for weeks still holds a valid token when it next reconnects.
   */
  watchVisitor(ws: WebSocket, visitorId: string, renewal: { renewAt: Date; renew: () => void }): void {
    const stopTimer = atTime(renewal.renewAt, renewal.renew);
    this.watch(this.byVisitor, visitorId, { ws, sessionId: null }, stopTimer);
  }

  handle(
    event: Extract<
      AccessEvent,
      { type: 'operator.sessions.ended' | 'operator.access.changed' | 'visitor.tokens.revoked' }
    >,
  ): void {
    if (event.type === 'operator.access.changed') {
      // Not an end: the console reconnects at once and its socket is authenticated afresh.
      for (const watched of this.byOperator.get(event.operatorId) ?? [])
        if (watched.ws.readyState === watched.ws.OPEN)
          watched.ws.close(CLOSE_CODES.restarting, 'Your access changed; reconnect');
    } else if (event.type === 'operator.sessions.ended') {
      for (const watched of this.byOperator.get(event.operatorId) ?? []) {
        if (event.sessionIds === null || (watched.sessionId && event.sessionIds.includes(watched.sessionId)))
          closeForAccess(watched.ws, 'Your session has ended');
      }
    } else {
      for (const watched of this.byVisitor.get(event.visitorId) ?? [])
        closeForAccess(watched.ws, 'This visitor token was revoked');
    }
  }

  private watch(map: Map<string, Set<Watched>>, key: string, watched: Watched, stop: () => void): void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(watched);
    watched.ws.once('close', () => {
      stop();
      set.delete(watched);
      if (set.size === 0 && map.get(key) === set) map.delete(key);
    });
  }
}

/**
 * Runs `check` before every frame handler: a frame that arrives after the
 * session ended (even before this node heard of it) gets an `unauthorized`
 * error, changes nothing, and the socket is closed.
 */
export function guardOperatorFrames<M>(
  ws: WebSocket,
  handlers: FrameHandlers<M>,
  isLive: () => Promise<boolean>,
): FrameHandlers<M> {
  const guarded = {} as FrameHandlers<M>;
  for (const key of Object.keys(handlers) as (keyof M)[]) {
    const handler = handlers[key];
    guarded[key] = async (data) => {
      if (!(await isLive())) {
        // After the error frame is written: the client learns why before the socket closes.
        setImmediate(() => closeForAccess(ws, 'Your session has ended'));
        throw new DomainError('unauthorized', 'Your session has ended; log in again');
      }
      return handler(data);
    };
  }
  return guarded;
}

function closeForAccess(ws: WebSocket, reason: string): void {
  if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING)
    ws.close(CLOSE_CODES.unauthorized, reason);
}

/** Calls `fn` at `time` (however far away); returns a cancel function. */
function atTime(time: Date, fn: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const delay = time.getTime() - Date.now();
    if (delay <= 0) return fn();
    timer = setTimeout(arm, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
