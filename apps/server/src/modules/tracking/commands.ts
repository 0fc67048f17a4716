/**
 * Writes of tracking: one loader batch → the visitor (found or created), their visits, page views,
 * events, time spent, cart and captured email, in one transaction of few statements. A batch sent
 * twice writes its items once (unique (visitor_id, client_id) on page views and events; `leave`
 * fills a page's seconds only while empty). Page addresses lose their secrets (page-address.ts).
 *
 * This path takes every visitor's pings, so a batch of pings alone is two updates and no
 * transaction: the visitor's and the current visit's last activity.
 *
 * A page a `leave` closed (the visitor hid the tab) is open again when a later ping names it (they
 * came back): "visitors now" reads "left" from the latest page's seconds, and the next leave writes
 * the page's whole time in front (the loader adds up every stretch).
 */
import { randomUUID } from 'node:crypto';
import type { TouchDTO, TrackItem } from '@parley/protocol';
import Bowser from 'bowser';
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { SiteRow, VisitorRow, VisitRow } from '../../db/schema.js';
import { describeDevice } from '../visitors/commands.js';
import type { Location } from '../visitors/geolocation.js';
import { withoutSecrets } from '../visitors/page-address.js';
import { findSurvivorOfMerged, findVisitorOfNewKey } from '../visitors/queries.js';
import { applyCartEvents } from './cart.js';
import { touchOfVisit, type VisitNow } from './presenter.js';
import { type Landing, planVisits, VISIT_GAP_MS } from './visits.js';

export interface TrackBatchInput {
  site: Pick<SiteRow, 'id'>;
  /** The visitor a valid token of this site names, with the token's generation. */
  knownVisitor: { id: string; tokenGeneration: number } | null;
  /**
   * A batch without a token: the loader's key for this new visitor (TrackBatch.newVisitorKey). The
   * visitor it made (lately, tokens never revoked) is this one; else the new visitor keeps it.
   */
  newVisitorKey?: string;
  /** Called before a new visitor is created; throws to refuse one (the caller's budgets). */
  admitNew: () => Promise<void>;
  items: readonly TrackItem[];
  userAgent: string | null;
  /** The browser's first language (Accept-Language): kept when the visitor has none yet. */
  language: string | null;
  location: Location;
  /** Capture emails typed into the site's forms (the site's setting). */
  emailCapture: boolean;
  now?: Date;
}

export interface TrackBatchResult {
  visitor: VisitorRow;
  isNew: boolean;
  /** Items written now (not before: a retried batch counts 0). Pings are not counted. */
  accepted: number;
  /** The current visit after the batch. */
  visit: VisitNow | null;
}

/** desktop / mobile / tablet / tv, from a user agent. */
export function deviceKind(userAgent: string): string | null {
  try {
    return Bowser.parse(userAgent).platform.type ?? null;
  } catch {
    return null;
  }
}

const clip = (value: string, max: number) => value.slice(0, max);

/**
 * The visitor row's site, as a condition no index can serve: these updates find the visitor by
 * primary key, and the site is a check. Tracking's pool prepares its statements, and PostgreSQL may
 * keep one generic plan made while the site was small; with a plain `site_id = $n` that plan read
 * the site's index entry of every visitor, 30,301 rows at 30,000 visitors, on every batch
 * (tracking/generic-plans.test.ts). Compared as text, the site cannot drive the plan.
 */
const ofSite = (siteId: string) => sql<boolean>`site_id::text = ${siteId}`;

function touchOf(visit: Landing): TouchDTO {
  const { source } = visit;
  return {
    kind: source.kind,
    name: source.name,
    referrer: visit.referrer && withoutSecrets(visit.referrer),
    landingUrl: visit.landingUrl && withoutSecrets(visit.landingUrl),
    utm: source.utm,
    searchQuery: source.searchQuery,
    ...(source.gclid && { gclid: source.gclid }),
    ...(source.yclid && { yclid: source.yclid }),
    at: visit.startedAt.toISOString(),
  };
}

