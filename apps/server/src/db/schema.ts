/**
 * Table types for Kysely, mirroring migrations/*.sql. Kept by hand: when a
 * migration changes a table, this file changes in the same commit.
 */
import type {
  AuthorKind,
  ConversationChannel,
  ConversationStatus,
  OperatorRole,
  OperatorStatus,
  TagColor,
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
}

export interface OperatorsTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  display_name: string;
  avatar_url: string | null;
  role: OperatorRole;
  status: Generated<OperatorStatus>;
  created_at: CreatedAt;
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
  /** Read receipts: the visitor's, in operators' numbering; an operator's, in the visitor's numbering. */
  visitor_read_seq: Generated<number>;
  operator_read_seq: Generated<number>;
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
  tags: TagsTable;
  conversation_tags: ConversationTagsTable;
}

export type SiteRow = Selectable<SitesTable>;
export type OperatorRow = Selectable<OperatorsTable>;
export type VisitorRow = Selectable<VisitorsTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type TagRow = Selectable<TagsTable>;
