/**
 * The console's search, as one call: reads what was typed; searches messages by its words and,
 * when they find nothing, by the vocabulary's words spelt like them (typos, parts of words);
 * searches visitors by name or email; all within the sites given; and presents the hits. Notes
 * are found like any message: only operators search.
 */
import type { SearchMatch, SearchQuery, SearchResults } from '@parley/protocol';
import type { Db } from '../../db/database.js';
import { DomainError } from '../errors.js';
import { presentMessageHit, presentVisitorHit } from './presenter.js';
import {
  lookAlikes,
  type SearchFilter,
  searchMessages,
  searchVisitors,
  tsqueryOf,
  tsqueryOfAlternatives,
} from './queries.js';
import { readTypedQuery, type TypedQuery } from './typed-query.js';

export interface SearchRequest extends Omit<SearchQuery, 'siteId' | 'limit'> {
  /** The sites the caller may search (policy decides). */
  siteIds: string[];
  limit: number;
}

/** A cursor of the look-alike pages says so, so the next page goes on searching the same way. */
const SIMILAR_CURSOR = 's.';

export async function searchEverything(db: Db, request: SearchRequest): Promise<SearchResults> {
  const typed = readTypedQuery(request.q);
  if (typed.words.length === 0)
    throw new DomainError('bad_request', 'Search for at least one letter or digit');
  const similarPage = request.cursor?.startsWith(SIMILAR_CURSOR) ?? false;
  const filter: SearchFilter = {
    siteIds: request.siteIds,
    from: request.from ? new Date(request.from) : undefined,
    to: request.to ? endOf(request.to) : undefined,
    assigneeId: request.assigneeId,
    cursor: similarPage ? request.cursor?.slice(SIMILAR_CURSOR.length) : request.cursor,
    limit: request.limit,
  };
  if (similarPage) return { ...(await searchLookAlikes(db, typed, filter)), visitors: [] };

  const firstPage = !request.cursor;
  // Visitors are not messages: a date range or an assignee filters messages, so then none are listed.
  const withVisitors = firstPage && !request.from && !request.to && !request.assigneeId;
  const [byWords, visitors] = await Promise.all([
    searchMessages(db, tsqueryOf(typed), filter),
    withVisitors ? searchVisitors(db, typed, request.siteIds) : Promise.resolve([]),
  ]);
  const presentedVisitors = visitors.map((row) => presentVisitorHit(row, typed.raw));
  // A phrase or an excluded word asks for exactly that: no guesses then.
  if (byWords.rows.length > 0 || !firstPage || typed.usesOperators) {
    return {
      match: 'words',
      messages: byWords.rows.map(presentMessageHit),
      visitors: presentedVisitors,
      nextCursor: byWords.nextCursor,
    };
  }
  return { ...(await searchLookAlikes(db, typed, filter)), visitors: presentedVisitors };
}

async function searchLookAlikes(
  db: Db,
  typed: TypedQuery,
  filter: SearchFilter,
): Promise<Omit<SearchResults, 'visitors'>> {
  const alternatives = await lookAlikes(db, typed.words);
  if (alternatives.length === 0) return { match: 'words', messages: [], nextCursor: null };
  const found = await searchMessages(db, tsqueryOfAlternatives(alternatives), filter);
  const match: SearchMatch = found.rows.length > 0 ? 'similar' : 'words';
  return {
    match,
    messages: found.rows.map(presentMessageHit),
    nextCursor: found.nextCursor && SIMILAR_CURSOR + found.nextCursor,
  };
}

/** A bare date as the end of a range means the whole of that day (UTC): up to the next midnight. */
function endOf(moment: string): Date {
  const date = new Date(moment);
  if (/^\d{4}-\d{2}-\d{2}$/.test(moment)) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}
