/**
 * Storage that never throws. Browsers throw on `localStorage` access when
 * cookies or third-party storage are blocked, or when the quota is full; then
 * values live in memory for this page's life only (a session-only visitor).
 */

export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** localStorage when it works, else an in-memory map. Reads only at start: a probe write would cost every page view. */
export function safeStorage(): SafeStorage {
  const memory = new Map<string, string>();
  let store: Storage | null = null;
  try {
    store = window.localStorage;
    store.getItem('parley:probe');
  } catch {
    store = null;
  }
  return {
    get(key) {
      try {
        if (store) return store.getItem(key);
      } catch {
        // Fall through to memory: storage can be revoked while the page lives.
      }
      return memory.get(key) ?? null;
    },
    set(key, value) {
      memory.set(key, value);
      try {
        store?.setItem(key, value);
      } catch {
        // Quota or policy: the memory copy keeps this page working.
      }
    },
    remove(key) {
      memory.delete(key);
      try {
        store?.removeItem(key);
      } catch {
        // Nothing to undo.
      }
    },
  };
}
