/** Tracking's rows on the wire: a visit as a touch point. */
import type { TouchDTO } from '@parley/protocol';
import type { VisitRow } from '../../db/schema.js';

/** The current visit's start, page count and source; a full VisitRow fits. */
export type VisitNow = Pick<VisitRow, 'started_at' | 'page_view_count'> & { source: TouchDTO | null };

/** A visit row's source as a touch point. */
export function touchOfVisit(visit: VisitRow): TouchDTO {
  const utm = {
    ...(visit.utm_source && { source: visit.utm_source }),
    ...(visit.utm_medium && { medium: visit.utm_medium }),
    ...(visit.utm_campaign && { campaign: visit.utm_campaign }),
    ...(visit.utm_term && { term: visit.utm_term }),
    ...(visit.utm_content && { content: visit.utm_content }),
  };
  return {
    kind: visit.source_kind as TouchDTO['kind'],
    name: visit.source_name,
    referrer: visit.referrer,
    landingUrl: visit.landing_url,
    utm: Object.keys(utm).length > 0 ? utm : null,
    searchQuery: visit.search_query,
    ...(visit.gclid && { gclid: visit.gclid }),
    ...(visit.yclid && { yclid: visit.yclid }),
    at: visit.started_at.toISOString(),
  };
}
