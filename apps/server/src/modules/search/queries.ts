/**
 * The searches themselves: messages by a tsquery (the words as typed, stemmed in Russian/English
 * and Armenian and as word beginnings; or, when those find nothing, the vocabulary's words spelt
 * like them) through `message_search` and its GIN index, newest first and keyset-paginated; and
 * visitors by a part of their name or email. Every query is limited to the caller's sites in SQL.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db, Queryable } from '../../db/database.js';
import type { MessageWithAuthor } from '../conversations/presenter.js';
import { DomainError } from '../errors.js';
import { MARK_END, MARK_START } from './highlight.js';
import { MIN_PREFIX_LENGTH, type TypedQuery } from './typed-query.js';

export interface SearchFilter {
  siteIds: string[];
  from?: Date;
  to?: Date;
  assigneeId?: string;
  cursor?: string;
  limit: number;
}

export interface MessageHitRow extends MessageWithAuthor {
  site_id: string;
  visitor_id: string;
  visitor_name: string | null;
  /** The text marked by PostgreSQL, once per configuration. */
  marks: string[];
  cursor_at: string;
}

export interface VisitorHitRow {
  id: string;
  site_id: string;
  name: string | null;
  email: string | null;
  last_seen_at: Date;
  conversation_id: string;
}

const MARK_CHARACTERS = MARK_START + MARK_END;

/**
 * The tsquery for what was typed. With quotes, minus or `or`: the web-search reading alone.
 * Otherwise every word must match, each as itself in any of its forms or as the start of a
 * longer word (`дост` finds `доставка`).
 */
export function tsqueryOf(typed: TypedQuery): RawBuilder<unknown> {
  if (typed.usesOperators || typed.words.length === 0) return sql`parley_search_query(${typed.raw})`;
  const perWord = typed.words.map((word) =>
    word.length >= MIN_PREFIX_LENGTH ? sql`parley_prefix_query(${word})` : sql`parley_search_query(${word})`,
  );
  return sql`(${sql.join(perWord, sql` && `)})`;
}

/** The tsquery for words spelt like the typed ones: each typed word matches any of its look-alikes. */
export function tsqueryOfAlternatives(alternatives: string[][]): RawBuilder<unknown> {
  const perWord = alternatives.map(
    (words) =>
      sql`(${sql.join(
        words.map((word) => sql`parley_search_query(${word})`),
        sql` || `,
      )})`,
  );
  return sql`(${sql.join(perWord, sql` && `)})`;
}

