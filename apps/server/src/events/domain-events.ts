/**
 * Events the domain emits after a transaction commits. They carry presented
 * DTOs, so fan-out on any node needs no database round trip.
 */
import type {
  ConversationDTO,
  MentionDTO,
  MessageDTO,
  OperatorPresenceDTO,
  TypingDTO,
  VisitorDTO,
} from '@parley/protocol';

interface Scope {
  siteId: string;
  visitorId: string;
}

export type DomainEvent =
  | ({
      type: 'message.created';
      /** As operators see it: notes included, full seq. */
      message: MessageDTO;
      /** The visitor's seq of a public message; null for a note (see `visitorViewOf`). */
      publicSeq: number | null;
      /** The conversation's row as this message left it (or as it is now, for a re-announced retry). */
      conversation: ConversationDTO;
    } & Scope)
  | ({ type: 'conversation.created'; conversation: ConversationDTO } & Scope)
  | ({ type: 'conversation.updated'; conversation: ConversationDTO } & Scope)
  | ({ type: 'typing.updated'; typing: TypingDTO } & Scope)
  | ({ type: 'visitor.updated'; visitor: VisitorDTO } & Scope)
  | { type: 'presence.updated'; siteId: string; operators: OperatorPresenceDTO[] }
  /** An operator named in a note: for that operator's consoles alone. */
  | { type: 'mention.created'; siteId: string; operatorId: string; mention: MentionDTO };

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/**
 * Events that end someone's access rather than change what clients show:
 * every node cuts its sockets concerned. `sessionIds: null` is every session
 * of the operator.
 */
export type AccessEvent =
  | { type: 'operator.sessions.ended'; operatorId: string; sessionIds: string[] | null }
  | { type: 'visitor.tokens.revoked'; visitorId: string };

/** What travels on the event bus. */
export type BusEvent = DomainEvent | AccessEvent;

export const isAccessEvent = (event: BusEvent): event is AccessEvent =>
  event.type === 'operator.sessions.ended' || event.type === 'visitor.tokens.revoked';
