/**
 * Who has a conversation open in a console right now, on any node: the
 * collision warning ("Anna is also viewing"). Each entry lives `VIEWING_TTL_MS`
 * unless the console repeats it, so a console that vanished (node killed,
 * laptop closed) stops counting by itself. In memory for one node, in Redis
 * (`<namespace>:viewers:<conversationId>`, a sorted set scored by expiry) for several.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { RedisNamespace } from '../redis/namespace.js';

/** How long one `conversation.viewing` counts; consoles repeat it well within (every 20 s). */
export const VIEWING_TTL_MS = 45_000;

export interface ViewerStore {
  /** Marks (or unmarks) an operator as viewing; answers who views the conversation now. */
  setViewing(conversationId: string, operatorId: string, viewing: boolean): Promise<string[]>;
  close(): Promise<void>;
}

export class InProcessViewerStore implements ViewerStore {
  private readonly expiries = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  async setViewing(conversationId: string, operatorId: string, viewing: boolean): Promise<string[]> {
    const entries = this.expiries.get(conversationId) ?? new Map<string, number>();
    if (viewing) entries.set(operatorId, this.now() + VIEWING_TTL_MS);
    else entries.delete(operatorId);
    for (const [id, expiry] of entries) if (expiry <= this.now()) entries.delete(id);
    if (entries.size > 0) this.expiries.set(conversationId, entries);
    else this.expiries.delete(conversationId);
    return [...entries.keys()];
  }

  async close(): Promise<void> {
    this.expiries.clear();
  }
}

export class RedisViewerStore implements ViewerStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: RedisNamespace,
    private readonly log?: Logger,
  ) {}

  async setViewing(conversationId: string, operatorId: string, viewing: boolean): Promise<string[]> {
    const key = `${this.namespace}:viewers:${conversationId}`;
    const now = Date.now();
    try {
      const batch = this.redis.multi();
      if (viewing) batch.zadd(key, now + VIEWING_TTL_MS, operatorId);
      else batch.zrem(key, operatorId);
      batch.zremrangebyscore(key, '-inf', now).zrange(key, 0, -1).pexpire(key, VIEWING_TTL_MS);
      const results = await batch.exec();
      const members = results?.[2]?.[1];
      return Array.isArray(members) ? (members as string[]) : [];
    } catch (error) {
      // Best effort, like the bus: without Redis the warning is missing for a while, nothing else.
      this.log?.warn({ err: error }, 'could not record who views a conversation');
      return viewing ? [operatorId] : [];
    }
  }

  async close(): Promise<void> {}
}
