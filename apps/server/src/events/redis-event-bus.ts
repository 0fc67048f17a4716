/**
 * Event bus over Redis pub/sub, for several nodes. A node delivers its own
 * events to its local sockets at once, in process, and publishes them to one
 * channel for the other nodes; what it hears back from itself it drops (each
 * envelope names the publishing incarnation), so nothing is delivered twice.
 * While Redis is away, same-node conversations therefore go on live; events
 * for other nodes are lost to them until Redis is back (clients resync).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { connectRedis, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, isRedisReady } from '../redis/connect.js';
import type { RedisNamespace } from '../redis/namespace.js';
import type { BusEvent } from './domain-events.js';
import type { EventBus, EventHandler } from './event-bus.js';

/** What travels on the channel: the event and who published it. */
interface Envelope {
  origin: string;
  event: BusEvent;
}

export class RedisEventBus implements EventBus {
  private readonly handlers = new Set<EventHandler>();
  /** This process, not NODE_ID: two processes given one NODE_ID by mistake must still hear each other. */
  private readonly origin = randomUUID();
  /** Events published but not shared since Redis went away. */
  private unshared = 0;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
    /** The installation's channel: `<namespace>:events`. */
    private readonly channel: string,
  ) {
    subscriber.on('message', (_channel: string, payload: string) => this.receive(payload));
  }

  static async connect(
    url: string,
    namespace: RedisNamespace,
    log: Logger,
    options: { commandTimeoutMs?: number } = {},
  ): Promise<RedisEventBus> {
    const channel = `${namespace}:events`;
    const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    const publisher = await connectRedis(url, { commandTimeoutMs, role: 'bus publisher' }, log);
    const subscriber = await connectRedis(
      url,
      { commandTimeoutMs, role: 'bus subscriber', subscriber: true },
      log,
    ).catch(async (error) => {
      publisher.disconnect();
      throw error;
    });
    await subscriber.subscribe(channel);
    return new RedisEventBus(publisher, subscriber, log, channel);
  }

  /** Delivers locally, then tells the other nodes; a Redis failure is logged, not thrown (the event is stored). */
  async publish(event: BusEvent): Promise<void> {
    this.deliver(event);
    try {
      if (!isRedisReady(this.publisher)) throw new Error('redis connection down');
      await this.publisher.publish(
        this.channel,
        JSON.stringify({ origin: this.origin, event } satisfies Envelope),
      );
      this.unshared = 0;
    } catch (error) {
      // Once per outage at warn, then quietly: an outage under load would otherwise flood the log.
      this.unshared += 1;
      const details = { err: error, event: event.type, unshared: this.unshared };
      if (this.unshared === 1) this.log.warn(details, 'events not shared with other nodes: redis away');
      else this.log.debug(details, 'event not shared with other nodes');
    }
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    await Promise.all([this.subscriber.quit(), this.publisher.quit()]).catch(() => {});
  }

  private receive(payload: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch (error) {
      this.log.error({ err: error }, 'unreadable event on the bus');
      return;
    }
    if (envelope.origin === this.origin) return; // delivered locally when published
    this.deliver(envelope.event);
  }

  private deliver(event: BusEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.log.error({ err: error, event: event.type }, 'event handler failed');
      }
    }
  }
}
