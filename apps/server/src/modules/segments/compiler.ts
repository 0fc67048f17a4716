/**
 * A segment's conditions as one SQL predicate over a visitor row. The rule is typed JSON (validated
 * by `segmentCondition` before it is stored); every value in it reaches PostgreSQL as a bound
 * parameter of Kysely's `sql` template, never as text pasted into the statement. The identifiers
 * are ours alone: the visitor row is always `sv`, the subqueries' tables fixed here.
 *
 * Text comparisons ignore case and treat `%`, `_` and `\` as themselves (`position`, `left`: no
 * LIKE patterns a value could widen). Windows count back from `now`, a parameter, so tests can fix
 * the clock and one statement sees one instant.
 */
import type { SegmentCondition } from '@parley/protocol';
import { type RawBuilder, sql } from 'kysely';

/** The alias callers give the visitors table the predicate reads: `FROM visitors sv`. */
export const SEGMENT_VISITOR = 'sv';

const visitor = (column: string) => sql.ref(`${SEGMENT_VISITOR}.${column}`);
const since = (now: Date, days: number) => sql`(${now}::timestamptz - make_interval(days => ${days}::int))`;
/** Case-insensitive "contains", with no pattern characters. */
const contains = (haystack: RawBuilder<unknown>, needle: string) =>
  sql`position(lower(${needle}::text) in lower(${haystack})) > 0`;

/** A page address's path, query and fragment: what follows `scheme://host`. */
const pathOf = (url: RawBuilder<unknown>) =>
  sql`regexp_replace(${url}, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*', '')`;

function compileCondition(condition: SegmentCondition, now: Date): RawBuilder<boolean> {
  switch (condition.kind) {
    case 'attribute': {
      const value = sql`(${visitor('attributes')} ->> ${condition.key}::text)`;
      return condition.op === 'equals'
        ? sql<boolean>`lower(${value}) = lower(${condition.value}::text)`
        : sql<boolean>`coalesce(${contains(value, condition.value)}, false)`;
    }
    case 'source':
      return sql<boolean>`EXISTS (SELECT 1 FROM visits sg_v WHERE sg_v.visitor_id = ${visitor('id')}
        AND sg_v.source_kind = ${condition.value}::text)`;
    case 'utm': {
      // The column is chosen from a closed set, never from the value.
      const column = sql.ref(`sg_v.utm_${UTM_COLUMNS[condition.param]}`);
      return sql<boolean>`EXISTS (SELECT 1 FROM visits sg_v WHERE sg_v.visitor_id = ${visitor('id')}
        AND lower(${column}) = lower(${condition.value}::text))`;
    }
    case 'pageViewed': {
      const url = sql`sg_p.url`;
      const value = condition.value;
      const matches =
        condition.match === 'contains'
          ? contains(url, value)
          : sql`(lower(left(${url}, length(${value}::text))) = lower(${value}::text)
              OR lower(left(${pathOf(url)}, length(${value}::text))) = lower(${value}::text))`;
      return sql<boolean>`(SELECT count(*) FROM page_views sg_p WHERE sg_p.visitor_id = ${visitor('id')}
        AND sg_p.viewed_at >= ${since(now, condition.days)} AND ${matches}) >= ${condition.atLeast}::int`;
    }
    case 'event':
      return sql<boolean>`(SELECT count(*) FROM visitor_events sg_e WHERE sg_e.visitor_id = ${visitor('id')}
        AND sg_e.name = ${condition.name}::text AND sg_e.occurred_at >= ${since(now, condition.days)})
        >= ${condition.atLeast}::int`;
    case 'noEvent':
      return sql<boolean>`NOT EXISTS (SELECT 1 FROM visitor_events sg_e WHERE sg_e.visitor_id = ${visitor('id')}
        AND sg_e.name = ${condition.name}::text AND sg_e.occurred_at >= ${since(now, condition.days)})`;
    case 'visitCount':
      return sql<boolean>`${visitor('visit_count')} >= ${condition.atLeast}::int`;
    case 'country':
      return sql<boolean>`${visitor('country')} = upper(${condition.value}::text)`;
    case 'hasEmail':
      return sql<boolean>`(${visitor('email')} IS NOT NULL AND ${visitor('email')} <> '')`;
    default:
      // A stored rule of a kind this code does not know matches nobody rather than everybody.
      return sql<boolean>`false`;
  }
}

const UTM_COLUMNS = { source: 'source', medium: 'medium', campaign: 'campaign' } as const;

/**
 * The predicate "visitor `sv` meets every condition" (AND). An empty list matches nobody: a segment
 * always has a condition, and a rule that lost them must not suddenly hold everyone.
 *
 * @example
 *   db.selectFrom('visitors as sv').select('sv.id')
 *     .where(segmentPredicate([{ kind: 'hasEmail' }], new Date()))
 */
export function segmentPredicate(conditions: readonly SegmentCondition[], now: Date): RawBuilder<boolean> {
  if (conditions.length === 0) return sql<boolean>`false`;
  const parts = conditions.map((condition) => sql`(${compileCondition(condition, now)})`);
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}
