/**
 * "Visitors now" live, per node: `visitor.activity` events (one per tracking batch, from any node
 * through the bus) are kept only for sites that a console on this node watches
 * (`visitors.watch` joined it to the site's visitors-now room), latest row per visitor, and sent to
 * those consoles as one `visitors.activity` frame per site at most every `intervalMs`. The first
 * change after a quiet second goes out at once (next turn); a busy site with 2,000 visitors pinging
 * costs each watching console one frame a second, and consoles that do not look get nothing.
 */
import { type OperatorServerEvents, VISITORS_NOW_LIMITS, type VisitorNowDTO } from '@parley/protocol';
import type { DomainEventOf } from '../events/domain-events.js';
import { rooms } from './recipients.js';
import type { RoomRegistry } from './room-registry.js';

interface SiteBatch {
  rows: Map<string, VisitorNowDTO>;
  timer: NodeJS.Timeout | null;
  lastSentAt: number;
}

export class VisitorsNowBatcher {
  private readonly sites = new Map<string, SiteBatch>();

  constructor(
    private readonly registry: RoomRegistry,
    private readonly intervalMs: number = VISITORS_NOW_LIMITS.batchMs,
  ) {}

  offer(event: DomainEventOf<'visitor.activity'>): void {
    const room = rooms.siteVisitorsNow(event.siteId);
    // Nobody here looks: nothing is kept (other nodes' watchers are their own nodes' business).
    if (!this.registry.has(room)) return;
    let batch = this.sites.get(event.siteId);
    if (!batch) {
      batch = { rows: new Map(), timer: null, lastSentAt: 0 };
      this.sites.set(event.siteId, batch);
    }
    const known = batch.rows.get(event.visitorId);
    // Events from several nodes may cross: an older row never replaces a newer one.
    if (!known || Date.parse(known.lastSeenAt) <= Date.parse(event.now.lastSeenAt) || event.now.left)
      batch.rows.set(event.visitorId, event.now);
    if (!batch.timer) {
      const wait = Math.max(0, batch.lastSentAt + this.intervalMs - Date.now());
      batch.timer = setTimeout(() => this.flush(event.siteId), wait);
    }
  }

  /** Drops every pending batch (shutdown). */
  stop(): void {
    for (const batch of this.sites.values()) if (batch.timer) clearTimeout(batch.timer);
    this.sites.clear();
  }

  private flush(siteId: string): void {
    const batch = this.sites.get(siteId);
    if (!batch) return;
    batch.timer = null;
    if (batch.rows.size === 0) {
      this.sites.delete(siteId);
      return;
    }
    const data: OperatorServerEvents['visitors.activity'] = { siteId, visitors: [...batch.rows.values()] };
    batch.rows.clear();
    batch.lastSentAt = Date.now();
    this.registry.broadcast(
      rooms.siteVisitorsNow(siteId),
      JSON.stringify({ type: 'visitors.activity', data }),
    );
    // Kept for one more interval, so a change right after this frame waits its turn; then forgotten.
    batch.timer = setTimeout(() => this.flush(siteId), this.intervalMs);
  }
}
