/**
 * The outbox's topics in one place: each topic's name and the payload its
 * handler receives, plus the types that tie the two together (what
 * `enqueue` accepts, what a handler is given). Payloads are stored as JSON:
 * keep them plain (strings, numbers, booleans, arrays, objects; dates as
 * ISO strings) and small — ids to load, not copies of rows.
 */

/**
 * A one-time team link (invitation, password reset) to deliver to its
 * person. The link is in the payload because delivering it is the point;
 * the link's own row keeps only the token's hash.
 */
export interface TeamLinkDelivery {
  linkId: string;
  kind: 'invitation' | 'password_reset';
  email: string;
  url: string;
}

/**
 * One email to compose and send (modules/mail/outgoing/). Ids and seq ranges,
 * not texts: the mail is composed at send time from rows that do not change
 * (messages are immutable), so every attempt sends the same mail.
 */
export type EmailSend =
  /** Operator replies the visitor had not seen: public operator messages with seq in (afterSeq, throughSeq]. */
  | { kind: 'unseen-replies'; conversationId: string; afterSeq: number; throughSeq: number }
  /** The conversation's public messages through throughSeq, to this address. */
  | { kind: 'transcript'; conversationId: string; email: string; throughSeq: number }
  /** An operator is told of a request left while nobody was online. */
  | { kind: 'offline-request'; conversationId: string; operatorId: string }
  /** An operator is told of a chat that waited past the site's limit. */
  | { kind: 'missed-chat'; conversationId: string; operatorId: string }
  /** An owner's digest of a site for [from, to). */
  | {
      kind: 'digest';
      siteId: string;
      operatorId: string;
      from: string;
      to: string;
      period: 'daily' | 'weekly';
    };

/**
 * Topic name → payload, for Parley's own topics.
 * Adding a topic: a line here, a handler in its domain module, and the
 * handler registered in `services.ts` (see docs/ARCHITECTURE.md).
 */
export interface OutboxTopics {
  /** modules/team/delivery.ts: today shown in the console to copy; the email issue sends it. */
  'team.link': TeamLinkDelivery;
  /** modules/mail/outgoing/sender.ts: handled only on nodes with SMTP_URL; elsewhere rows wait. */
  'email.send': EmailSend;
}

/** A row to write: its topic and that topic's payload. */
export type OutboxEntry<Topics extends object> = {
  [Topic in keyof Topics & string]: {
    topic: Topic;
    payload: Topics[Topic];
    /** Not before this time (a delayed job); now by default. */
    runAt?: Date;
    /** Attempts before the row is given up as dead; OUTBOX_MAX_ATTEMPTS by default. */
    maxAttempts?: number;
  };
}[keyof Topics & string];

/** What a handler is given for one attempt at one row. */
export interface OutboxJob<Payload> {
  /**
   * The row's id: the same on every attempt, on every node. Effects outside
   * the database use it as their idempotency key (an email's Message-ID, a
   * webhook's delivery id) so a repeated attempt is recognised downstream.
   */
  id: string;
  topic: string;
  payload: Payload;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when this worker no longer owns the row (its lease was lost) or the node stops. */
  signal: AbortSignal;
}

/**
 * Does the work of one row. Resolving marks the row done; throwing schedules
 * a retry with backoff (or gives it up when it was the last attempt, or at
 * once for a PermanentOutboxError). It may run more than once for one row
 * (a worker that dies after the effect but before marking done): make it
 * idempotent by `job.id`.
 */
export type OutboxHandler<Payload> = (job: OutboxJob<Payload>) => Promise<void>;

/** Handlers by topic, typed by a topic map. A topic without a handler on a node waits for a node that has one. */
export type OutboxHandlers<Topics extends object> = {
  [Topic in keyof Topics & string]?: OutboxHandler<Topics[Topic]>;
};

/** Handlers as the worker holds them: any topic map's handlers fit. */
export type OutboxHandlerRegistry = Readonly<Record<string, OutboxHandler<never> | undefined>>;

/** Thrown by a handler when retrying cannot help (a refused address, a payload that no longer makes sense): the row goes dead at once. */
export class PermanentOutboxError extends Error {
  override name = 'PermanentOutboxError';
}
