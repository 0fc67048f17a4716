/** Who a list row names before its preview. */
import type { LastMessageDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import type { Translate } from '../../i18n/i18n';
import { ru } from '../../i18n/ru';
import { previewAuthor } from './preview-author';

const last = (change: Partial<LastMessageDTO>): LastMessageDTO => ({
  text: 'Hello',
  authorKind: 'operator',
  authorName: 'Anna',
  visibility: 'public',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...change,
});
const english: Translate = (key) => en[key];
const russian: Translate = (key) => ru[key];

describe('preview author', () => {
  it('names the operator who wrote last, in any language', () => {
    expect(previewAuthor(last({}), english)).toBe('Anna');
    expect(previewAuthor(last({}), russian)).toBe('Anna');
  });

  it('falls back to "Operator" for an operator without a name, and names Parley for system messages', () => {
    expect(previewAuthor(last({ authorName: null }), english)).toBe('Operator');
    expect(previewAuthor(last({ authorName: null }), russian)).toBe('Оператор');
    expect(previewAuthor(last({ authorKind: 'system', authorName: null }), english)).toBe('Parley');
  });

  it('marks a note as a note, in any language', () => {
    expect(previewAuthor(last({ visibility: 'internal' }), english)).toBe('Note · Anna');
    expect(previewAuthor(last({ visibility: 'internal' }), russian)).toBe('Заметка · Anna');
  });

  it('names nobody for the visitor, named or not: the row is titled with their name', () => {
    expect(previewAuthor(last({ authorKind: 'visitor', authorName: 'Marta' }), english)).toBeNull();
    expect(previewAuthor(last({ authorKind: 'visitor', authorName: null }), english)).toBeNull();
  });
});
