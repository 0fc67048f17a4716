/**
 * The console's search, as one call: reads what was typed, searches messages by words (and, when
 * that finds nothing, by similar spelling) and visitors by name or email, within the sites given,
 * and presents the hits. Notes are found like any message: only operators search.
 */
import type { SearchQuery, SearchResults } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import { DomainError } from '../errors.js';
import { presentMessageHit, presentVisitorHit } from './presenter.js';
import { searchMessagesBySimilarity, searchMessagesByWords, searchVisitors } from './queries.js';
import { readTypedQuery } from './typed-query.js';

export interface SearchRequest extends Omit<SearchQuery, 'siteId' | 'limit'> {
  /** The sites the caller may search (policy decides). */
  siteIds: string[];
  limit: number;
}

export async function searchEverything(db: Queryable, request: SearchRequest): Promise<SearchResults> {
  const typed = readTypedQuery(request.q);
  if (typed.words.length === 0)
    throw new DomainError('bad_request', 'Search for at least one letter or digit');
  const filter = {
    siteIds: request.siteIds,
    from: request.from ? new Date(request.from) : undefined,
    to: request.to ? endOf(request.to) : undefined,
    assigneeId: request.assigneeId,
    cursor: request.cursor,
    limit: request.limit,
  };
  const firstPage = !request.cursor;
  // Visitors are not messages: a date range or an assignee filters messages, so then none are listed.
  const withVisitors = firstPage && !request.from && !request.to && !request.assigneeId;
  const [byWords, visitors] = await Promise.all([
    searchMessagesByWords(db, typed, filter),
    withVisitors ? searchVisitors(db, typed, request.siteIds) : Promise.resolve([]),
  ]);
  // A phrase or an excluded word asks for exactly that: no typo-tolerant guesses then.
  if (byWords.rows.length > 0 || !firstPage || typed.usesOperators) {
    return {
      match: 'words',
      messages: byWords.rows.map((row) => presentMessageHit(row, typed.words)),
      visitors: visitors.map((row) => presentVisitorHit(row, typed.raw)),
      nextCursor: byWords.nextCursor,
    };
  }
  const similar = await searchMessagesBySimilarity(db, typed, filter);
  return {
    match: similar.length > 0 ? 'similar' : 'words',
    messages: similar.map((row) => presentMessageHit(row, typed.words)),
    visitors: visitors.map((row) => presentVisitorHit(row, typed.raw)),
    nextCursor: null,
  };
}

/** A bare date as the end of a range means the whole of that day (UTC): up to the next midnight. */
function endOf(moment: string): Date {
  const date = new Date(moment);
  if (/^\d{4}-\d{2}-\d{2}$/.test(moment)) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}
