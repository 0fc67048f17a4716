/** Visitors on the wire (operators only: visitors never receive another visitor). */
import type { VisitorAttributeValue, VisitorDTO, VisitorProfileDTO } from '@parley/protocol';
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
    region: row.region,
    city: row.city,
    firstSeenAt: row.first_seen_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    ...(row.identity_verified !== null && {
      identity: { externalId: row.external_id, verified: row.identity_verified },
    }),
  };
}

/** Custom attributes as stored: a flat JSON object; anything else reads as none. */
export function attributesOf(value: unknown): Record<string, VisitorAttributeValue> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const attributes: Record<string, VisitorAttributeValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[key] = v;
  }
  return attributes;
}

/** The card's profile: the visitor with location, device, touch points, cart, attributes. */
export function presentVisitorProfile(row: VisitorRow): VisitorProfileDTO {
  return {
    ...presentVisitor(row),
    givenName: row.name,
    region: row.region,
    city: row.city,
    device: row.device,
    visitCount: row.visit_count,
    firstTouch: row.first_touch,
    lastTouch: row.last_touch,
    emailSource: row.email_source,
    cart: row.cart_amount === null ? null : { amount: row.cart_amount, currency: row.cart_currency },
    attributes: attributesOf(row.attributes),
    referrer: row.referrer,
  };
}
