/** Search hits on the wire: the message as operators see it, and text as marked parts, never markup. */
import type { MessageSearchHit, VisitorSearchHit } from '@parley/protocol';
import { presentMessage } from '../conversations/presenter.js';
import { visitorLabel } from '../visitors/presenter.js';
import { partsBySubstring, partsFromMarks, snippetOf, withoutMarkCharacters } from './highlight.js';
import type { MessageHitRow, VisitorHitRow } from './queries.js';

export function presentMessageHit(row: MessageHitRow): MessageSearchHit {
  const text = withoutMarkCharacters(row.text);
  const parts = partsFromMarks(text, row.marks);
  return {
    message: presentMessage(row),
    siteId: row.site_id,
    visitorId: row.visitor_id,
    visitorName: row.visitor_name ?? visitorLabel(row.visitor_id),
    snippet: snippetOf(parts),
  };
}

export function presentVisitorHit(row: VisitorHitRow, typed: string): VisitorSearchHit {
  return {
    visitorId: row.id,
    siteId: row.site_id,
    name: partsBySubstring(row.name ?? visitorLabel(row.id), typed),
    email: row.email === null ? null : partsBySubstring(row.email, typed),
    conversationId: row.conversation_id,
    lastSeenAt: row.last_seen_at.toISOString(),
  };
}
