/**
 * Table types for Kysely, mirroring migrations/*.sql. Kept by hand: when a
 * migration changes a table, this file changes in the same commit.
 */
import type {
  AuthorKind,
  ConversationChannel,
  ConversationStatus,
  EmailSource,
  FileType,
  MessageVia,
  OperatorRole,
  OperatorStatus,
  SegmentColor,
  SegmentCondition,
  SourceKind,
  TagColor,
  TouchDTO,
  Visibility,
} from '@parley/protocol';
import type { ColumnType, Generated, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface InstallationSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface SitesTable {
  id: Generated<string>;
  name: string;
  public_key: string;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  settings: ColumnType<unknown, string | undefined, string>;
  created_at: CreatedAt;
  /** Signs the site's user ids for identify (HMAC-SHA256 hex); never leaves the console (migration 020). */
  identity_secret: Generated<string>;
  /** The site accepts only signed identify calls. */
  require_identity: Generated<boolean>;
}

export interface OperatorsTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  avatar_url: string | null;
  role: OperatorRole;
  status: Generated<OperatorStatus>;
  /** Open conversations automatic assignment may give this operator at once (routing). */
  chat_limit: Generated<number>;
  last_assigned_at: Date | null;
  created_at: CreatedAt;
  /** Set while the operator is deactivated: no login, no session. */
  deactivated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Email notifications the operator wants (022), and the key of their unsubscribe links. */
  mail_offline_requests: Generated<boolean>;
  mail_missed_chats: Generated<boolean>;
  mail_digest: Generated<boolean>;
  mail_key: Generated<string>;
}

export interface SiteOperatorsTable {
  site_id: string;
  operator_id: string;
}

