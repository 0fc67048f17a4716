/**
 * A sleep that can be cut short. The worker sleeps until its next row falls
 * due or the poll interval ends, and is woken early by a NOTIFY or a handler
 * finishing. A wake that arrives while the worker is busy is kept, so it is
 * not lost between a claim and the next sleep.
 */
export class Wakeup {
  private pending = false;
  private wake: (() => void) | null = null;

  /** Ends the current sleep, or the next one if the worker is not asleep. */
  nudge(): void {
    this.pending = true;
    this.wake?.();
  }

  /** Sleeps up to `ms`, less if nudged; returns at once if nudged since the last sleep. */
  async sleep(ms: number): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
    this.pending = false;
  }
}
