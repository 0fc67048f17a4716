/**
 * The operator socket: @parley/client's socket (acks with the one ack
 * timeout, reconnects with backoff, drain, 4401 (or a refused connect whose
 * session check says 401) = session gone, the
 * missed-event check) typed for the operator's frames and events, with the
 * connection state the top bar shows.
 */
import { type ClientSocket, createClientSocket, MISSED_EVENT_CHECK_MS } from '@parley/client';
import { API_PATHS, type OperatorClientFrames, type OperatorServerEvents } from '@parley/protocol';

export { FrameError } from '@parley/client';

export type EventHandlers = { [K in keyof OperatorServerEvents]: (data: OperatorServerEvents[K]) => void };

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type OperatorSocket = ClientSocket<OperatorClientFrames>;

export interface SocketOptions {
  handlers: EventHandlers;
  onState(state: ConnectionState): void;
  /** The session ended (logged out elsewhere, expired): do not retry. */
  onUnauthorized(): void;
  /** After a refused connect (browsers see 1006, never the 401): is the session still good? */
  stillAllowed(): Promise<boolean>;
  /** Every few seconds while connected: see `MISSED_EVENT_CHECK_MS`. */
  onCheck(): void;
}

export function createOperatorSocket(options: SocketOptions): OperatorSocket {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createClientSocket<OperatorClientFrames, OperatorServerEvents>({
    url: () => `${scheme}://${location.host}${API_PATHS.operatorSocket}`,
    events: options.handlers,
    onLink: (up) => options.onState(up ? 'open' : 'closed'),
    onUnauthorized: options.onUnauthorized,
    stillAllowed: options.stillAllowed,
    onCheck: options.onCheck,
    checkEveryMs: MISSED_EVENT_CHECK_MS,
  });
}
