/**
 * Keeps each console socket on this node in step with the sites its operator
 * works on. A site created or deleted, or a grant changed, arrives as
 * `operator.sites.changed` on the bus; every node then re-reads the sites of
 * its consoles concerned, moves them into the new sites' rooms and out of the
 * old ones, narrows or widens what their frames may touch (the actor's
 * `siteIds`, which the policy reads), and sends the console the new list
 * (`sites.changed`) so its site switcher and settings follow without a reload.
 */
import type { OperatorServerEvents } from '@parley/protocol';
import type { Logger } from '../logger.js';
import type { DomainContext } from '../modules/context.js';
import type { OperatorActor } from '../modules/policy/actors.js';
import { presentSite } from '../modules/sites/presenter.js';
import { listSitesOfOperator } from '../modules/sites/queries.js';
import type { SocketConnection } from './connection.js';
import { rooms } from './recipients.js';
import type { RoomRegistry } from './room-registry.js';

interface Tracked {
  connection: SocketConnection;
  actor: OperatorActor;
  rooms: Set<string>;
}

export class OperatorSiteRooms {
  private readonly byOperator = new Map<string, Set<Tracked>>();

  constructor(
    private readonly registry: RoomRegistry<SocketConnection>,
    private readonly ctx: Pick<DomainContext, 'db'>,
    private readonly log: Logger,
  ) {}

  /** Joins the console to its sites' rooms, and keeps it there until it closes. */
  track(connection: SocketConnection, actor: OperatorActor): void {
    const tracked: Tracked = { connection, actor, rooms: new Set() };
    this.moveTo(tracked, actor.siteIds);
    let set = this.byOperator.get(actor.operatorId);
    if (!set) {
      set = new Set();
      this.byOperator.set(actor.operatorId, set);
    }
    set.add(tracked);
    connection.ws.once('close', () => {
      for (const room of tracked.rooms) this.registry.leave(room, connection);
      set.delete(tracked);
      if (set.size === 0 && this.byOperator.get(actor.operatorId) === set)
        this.byOperator.delete(actor.operatorId);
    });
  }

  /** Re-reads the sites of `operatorIds` (null: every operator with a console here). */
  async refresh(operatorIds: readonly string[] | null): Promise<void> {
    const ids = operatorIds ?? [...this.byOperator.keys()];
    await Promise.all(
      ids.map(async (operatorId) => {
        if (!this.byOperator.has(operatorId)) return;
        try {
          const sites = await listSitesOfOperator(this.ctx.db, operatorId);
          const frame = JSON.stringify({
            type: 'sites.changed',
            data: { sites: sites.map(presentSite) } satisfies OperatorServerEvents['sites.changed'],
          });
          for (const tracked of this.byOperator.get(operatorId) ?? []) {
            // A socket closed while the sites were read has left its rooms for good: joining again would leak.
            if (tracked.connection.ws.readyState !== tracked.connection.ws.OPEN) continue;
            this.moveTo(
              tracked,
              sites.map((s) => s.id),
            );
            tracked.connection.sendRaw(frame);
          }
        } catch (error) {
          // The console keeps its old sites until its next reconnect re-reads them.
          this.log.warn({ err: error, operatorId }, 'could not refresh the sites of a console');
        }
      }),
    );
  }

  private moveTo(tracked: Tracked, siteIds: readonly string[]): void {
    const wanted = new Set(siteIds.map(rooms.siteOperators));
    for (const room of tracked.rooms)
      if (!wanted.has(room)) {
        this.registry.leave(room, tracked.connection);
        // A site no longer theirs: its "visitors now" stops too (they may have been watching it).
        const siteId = room.slice('site:'.length, -':operators'.length);
        this.registry.leave(rooms.siteVisitorsNow(siteId), tracked.connection);
      }
    for (const room of wanted) if (!tracked.rooms.has(room)) this.registry.join(room, tracked.connection);
    tracked.rooms = wanted;
    tracked.actor.siteIds = [...siteIds];
  }
}
