/**
 * The visitor's unsent messages, kept in storage so neither a dropped link
 * nor a reload loses them: the shared `Outbox` (order, resend with the same
 * clientId, refusals marked failed without blocking the rest) over this
 * frame's storage. A refused message stays failed across reloads until the
 * visitor retries or discards it.
 */
import { createOutbox, type OutboxEntry as Entry, type Outbox } from '@parley/client';
import type { SafeStorage } from '../shared/safe-storage.js';

/** An unsent message; one that carries files (stored already) names them, and shows their names meanwhile. */
export type OutboxEntry = Entry & { fileIds?: string[]; names?: string };

/** Reads what an earlier page left, dropping anything a host page's script could have mangled (one not marked failed is to be sent: see the shared outbox). */
export function readOutbox(raw: string | null): OutboxEntry[] {
  try {
    const saved: OutboxEntry[] = JSON.parse(raw ?? '[]');
    return saved.filter((e) => e?.clientId && (e.text || e.fileIds?.length));
  } catch {
    return [];
  }
}

/**
 * An outbox persisted under `key`; `changed` hears every change (to redraw). Storage is read on every
 * look, not once: the visitor's other tabs (and the page before a reload) share it, so settling one
 * message writes back what storage holds now — never this tab's old copy over another tab's unsent
 * messages. A message two tabs both send lands once (the server dedupes by clientId).
 */
export function storedOutbox(
  storage: SafeStorage,
  key: string,
  deliver: (entry: OutboxEntry) => Promise<void>,
  changed: () => void,
): Outbox<OutboxEntry> {
  return createOutbox<OutboxEntry>({
    read: () => readOutbox(storage.get(key)),
    write(next) {
      if (next.length) storage.set(key, JSON.stringify(next));
      else storage.remove(key);
      changed();
    },
    deliver,
  });
}