/** Only pings: two updates, no transaction. Null when the visit has ended (the full path starts one). */
async function recordPings(
  db: Queryable,
  input: TrackBatchInput & { knownVisitor: { id: string; tokenGeneration: number } },
  now: Date,
): Promise<TrackBatchResult | null> {
  const visit = await db
    .updateTable('visits')
    .set({ last_activity_at: now })
    .where('visitor_id', '=', input.knownVisitor.id)
    .where('last_activity_at', '>', new Date(now.getTime() - VISIT_GAP_MS))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('visits')
        .select('id')
        .where('visitor_id', '=', input.knownVisitor.id)
        .orderBy('started_at', 'desc')
        .limit(1),
    )
    .returningAll()
    .executeTakeFirst();
  if (!visit) return null;
  const visitor = await db
    .updateTable('visitors')
    .set({ last_seen_at: now })
    .where('id', '=', input.knownVisitor.id)
    .where(ofSite(input.site.id))
    .where('token_generation', '=', input.knownVisitor.tokenGeneration)
    .returningAll()
    .executeTakeFirst();
  if (!visitor) return null;
  await reopenPages(db, visitor.id, input.items);
  return {
    visitor,
    isNew: false,
    accepted: 0,
    visit: { ...visit, source: touchOfVisit(visit) },
  };
}

/** Pages the visitor came back to: a ping naming a page, with no leave of that page after it. */
async function reopenPages(db: Queryable, visitorId: string, items: readonly TrackItem[]): Promise<void> {
  const back = items.flatMap((item) =>
    item.t === 'ping' &&
    item.pageId &&
    !items.some((other) => other.t === 'leave' && other.pageId === item.pageId && other.ago < item.ago)
      ? [item.pageId]
      : [],
  );
  if (back.length === 0) return;
  await db
    .updateTable('page_views')
    .set({ seconds: null })
    .where('visitor_id', '=', visitorId)
    .where('client_id', 'in', back)
    .where('seconds', 'is not', null)
    .execute();
}

/**
 * Records one batch of the loader's items for a visitor.
 *
 * @example
 * await trackBatchRecorder(db, { site, knownVisitor: null, admitNew, items, userAgent, language, location, emailCapture: true })
 */
export async function trackBatchRecorder(db: Queryable, input: TrackBatchInput): Promise<TrackBatchResult> {
  const now = input.now ?? new Date();
  const known = input.knownVisitor;
  if (known && input.items.every((item) => item.t === 'ping')) {
    const pinged = await recordPings(db, { ...input, knownVisitor: known }, now);
    if (pinged) return pinged;
  }
  return db.transaction().execute(async (tx) => {
    const latest = known ? await latestVisitOf(tx, known.id) : null;
    const resolved = await resolveVisitor(tx, input, latest, now);
    return writeItems(tx, input, resolved);
  });
}

/** A visitor's current (latest) visit, locked for this batch. */
async function latestVisitOf(tx: Queryable, visitorId: string): Promise<VisitRow | null> {
  const visit = await tx
    .selectFrom('visits')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return visit ?? null;
}

interface ResolvedVisitor {
  visitor: VisitorRow;
  isNew: boolean;
  current: VisitRow | null;
  plan: ReturnType<typeof planVisits>;
  newVisitIds: string[];
}

