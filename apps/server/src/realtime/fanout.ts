/**
 * Turns domain events into socket frames for this node's rooms. Each event
 * family has its own small framer per audience; `recipientsFor` decides the
 * rooms. A frame is serialized once per audience, not once per socket.
 */
import type { EventFrame, OperatorServerEvents, VisitorServerEvents } from '@parley/protocol';
import type { DomainEvent, DomainEventOf, DomainEventType } from '../events/domain-events.js';
import { visitorViewOf } from '../modules/conversations/presenter.js';
import { availableOperators } from '../modules/operators/presence.js';
import { type Audience, recipientsFor } from './recipients.js';
import type { RoomRegistry } from './room-registry.js';

type Framer<T extends DomainEventType, E> = (event: DomainEventOf<T>) => EventFrame<E> | null;

type FramersFor<E> = { [T in DomainEventType]: Framer<T, E> };

const operatorFramers: FramersFor<OperatorServerEvents> = {
  'message.created': (e) => ({
    type: 'message.created',
    data: { message: e.message, conversation: e.conversation },
  }),
  'conversation.created': (e) => ({ type: 'conversation.created', data: e.conversation }),
  'conversation.updated': (e) => ({ type: 'conversation.updated', data: e.conversation }),
  'typing.updated': (e) => ({ type: 'typing.updated', data: e.typing }),
  'visitor.updated': (e) => ({ type: 'visitor.updated', data: e.visitor }),
  'presence.updated': (e) => ({
    type: 'presence.updated',
    data: { siteId: e.siteId, operators: e.operators },
  }),
  'queue.updated': () => null,
  'viewers.updated': (e) => ({ type: 'viewers.updated', data: e.viewers }),
  'mention.created': (e) => ({ type: 'mention.created', data: e.mention }),
  'conversation.read': (e) =>
    e.reader === 'visitor' ? { type: 'conversation.read', data: e.receipt } : null,
  'conversation.tagged': (e) => ({ type: 'conversation.updated', data: e.conversation }),
  'tags.updated': (e) => ({ type: 'tags.updated', data: { siteId: e.siteId, tags: e.tags } }),
  'visitor.drafting': (e) => ({ type: 'visitor.drafting', data: e.drafting }),
  // Batched per site into `visitors.activity` by visitors-now-batcher.ts (the gateway hands it these).
  'visitor.activity': () => null,
};

const visitorFramers: FramersFor<VisitorServerEvents> = {
  // The visitor's own numbering, and nothing for a note (recipientsFor already sends it no visitor room).
  'message.created': (e) => {
    const message = visitorViewOf(e.message, e.publicSeq);
    return message && { type: 'message.created', data: message };
  },
  'conversation.created': () => null,
  'conversation.updated': (e) => ({
    type: 'conversation.updated',
    data: { id: e.conversation.id, status: e.conversation.status },
  }),
  'typing.updated': (e) => ({ type: 'typing.updated', data: { ...e.typing, preview: null } }),
  'visitor.updated': () => null,
  'mention.created': () => null,
  'presence.updated': (e) => {
    const operators = availableOperators(e.operators);
    return { type: 'availability.updated', data: { online: operators.length > 0, operators } };
  },
  'queue.updated': (e) => ({ type: 'queue.updated', data: e.queue }),
  'viewers.updated': () => null,
  'conversation.read': (e) =>
    e.reader === 'operator' ? { type: 'conversation.read', data: e.receipt } : null,
  'conversation.tagged': () => null,
  'tags.updated': () => null,
  'visitor.drafting': () => null,
  'visitor.activity': () => null,
};

const framers: Record<Audience, FramersFor<unknown>> = {
  operator: operatorFramers as FramersFor<unknown>,
  visitor: visitorFramers as FramersFor<unknown>,
};

export function frameFor(event: DomainEvent, audience: Audience): EventFrame<unknown> | null {
  const framer = framers[audience][event.type] as (e: DomainEvent) => EventFrame<unknown> | null;
  return framer(event);
}

/** Delivers one event to the local members of every room it is meant for. */
export function deliverEvent(registry: RoomRegistry, event: DomainEvent): void {
  const serialized = new Map<Audience, string | null>();
  for (const { room, audience } of recipientsFor(event)) {
    if (!registry.has(room)) continue;
    let frame = serialized.get(audience);
    if (frame === undefined) {
      const built = frameFor(event, audience);
      frame = built ? JSON.stringify(built) : null;
      serialized.set(audience, frame);
    }
    if (frame) registry.broadcast(room, frame);
  }
}
