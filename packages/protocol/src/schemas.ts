/**
 * Runtime schemas (zod) for everything a client sends. The server validates
 * every HTTP body, query and socket frame with these. The widget must not
 * import this file: zod would triple its bundle.
 */
import { z } from 'zod';
import {
  CONVERSATION_CHANNELS,
  CONVERSATION_STATUSES,
  OPERATOR_STATUSES,
  SITE_LANGUAGES,
  VISIBILITIES,
} from './dto.js';
import { fileIds, fileSettingsUpdate, textOrFiles } from './file-schemas.js';
import type {
  ListConversationsQuery,
  ListMessagesQuery,
  LoginRequest,
  OfflineRequest,
  PresenceQuery,
  SendMessageRequest,
  UpdateProfileRequest,
  UpdateSiteRequest,
  WidgetSessionRequest,
} from './http.js';
import { LIMITS } from './limits.js';
import { siteEmailSettingsUpdate } from './mail-schemas.js';
import { NUL_REFUSAL, safeString } from './safe-string.js';
import type { SearchQuery } from './search.js';
import type { CreateSiteRequest } from './sites.js';
import type { OperatorClientFrames, VisitorClientFrames } from './socket.js';
import {
  type AddConversationTagRequest,
  type CloseConversationRequest,
  type CreateTagRequest,
  TAG_COLORS,
  TAG_LIMITS,
  type UpdateTagRequest,
} from './tags.js';
import type { StartChatRequest } from './visitors-now.js';

export { NUL_REFUSAL, safeString };

const textMayBeEmpty = safeString().max(
  LIMITS.messageText,
  `Message is longer than ${LIMITS.messageText} characters`,
);
const text = textMayBeEmpty.refine((s) => s.trim().length > 0, 'Message is empty');
/** A message's text may be empty when it carries files. */
const emptyMessage = { message: 'Message is empty', path: ['text'] };
const clientId = safeString()
  .min(8, 'clientId is too short')
  .max(LIMITS.clientId)
  .regex(/^[A-Za-z0-9_-]+$/, 'clientId may contain only letters, digits, _ and -');
const uuid = safeString().uuid();
const visibility = z.enum(VISIBILITIES);
const seq = z.number().int().min(0).max(2_147_483_647);
const httpUrl = safeString()
  .max(LIMITS.pageUrl)
  .refine((u) => /^https?:\/\//i.test(u), 'Only http and https URLs');
const email = safeString().trim().max(LIMITS.email).email('Enter a valid email address');
const limit = z.coerce.number().int().min(1).max(LIMITS.pageSize.max).optional();

export const loginRequest = z.object({
  email: safeString().trim().max(LIMITS.email).min(1),
  password: safeString().min(1).max(LIMITS.password.max),
});

export const updateProfileRequest = z
  .object({
    displayName: safeString().trim().min(1).max(LIMITS.displayName).optional(),
    status: z.enum(OPERATOR_STATUSES).optional(),
  })
  .strict();

export const listConversationsQuery = z.object({
  siteId: uuid.optional(),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), uuid]).optional(),
  departmentId: uuid.optional(),
  status: z.enum(CONVERSATION_STATUSES).optional(),
  channel: z.enum(CONVERSATION_CHANNELS).optional(),
  tagId: uuid.optional(),
  segmentId: uuid.optional(),
  cursor: safeString().max(200).optional(),
  limit,
});

export const listMessagesQuery = z
  .object({
    afterSeq: z.coerce.number().int().min(0).optional(),
    beforeSeq: z.coerce.number().int().min(1).optional(),
    limit,
  })
  .refine(
    (q) => q.afterSeq === undefined || q.beforeSeq === undefined,
    'Give afterSeq or beforeSeq, not both',
  );

export const idParams = z.object({ id: uuid });

export const presenceQuery = z.object({ siteId: uuid });

const origin = safeString()
  .trim()
  .max(200)
  .regex(
    /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(:\d{1,5})?$/i,
    'An origin is scheme://host[:port], e.g. https://shop.example, with no path',
  )
  .transform((value) => value.toLowerCase());

const greeting = safeString().trim().max(LIMITS.greeting);
const siteName = safeString()
  .trim()
  .min(1, 'Give the site a name')
  .max(LIMITS.siteName, `A site name has at most ${LIMITS.siteName} characters`);

