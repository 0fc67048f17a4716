/** The queue line in every language: the place always, the wait only when the server could estimate it. */
import { LANGUAGES } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from './i18n.js';

describe('queue line', () => {
  it.each(LANGUAGES)('%s says the place, and a wait only when there is an estimate', (language) => {
    const { queue } = CATALOGS[language];
    expect(queue(3, null)).toContain('3');
    expect(queue(3, null)).not.toMatch(/\d+\D+\d/);
    expect(queue(3, 7)).toContain('7');
  });
});
