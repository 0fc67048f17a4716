/**
 * What a person typed into the search box, read for the three ways it is searched: as web-search
 * syntax (quotes, minus, `or`: PostgreSQL's `websearch_to_tsquery`, which accepts any input),
 * as words each also matched as the start of a longer word, and as plain words for the
 * typo-tolerant fallback. Only letters and digits ever become words, so `'&|!():*<>\` and the
 * like are never read as tsquery syntax.
 */

export interface TypedQuery {
  /** The text as typed (trimmed): given to `websearch_to_tsquery` as a whole. */
  raw: string;
  /** Letters-and-digits runs, lowercased, in order, without repeats. */
  words: string[];
  /** Quotes, a leading minus or `or` between words: then the web-search reading alone is used. */
  usesOperators: boolean;
}

/** Shorter words are matched whole: as prefixes they would match half the vocabulary. */
export const MIN_PREFIX_LENGTH = 3;

const WORD = /[\p{L}\p{N}]+/gu;
const OPERATORS = /"|(^|\s)-[\p{L}\p{N}"]|\sor\s/iu;

export function readTypedQuery(typed: string): TypedQuery {
  const raw = typed.trim();
  const words = [...new Set((raw.match(WORD) ?? []).map((word) => word.toLowerCase()))];
  return { raw, words, usesOperators: OPERATORS.test(raw) };
}
