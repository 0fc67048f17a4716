/**
 * Load shedding for work that may be refused and sent again (the loader's tracking batches): at most
 * `max` at once on this node; beyond that the caller says "busy" at once, before any database work.
 * Waiting in a queue instead would only grow every batch's latency and the node's memory, and the
 * chat would share the wait.
 */
export class InFlightLimit {
  private active = 0;

  constructor(readonly max: number) {}

  /** A release function when there is room (call it once the work is done), null when full. */
  tryEnter(): (() => void) | null {
    if (this.active >= this.max) return null;
    this.active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
    };
  }

  get inFlight(): number {
    return this.active;
  }
}
