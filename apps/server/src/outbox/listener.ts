/**
 * Holds one connection LISTENing on the outbox channel and calls back with
 * each notified topic. The connection is reconnected when it breaks; until
 * then the worker's polling covers the gap, so a lost notification only
 * costs latency, never a row.
 */
import type pg from 'pg';
import type { Logger } from '../logger.js';

export class OutboxListener {
  private client: pg.PoolClient | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly channel: string,
    private readonly onTopic: (topic: string) => void,
    private readonly log: Logger,
    private readonly retryMs: number,
  ) {}

  async start(): Promise<void> {
    if (this.closed) return;
    let client: pg.PoolClient | null = null;
    try {
      client = await this.pool.connect();
      const held = client;
      held.on('notification', (message) => this.onTopic(message.payload ?? ''));
      held.on('error', (error) => this.lost(held, error));
      await held.query(`LISTEN ${this.channel}`);
      if (this.closed) return releaseOnce(held);
      this.client = held;
    } catch (error) {
      if (client) this.lost(client, error);
      else this.scheduleRetry(error);
    }
  }

  private lost(client: pg.PoolClient, error: unknown): void {
    if (this.client === client) this.client = null;
    releaseOnce(client);
    this.scheduleRetry(error);
  }

  private scheduleRetry(error: unknown): void {
    if (this.closed || this.retry) return;
    this.log.warn({ err: error }, 'outbox listener lost its connection; polling until it is back');
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, this.retryMs);
    this.retry.unref();
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    // Destroyed, not returned to the pool: a pooled connection would go on listening.
    if (this.client) releaseOnce(this.client);
    this.client = null;
  }
}

/** Destroys a connection; a second call (an error after a release) is a no-op, not a throw. */
function releaseOnce(client: pg.PoolClient): void {
  try {
    client.release(true);
  } catch {
    // Already released.
  }
}
