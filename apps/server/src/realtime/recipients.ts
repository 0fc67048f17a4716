/**
 * Who receives a domain event: a pure function from event to rooms, the one
 * place that decides what reaches visitors. A note (an internal message) maps
 * to no visitor room, ever; `fanout.ts` then frames each audience's view. Rooms:
 *  - `site:<id>:operators`  every console of the site's operators;
 *  - `site:<id>:visitors`   every widget on the site (availability only);
 *  - `visitor:<id>`         every tab of one visitor;
 *  - `operator:<id>`        every console of one operator (their mentions);
 *  - `site:<id>:visitors-now` consoles showing the site's "visitors now" (`visitors.watch`).
 */
import type { DomainEvent } from '../events/domain-events.js';

export type Audience = 'operator' | 'visitor';

export interface Recipient {
  room: string;
  audience: Audience;
}

export const rooms = {
  siteOperators: (siteId: string) => `site:${siteId}:operators`,
  siteVisitors: (siteId: string) => `site:${siteId}:visitors`,
  visitor: (visitorId: string) => `visitor:${visitorId}`,
  operator: (operatorId: string) => `operator:${operatorId}`,
  siteVisitorsNow: (siteId: string) => `site:${siteId}:visitors-now`,
} as const;

export function recipientsFor(event: DomainEvent): Recipient[] {
  const operators: Recipient = { room: rooms.siteOperators(event.siteId), audience: 'operator' };
  switch (event.type) {
    case 'message.created':
      return event.message.visibility === 'public'
        ? [operators, { room: rooms.visitor(event.visitorId), audience: 'visitor' }]
        : [operators];
    case 'conversation.updated':
      return [operators, { room: rooms.visitor(event.visitorId), audience: 'visitor' }];
    case 'conversation.created':
    case 'visitor.updated':
      return [operators];
    case 'typing.updated':
      // The visitor's draft (sneak peek) goes to operators only; a visitor only hears that an operator
      // types a reply, never a note.
      return event.typing.authorKind === 'visitor' || event.typing.visibility === 'internal'
        ? [operators]
        : [operators, { room: rooms.visitor(event.visitorId), audience: 'visitor' }];
    case 'presence.updated':
      return [operators, { room: rooms.siteVisitors(event.siteId), audience: 'visitor' }];
    case 'queue.updated':
      return [{ room: rooms.visitor(event.visitorId), audience: 'visitor' }];
    case 'viewers.updated':
      return [operators];
    case 'mention.created':
      return [{ room: rooms.operator(event.operatorId), audience: 'operator' }];
    // Each side hears of the other's reading only; the visitor never hears of tags or of drafts.
    case 'conversation.read':
      return event.reader === 'visitor'
        ? [operators]
        : [{ room: rooms.visitor(event.visitorId), audience: 'visitor' }];
    case 'conversation.tagged':
    case 'tags.updated':
    case 'visitor.drafting':
      return [operators];
    // Only consoles that show the list; batched per site by visitors-now-batcher.ts, not framed one by one.
    case 'visitor.activity':
      return [{ room: rooms.siteVisitorsNow(event.siteId), audience: 'operator' }];
  }
}
