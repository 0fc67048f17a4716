/** Marked text to parts, snippets, similarity marks: pure, and never markup. */
import { describe, expect, it } from 'vitest';
import {
  MARK_END,
  MARK_START,
  partsBySubstring,
  partsFromMarks,
  snippetOf,
  withoutMarkCharacters,
} from './highlight.js';
import { readTypedQuery } from './typed-query.js';

const hits = (parts: { text: string; hit: boolean }[]) => parts.filter((p) => p.hit).map((p) => p.text);

describe('highlight', () => {
  it('merges the marks of both configurations', () => {
    const text = 'Мой заказ и ապրանքը';
    const russian = `Мой ${MARK_START}заказ${MARK_END} и ապրանքը`;
    const armenian = `Мой заказ и ${MARK_START}ապրանքը${MARK_END}`;
    const parts = partsFromMarks(text, [russian, armenian]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(hits(parts)).toEqual(['заказ', 'ապրանքը']);
  });

  it('a text that carried the mark characters itself cannot forge a mark', () => {
    const typed = `evil ${MARK_START}<script>${MARK_END} text`;
    const text = withoutMarkCharacters(typed);
    expect(text).toBe('evil <script> text');
    expect(hits(partsFromMarks(text, [text]))).toEqual([]);
    // A marked copy that is not the same text is ignored rather than misaligned.
    expect(hits(partsFromMarks(text, [`${MARK_START}other${MARK_END}`]))).toEqual([]);
  });

  it('cuts a long text around its first hit, with ellipses', () => {
    const before = 'слово '.repeat(60);
    const text = `${before}заказ${' хвост'.repeat(60)}`;
    const snippet = snippetOf(
      partsFromMarks(text, [`${before}${MARK_START}заказ${MARK_END}${' хвост'.repeat(60)}`]),
    );
    expect(snippet[0]).toEqual({ text: '…', hit: false });
    expect(snippet.at(-1)).toEqual({ text: '…', hit: false });
    expect(hits(snippet)).toEqual(['заказ']);
    expect(snippet.map((p) => p.text).join('').length).toBeLessThanOrEqual(242);
  });

  it('marks substrings, case-insensitively, reading none of them as a pattern', () => {
    expect(hits(partsBySubstring('Ануш Петросян', 'петрос'))).toEqual(['Петрос']);
    expect(hits(partsBySubstring('a.b*c', '.b*'))).toEqual(['.b*']);
  });
});

describe('readTypedQuery', () => {
  it('keeps letters and digits only, lowercased, and sees web-search operators', () => {
    expect(readTypedQuery("  Заказ & (доставка | !42):*'\\ ")).toEqual({
      raw: "Заказ & (доставка | !42):*'\\",
      words: ['заказ', 'доставка', '42'],
      usesOperators: false,
    });
    expect(readTypedQuery('"доставка обещана"').usesOperators).toBe(true);
    expect(readTypedQuery('заказ -отмена').usesOperators).toBe(true);
    expect(readTypedQuery('заказ or доставка').usesOperators).toBe(true);
    expect(readTypedQuery('e-mail').usesOperators).toBe(false);
    expect(readTypedQuery("'&|!():*<>\\").words).toEqual([]);
  });
});
