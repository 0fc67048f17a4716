import { describe, expect, it } from 'vitest';
import { firstLanguage } from './accept-language.js';

describe('firstLanguage', () => {
  it("takes the browser's most preferred language", () => {
    expect(firstLanguage('hy-AM,hy;q=0.9,ru;q=0.8,en;q=0.7')).toBe('hy-AM');
    expect(firstLanguage('ru')).toBe('ru');
    expect(firstLanguage('zh-Hant-TW;q=1, en')).toBe('zh-Hant-TW');
    expect(firstLanguage(['en-GB', 'fr'])).toBe('en-GB');
  });

  it('gives nothing for an absent, wildcard or malformed header', () => {
    expect(firstLanguage(undefined)).toBeNull();
    expect(firstLanguage('')).toBeNull();
    expect(firstLanguage('*')).toBeNull();
    expect(firstLanguage('<script>')).toBeNull();
    expect(firstLanguage(`en-${'x'.repeat(40)}`)).toBeNull();
  });
});
