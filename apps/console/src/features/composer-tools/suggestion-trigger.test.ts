import { describe, expect, it } from 'vitest';
import { replaceTrigger, triggerAt } from './suggestion-trigger';

describe('triggerAt', () => {
  it('finds a /word or, in a note, an @word that runs to the caret', () => {
    expect(triggerAt('/pri', 4, false)).toEqual({ kind: 'canned', query: 'pri', start: 0, end: 4 });
    expect(triggerAt('Hi!\n/цена', 9, false)).toEqual({ kind: 'canned', query: 'цена', start: 4, end: 9 });
    expect(triggerAt('/', 1, false)).toEqual({ kind: 'canned', query: '', start: 0, end: 1 });
    expect(triggerAt('ask @an', 7, true)).toEqual({ kind: 'mention', query: 'an', start: 4, end: 7 });
  });

  it('ignores a slash or at-sign inside a word, a caret past the word, and @ outside notes', () => {
    expect(triggerAt('and/or', 6, false)).toBeNull();
    expect(triggerAt('sales@shop.example', 18, true)).toBeNull();
    expect(triggerAt('/price now', 10, false)).toBeNull();
    expect(triggerAt('ask @an', 7, false)).toBeNull();
  });
});

describe('replaceTrigger', () => {
  it('replaces the word with the choice and puts the caret after it', () => {
    const trigger = { kind: 'canned' as const, query: 'pri', start: 3, end: 7 };
    expect(replaceTrigger('Hi /pri and more', trigger, 'The price is…')).toEqual({
      text: 'Hi The price is… and more',
      caret: 16,
    });
  });
});
