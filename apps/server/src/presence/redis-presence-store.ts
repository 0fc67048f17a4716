/**
 * Presence in Redis. Layout:
 *  - `parley:presence:<operatorId>` hash: nodeId → connection count on that node;
 *  - `parley:node:<nodeId>` key with a TTL, refreshed by a heartbeat while the node lives.
 * A node that dies stops refreshing its key, and its counts stop counting.
 */
import { Redis } from 'ioredis';
import type { PresenceStore } from './presence-store.js';

const HEARTBEAT_MS = 5_000;
const NODE_TTL_MS = 15_000;

export class RedisPresenceStore implements PresenceStore {
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  static async connect(url: string, nodeId: string): Promise<RedisPresenceStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    const store = new RedisPresenceStore(redis, nodeId);
    await store.beat();
    return store;
  }

  async changeConnections(operatorId: string, delta: 1 | -1): Promise<void> {
    const key = `parley:presence:${operatorId}`;
    const count = await this.redis.hincrby(key, this.nodeId, delta);
    if (count <= 0) await this.redis.hdel(key, this.nodeId);
  }

  async connectedOperators(operatorIds: readonly string[]): Promise<Set<string>> {
    if (operatorIds.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of operatorIds) pipeline.hgetall(`parley:presence:${id}`);
    const results = (await pipeline.exec()) ?? [];
    const perOperator = results.map(([, value]) => (value ?? {}) as Record<string, string>);
    const nodes = [...new Set(perOperator.flatMap((counts) => Object.keys(counts)))];
    const alive = new Set<string>();
    if (nodes.length > 0) {
      const flags = await this.redis.mget(nodes.map((n) => `parley:node:${n}`));
      nodes.forEach((node, i) => {
        if (flags[i]) alive.add(node);
      });
    }
    const connected = new Set<string>();
    operatorIds.forEach((id, i) => {
      const counts = perOperator[i] ?? {};
      if (Object.entries(counts).some(([node, n]) => alive.has(node) && Number(n) > 0)) connected.add(id);
    });
    return connected;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    // Leaving cleanly: drop this node's liveness at once rather than after the TTL.
    await this.redis.del(`parley:node:${this.nodeId}`).catch(() => {});
    await this.redis.quit().catch(() => {});
  }

  private async beat(): Promise<void> {
    await this.redis.set(`parley:node:${this.nodeId}`, '1', 'PX', NODE_TTL_MS).catch(() => {});
  }
}
