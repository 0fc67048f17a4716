/**
 * The conversation as the visitor sees it: every message once, in order
 * (by seq within a conversation, by time across conversations), followed by
 * the visitor's unsent messages. Remembers the last seq seen per
 * conversation: the resume point after a reconnect.
 */
import type { AuthorDTO, MessageDTO } from '@parley/protocol';
import type { Catalog } from './i18n.js';
import type { OutboxItem } from './outbox.js';
import { renderMessage } from './render-message.js';

interface Entry {
  message: MessageDTO | null;
  clientId: string | null;
  element: HTMLElement;
}

const VISITOR: AuthorDTO = { kind: 'visitor', id: null, name: null, avatarUrl: null };

export class Timeline {
  private readonly entries: Entry[] = [];
  private readonly ids = new Set<string>();
  readonly lastSeq = new Map<string, number>();

  constructor(
    private readonly list: HTMLElement,
    private readonly t: Catalog,
    private readonly language: string,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** Adds a message from the server; false when it was already shown. Replaces its pending copy if any. */
  add(message: MessageDTO): boolean {
    if (this.ids.has(message.id)) return false;
    this.ids.add(message.id);
    this.lastSeq.set(
      message.conversationId,
      Math.max(this.lastSeq.get(message.conversationId) ?? 0, message.seq),
    );
    const pending = message.clientId
      ? this.entries.findIndex((e) => !e.message && e.clientId === message.clientId)
      : -1;
    if (pending >= 0) this.entries.splice(pending, 1)[0]?.element.remove();

    // The slot after the last message that precedes this one; unsent messages stay last.
    let index = this.entries.length;
    while (index > 0) {
      const before = this.entries[index - 1]?.message;
      if (before && isBefore(before, message)) break;
      index--;
    }
    const previous = this.entries[index - 1]?.message;
    const continued =
      !!previous &&
      previous.author.kind === 'operator' &&
      previous.author.id === message.author.id &&
      message.author.kind === 'operator';
    const element = renderMessage(
      { text: message.text, author: message.author, createdAt: message.createdAt, state: 'sent' },
      this.t,
      this.language,
      continued,
    );
    this.insert(index, { message, clientId: message.clientId, element });
    return true;
  }

  hasClientId(clientId: string): boolean {
    return this.entries.some((e) => e.message?.clientId === clientId);
  }

  addPending(item: OutboxItem): void {
    const element = renderMessage(
      { text: item.text, author: VISITOR, createdAt: null, state: 'pending' },
      this.t,
      this.language,
      false,
    );
    this.insert(this.entries.length, { message: null, clientId: item.clientId, element });
  }

  markFailed(clientId: string): void {
    const entry = this.entries.find((e) => !e.message && e.clientId === clientId);
    if (!entry) return;
    const failed = renderMessage(
      {
        text: entry.element.querySelector('.tx')?.textContent ?? '',
        author: VISITOR,
        createdAt: null,
        state: 'failed',
      },
      this.t,
      this.language,
      false,
    );
    entry.element.replaceWith(failed);
    entry.element = failed;
  }

  conversationIds(): string[] {
    return [...this.lastSeq.keys()];
  }

  private insert(index: number, entry: Entry): void {
    const stick = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    const next = this.entries[index]?.element ?? null;
    this.list.insertBefore(entry.element, next && next.parentNode === this.list ? next : null);
    this.entries.splice(index, 0, entry);
    if (stick || entry.message?.author.kind === 'visitor' || !entry.message)
      this.list.scrollTop = this.list.scrollHeight;
  }
}

function isBefore(a: MessageDTO, b: MessageDTO): boolean {
  return a.conversationId === b.conversationId ? a.seq < b.seq : a.createdAt <= b.createdAt;
}