function filters(filter: SearchFilter): RawBuilder<unknown> {
  const conditions = [sql`s.site_id = ANY(${filter.siteIds}::uuid[])`];
  if (filter.from) conditions.push(sql`s.created_at >= ${filter.from}`);
  if (filter.to) conditions.push(sql`s.created_at < ${filter.to}`);
  if (filter.assigneeId)
    conditions.push(sql`EXISTS (
      SELECT 1 FROM messages am JOIN conversations ac ON ac.id = am.conversation_id
      WHERE am.id = s.message_id AND ac.assignee_id = ${filter.assigneeId}::uuid)`);
  if (filter.cursor) {
    const { at, id } = decodeCursor(filter.cursor);
    conditions.push(sql`(s.created_at, s.message_id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  return sql.join(conditions, sql` AND `);
}

/**
 * Messages matching `query` (a tsquery), newest first. The page is chosen in `message_search`
 * alone; only its rows are joined to their messages, conversations and authors, and marked.
 *
 * How it is found is decided here, not left to the planner, whose guess at how rare a word (above
 * all a word beginning) is can be off by a thousand times: the GIN index counts the matches up to a
 * threshold first. Fewer: they are fetched through the GIN index and sorted (a few milliseconds).
 * More: the word is common, and walking `message_search` newest first, checking each stored
 * tsvector, reaches a page of matches after ~(rows / matches) × page rows; the threshold,
 * √(8 × rows), is where the two cost the same (≈10 µs per match fetched, ≈1.5 µs per row walked).
 */
export async function searchMessages(
  db: Db,
  query: RawBuilder<unknown>,
  filter: SearchFilter,
): Promise<{ rows: MessageHitRow[]; nextCursor: string | null }> {
  if (filter.siteIds.length === 0) return { rows: [], nextCursor: null };
  const rows = await db.transaction().execute(async (tx) => {
    const { rows: size } = await sql<{ threshold: number }>`
      SELECT greatest(1000, sqrt(8 * greatest(reltuples, 0)))::int AS threshold
      FROM pg_class WHERE oid = 'message_search'::regclass`.execute(tx);
    const threshold = size[0]?.threshold ?? 1000;
    // Only the GIN index may be used (a bitmap scan), and the count stops at the threshold.
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    await sql`SET LOCAL enable_indexscan = off`.execute(tx);
    const { rows: counted } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM message_search s WHERE s.vector @@ ${query} AND ${filters(filter)} LIMIT ${threshold}
      ) matches`.execute(tx);
    if ((counted[0]?.n ?? 0) >= threshold) {
      await sql`SET LOCAL enable_indexscan = on`.execute(tx);
      await sql`SET LOCAL enable_bitmapscan = off`.execute(tx);
    }
    return (
      await sql<MessageHitRow>`
        WITH page AS MATERIALIZED (
          SELECT s.message_id, s.site_id, s.created_at FROM message_search s
          WHERE s.vector @@ ${query} AND ${filters(filter)}
          ORDER BY s.created_at DESC, s.message_id DESC
          LIMIT ${filter.limit + 1}
        )
        SELECT m.*, page.created_at::text AS cursor_at, page.site_id, c.visitor_id,
          v.name AS visitor_name, o.display_name AS author_name, o.avatar_url AS author_avatar_url,
          parley_search_marks(translate(m.text, ${MARK_CHARACTERS}, ''), ${query}) AS marks
        FROM page
        JOIN messages m ON m.id = page.message_id
        JOIN conversations c ON c.id = m.conversation_id
        JOIN visitors v ON v.id = c.visitor_id
        LEFT JOIN operators o ON o.id = m.author_id AND m.author_kind = 'operator'
        ORDER BY page.created_at DESC, page.message_id DESC`.execute(tx)
    ).rows;
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}

/**
 * For each typed word, the words of the vocabulary (`search_words`) spelt like it (pg_trgm
 * similarity above its threshold, 0.3 by default) or containing it, most similar first: `заказт`
 * gives `заказ`, `каз` gives `заказ`, `показать`. Empty where pg_trgm is not installed, or when
 * some typed word has no look-alike (every word must match).
 */
export async function lookAlikes(db: Queryable, words: string[], perWord = 6): Promise<string[][]> {
  const typed = words.filter((word) => word.length >= MIN_PREFIX_LENGTH);
  if (typed.length === 0 || !(await hasTrigrams(db))) return [];
  const { rows } = await sql<{ typed: string; words: string[] }>`
    SELECT q.word AS typed, array(
      SELECT s.word FROM search_words s
      WHERE s.word % q.word OR s.word LIKE '%' || q.word || '%'
      ORDER BY similarity(s.word, q.word) DESC, s.word
      LIMIT ${perWord}
    ) AS words
    FROM unnest(${typed}::text[]) AS q(word)`.execute(db);
  const alternatives = rows.map((row) => row.words);
  return alternatives.some((list) => list.length === 0) ? [] : alternatives;
}

/** Visitors of the caller's sites whose name or email contains what was typed, most recently seen first. */
export async function searchVisitors(
  db: Queryable,
  typed: TypedQuery,
  siteIds: string[],
  limit = 10,
): Promise<VisitorHitRow[]> {
  if (siteIds.length === 0) return [];
  const pattern = `%${typed.raw.replace(/[\\%_]/g, '\\$&')}%`;
  const { rows } = await sql<VisitorHitRow>`
    SELECT v.id, v.site_id, v.name, v.email, v.last_seen_at, latest.id AS conversation_id
    FROM visitors v
    JOIN LATERAL (
      SELECT c.id FROM conversations c WHERE c.visitor_id = v.id ORDER BY c.created_at DESC LIMIT 1
    ) latest ON true
    WHERE (v.name IS NOT NULL OR v.email IS NOT NULL)
      AND v.site_id = ANY(${siteIds}::uuid[])
      AND (coalesce(v.name, '') || ' ' || coalesce(v.email, '')) ILIKE ${pattern}
    ORDER BY v.last_seen_at DESC, v.id
    LIMIT ${limit}`.execute(db);
  return rows;
}

async function hasTrigrams(db: Queryable): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS present`.execute(db);
  return rows[0]?.present === true;
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** The (created_at, id) a cursor continues after. */
export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (
      typeof at === 'string' &&
      typeof id === 'string' &&
      !Number.isNaN(Date.parse(at)) &&
      /^[0-9a-f-]{36}$/.test(id)
    )
      return { at, id };
  } catch {
    // fall through to the error below
  }
  throw new DomainError('bad_request', 'Invalid cursor');
}
