/**
 * A tiny observable store: one immutable state object, replaced on every
 * change, read by React through `useSyncExternalStore` with a selector, so
 * a keystroke in one draft re-renders only what reads that draft.
 */
import { useSyncExternalStore } from 'react';

export class Store<S> {
  private listeners = new Set<() => void>();

  constructor(private state: S) {}

  get = (): S => this.state;

  update(change: (state: S) => S): void {
    const next = change(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** Re-renders when the selected value changes (by `Object.is`); selectors must return stable references. */
export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
