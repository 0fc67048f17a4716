/**
 * Test support for "visitors now": writes what the tracking ingest writes for a visitor on a site
 * (the visitor, a visit with its source, its page views) straight into the tables, and announces the
 * row through the real event bus as the ingest does (`visitor.activity`).
 */
import { randomUUID } from 'node:crypto';
import type { SourceKind } from '@parley/protocol';
import { sql } from 'kysely';
import type { DomainContext } from '../modules/context.js';
import { publishVisitorNow } from '../modules/visitors-now/commands.js';

export interface TrackedVisitorProps {
  siteId: string;
  /** Seconds since their last item (default 5). */
  seenSecondsAgo?: number;
  pages?: { url: string; title: string }[];
  /** The last page was left (a `leave` item). */
  left?: boolean;
  source?: { kind: SourceKind; name: string | null; utmCampaign?: string; searchQuery?: string };
  cart?: { amount: string; currency: string };
  visitCount?: number;
  city?: string;
  name?: string;
}

export async function seedTrackedVisitor(ctx: DomainContext, props: TrackedVisitorProps): Promise<string> {
  const id = randomUUID();
  const seen = props.seenSecondsAgo ?? 5;
  const pages = props.pages ?? [{ url: 'https://shop.example/', title: 'Shop' }];
  await sql`
    INSERT INTO visitors (id, site_id, name, browser, os, device, country, city, visit_count,
      last_seen_at, cart_amount, cart_currency)
    VALUES (${id}, ${props.siteId}, ${props.name ?? null}, 'Firefox', 'Linux', 'desktop', 'AM',
      ${props.city ?? 'Yerevan'}, ${props.visitCount ?? 1}, now() - make_interval(secs => ${seen}),
      ${props.cart?.amount ?? null}, ${props.cart?.currency ?? null})`.execute(ctx.db);
  const visit = randomUUID();
  await sql`
    INSERT INTO visits (id, site_id, visitor_id, number, started_at, last_activity_at, landing_url,
      source_kind, source_name, utm_campaign, search_query, page_view_count, country, city, browser, os, device)
    VALUES (${visit}, ${props.siteId}, ${id}, ${props.visitCount ?? 1},
      now() - make_interval(secs => ${seen + 60 * pages.length}), now() - make_interval(secs => ${seen}),
      ${pages[0]?.url ?? null}, ${props.source?.kind ?? 'direct'}, ${props.source?.name ?? null},
      ${props.source?.utmCampaign ?? null}, ${props.source?.searchQuery ?? null}, ${pages.length},
      'AM', ${props.city ?? 'Yerevan'}, 'Firefox', 'Linux', 'desktop')`.execute(ctx.db);
  for (const [index, page] of pages.entries()) {
    const last = index === pages.length - 1;
    await sql`
      INSERT INTO page_views (site_id, visitor_id, visit_id, client_id, url, title, viewed_at, seconds)
      VALUES (${props.siteId}, ${id}, ${visit}, ${`p${index}`}, ${page.url}, ${page.title},
        now() - make_interval(secs => ${seen + 60 * (pages.length - 1 - index)}),
        ${last && !props.left ? null : 30})`.execute(ctx.db);
  }
  return id;
}

/** A tracking batch from the visitor now: last seen moved, the row announced through the bus. */
export async function pingTrackedVisitor(
  ctx: DomainContext,
  siteId: string,
  visitorId: string,
): Promise<void> {
  await sql`UPDATE visitors SET last_seen_at = now() WHERE id = ${visitorId}`.execute(ctx.db);
  await publishVisitorNow(ctx, siteId, visitorId);
}