export interface OperatorSessionsTable {
  token_hash: string;
  operator_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  user_agent: string | null;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TeamLinksTable {
  id: Generated<string>;
  kind: 'invitation' | 'password_reset';
  token_hash: string;
  email: string;
  role: OperatorRole | null;
  site_ids: ColumnType<string[], string[] | undefined, string[]>;
  operator_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Date | null;
  revoked_at: Date | null;
}

export interface TeamLinkDeliveriesTable {
  link_id: string;
  url: string;
  delivered_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface VisitorsTable {
  id: Generated<string>;
  site_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  user_agent: string | null;
  browser: string | null;
  os: string | null;
  country: string | null;
  current_url: string | null;
  current_title: string | null;
  referrer: string | null;
  attributes: ColumnType<unknown, string | undefined, string>;
  /** Raised to revoke every token the visitor holds. */
  token_generation: Generated<number>;
  first_seen_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  region: string | null;
  city: string | null;
  device: string | null;
  visit_count: Generated<number>;
  /** The first and the latest visit's source (`TouchDTO` in @parley/protocol). */
  first_touch: ColumnType<TouchDTO | null, string | null | undefined, string | null>;
  last_touch: ColumnType<TouchDTO | null, string | null | undefined, string | null>;
  email_source: EmailSource | null;
  /** numeric: pg returns it as a string, exact. */
  cart_amount: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  cart_currency: string | null;
  /** The site's own user id given by identify (migration 020). */
  external_id: string | null;
  /** null: never identified; true: with a valid userHash; false: without one. */
  identity_verified: boolean | null;
  /** Set when merged into another visitor: a pointer that lets its old tokens find the survivor. */
  merged_into: string | null;
  /** The loader's key for a visitor it had no token for yet (migration 026). */
  new_visitor_key: string | null;
}

export interface VisitsTable {
  id: Generated<string>;
  site_id: string;
  visitor_id: string;
  number: number;
  started_at: Date;
  last_activity_at: Date;
  landing_url: string | null;
  referrer: string | null;
  source_kind: Generated<SourceKind>;
  source_name: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  gclid: string | null;
  yclid: string | null;
  search_query: string | null;
  page_view_count: Generated<number>;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

export interface PageViewsTable {
  id: Generated<string>;
  site_id: string;
  visitor_id: string;
  visit_id: string;
  client_id: string;
  url: string;
  title: string | null;
  viewed_at: Date;
  seconds: number | null;
}

export interface VisitorEventsTable {
  id: Generated<string>;
  site_id: string;
  visitor_id: string;
  visit_id: string | null;
  client_id: string;
  name: string;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
  occurred_at: Date;
}

export interface ConversationsTable {
  id: Generated<string>;
  site_id: string;
  visitor_id: string;
  status: Generated<ConversationStatus>;
  channel: Generated<ConversationChannel>;
  assignee_id: string | null;
  /** The last seq of every message, notes included: operators' numbering. */
  last_seq: Generated<number>;
  /** The last seq of public messages: the visitor's own gapless numbering. */
  last_public_seq: Generated<number>;
  last_message_text: string | null;
  last_message_author_kind: AuthorKind | null;
  last_message_visibility: Visibility | null;
  last_message_at: Date | null;
  unanswered_count: Generated<number>;
  waiting_since: Date | null;
  last_activity_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
  closed_at: Date | null;
  department_id: Generated<string | null>;
  /** Colleagues invited in besides the assignee. */
  participant_ids: Generated<string[]>;
  assigned_at: Generated<Date | null>;
  /** 0 none, 1 the assignee alerted, 2 open to every online operator of the site (routing/escalation.ts). */
  escalation: Generated<number>;
  /** Read receipts: the visitor's, in operators' numbering; an operator's, in the visitor's numbering. */
  visitor_read_seq: Generated<number>;
  operator_read_seq: Generated<number>;
  /** The last seq already emailed to the visitor (022): replies after it go in the next mail. */
  emailed_through_seq: Generated<number>;
  /** When operators were told by email that this chat went unanswered (022). */
  missed_notified_at: Date | null;
}

export interface MessagesTable {
  id: Generated<string>;
  conversation_id: string;
  seq: number;
  /** The visitor's seq of a public message; null for a note, which visitors never see. */
  public_seq: number | null;
  visibility: Generated<Visibility>;
  author_kind: AuthorKind;
  author_id: string | null;
  client_id: string | null;
  text: string;
  /** The files the message carries, as written when it referenced them (migration 014); null when none. */
  attachments: ColumnType<StoredAttachment[] | null, string | undefined, string | null>;
  /** How it came when not through a Parley client: 'email' for a reply by mail (migration 023). */
  via: ColumnType<MessageVia | null, MessageVia | null | undefined, MessageVia | null>;
  created_at: CreatedAt;
}

/** One file as a message row keeps it (`messages.attachments`). */
export interface StoredAttachment {
  id: string;
  name: string;
  contentType: FileType;
  size: number;
}

export interface FilesTable {
  id: string;
  /** Null once its site was deleted (then the sweeper removes it). */
  site_id: string | null;
  uploader_kind: 'visitor' | 'operator';
  uploader_id: string;
  name: string;
  content_type: FileType;
  /** bigint: pg returns it as a string. */
  size_bytes: ColumnType<string, number, never>;
  storage_key: string;
  conversation_id: string | null;
  message_id: string | null;
  created_at: CreatedAt;
}

export interface OperatorAvatarsTable {
  operator_id: string;
  content_type: 'image/png' | 'image/jpeg' | 'image/webp';
  data: Buffer;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OutboxTable {
  id: Generated<string>;
  topic: string;
  payload: ColumnType<unknown, string, never>;
  status: Generated<'pending' | 'running' | 'done' | 'dead'>;
  attempts: Generated<number>;
  max_attempts: number;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_by: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface SiteRoutingTable {
  site_id: string;
  mode: 'auto' | 'queue';
  alert_after_seconds: number;
  escalate_after_seconds: number;
  department_picker: boolean;
}

export interface DepartmentsTable {
  id: Generated<string>;
  site_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface DepartmentOperatorsTable {
  department_id: string;
  operator_id: string;
}

export interface ConversationTransfersTable {
  id: Generated<string>;
  conversation_id: string;
  from_operator_id: string | null;
  to_operator_id: string | null;
  to_department_id: string | null;
  reason: string | null;
  created_at: CreatedAt;
}

/** Canned replies (issue 11): shared on a site when `owner_id` is null, else one operator's own. */
export interface CannedRepliesTable {
  id: Generated<string>;
  site_id: string;
  owner_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** An operator named in a note, until they read it (issue 11). */
export interface MentionsTable {
  id: Generated<string>;
  operator_id: string;
  message_id: string;
  created_at: CreatedAt;
  read_at: Date | null;
}

export interface TagsTable {
  id: Generated<string>;
  site_id: string;
  name: string;
  color: TagColor;
  created_at: CreatedAt;
}

export interface ConversationTagsTable {
  conversation_id: string;
  tag_id: string;
  close_reason: Generated<boolean>;
  added_by: string | null;
  added_at: CreatedAt;
}

/** Messages waiting for the search indexer (migration 025). */
export interface SearchPendingTable {
  id: Generated<string>;
  message_id: string;
}

export interface MailThreadsTable {
  token: string;
  conversation_id: string;
  operator_id: string | null;
  created_at: CreatedAt;
}

/** A mail that was posted, by Message-ID: the same mail delivered twice lands once (migration 023). */
export interface InboundMailTable {
  message_id: string;
  token: string;
  conversation_id: string;
  posted_message_id: string;
  outcome: 'posted';
  sender: string;
  received_at: CreatedAt;
}

/** Segments (021): a site's saved rules over its visitors, compiled to SQL when read. */
export interface SegmentsTable {
  id: Generated<string>;
  site_id: string;
  name: string;
  color: SegmentColor;
  conditions: ColumnType<SegmentCondition[], string, string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A mail the SMTP server accepted, by the outbox row that caused it (022). */
export interface MailDeliveriesTable {
  outbox_id: string;
  message_id: string;
  kind: string;
  recipient: string;
  conversation_id: string | null;
  sent_at: ColumnType<Date, Date | string | undefined, never>;
}

/** Owners' digests already queued, one per site and period (022). */
export interface MailDigestsTable {
  site_id: string;
  period_start: Date;
}

export interface Database {
  installation_secrets: InstallationSecretsTable;
  sites: SitesTable;
  operators: OperatorsTable;
  operator_avatars: OperatorAvatarsTable;
  site_operators: SiteOperatorsTable;
  operator_sessions: OperatorSessionsTable;
  visitors: VisitorsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  team_links: TeamLinksTable;
  team_link_deliveries: TeamLinkDeliveriesTable;
  site_routing: SiteRoutingTable;
  departments: DepartmentsTable;
  department_operators: DepartmentOperatorsTable;
  conversation_transfers: ConversationTransfersTable;
  canned_replies: CannedRepliesTable;
  mentions: MentionsTable;
  files: FilesTable;
  tags: TagsTable;
  conversation_tags: ConversationTagsTable;
  visits: VisitsTable;
  page_views: PageViewsTable;
  visitor_events: VisitorEventsTable;
  mail_threads: MailThreadsTable;
  search_pending: SearchPendingTable;
  inbound_mail: InboundMailTable;
  segments: SegmentsTable;
  mail_deliveries: MailDeliveriesTable;
  mail_digests: MailDigestsTable;
}

export type SiteRow = Selectable<SitesTable>;
export type OperatorRow = Selectable<OperatorsTable>;
export type VisitorRow = Selectable<VisitorsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type TeamLinkRow = Selectable<TeamLinksTable>;
export type CannedReplyRow = Selectable<CannedRepliesTable>;
export type FileRow = Selectable<FilesTable>;
export type TagRow = Selectable<TagsTable>;
export type VisitRow = Selectable<VisitsTable>;
export type PageViewRow = Selectable<PageViewsTable>;
export type VisitorEventRow = Selectable<VisitorEventsTable>;
export type SegmentRow = Selectable<SegmentsTable>;
