/** The dossier's and segments' API calls (issue 12), over the console's HTTP client. */
import {
  API_PATHS,
  type CreateSegmentRequest,
  DOSSIER_PATHS,
  SEGMENT_PATHS,
  type SegmentCondition,
  type SegmentList,
  type SegmentMembershipResponse,
  type SegmentPreviewResponse,
  type SegmentResponse,
  type UpdateSegmentRequest,
  type UpdateVisitorRequest,
  type VisitorDossier,
  type VisitorProfileResponse,
} from '@parley/protocol';
import type { HttpClient } from '../../api/http-client';

export function dossierApi(http: HttpClient) {
  return {
    get: (visitorId: string, beforeVisit?: number) =>
      http.request<VisitorDossier>(DOSSIER_PATHS.visitorDossier(visitorId), { query: { beforeVisit } }),
    update: (visitorId: string, changes: UpdateVisitorRequest) =>
      http.request<VisitorProfileResponse>(API_PATHS.visitor(visitorId), { method: 'PATCH', json: changes }),
  };
}

export function segmentsApi(http: HttpClient) {
  return {
    list: (siteId: string) => http.request<SegmentList>(SEGMENT_PATHS.siteSegments(siteId)),
    create: (siteId: string, body: CreateSegmentRequest) =>
      http.request<SegmentResponse>(SEGMENT_PATHS.siteSegments(siteId), { json: body }),
    update: (id: string, changes: UpdateSegmentRequest) =>
      http.request<SegmentResponse>(SEGMENT_PATHS.segment(id), { method: 'PATCH', json: changes }),
    remove: (id: string) => http.request<undefined>(SEGMENT_PATHS.segment(id), { method: 'DELETE' }),
    preview: (siteId: string, conditions: SegmentCondition[]) =>
      http.request<SegmentPreviewResponse>(SEGMENT_PATHS.segmentPreview(siteId), { json: { conditions } }),
    membership: (siteId: string, visitorIds: string[]) =>
      http.request<SegmentMembershipResponse>(SEGMENT_PATHS.segmentMembership(siteId), {
        json: { visitorIds },
      }),
  };
}
