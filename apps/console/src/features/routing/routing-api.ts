/** Routing's HTTP calls, over the console's client: settings, departments, limits, transfer, invite, take. */
import {
  API_PATHS,
  type ConversationResponse,
  type CreateDepartmentRequest,
  type DepartmentResponse,
  type SiteRoutingResponse,
  type TransferRequest,
  type UpdateDepartmentRequest,
  type UpdateRoutingRequest,
} from '@parley/protocol';
import type { HttpClient } from '../../api/http-client';

export const routingApi = (http: HttpClient) => ({
  get: (siteId: string) => http.request<SiteRoutingResponse>(API_PATHS.siteRouting(siteId)),
  update: (siteId: string, body: UpdateRoutingRequest) =>
    http.request<SiteRoutingResponse>(API_PATHS.siteRouting(siteId), { method: 'PATCH', json: body }),
  createDepartment: (siteId: string, body: CreateDepartmentRequest) =>
    http.request<DepartmentResponse>(API_PATHS.siteDepartments(siteId), { json: body }),
  updateDepartment: (id: string, body: UpdateDepartmentRequest) =>
    http.request<DepartmentResponse>(API_PATHS.department(id), { method: 'PATCH', json: body }),
  deleteDepartment: (id: string) => http.request<void>(API_PATHS.department(id), { method: 'DELETE' }),
  setChatLimit: (siteId: string, operatorId: string, chatLimit: number) =>
    http.request<SiteRoutingResponse>(API_PATHS.operatorChatLimit(siteId, operatorId), {
      method: 'PUT',
      json: { chatLimit },
    }),
  transfer: (conversationId: string, body: TransferRequest) =>
    http.request<ConversationResponse>(API_PATHS.transferConversation(conversationId), { json: body }),
  invite: (conversationId: string, operatorId: string) =>
    http.request<ConversationResponse>(API_PATHS.inviteToConversation(conversationId), {
      json: { operatorId },
    }),
  take: (conversationId: string) =>
    http.request<ConversationResponse>(API_PATHS.takeConversation(conversationId), { json: {} }),
});
