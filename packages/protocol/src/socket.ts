/**
 * WebSocket contract. Every frame is JSON.
 *
 * Client → server: `{ type, ref, data }`. `ref` is chosen by the client; the
 * server answers each frame with exactly one `{ type: 'ack', ref, data }` or
 * `{ type: 'error', ref, error }`, so a client knows what landed.
 *
 * Server → client: `{ type, data }` for events, named `resource.verb`.
 *
 * The maps below are the single source of names and payloads: the server's
 * handlers and the clients' reducers are typed from them.
 */
import type { MentionDTO } from './canned-replies.js';
import type {
  ConversationDTO,
  MessageDTO,
  OperatorPresenceDTO,
  OperatorStatus,
  PublicOperatorDTO,
  SiteDTO,
  Visibility,
  VisitorDTO,
} from './dto.js';
import type { ErrorCode } from './http.js';
import type { QueueStatusDTO, ViewersDTO } from './routing.js';
import type { ReadReceiptDTO, TagsUpdatedDTO, VisitorDraftingDTO } from './tags.js';
import type { VisitorNowDTO } from './tracking.js';
import type { VisitorsActivityDTO } from './visitors-now.js';

/**
 * A page of messages after `afterSeq`, oldest first. `hasMore`: more follow
 * this page; ask again from its last seq. The page size is the server's.
 */
export interface SyncAck {
  messages: MessageDTO[];
  hasMore: boolean;
}

/** What a visitor's widget may send, and what each is acknowledged with. */
export interface VisitorClientFrames {
  /** Post a message to the visitor's open conversation (one is opened if none is). */
  'message.send': {
    /**
     * `departmentId`: the visitor's pick (routing), read on the first message of a conversation only.
     * `fileIds`: files uploaded before (`FILE_PATHS.widgetFiles`) that the message carries.
     */
    request: { clientId: string; text: string; departmentId?: string; fileIds?: string[] };
    ack: { message: MessageDTO };
  };
  /** Messages of one conversation after `afterSeq`: the resume after a reconnect. */
  'conversation.sync': {
    request: { conversationId: string; afterSeq: number };
    ack: SyncAck;
  };
  /** Typing state; `preview` is the draft so far (the operator's "sneak peek"). */
  'typing.set': { request: { typing: boolean; preview?: string }; ack: Record<string, never> };
  /** The page the visitor is on now. */
  'visitor.page': { request: { url: string; title?: string }; ack: Record<string, never> };
  /** The visitor has seen the conversation up to `seq` (their numbering): the chat is open and the tab visible. */
  'conversation.read': { request: ReadReceiptDTO; ack: Record<string, never> };
}

/** What an operator's console may send. */
export interface OperatorClientFrames {
  /** A reply to the visitor, or with `visibility: 'internal'` a note only operators see. */
  'message.send': {
    request: {
      conversationId: string;
      clientId: string;
      text: string;
      visibility?: Visibility;
      fileIds?: string[];
    };
    ack: { message: MessageDTO };
  };
  'conversation.sync': {
    request: { conversationId: string; afterSeq: number };
    ack: SyncAck;
  };
  /** Typing a reply, or with `visibility: 'internal'` a note (then visitors are not told). */
  'typing.set': {
    request: { conversationId: string; typing: boolean; visibility?: Visibility };
    ack: Record<string, never>;
  };
  'operator.status': { request: { status: OperatorStatus }; ack: Record<string, never> };
  /** This console shows (or stopped showing) a conversation: colleagues see who else views it. Repeat it while viewing. */
  'conversation.viewing': {
    request: { conversationId: string; viewing: boolean };
    ack: Record<string, never>;
  };
  /** The operator has read the conversation up to `seq` (operators' numbering). */
  'conversation.read': { request: ReadReceiptDTO; ack: Record<string, never> };
  /** This console shows (or stopped showing) a site's "visitors now": it gets `visitors.activity` while it does. */
  'visitors.watch': { request: { siteId: string; watching: boolean }; ack: Record<string, never> };
}

export interface TypingDTO {
  conversationId: string;
  authorKind: 'visitor' | 'operator';
  typing: boolean;
  /** The operator typing, when it is an operator. */
  operator: PublicOperatorDTO | null;
  /** Visitor's draft, sent to operators only. */
  preview: string | null;
  /** What is being typed: a reply, or a note (operators only ever hear of that). */
  visibility: Visibility;
}

/**
 * A new message as operators receive it, with what it did to its conversation's
 * row (last message, unanswered count, waiting since, activity, assignee): the
 * server decides that once, and the console applies it as told.
 */
export interface MessageCreatedDTO {
  message: MessageDTO;
  conversation: ConversationDTO;
}

