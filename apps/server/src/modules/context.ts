/**
 * What domain commands need from the outside world: the database (and the
 * message appender on it), the event bus to announce what happened, and the
 * presence store. Built once in services.ts.
 */
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from '../presence/presence-store.js';
import type { ViewerStore } from '../presence/viewer-store.js';
import type { MessageAppender } from './conversations/message-appender.js';

export interface DomainContext {
  db: Db;
  /** Stores messages, batching those that arrive together (group commit). */
  messageAppender: MessageAppender;
  bus: EventBus;
  presence: PresenceStore;
  /** Who has which conversation open (routing's collision warning). */
  viewers: ViewerStore;
  log: Logger;
}
