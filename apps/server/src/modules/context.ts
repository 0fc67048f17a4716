/**
 * What domain commands need from the outside world: the database, the event
 * bus to announce what happened, and the presence store. Built once in app.ts.
 */
import type pg from 'pg';
import type { Db } from '../db/database.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from '../presence/presence-store.js';

export interface DomainContext {
  db: Db;
  /** The raw pool under `db`, for the few hot statements run as named prepared statements. */
  pool: pg.Pool;
  bus: EventBus;
  presence: PresenceStore;
  log: Logger;
}
