/**
 * Events the domain emits after a transaction commits. They carry presented
 * DTOs, so fan-out on any node needs no database round trip.
 */
import type {
  ConversationDTO,
  MentionDTO,
  MessageDTO,
  OperatorPresenceDTO,
  QueueStatusDTO,
  ReadReceiptDTO,
  TagDTO,
  TypingDTO,
  ViewersDTO,
  VisitorDraftingDTO,
  VisitorDTO,
  VisitorNowDTO,
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
  // Routing: a waiting visitor's place in the queue (to that visitor only), and who views a conversation.
  | ({ type: 'queue.updated'; queue: QueueStatusDTO } & Scope)
  | { type: 'viewers.updated'; siteId: string; viewers: ViewersDTO }
  /** An operator named in a note: for that operator's consoles alone. */
  | { type: 'mention.created'; siteId: string; operatorId: string; mention: MentionDTO }
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
  | ({ type: 'visitor.drafting'; drafting: VisitorDraftingDTO } & Scope)
  /**
   * A tracking batch from a visitor was written (pages, events, pings): their row in "visitors now"
   * as it is now (operators of the site only; fan-out may coalesce these per site).
   */
  | ({ type: 'visitor.activity'; now: VisitorNowDTO } & Scope);

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/**
 * Events that change someone's access rather than what clients show: every
 * node acts on its sockets concerned. `sessionIds: null` is every session of
 * the operator. `site.deleted` ends the site's widgets' sockets;
 * `operator.sites.changed` (`operatorIds: null`: every operator) makes each
 * console re-read the sites it works on (rooms, frames, its site list).
 */
export type AccessEvent =
  | { type: 'operator.sessions.ended'; operatorId: string; sessionIds: string[] | null }
  /**
   * The operator's role or sites changed: their consoles reconnect (1012), so each socket's actor and
   * rooms are read afresh, without logging anyone out.
   */
  | { type: 'operator.access.changed'; operatorId: string }
  | { type: 'visitor.tokens.revoked'; visitorId: string }
  | { type: 'site.deleted'; siteId: string }
  | { type: 'operator.sites.changed'; operatorIds: string[] | null };

/** What travels on the event bus. */
export type BusEvent = DomainEvent | AccessEvent;

const ACCESS_EVENT_TYPES: ReadonlySet<string> = new Set<AccessEvent['type']>([
  'operator.sessions.ended',
  'operator.access.changed',
  'visitor.tokens.revoked',
  'site.deleted',
  'operator.sites.changed',
]);

export const isAccessEvent = (event: BusEvent): event is AccessEvent => ACCESS_EVENT_TYPES.has(event.type);
