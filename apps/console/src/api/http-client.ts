/**
 * The console's typed HTTP client: one method per API call, JSON in and out,
 * the CSRF token on every state-changing call, and errors as `ApiError` with
 * the server's code, so screens can say what went wrong.
 */
import {
  API_PATHS,
  type ApiErrorBody,
  type ConversationDetail,
  type ConversationList,
  type ConversationResponse,
  type CreateSiteRequest,
  type DeleteSiteResponse,
  type ErrorCode,
  type ListConversationsQuery,
  type ListMessagesQuery,
  type LoginRequest,
  type LogoutResponse,
  type MessagePage,
  type OperatorDTO,
  type PresenceResponse,
  type SearchQuery,
  type SearchResults,
  type SendMessageRequest,
  type SendMessageResponse,
  type SessionResponse,
  type SiteDTO,
  type SiteList,
  type TagColor,
  type TagList,
  type TagResponse,
  type UpdateProfileRequest,
  type UpdateSiteRequest,
  type VisitorDetail,
} from '@parley/protocol';

/** One wrong field of a rejected request, as the server names it (`allowedOrigins.1`). */
export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  json?: unknown;
  body?: Blob;
  query?: Record<string, string | number | undefined>;
}

export class HttpClient {
  /** Set after login or `me`; echoed in `x-csrf-token`. */
  csrfToken: string | null = null;

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? (options.json === undefined && !options.body ? 'GET' : 'POST');
    const headers: Record<string, string> = {};
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.body) headers['content-type'] = options.body.type;
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path + queryString(options.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
      });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached');
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (parsed as ApiErrorBody | undefined)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'internal',
        error?.message ?? response.statusText,
        error?.issues,
      );
    }
    return parsed as T;
  }

  login(body: LoginRequest) {
    return this.request<SessionResponse>(API_PATHS.login, { json: body });
  }
  me() {
    return this.request<SessionResponse>(API_PATHS.me);
  }
  logout() {
    return this.request<LogoutResponse>(API_PATHS.logout, { json: {} });
  }
  updateProfile(body: UpdateProfileRequest) {
    return this.request<OperatorDTO>(API_PATHS.profile, { method: 'PATCH', json: body });
  }
  uploadAvatar(image: Blob) {
    return this.request<OperatorDTO>(API_PATHS.avatar, { method: 'PUT', body: image });
  }
  listConversations(query: ListConversationsQuery) {
    return this.request<ConversationList>(API_PATHS.conversations, { query });
  }
  conversation(id: string) {
    return this.request<ConversationDetail>(API_PATHS.conversation(id));
  }
  messages(id: string, query: ListMessagesQuery) {
    return this.request<MessagePage>(API_PATHS.conversationMessages(id), { query });
  }
  sendMessage(id: string, body: SendMessageRequest) {
    return this.request<SendMessageResponse>(API_PATHS.conversationMessages(id), { json: body });
  }
  closeConversation(id: string, reasonTagId?: string) {
    return this.request<ConversationResponse>(API_PATHS.closeConversation(id), {
      json: reasonTagId ? { reasonTagId } : {},
    });
  }
  reopenConversation(id: string) {
    return this.request<ConversationResponse>(API_PATHS.reopenConversation(id), { json: {} });
  }
  // Tags (issue 11).
  siteTags(siteId: string) {
    return this.request<TagList>(API_PATHS.siteTags(siteId));
  }
  createTag(siteId: string, name: string, color?: TagColor) {
    return this.request<TagResponse>(API_PATHS.siteTags(siteId), {
      json: color ? { name, color } : { name },
    });
  }
  updateTag(tagId: string, changes: { name?: string; color?: TagColor }) {
    return this.request<TagResponse>(API_PATHS.tag(tagId), { method: 'PATCH', json: changes });
  }
  deleteTag(tagId: string) {
    return this.request<undefined>(API_PATHS.tag(tagId), { method: 'DELETE' });
  }
  tagConversation(id: string, tagId: string) {
    return this.request<ConversationResponse>(API_PATHS.conversationTags(id), { json: { tagId } });
  }
  untagConversation(id: string, tagId: string) {
    return this.request<ConversationResponse>(API_PATHS.conversationTag(id, tagId), { method: 'DELETE' });
  }

  visitor(id: string) {
    return this.request<VisitorDetail>(API_PATHS.visitor(id));
  }
  sites() {
    return this.request<SiteList>(API_PATHS.sites);
  }
  createSite(body: CreateSiteRequest) {
    return this.request<SiteDTO>(API_PATHS.sites, { json: body });
  }
  deleteSite(id: string) {
    return this.request<DeleteSiteResponse>(API_PATHS.site(id), { method: 'DELETE' });
  }
  site(id: string) {
    return this.request<SiteDTO>(API_PATHS.site(id));
  }
  updateSite(id: string, body: UpdateSiteRequest) {
    return this.request<SiteDTO>(API_PATHS.site(id), { method: 'PATCH', json: body });
  }
  search(query: SearchQuery) {
    return this.request<SearchResults>(API_PATHS.search, { query });
  }
  presence(siteId: string) {
    return this.request<PresenceResponse>(API_PATHS.presence, { query: { siteId } });
  }
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
