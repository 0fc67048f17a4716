/**
 * REST contract: request bodies, query strings and responses of the HTTP API.
 * Paths are listed in `API_PATHS` so clients never spell them by hand.
 */
import type {
  ConversationChannel,
  ConversationDTO,
  ConversationStatus,
  MessageDTO,
  OperatorDTO,
  OperatorPresenceDTO,
  OperatorStatus,
  Page,
  PublicOperatorDTO,
  PublicSiteDTO,
  SiteDTO,
  SiteSettings,
  Visibility,
  VisitorDTO,
} from './dto.js';
import type { FileSettings } from './files.js';
import { IDENTITY_PATHS } from './identity.js';
import { MAIL_PATHS, type SiteEmailSettings } from './mail.js';
import type { PublicDepartmentDTO, QueueStatusDTO } from './routing.js';
import { TEAM_PATHS } from './team.js';

/** Every error the API returns has this body, with a matching HTTP status. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Which fields were wrong, for validation errors. */
    issues?: { path: string; message: string }[];
  };
}

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  /** A file whose content is not a type the site allows (415). */
  'unsupported_type',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What POST /api/mail/inbound did with an accepted mail (a refused one gets an error body). */
export interface InboundMailResponse {
  outcome: 'posted' | 'duplicate' | 'ignored';
  /** Why an ignored mail was dropped (an auto-reply, a bounce, nothing new in it). */
  reason?: string;
  /** Where a posted mail landed. */
  conversationId?: string;
  messageId?: string;
}

/** Operator auth. */
export interface LoginRequest {
  email: string;
  password: string;
}
export interface LogoutResponse {
  ok: true;
}
export interface SessionResponse {
  operator: OperatorDTO;
  /** Echo it in the `x-csrf-token` header on every state-changing call. */
  csrfToken: string;
  sites: SiteDTO[];
}

export interface UpdateProfileRequest {
  displayName?: string;
  status?: OperatorStatus;
}

/** A type, not an interface, so it fits a query-string record. */
export type ListConversationsQuery = {
  siteId?: string;
  /** Routing's filters: `me`, `unassigned`, or an operator's id (assignee or invited). */
  assignee?: string;
  departmentId?: string;
  status?: ConversationStatus;
  channel?: ConversationChannel;
  /** Only conversations carrying this tag. */
  tagId?: string;
  /** Only conversations whose visitor is in this segment now (issue 12). */
  segmentId?: string;
  cursor?: string;
  limit?: number;
};
export type ConversationList = Page<ConversationDTO>;

export interface ConversationDetail {
  conversation: ConversationDTO;
  visitor: VisitorDTO;
  /** Messages in seq order; older ones via `beforeSeq`. */
  messages: MessageDTO[];
  hasEarlier: boolean;
}

/** A type, not an interface, so it fits a query-string record. */
export type ListMessagesQuery = {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
};
/** A page of one conversation's messages, in seq order. */
export interface MessagePage {
  messages: MessageDTO[];
  /** More messages lie beyond this page in the direction asked. */
  hasMore: boolean;
}

export interface SendMessageRequest {
  clientId: string;
  text: string;
  /** `internal` writes a note only operators see; public by default. */
  visibility?: Visibility;
  /** Files uploaded before (`FILE_PATHS`) that the message carries. */
  fileIds?: string[];
}
/** 201 for a new message, 200 when the clientId was stored before (the original comes back). */
export interface SendMessageResponse {
  message: MessageDTO;
}

/** Answer to closing or reopening a conversation: the conversation as it is now. */
export interface ConversationResponse {
  conversation: ConversationDTO;
}

export interface VisitorDetail {
  visitor: VisitorDTO;
  conversations: ConversationDTO[];
}

/** Owners and admins change a site: name, which origins may embed the widget, and its texts and looks. */
export interface UpdateSiteRequest {
  name?: string;
  /** Origins like `https://shop.example` (scheme, host, optional port; no path). */
  allowedOrigins?: string[];
  /** `files` is merged part by part over the site's current file settings. */
  settings?: {
    [K in keyof SiteSettings]?: K extends 'files'
      ? Partial<FileSettings>
      : K extends 'email'
        ? Partial<SiteEmailSettings>
        : SiteSettings[K];
  };
}

export interface PresenceQuery {
  siteId: string;
}
export interface PresenceResponse {
  operators: OperatorPresenceDTO[];
}

