/**
 * The console's addresses: the inbox, the inbox with a conversation open (so a
 * reload keeps it), "visitors now" (`/console/visitors`), a visitor's full profile
 * (`/console/visitors/<id>`), and the settings area — `/console/settings/<section>` and
 * `/console/settings/<section>/<id>` (a site, an operator, …).
 */
const BASE = '/console/';
const CONVERSATION = /^\/console\/conversations\/([0-9a-f-]{36})\/?$/;
const VISITORS = /^\/console\/visitors\/?$/;
const VISITOR = /^\/console\/visitors\/([0-9a-f-]{36})\/?$/;
const SETTINGS = /^\/console\/settings(?:\/([a-z-]+)(?:\/([^/]+))?)?\/?$/;

export type ConsoleRoute =
  | { view: 'inbox'; conversationId: string | null }
  /** "Visitors now": who is on the site at this moment. */
  | { view: 'visitors' }
  /** `section` null: the settings area's first section the operator may see. */
  | { view: 'settings'; section: string | null; itemId: string | null }
  /** A visitor's full profile (issue 12). */
  | { view: 'visitor'; visitorId: string };

export function routeFromPath(path: string): ConsoleRoute {
  const settings = SETTINGS.exec(path);
  if (settings) return { view: 'settings', section: settings[1] ?? null, itemId: settings[2] ?? null };
  if (VISITORS.test(path)) return { view: 'visitors' };
  const visitor = VISITOR.exec(path)?.[1];
  if (visitor) return { view: 'visitor', visitorId: visitor };
  return { view: 'inbox', conversationId: conversationIdFromPath(path) };
}

export function conversationIdFromPath(path: string): string | null {
  return CONVERSATION.exec(path)?.[1] ?? null;
}

export function pathForConversation(id: string | null): string {
  return id ? `${BASE}conversations/${id}` : BASE;
}

export const PATH_VISITORS_NOW = `${BASE}visitors`;

export function pathForSettings(section?: string, itemId?: string): string {
  if (!section) return `${BASE}settings`;
  return itemId ? `${BASE}settings/${section}/${encodeURIComponent(itemId)}` : `${BASE}settings/${section}`;
}

export function pathForVisitor(id: string): string {
  return `${BASE}visitors/${id}`;
}
