/**
 * Highlighted text as the API returns it: plain and matching parts, never markup. PostgreSQL
 * marks matches (`parley_search_marks`) with two private-use characters, which are removed from
 * the text before it is marked; here the marks become parts, and a long text is cut to a snippet
 * around its first match.
 */
import type { HighlightedText } from '@parley/protocol';

export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
const MARKS = /[\uE000\uE001]/g;

/** Characters of context kept before the first match, and the snippet's whole length. */
const BEFORE = 60;
const SNIPPET = 240;

/** The text with the characters that would be read as marks removed (do the same in SQL). */
export function withoutMarkCharacters(text: string): string {
  return text.replace(MARKS, '');
}

/** Which characters of `text` are marked in `marked` (the same text with marks inserted). */
function markedRanges(marked: string): [number, number][] {
  const ranges: [number, number][] = [];
  let offset = 0;
  let start = -1;
  for (const char of marked) {
    if (char === MARK_START) start = offset;
    else if (char === MARK_END) {
      if (start >= 0) ranges.push([start, offset]);
      start = -1;
    } else offset += char.length;
  }
  return ranges;
}

/** Parts of `text` with every character inside any of `ranges` marked as a hit. */
export function partsOf(text: string, ranges: [number, number][]): HighlightedText {
  const hit = new Uint8Array(text.length);
  for (const [from, to] of ranges) hit.fill(1, Math.max(0, from), Math.min(text.length, to));
  const parts: HighlightedText = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hit[i] !== hit[start]) {
      if (i > start) parts.push({ text: text.slice(start, i), hit: hit[start] === 1 });
      start = i;
    }
  }
  return parts;
}

/** Merges PostgreSQL's marked copies of `text` (one per configuration) into parts. */
export function partsFromMarks(text: string, markedCopies: readonly string[]): HighlightedText {
  const ranges = markedCopies.flatMap((copy) =>
    withoutMarkCharacters(copy) === text ? markedRanges(copy) : [],
  );
  return partsOf(text, ranges);
}

/** Case-insensitive occurrences of `needle` in `text`, marked (a visitor's name or email). */
export function partsBySubstring(text: string, needle: string): HighlightedText {
  const escaped = needle.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!escaped) return partsOf(text, []);
  const ranges = [...text.matchAll(new RegExp(escaped, 'giu'))].map((m): [number, number] => [
    m.index,
    m.index + m[0].length,
  ]);
  return partsOf(text, ranges);
}

/** A window of at most ~240 characters around the first hit, with "…" where text was cut. */
export function snippetOf(parts: HighlightedText): HighlightedText {
  const total = parts.reduce((n, p) => n + p.text.length, 0);
  if (total <= SNIPPET) return parts;
  let firstHit = 0;
  let offset = 0;
  for (const part of parts) {
    if (part.hit) {
      firstHit = offset;
      break;
    }
    offset += part.text.length;
  }
  let from = Math.max(0, Math.min(firstHit - BEFORE, total - SNIPPET));
  // Start at a word boundary rather than inside a word.
  const text = parts.map((p) => p.text).join('');
  if (from > 0) {
    const space = text.lastIndexOf(' ', from);
    if (space >= 0 && from - space < 20) from = space + 1;
  }
  const to = Math.min(total, from + SNIPPET);
  const cut: HighlightedText = [];
  offset = 0;
  for (const part of parts) {
    const start = Math.max(from, offset);
    const end = Math.min(to, offset + part.text.length);
    if (end > start) cut.push({ text: part.text.slice(start - offset, end - offset), hit: part.hit });
    offset += part.text.length;
  }
  if (from > 0) cut.unshift({ text: '…', hit: false });
  if (to < total) cut.push({ text: '…', hit: false });
  return cut;
}
