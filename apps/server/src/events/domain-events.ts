/**
 * Events the domain emits after a transaction commits. They carry presented
 * DTOs, so fan-out on any node needs no database round trip.
 */
import type {
  ConversationDTO,
  MessageDTO,
  OperatorPresenceDTO,
  ReadReceiptDTO,
  TagDTO,
  TypingDTO,
  VisitorDraftingDTO,
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
  /**
   * One side has read the conversation. `receipt.seq` is in the numbering of the side told: for a
   * visitor's read, the operators' seq; for an operator's read, the visitor's.
   */
  | ({ type: 'conversation.read'; reader: 'visitor' | 'operator'; receipt: ReadReceiptDTO } & Scope)
  /** A conversation's tags changed: its row, read with them (operators only). */
  | ({ type: 'conversation.tagged'; conversation: ConversationDTO } & Scope)
  /** A site's tag list changed. */
  | { type: 'tags.updated'; siteId: string; tags: TagDTO[] }
  /** A visitor with no conversation yet types a first message (operators only). */
  | ({ type: 'visitor.drafting'; drafting: VisitorDraftingDTO } & Scope);

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