/** Events a visitor's widget receives. */
export interface VisitorServerEvents {
  'session.ready': { visitorId: string; serverTime: string };
  'message.created': MessageDTO;
  'conversation.updated': { id: string; status: ConversationDTO['status'] };
  'typing.updated': TypingDTO;
  'availability.updated': { online: boolean; operators: PublicOperatorDTO[] };
  /** The visitor's place in the queue changed (routing): position null once an operator has the chat. */
  'queue.updated': QueueStatusDTO;
  /** A fresh visitor token replacing the one in use (past half its life): keep it, and use it from now on. */
  'visitor.token': { visitorToken: string; expiresAt: string };
  /** The node is shutting down: reconnect (to any node) after a short pause. */
  'server.draining': { reconnectAfterMs: number };
  /** An operator has read the visitor's messages up to `seq` (the visitor's numbering). */
  'conversation.read': ReadReceiptDTO;
}

/** Events an operator's console receives. */
export interface OperatorServerEvents {
  'session.ready': { operatorId: string; serverTime: string };
  'message.created': MessageCreatedDTO;
  'conversation.created': ConversationDTO;
  'conversation.updated': ConversationDTO;
  'typing.updated': TypingDTO;
  'visitor.updated': VisitorDTO;
  'presence.updated': { siteId: string; operators: OperatorPresenceDTO[] };
  /** The sites this operator works on changed (one created, deleted or granted): the whole new list. */
  'sites.changed': { sites: SiteDTO[] };
  /** Who else has a conversation open (routing's collision warning). */
  'viewers.updated': ViewersDTO;
  /** This operator was named in a note (sent to that operator's consoles only). */
  'mention.created': MentionDTO;
  'server.draining': { reconnectAfterMs: number };
  /** The visitor has seen the operators' messages up to `seq` (operators' numbering). */
  'conversation.read': ReadReceiptDTO;
  /** A site's tag list changed. */
  'tags.updated': TagsUpdatedDTO;
  /** A visitor without a conversation types their first message (sneak peek). */
  'visitor.drafting': VisitorDraftingDTO;
  /** A visitor's row in "visitors now" changed (tracking). */
  'visitor.activity': VisitorNowDTO;
  /** Changed rows of "visitors now", batched per site; only to consoles that watch it (`visitors.watch`). */
  'visitors.activity': VisitorsActivityDTO;
}

/**
 * Every event type a visitor's widget can receive, as a value: the test that
 * no visitor-facing path carries a note walks this list, so a new visitor
 * event cannot be added without being checked.
 */
export const VISITOR_EVENT_TYPES = [
  'session.ready',
  'message.created',
  'conversation.updated',
  'typing.updated',
  'availability.updated',
  'queue.updated',
  'visitor.token',
  'server.draining',
  'conversation.read',
] as const satisfies readonly (keyof VisitorServerEvents)[];
// The list above must name every key of VisitorServerEvents.
true satisfies Exclude<keyof VisitorServerEvents, (typeof VISITOR_EVENT_TYPES)[number]> extends never
  ? true
  : never;

export type ClientFrameMap = VisitorClientFrames | OperatorClientFrames;

/** A frame as a client sends it. */
export type ClientFrame<M, K extends keyof M = keyof M> = K extends keyof M
  ? { type: K; ref: string; data: M[K] extends { request: infer R } ? R : never }
  : never;

export type AckOf<M, K extends keyof M> = M[K] extends { ack: infer A } ? A : never;

/** A server event frame. */
export type EventFrame<E, K extends keyof E = keyof E> = K extends keyof E ? { type: K; data: E[K] } : never;

export interface AckFrame<A = unknown> {
  type: 'ack';
  ref: string;
  data: A;
}

export interface ErrorFrame {
  type: 'error';
  /** The frame this answers; absent when the frame could not even be read. */
  ref?: string;
  error: { code: ErrorCode; message: string; issues?: { path: string; message: string }[] };
}

export type VisitorServerFrame = EventFrame<VisitorServerEvents> | AckFrame | ErrorFrame;
export type OperatorServerFrame = EventFrame<OperatorServerEvents> | AckFrame | ErrorFrame;

/** WebSocket close codes Parley uses, beyond the standard ones. */
export const CLOSE_CODES = {
  /** Standard "service restart": reconnect. */
  restarting: 1012,
  /** Token or session no longer valid: do not retry without logging in again. */
  unauthorized: 4401,
  forbiddenOrigin: 4403,
  /** The client kept sending while its frames were refused (`LIMITS.socketQueue`): reconnect, slower. */
  flooding: 4429,
  /**
   * The client read too slowly and the server would have had to hold too much for it: reconnect
   * and resync from the last seq seen (nothing stored is lost, only this socket's backlog).
   */
  tooSlow: 4408,
} as const;
