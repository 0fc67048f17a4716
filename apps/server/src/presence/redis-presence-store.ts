/**
 * Presence in Redis, with leases. Layout:
 *  - `<namespace>:presence:<operatorId>` hash: nodeId → connection count on that node;
 *  - `<namespace>:node:<nodeId>` the node's lease: a key with a TTL, refreshed by a heartbeat;
 *  - `<namespace>:node-operators:<nodeId>` set: operators this node has written counts for.
 * A node's counts count only while its lease lives, so a dead node stops
 * keeping anyone online within NODE_TTL_MS. Each node keeps its own counts in
 * memory (the truth about its sockets) and writes them again on every
 * heartbeat and as soon as Redis is back, so Redis losing its data (restart,
 * failover) costs at most one heartbeat. A node starting under a NODE_ID
 * that was used before (restart after a crash) first clears the counts of
 * that previous incarnation, which would otherwise show ghosts until the
 * lease ran out. While Redis is away, answers come from this node's counts
 * and the last answer Redis gave (for up to a minute).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { connectRedis, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, isRedisReady } from '../redis/connect.js';
import type { RedisNamespace } from '../redis/namespace.js';
import type { PresenceStore } from './presence-store.js';

const HEARTBEAT_MS = 5_000;
const NODE_TTL_MS = 15_000;
/** How long, with Redis away, an operator last seen connected through Redis still counts as connected. */
const LAST_KNOWN_MAX_AGE_MS = 60_000;

/** The installation's presence keys (see the top of this file). */
function presenceKeys(namespace: RedisNamespace) {
  return {
    presence: (operatorId: string) => `${namespace}:presence:${operatorId}`,
    lease: (nodeId: string) => `${namespace}:node:${nodeId}`,
    written: (nodeId: string) => `${namespace}:node-operators:${nodeId}`,
  };
}
type PresenceKeys = ReturnType<typeof presenceKeys>;

export class RedisPresenceStore implements PresenceStore {
  private readonly heartbeat: NodeJS.Timeout;
  /** This node's console connections per operator: the source its Redis entries are rewritten from. */
  private readonly local = new Map<string, number>();
  /** Operators Redis last said were connected (on any node), and when. */
  private readonly lastKnown = new Map<string, number>();

  private constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly keys: PresenceKeys,
    private readonly log?: Logger,
  ) {
    this.heartbeat = setInterval(() => void this.refresh(), HEARTBEAT_MS);
    this.heartbeat.unref();
    // Back after an outage (maybe a Redis that lost everything): renew the lease and counts at once.
    redis.on('ready', () => void this.refresh());
  }

  static async connect(
    url: string,
    nodeId: string,
    namespace: RedisNamespace,
    options: { commandTimeoutMs?: number; log?: Logger } = {},
  ): Promise<RedisPresenceStore> {
    const redis = await connectRedis(
      url,
      { commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS, role: 'presence' },
      options.log,
    );
    const keys = presenceKeys(namespace);
    await clearPreviousIncarnation(redis, keys, nodeId);
    const store = new RedisPresenceStore(redis, nodeId, keys, options.log);
    await store.refresh();
    return store;
  }

  async changeConnections(operatorId: string, delta: 1 | -1): Promise<void> {
    const count = Math.max(0, (this.local.get(operatorId) ?? 0) + delta);
    if (count > 0) this.local.set(operatorId, count);
    else this.local.delete(operatorId);
    if (!isRedisReady(this.redis)) return; // written with the next refresh after Redis is back
    try {
      if (count > 0)
        await this.redis
          .multi()
          .hset(this.keys.presence(operatorId), this.nodeId, count)
          .sadd(this.keys.written(this.nodeId), operatorId)
          .exec();
      else await this.redis.hdel(this.keys.presence(operatorId), this.nodeId);
    } catch (error) {
      this.log?.debug({ err: error }, 'presence change not written: redis failed');
    }
  }

  async connectedOperators(operatorIds: readonly string[]): Promise<Set<string>> {
    if (operatorIds.length === 0) return new Set();
    try {
      if (!isRedisReady(this.redis)) throw new Error('redis connection down');
      const connected = await this.readConnected(operatorIds);
      const now = Date.now();
      for (const id of operatorIds) {
        if (connected.has(id)) this.lastKnown.set(id, now);
        else this.lastKnown.delete(id);
      }
      return connected;
    } catch (error) {
      this.log?.debug({ err: error }, 'presence answered locally: redis away');
      const since = Date.now() - LAST_KNOWN_MAX_AGE_MS;
      return new Set(operatorIds.filter((id) => this.local.has(id) || (this.lastKnown.get(id) ?? 0) > since));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    // Leaving cleanly: drop this node's lease at once rather than after the TTL.
    await this.redis.del(this.keys.lease(this.nodeId)).catch(() => {});
    await this.redis.quit().catch(() => {});
  }

  private async readConnected(operatorIds: readonly string[]): Promise<Set<string>> {
    const pipeline = this.redis.pipeline();
    for (const id of operatorIds) pipeline.hgetall(this.keys.presence(id));
    const results = (await pipeline.exec()) ?? [];
    const perOperator = results.map(([error, value]) => {
      if (error) throw error;
      return (value ?? {}) as Record<string, string>;
    });
    const nodes = [...new Set(perOperator.flatMap((counts) => Object.keys(counts)))];
    const alive = new Set<string>();
    if (nodes.length > 0) {
      const leases = await this.redis.mget(nodes.map(this.keys.lease));
      nodes.forEach((node, i) => {
        if (leases[i]) alive.add(node);
      });
    }
    const connected = new Set<string>();
    operatorIds.forEach((id, i) => {
      const counts = perOperator[i] ?? {};
      if (Object.entries(counts).some(([node, n]) => alive.has(node) && Number(n) > 0)) connected.add(id);
    });
    return connected;
  }

  /** Renews the lease and rewrites this node's counts (idempotent: absolute values, not increments). */
  private async refresh(): Promise<void> {
    if (!isRedisReady(this.redis)) return;
    const batch = this.redis.multi().set(this.keys.lease(this.nodeId), '1', 'PX', NODE_TTL_MS);
    for (const [operatorId, count] of this.local) {
      batch
        .hset(this.keys.presence(operatorId), this.nodeId, count)
        .sadd(this.keys.written(this.nodeId), operatorId);
    }
    await batch.exec().catch((error) => this.log?.debug({ err: error }, 'presence refresh failed'));
  }
}

/** Removes the counts a previous process under this NODE_ID left behind (it may have died without a word). */
async function clearPreviousIncarnation(redis: Redis, keys: PresenceKeys, nodeId: string): Promise<void> {
  const operators = await redis.smembers(keys.written(nodeId));
  const batch = redis.multi();
  for (const operatorId of operators) batch.hdel(keys.presence(operatorId), nodeId);
  await batch.del(keys.written(nodeId)).exec();
}
