/**
 * Whether the composer of each conversation writes a note (to colleagues)
 * or a reply (to the visitor). Per conversation, kept while the console is
 * open, like its draft; off by default, so a reply is never sent as a note
 * (or a note as a reply) by a mode left on elsewhere.
 */
import { Store, useStore } from '../../store/store';

const modes = new Store<Readonly<Record<string, boolean>>>({});

export function isNoteMode(conversationId: string): boolean {
  return modes.get()[conversationId] === true;
}

export function setNoteMode(conversationId: string, on: boolean): void {
  modes.update((s) => (s[conversationId] === on ? s : { ...s, [conversationId]: on }));
}

export function toggleNoteMode(conversationId: string): void {
  setNoteMode(conversationId, !isNoteMode(conversationId));
}

export function useNoteMode(conversationId: string): boolean {
  return useStore(modes, (s) => s[conversationId] === true);
}