/** Updates the known visitor (one statement with everything the batch tells), or creates a new one. */
async function resolveVisitor(
  tx: Queryable,
  input: TrackBatchInput,
  latest: VisitRow | null,
  now: Date,
): Promise<ResolvedVisitor> {
  const device = input.userAgent ? describeDevice(input.userAgent) : { browser: null, os: null };
  const lastPage = [...input.items]
    .sort((a, b) => a.ago - b.ago)
    .find((item): item is Extract<TrackItem, { t: 'page' }> => item.t === 'page');
  // A late batch's page (overtaken by a newer one) is not where the visitor is now.
  const lastPageIsCurrent =
    lastPage && (!latest || now.getTime() - lastPage.ago >= latest.last_activity_at.getTime());
  const emailItem = input.emailCapture
    ? [...input.items].sort((a, b) => a.ago - b.ago).find((item) => item.t === 'email')
    : undefined;
  const changes = (plan: ReturnType<typeof planVisits>, current: VisitRow | null) => {
    const started = plan.started;
    const last = started[started.length - 1];
    const first = started[0];
    const relanded = plan.currentLanding && current && touchOf(plan.currentLanding);
    return {
      last_seen_at: now,
      user_agent: input.userAgent,
      browser: device.browser,
      os: device.os,
      device: input.userAgent ? deviceKind(input.userAgent) : null,
      ...(input.location.country && { ...input.location }),
      ...(lastPage &&
        lastPageIsCurrent && {
          current_url: withoutSecrets(lastPage.url),
          current_title: clip(lastPage.title, 300) || null,
        }),
      ...(started.length > 0 && {
        visit_count: sql<number>`visit_count + ${started.length}`,
        last_touch: JSON.stringify(touchOf(last as Landing)),
        first_touch: sql<string>`coalesce(first_touch, ${JSON.stringify(touchOf(first as Landing))}::jsonb)`,
      }),
      // The current visit begins earlier than thought: it is the latest touch, and the first if it was the first.
      ...(relanded && started.length === 0 && { last_touch: JSON.stringify(relanded) }),
      ...(relanded &&
        current?.number === 1 && {
          first_touch: JSON.stringify(relanded),
          referrer: relanded.referrer,
        }),
      ...(emailItem?.t === 'email' && {
        email: sql<string>`case when email is null or email_source = 'captured' then ${emailItem.email} else email end`,
        email_source: sql<'captured'>`case when email is null or email_source = 'captured' then 'captured' else email_source end`,
      }),
    };
  };
  const ids = (count: number) => Array.from({ length: count }, () => randomUUID());
  if (input.knownVisitor) {
    const plan = planVisits(
      latest && {
        number: latest.number,
        startedAt: latest.started_at,
        lastActivityAt: latest.last_activity_at,
      },
      input.items,
      now,
      null,
    );
    const visitor = await tx
      .updateTable('visitors')
      .set({
        ...changes(plan, latest),
        ...(input.language && { language: sql<string>`coalesce(language, ${input.language})` }),
      })
      .where('id', '=', input.knownVisitor.id)
      .where(ofSite(input.site.id))
      .where('token_generation', '=', input.knownVisitor.tokenGeneration)
      .returningAll()
      .executeTakeFirst();
    if (visitor)
      return { visitor, isNew: false, current: latest, plan, newVisitIds: ids(plan.started.length) };
    // A profile merged into a known user (identify): its old token continues as the user, as the
    // widget session does (only on this miss, so the common batch pays nothing for it).
    const survivor = await findSurvivorOfMerged(tx, input.knownVisitor, input.site.id);
    if (survivor)
      return resolveVisitor(
        tx,
        { ...input, knownVisitor: survivor },
        await latestVisitOf(tx, survivor.id),
        now,
      );
  }
  // A new visitor's later pages (the first answer's token was lost with the page it came to): the
  // visitor their key made. Generation 0 as the key's: a merged profile's key finds its survivor as
  // its old token would; tokens revoked otherwise make the update miss, and a stranger is made below.
  const key = input.newVisitorKey;
  if (!input.knownVisitor && key) {
    const made = await findVisitorOfNewKey(tx, input.site.id, key, now);
    if (made)
      return resolveVisitor(
        tx,
        { ...input, newVisitorKey: undefined, knownVisitor: { id: made.id, tokenGeneration: 0 } },
        await latestVisitOf(tx, made.id),
        now,
      );
  }
  await input.admitNew();
  const plan = planVisits(null, input.items, now, null);
  const visitor = await tx
    .insertInto('visitors')
    .values({
      site_id: input.site.id,
      first_seen_at: now,
      new_visitor_key: key ?? null,
      language: input.language,
      referrer: plan.started[0]?.referrer ? withoutSecrets(plan.started[0].referrer) : null,
      ...changes(plan, null),
      visit_count: plan.started.length,
      ...(plan.started[0] && {
        first_touch: JSON.stringify(touchOf(plan.started[0])),
      }),
      ...(emailItem?.t === 'email' && { email: emailItem.email, email_source: 'captured' as const }),
    })
    // Another batch with this key (a beacon beside the fetch) made the visitor meanwhile: that one
    // (committed by now: the insert waited for it), or, with the key too old, a visitor without it.
    .onConflict((oc) =>
      oc.columns(['site_id', 'new_visitor_key']).where('new_visitor_key', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (!visitor) {
    const made = key ? await findVisitorOfNewKey(tx, input.site.id, key, now) : undefined;
    return resolveVisitor(
      tx,
      { ...input, newVisitorKey: undefined, knownVisitor: made ? { id: made.id, tokenGeneration: 0 } : null },
      made ? await latestVisitOf(tx, made.id) : null,
      now,
    );
  }
  return { visitor, isNew: true, current: null, plan, newVisitIds: ids(plan.started.length) };
}

async function writeItems(
  tx: Queryable,
  input: TrackBatchInput,
  { visitor, isNew, current, plan, newVisitIds }: ResolvedVisitor,
): Promise<TrackBatchResult> {
  const siteId = input.site.id;
  const visitIdOf = (index: number) => (index === -1 ? (current?.id ?? null) : (newVisitIds[index] ?? null));
  if (plan.started.length > 0) {
    await tx
      .insertInto('visits')
      .values(
        plan.started.map((visit, index) => ({
          id: newVisitIds[index] as string,
          site_id: siteId,
          visitor_id: visitor.id,
          number: visit.number,
          last_activity_at: visit.lastActivityAt,
          ...landingColumns(visit),
          country: visitor.country,
          region: visitor.region,
          city: visitor.city,
          browser: visitor.browser,
          os: visitor.os,
          device: visitor.device,
        })),
      )
      .execute();
  }
  if (current && plan.currentLanding) await relandVisit(tx, current.id, plan.currentLanding);
  let accepted = 0;
  const pages = plan.items.flatMap(({ item, at, visit }) => {
    const visitId = visitIdOf(visit);
    return item.t === 'page' && visitId
      ? [
          {
            site_id: siteId,
            visitor_id: visitor.id,
            visit_id: visitId,
            client_id: item.id,
            url: withoutSecrets(item.url),
            title: clip(item.title, 300) || null,
            viewed_at: at,
          },
        ]
      : [];
  });
  const counted = new Map<string, number>();
  if (pages.length > 0) {
    const inserted = await tx
      .insertInto('page_views')
      .values(pages)
      .onConflict((oc) => oc.columns(['visitor_id', 'client_id']).doNothing())
      .returning('visit_id')
      .execute();
    accepted += inserted.length;
    for (const { visit_id } of inserted) counted.set(visit_id, (counted.get(visit_id) ?? 0) + 1);
  }
  const events = plan.items.flatMap(({ item, at, visit }) =>
    item.t === 'event'
      ? [
          {
            site_id: siteId,
            visitor_id: visitor.id,
            visit_id: visitIdOf(visit),
            client_id: item.id,
            name: item.name,
            properties: JSON.stringify(item.props ?? {}),
            occurred_at: at,
          },
        ]
      : [],
  );
  let row = visitor;
  if (events.length > 0) {
    const inserted = await tx
      .insertInto('visitor_events')
      .values(events)
      .onConflict((oc) => oc.columns(['visitor_id', 'client_id']).doNothing())
      .returning(['name', 'properties'])
      .execute();
    accepted += inserted.length;
    const cart = applyCartEvents(
      { amount: visitor.cart_amount, currency: visitor.cart_currency },
      inserted.map((event) => ({ name: event.name, props: event.properties })),
    );
    if (cart) {
      row = await tx
        .updateTable('visitors')
        .set({ cart_amount: cart.amount, cart_currency: cart.currency })
        .where('id', '=', visitor.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
  }
  const leaves = plan.items.flatMap(({ item }) => (item.t === 'leave' ? [item] : []));
  if (leaves.length > 0) {
    const filled = await sql`
      UPDATE page_views AS p SET seconds = v.seconds
      FROM unnest(${leaves.map((l) => l.pageId)}::text[], ${leaves.map((l) => l.seconds)}::int[]) AS v(client_id, seconds)
      WHERE p.visitor_id = ${visitor.id} AND p.client_id = v.client_id AND p.seconds IS NULL`.execute(tx);
    accepted += Number(filled.numAffectedRows ?? 0);
  }
  await reopenPages(tx, visitor.id, input.items);
  if (input.emailCapture) accepted += input.items.filter((item) => item.t === 'email').length;
  const visit = await updateVisits(tx, current, plan, newVisitIds, counted);
  return { visitor: row, isNew, accepted, visit };
}

/** The visit's columns that say how it began, from its landing. */
function landingColumns(visit: Landing) {
  const { source } = visit;
  return {
    started_at: visit.startedAt,
    landing_url: visit.landingUrl && withoutSecrets(visit.landingUrl),
    referrer: visit.referrer && withoutSecrets(visit.referrer),
    source_kind: source.kind,
    source_name: source.name,
    utm_source: source.utm?.source ?? null,
    utm_medium: source.utm?.medium ?? null,
    utm_campaign: source.utm?.campaign ?? null,
    utm_term: source.utm?.term ?? null,
    utm_content: source.utm?.content ?? null,
    gclid: source.gclid ?? null,
    yclid: source.yclid ?? null,
    search_query: source.searchQuery,
  };
}

/** A page older than the visit's start arrived late: the visit began there (visits.ts). */
async function relandVisit(tx: Queryable, visitId: string, landing: Landing): Promise<void> {
  await tx
    .updateTable('visits')
    .set(landingColumns(landing))
    .where('id', '=', visitId)
    .where('started_at', '>', landing.startedAt)
    .execute();
}

/** Each visit the batch touched: its page count and last activity. */
async function updateVisits(
  tx: Queryable,
  current: VisitRow | null,
  plan: ReturnType<typeof planVisits>,
  newVisitIds: string[],
  counted: Map<string, number>,
): Promise<VisitNow | null> {
  const touched: { id: string; last: Date }[] = [];
  if (current && plan.currentLastActivityAt)
    touched.push({ id: current.id, last: plan.currentLastActivityAt });
  plan.started.forEach((visit, index) => {
    if (counted.has(newVisitIds[index] as string))
      touched.push({ id: newVisitIds[index] as string, last: visit.lastActivityAt });
  });
  // One statement a visit (nearly always one), each by its primary key: a plan no size of the table
  // and no cached generic plan can turn into a scan (visitors-now/queries.ts tells of one that did).
  const rows: VisitRow[] = [];
  for (const { id, last } of touched) {
    const { rows: updated } = await sql<VisitRow>`
      UPDATE visits SET
        page_view_count = page_view_count + ${counted.get(id) ?? 0}::int,
        last_activity_at = greatest(last_activity_at, ${last.toISOString()}::timestamptz)
      WHERE id = ${id}
      RETURNING *`.execute(tx);
    rows.push(...updated);
  }
  const newest = newVisitIds.length > 0 ? newVisitIds[newVisitIds.length - 1] : current?.id;
  const visit = rows.find((r) => r.id === newest);
  if (visit) return { ...visit, source: touchOfVisit(visit) };
  const startedLast = plan.started[plan.started.length - 1];
  if (startedLast) {
    return { started_at: startedLast.startedAt, page_view_count: 0, source: touchOf(startedLast) };
  }
  return current ? { ...current, source: touchOfVisit(current) } : null;
}
