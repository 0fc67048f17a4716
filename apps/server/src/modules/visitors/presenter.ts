/** Visitors on the wire (operators only: visitors never receive another visitor). */
import type { VisitorDTO } from '@parley/protocol';
import type { VisitorRow } from '../../db/schema.js';

/** A short, stable label for a visitor who has not given a name: "#3F9A1C". */
export function visitorLabel(visitorId: string): string {
  return `#${visitorId.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

export function presentVisitor(row: VisitorRow): VisitorDTO {
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name ?? visitorLabel(row.id),
    email: row.email,
    phone: row.phone,
    currentPage: row.current_url ? { url: row.current_url, title: row.current_title } : null,
    language: row.language,
    browser: row.browser,
    os: row.os,
    country: row.country,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    ...(row.identity_verified !== null && {
      identity: { externalId: row.external_id, verified: row.identity_verified },
    }),
  };
}
