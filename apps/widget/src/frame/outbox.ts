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

/** An outbox persisted under `key`; `changed` hears every change (to redraw). */
export function storedOutbox(
  storage: SafeStorage,
  key: string,
  deliver: (entry: OutboxEntry) => Promise<void>,
  changed: () => void,
): Outbox<OutboxEntry> {
  let entries = readOutbox(storage.get(key));
  return createOutbox<OutboxEntry>({
    read: () => entries,
    write(next) {
      entries = next;
      if (next.length) storage.set(key, JSON.stringify(next));
      else storage.remove(key);
      changed();
    },
    deliver,
  });
}
