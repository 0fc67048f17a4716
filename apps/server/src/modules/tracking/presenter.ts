/** "Visitors now" rows on the wire (operators only): a visitor as they are on the site this minute. */
import type { TouchDTO, VisitorNowDTO } from '@parley/protocol';
import type { VisitorRow, VisitRow } from '../../db/schema.js';
import { visitorLabel } from '../visitors/presenter.js';

/** The visit's fields "visitors now" shows; a full VisitRow fits. */
export type VisitNow = Pick<VisitRow, 'started_at' | 'page_view_count'> & { source: TouchDTO | null };

/**
 * @param visit the visitor's current visit (null before their first page)
 * @param conversationId their open conversation, if they are chatting
 * @param left they hid or closed their last page
 */
export function presentVisitorNow(
  visitor: VisitorRow,
  visit: VisitNow | null,
  conversationId: string | null,
  left = false,
): VisitorNowDTO {
  return {
    visitorId: visitor.id,
    siteId: visitor.site_id,
    name: visitor.name ?? visitorLabel(visitor.id),
    email: visitor.email,
    currentPage: visitor.current_url ? { url: visitor.current_url, title: visitor.current_title } : null,
    visitStartedAt: (visit?.started_at ?? visitor.last_seen_at).toISOString(),
    pagesThisVisit: visit?.page_view_count ?? 0,
    source: visit?.source ?? visitor.last_touch ?? null,
    country: visitor.country,
    region: visitor.region,
    city: visitor.city,
    browser: visitor.browser,
    os: visitor.os,
    device: visitor.device,
    visitCount: visitor.visit_count,
    conversationId,
    cart:
      visitor.cart_amount !== null ? { amount: visitor.cart_amount, currency: visitor.cart_currency } : null,
    lastSeenAt: visitor.last_seen_at.toISOString(),
    left,
  };
}

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
