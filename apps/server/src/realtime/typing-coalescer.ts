/**
 * Typing announcements of one socket, at most one per interval per key (a
 * conversation). A frame inside the interval is acked but only remembered;
 * the latest state goes out when the interval ends. So a client sending
 * thousands of `typing.set` frames costs operators a few events a second,
 * while the sneak peek stays current and a final "stopped typing" is never
 * dropped.
 */
import type { Logger } from '../logger.js';

interface Slot<S> {
  /** Until when the last announcement holds the key. */
  until: number;
  latest: S | null;
  timer: NodeJS.Timeout | null;
}

export class TypingCoalescer<S> {
  private readonly slots = new Map<string, Slot<S>>();

  constructor(
    private readonly intervalMs: number,
    private readonly announce: (key: string, state: S) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Announces `state` now when the key is free (the caller sees its errors), else at the interval's end. */
  offer(key: string, state: S, now = Date.now()): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot || (slot.until <= now && !slot.timer)) {
      this.slots.set(key, { until: now + this.intervalMs, latest: null, timer: null });
      return this.announce(key, state);
    }
    slot.latest = state;
    slot.timer ??= setTimeout(() => this.flush(key), Math.max(0, slot.until - now));
    return Promise.resolve();
  }

  private flush(key: string): void {
    const slot = this.slots.get(key);
    if (!slot?.latest) return;
    const state = slot.latest;
    slot.latest = null;
    slot.timer = null;
    slot.until = Date.now() + this.intervalMs;
    this.announce(key, state).catch((error: unknown) =>
      this.log.warn({ err: error }, 'coalesced typing announcement failed'),
    );
  }
}

/** The interval that gives `perSecond` announcements per second. */
export const intervalForRate = (perSecond: number) => Math.ceil(1000 / perSecond);
