/** The console's only routes: the inbox, and the inbox with a conversation open (so a reload keeps it). */
const BASE = '/console/';
const CONVERSATION = /^\/console\/conversations\/([0-9a-f-]{36})\/?$/;

export function conversationIdFromPath(path: string): string | null {
  return CONVERSATION.exec(path)?.[1] ?? null;
}

export function pathForConversation(id: string | null): string {
  return id ? `${BASE}conversations/${id}` : BASE;
}
