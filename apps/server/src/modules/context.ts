/**
 * What domain commands need from the outside world: the database, the event
 * bus to announce what happened, and the presence store. Built once in app.ts.
 */
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from '../presence/presence-store.js';

export interface DomainContext {
  db: Db;
  bus: EventBus;
  presence: PresenceStore;
  log: Logger;
}
