/**
 * Event bus over Redis pub/sub: every node publishes to one channel and
 * delivers what it receives (its own events included) to its local sockets,
 * so a visitor on node A and an operator on node B see the same stream.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { BusEvent } from './domain-events.js';
import type { EventBus, EventHandler } from './event-bus.js';

const CHANNEL = 'parley:events';

export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (_channel: string, payload: string) => this.deliver(payload));
  }

  static async connect(url: string, log: Logger): Promise<RedisEventBus> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const subscriber = new Redis(url, { lazyConnect: true });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(CHANNEL);
    return new RedisEventBus(publisher, subscriber, log);
  }

  async publish(event: BusEvent): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify(event));
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([this.subscriber.quit(), this.publisher.quit()]).catch(() => {});
  }

  private deliver(payload: string): void {
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch (error) {
      this.log.error({ err: error }, 'unreadable event on the bus');
      return;
    }
    for (const handler of this.handlers) handler(event);
  }
}
