/** "Visitors now" rows on the wire: the visitor with their current visit, page and open conversation. */
import type { SourceKind, TouchDTO, UtmDTO, VisitorNowDTO } from '@parley/protocol';
import { visitorLabel } from '../visitors/presenter.js';

/** What `visitorsNowRows` selects. */
export interface VisitorNowRow {
  id: string;
  site_id: string;
  name: string | null;
  email: string | null;
  first_seen_at: Date;
  last_seen_at: Date;
  visit_count: number;
  current_url: string | null;
  current_title: string | null;
  cart_amount: string | null;
  cart_currency: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  visit_started_at: Date | null;
  page_view_count: number | null;
  landing_url: string | null;
  visit_referrer: string | null;
  source_kind: SourceKind | null;
  source_name: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  gclid: string | null;
  yclid: string | null;
  search_query: string | null;
  page_url: string | null;
  page_title: string | null;
  left_page: boolean | null;
  conversation_id: string | null;
}

function utmOf(row: VisitorNowRow): UtmDTO | null {
  const utm: UtmDTO = {
    ...(row.utm_source && { source: row.utm_source }),
    ...(row.utm_medium && { medium: row.utm_medium }),
    ...(row.utm_campaign && { campaign: row.utm_campaign }),
    ...(row.utm_term && { term: row.utm_term }),
    ...(row.utm_content && { content: row.utm_content }),
  };
  return Object.keys(utm).length ? utm : null;
}

function sourceOf(row: VisitorNowRow): TouchDTO | null {
  if (!row.visit_started_at || !row.source_kind) return null;
  return {
    kind: row.source_kind,
    name: row.source_name,
    referrer: row.visit_referrer,
    landingUrl: row.landing_url,
    utm: utmOf(row),
    searchQuery: row.search_query,
    ...(row.gclid && { gclid: row.gclid }),
    ...(row.yclid && { yclid: row.yclid }),
    at: row.visit_started_at.toISOString(),
  };
}

export function presentVisitorNow(row: VisitorNowRow): VisitorNowDTO {
  // A visitor the widget knows but tracking has not seen yet (no visit) still shows, from the
  // page the chat frame reported.
  const url = row.page_url ?? row.current_url;
  return {
    visitorId: row.id,
    siteId: row.site_id,
    name: row.name ?? visitorLabel(row.id),
    email: row.email,
    currentPage: url ? { url, title: row.page_url ? row.page_title : row.current_title } : null,
    visitStartedAt: (row.visit_started_at ?? row.first_seen_at).toISOString(),
    pagesThisVisit: row.page_view_count ?? (url ? 1 : 0),
    source: sourceOf(row),
    country: row.country,
    region: row.region,
    city: row.city,
    browser: row.browser,
    os: row.os,
    device: row.device,
    visitCount: row.visit_count,
    conversationId: row.conversation_id,
    cart: row.cart_amount !== null ? { amount: row.cart_amount, currency: row.cart_currency } : null,
    lastSeenAt: row.last_seen_at.toISOString(),
    left: row.left_page === true,
  };
}
