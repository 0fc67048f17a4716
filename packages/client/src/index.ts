/**
 * @parley/client: what the widget's chat frame and the operator console both
 * need to talk to Parley. No zod and no framework: the widget bundles it.
 */
export { backoffDelay, sleep } from './backoff.js';
export { newClientId } from './client-id.js';
export { type LinkPart, linkParts, safeHttpUrl } from './linkify.js';
export {
  createOutbox,
  MAX_INTERNAL_ANSWERS,
  type Outbox,
  type OutboxEntry,
  type OutboxOptions,
  type Verdict,
  verdictOf,
} from './outbox.js';
export {
  ACK_TIMEOUT_MS,
  type ClientSocket,
  type ClientSocketOptions,
  createClientSocket,
  type EventHandlers,
  FrameError,
  LinkError,
  MISSED_EVENT_CHECK_MS,
  type WebSocketLike,
} from './socket-client.js';
export { type SyncPage, syncAfter } from './sync.js';
