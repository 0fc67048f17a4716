import { describe, expect, it } from 'vitest';
import { layoutVariants, switchLayout } from './keyboard-layout';

describe('switchLayout', () => {
  it('turns English keys into the Russian letters on them, and back', () => {
    expect(switchLayout('price')).toBe('зкшсу');
    expect(switchLayout('зкшсу')).toBe('price');
    expect(switchLayout('wtyf')).toBe('цена');
    expect(switchLayout('цена')).toBe('wtyf');
    expect(switchLayout('ghbdtn')).toBe('привет');
  });

  it('covers every letter of both alphabets, ё and the punctuation keys included', () => {
    expect(switchLayout('йцукенгшщзхъфывапролджэячсмитьбюё')).toBe("qwertyuiop[]asdfghjkl;'zxcvbnm,.`");
    expect(switchLayout("qwertyuiop[]asdfghjkl;'zxcvbnm,.`")).toBe('йцукенгшщзхъфывапролджэячсмитьбюё');
  });

  it('ignores case and leaves digits, Armenian and other characters alone', () => {
    expect(switchLayout('PRICE')).toBe('зкшсу');
    expect(switchLayout('ЦЕНА')).toBe('wtyf');
    expect(switchLayout('գին 24')).toBe('գин 24'.replace('ин', 'ին'));
  });
});

describe('layoutVariants', () => {
  it('gives the query as typed and in the other layout, once each', () => {
    expect(layoutVariants('Price')).toEqual(['price', 'зкшсу']);
    expect(layoutVariants('24')).toEqual(['24']);
  });
});