/** Widget: start or resume a visitor session. */
export interface WidgetSessionRequest {
  siteKey: string;
  /** The token from an earlier session in this browser, if any. */
  visitorToken?: string;
  /**
   * Without a token: the loader's key for this new visitor (TrackBatch.newVisitorKey). A chat opened
   * before the loader's first tracking answer is then the same visitor as the pages tracked.
   */
  newVisitorKey?: string;
  page?: { url: string; title?: string };
  /** Where the visitor came from (the host page's `document.referrer`). */
  referrer?: string;
  language?: string;
}
export interface WidgetSessionResponse {
  /** Keep it for the next page and visit; a fresh one comes with every session and `visitor.token`. */
  visitorToken: string;
  /** When the token stops working (ISO 8601); it is renewed long before. */
  visitorTokenExpiresAt: string;
  visitorId: string;
  site: PublicSiteDTO;
  /** Whether an operator is online now: chat when true, the request form when false. */
  online: boolean;
  operators: PublicOperatorDTO[];
  /** Every public message of every conversation of this visitor, oldest first, with visitors' seqs. */
  history: MessageDTO[];
  /** The conversation new messages go to, if one is open. */
  openConversationId: string | null;
  /** Departments to pick from before the first message; empty when the site does not ask. */
  departments: PublicDepartmentDTO[];
  /** The visitor's place in the queue, while their open chat waits for an operator. */
  queue: QueueStatusDTO | null;
  /** How far an operator has read the open conversation, in the visitor's numbering; 0 when none is open. */
  operatorReadSeq: number;
  /**
   * Operator messages in the open conversation the visitor has not read (a chat an operator started
   * from "visitors now"): while the chat is closed, the frame shows the last as a bubble by the launcher.
   */
  unseen?: number;
  /** Parley can send email (SMTP configured): only then does the widget promise an answer by email or offer a transcript. */
  emailAvailable: boolean;
}

/** Widget: a request left while nobody was online. */
export interface OfflineRequest {
  clientId: string;
  email: string;
  phone?: string;
  text: string;
}
export interface OfflineRequestResponse {
  conversationId: string;
  message: MessageDTO;
}

/**
 * Every path of the HTTP API and the sockets. Clients call the functions with
 * ids; the server registers its routes with the same functions called with
 * `:id`, so a path is spelled once.
 */
export const API_PATHS = {
  health: '/healthz',
  ready: '/readyz',
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  me: '/api/auth/me',
  profile: '/api/operators/me',
  avatar: '/api/operators/me/avatar',
  presence: '/api/presence',
  conversations: '/api/conversations',
  conversation: (id: string) => `/api/conversations/${id}`,
  conversationMessages: (id: string) => `/api/conversations/${id}/messages`,
  closeConversation: (id: string) => `/api/conversations/${id}/close`,
  reopenConversation: (id: string) => `/api/conversations/${id}/reopen`,
  visitor: (id: string) => `/api/visitors/${id}`,
  sites: '/api/sites',
  siteTags: (siteId: string) => `/api/sites/${siteId}/tags`,
  tag: (id: string) => `/api/tags/${id}`,
  conversationTags: (id: string) => `/api/conversations/${id}/tags`,
  conversationTag: (id: string, tagId: string) => `/api/conversations/${id}/tags/${tagId}`,
  search: '/api/search',
  site: (id: string) => `/api/sites/${id}`,
  // Routing (issue 10)
  siteRouting: (siteId: string) => `/api/sites/${siteId}/routing`,
  siteDepartments: (siteId: string) => `/api/sites/${siteId}/departments`,
  department: (id: string) => `/api/departments/${id}`,
  operatorChatLimit: (siteId: string, operatorId: string) =>
    `/api/sites/${siteId}/operators/${operatorId}/chat-limit`,
  transferConversation: (id: string) => `/api/conversations/${id}/transfer`,
  inviteToConversation: (id: string) => `/api/conversations/${id}/invite`,
  takeConversation: (id: string) => `/api/conversations/${id}/take`,
  /** An operator's photo, as avatar URLs point to it (they add a `?v=` version). */
  avatarImage: (operatorId: string) => `/avatars/${operatorId}`,
  // Canned replies and mentions (issue 11).
  cannedReplies: (siteId: string) => `/api/sites/${siteId}/canned-replies`,
  cannedReply: (id: string) => `/api/canned-replies/${id}`,
  mentions: '/api/mentions',
  mentionsRead: '/api/mentions/read',
  widgetSession: '/api/widget/session',
  widgetRequests: '/api/widget/requests',
  /** The loader's tracking batches (see tracking.ts). */
  widgetTrack: '/api/widget/track',
  /** Replies by mail as raw MIME, posted by a mail provider's inbound webhook (INBOUND_MAIL_SECRET). */
  mailInbound: '/api/mail/inbound',
  /** "Visitors now" (visitors-now.ts): a site's visitors on it now, and a chat an operator starts. */
  siteVisitorsNow: (siteId: string) => `/api/sites/${siteId}/visitors-now`,
  visitorChats: (visitorId: string) => `/api/visitors/${visitorId}/chats`,
  operatorSocket: '/ws/operator',
  visitorSocket: '/ws/visitor',
  // The team: members, invitations, one-time links, own password and sessions (team.ts).
  ...TEAM_PATHS,
  // Identify from the page and the site's identity secret (identity.ts).
  ...IDENTITY_PATHS,
  // Email (issue 13, sending side): see mail.ts.
  ...MAIL_PATHS,
} as const;
