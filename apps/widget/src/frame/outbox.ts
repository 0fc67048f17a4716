/**
 * Messages the visitor wrote that the server has not acknowledged yet, kept in
 * storage so neither a dropped link nor a reload loses them. Delivered one at
 * a time, in the order written, each with its clientId: a retry after a lost
 * ack returns the original message instead of a duplicate.
 */
import type { SafeStorage } from '../shared/safe-storage.js';
import { newClientId } from './client-id.js';

export interface OutboxItem {
  clientId: string;
  text: string;
}

/** What a delivery attempt concluded about one item. */
export type Delivery = 'sent' | 'rejected' | 'later';

export class Outbox {
  private queue: OutboxItem[];
  private flushing = false;

  constructor(
    private readonly storage: SafeStorage,
    private readonly key: string,
  ) {
    let saved: unknown = null;
    try {
      saved = JSON.parse(storage.get(key) ?? '[]');
    } catch {
      saved = null;
    }
    this.queue = Array.isArray(saved) ? (saved as OutboxItem[]).filter((i) => i?.clientId && i.text) : [];
  }

  items(): readonly OutboxItem[] {
    return this.queue;
  }

  add(text: string): OutboxItem {
    const item = { clientId: newClientId(), text };
    this.queue.push(item);
    this.save();
    return item;
  }

  remove(clientId: string): void {
    this.queue = this.queue.filter((item) => item.clientId !== clientId);
    this.save();
  }

  /** Delivers from the head until empty or until `deliver` says 'later' (link down, rate limit). */
  async flush(deliver: (item: OutboxItem) => Promise<Delivery>): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (let head = this.queue[0]; head; head = this.queue[0]) {
        const outcome = await deliver(head);
        if (outcome === 'later') return;
        this.remove(head.clientId);
      }
    } finally {
      this.flushing = false;
    }
  }

  private save(): void {
    if (this.queue.length) this.storage.set(this.key, JSON.stringify(this.queue));
    else this.storage.remove(this.key);
  }
}