export const createSiteRequest = z
  .object({ name: siteName, allowedOrigins: z.array(origin).max(LIMITS.allowedOrigins).optional() })
  .strict();

export const updateSiteRequest = z
  .object({
    name: siteName.optional(),
    allowedOrigins: z.array(origin).max(LIMITS.allowedOrigins).optional(),
    settings: z
      .object({
        language: z.enum(SITE_LANGUAGES).optional(),
        greeting: z
          .object({ en: greeting.optional(), ru: greeting.optional(), hy: greeting.optional() })
          .strict()
          .optional(),
        accentColor: safeString()
          .regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #2563eb')
          .optional(),
        files: fileSettingsUpdate.optional(),
        askCloseReason: z.boolean().optional(),
        sneakPeek: z.boolean().optional(),
        respectDoNotTrack: z.boolean().optional(),
        emailCapture: z.boolean().optional(),
        email: siteEmailSettingsUpdate.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const sendMessageRequest = z
  .object({ clientId, text: textMayBeEmpty, visibility: visibility.optional(), fileIds: fileIds.optional() })
  .strict()
  .refine(textOrFiles, emptyMessage);

/** The loader's key for a new visitor (TrackBatch.newVisitorKey): 32 hex digits. */
export const newVisitorKey = safeString().regex(/^[0-9a-f]{32}$/, 'A new visitor key is 32 hex digits');

export const widgetSessionRequest = z
  .object({
    siteKey: safeString().min(1).max(LIMITS.siteKey),
    visitorToken: safeString().max(LIMITS.visitorToken).optional(),
    newVisitorKey: newVisitorKey.optional(),
    page: z.object({ url: httpUrl, title: safeString().max(LIMITS.pageTitle).optional() }).optional(),
    referrer: safeString().max(LIMITS.pageUrl).optional(),
    language: safeString().max(35).optional(),
  })
  .strict();

/** The chat frame's page: `?site=<public key>` names the site whose origins may embed it. */
export const widgetFrameQuery = z.object({ site: safeString().max(LIMITS.siteKey).optional() });

export const offlineRequest = z
  .object({
    clientId,
    email,
    phone: safeString()
      .trim()
      .max(LIMITS.phone)
      .regex(/^[0-9+()\-.\s]*$/, 'Phone may contain digits, spaces and + ( ) - . only')
      .optional(),
    text,
  })
  .strict();

// ---- Tags, close reasons, read receipts (issue 11) ----

const tagName = safeString()
  .trim()
  .min(1, 'A tag needs a name')
  .max(TAG_LIMITS.name, `A tag's name is at most ${TAG_LIMITS.name} characters`);
const tagColor = z.enum(TAG_COLORS);

export const createTagRequest = z.object({ name: tagName, color: tagColor.optional() }).strict();
export const updateTagRequest = z
  .object({ name: tagName.optional(), color: tagColor.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.color !== undefined, 'Give a name or a colour');
export const addConversationTagRequest = z.object({ tagId: uuid }).strict();
export const closeConversationRequest = z.object({ reasonTagId: uuid.optional() }).strict();
export const conversationTagParams = z.object({ id: uuid, tagId: uuid });
const readReceipt = z.object({ conversationId: uuid, seq }).strict();
// ---- Search (issue 11) ----
/** `2026-12-05` or `2026-12-05T10:00:00Z` / `…+04:00`: a moment a search range starts or ends. */
const searchMoment = safeString()
  .max(40)
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'A date like 2026-12-05 or a date-time like 2026-12-05T10:00:00Z',
  )
  // Date.parse rolls 2026-02-31 over into March; a real date survives the round trip.
  .refine((value) => {
    const day = value.slice(0, 10);
    return !Number.isNaN(Date.parse(value)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  }, 'Not a real date');

export const searchQuery = z
  .object({
    q: safeString()
      .trim()
      .min(1, 'Type something to search for')
      .max(LIMITS.searchQuery, `A search is at most ${LIMITS.searchQuery} characters`),
    siteId: uuid.optional(),
    from: searchMoment.optional(),
    to: searchMoment.optional(),
    assigneeId: uuid.optional(),
    cursor: safeString().max(200).optional(),
    limit,
  })
  .refine((query) => !query.from || !query.to || Date.parse(query.from) <= Date.parse(query.to), {
    message: 'The range ends before it starts',
    path: ['to'],
  });

/** Socket frames from a visitor's widget, by type. */
export const visitorFrameData = {
  'message.send': z
    .object({ clientId, text: textMayBeEmpty, departmentId: uuid.optional(), fileIds: fileIds.optional() })
    .strict()
    .refine(textOrFiles, emptyMessage),
  'conversation.sync': z.object({ conversationId: uuid, afterSeq: seq }).strict(),
  'typing.set': z
    .object({ typing: z.boolean(), preview: safeString().max(LIMITS.typingPreview).optional() })
    .strict(),
  'visitor.page': z.object({ url: httpUrl, title: safeString().max(LIMITS.pageTitle).optional() }).strict(),
  'conversation.read': readReceipt,
} as const;

/** Socket frames from an operator's console, by type. */
export const operatorFrameData = {
  'message.send': z
    .object({
      conversationId: uuid,
      clientId,
      text: textMayBeEmpty,
      visibility: visibility.optional(),
      fileIds: fileIds.optional(),
    })
    .strict()
    .refine(textOrFiles, emptyMessage),
  'conversation.sync': z.object({ conversationId: uuid, afterSeq: seq }).strict(),
  'typing.set': z
    .object({ conversationId: uuid, typing: z.boolean(), visibility: visibility.optional() })
    .strict(),
  'operator.status': z.object({ status: z.enum(OPERATOR_STATUSES) }).strict(),
  'conversation.viewing': z.object({ conversationId: uuid, viewing: z.boolean() }).strict(),
  'conversation.read': readReceipt,
  'visitors.watch': z.object({ siteId: uuid, watching: z.boolean() }).strict(),
} as const;

/** An operator starts a chat from "visitors now": its first message (visitors-now.ts). */
export const startChatRequest = z.object({ clientId, text }).strict();

/** The envelope of every client frame. */
export const clientFrameEnvelope = z.object({
  type: safeString().max(64),
  ref: safeString().min(1).max(64),
  data: z.unknown(),
});

/** zod issues as the API reports them. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

// The visitor's dossier and segments (issue 12).
export * from './dossier-schemas.js';
export { fileSettingsUpdate, uploadFileQuery } from './file-schemas.js';
// Email (issue 13, sending side).
export * from './mail-schemas.js';
// The team's schemas (members, invitations, links, own password and sessions).
export * from './team-schemas.js';
export { z };

// Each schema above produces exactly its type in the contract: not merely something assignable to it
// (a field the schema accepts but the type lacks, like `referrer` once, fails the type-check here).
// `Same` is true only for identical types; `true satisfies false` does not compile.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type RequestsOf<M> = { [K in keyof M]: M[K] extends { request: infer R } ? R : never };
type OutputsOf<S> = { -readonly [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

true satisfies Same<z.output<typeof loginRequest>, LoginRequest>;
true satisfies Same<z.output<typeof updateProfileRequest>, UpdateProfileRequest>;
true satisfies Same<z.output<typeof listConversationsQuery>, ListConversationsQuery>;
true satisfies Same<z.output<typeof listMessagesQuery>, ListMessagesQuery>;
true satisfies Same<z.output<typeof presenceQuery>, PresenceQuery>;
true satisfies Same<z.output<typeof updateSiteRequest>, UpdateSiteRequest>;
true satisfies Same<z.output<typeof createSiteRequest>, CreateSiteRequest>;
true satisfies Same<z.output<typeof sendMessageRequest>, SendMessageRequest>;
true satisfies Same<z.output<typeof widgetSessionRequest>, WidgetSessionRequest>;
true satisfies Same<z.output<typeof offlineRequest>, OfflineRequest>;
true satisfies Same<z.output<typeof createTagRequest>, CreateTagRequest>;
true satisfies Same<z.output<typeof updateTagRequest>, UpdateTagRequest>;
true satisfies Same<z.output<typeof addConversationTagRequest>, AddConversationTagRequest>;
true satisfies Same<z.output<typeof closeConversationRequest>, CloseConversationRequest>;
true satisfies Same<z.output<typeof searchQuery>, SearchQuery>;
true satisfies Same<z.output<typeof startChatRequest>, StartChatRequest>;
true satisfies Same<OutputsOf<typeof visitorFrameData>, RequestsOf<VisitorClientFrames>>;
true satisfies Same<OutputsOf<typeof operatorFrameData>, RequestsOf<OperatorClientFrames>>;
