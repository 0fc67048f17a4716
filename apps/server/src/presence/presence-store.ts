/**
 * Which operators have a console connected, on any node. Each node counts
 * its own connections; the store merges all nodes' counts, ignoring nodes
 * that stopped heart-beating (a crashed node does not keep anyone "online").
 */

export interface PresenceStore {
  /** Records one more (delta 1) or one fewer (delta -1) console connection of this operator on this node. */
  changeConnections(operatorId: string, delta: 1 | -1): Promise<void>;
  /** Operator ids, out of the given ones, with at least one live connection on a live node. */
  connectedOperators(operatorIds: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

export class InProcessPresenceStore implements PresenceStore {
  private readonly counts = new Map<string, number>();

  async changeConnections(operatorId: string, delta: 1 | -1): Promise<void> {
    const next = (this.counts.get(operatorId) ?? 0) + delta;
    if (next > 0) this.counts.set(operatorId, next);
    else this.counts.delete(operatorId);
  }

  async connectedOperators(operatorIds: readonly string[]): Promise<Set<string>> {
    return new Set(operatorIds.filter((id) => this.counts.has(id)));
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}
