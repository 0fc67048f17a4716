/** Every tag colour is readable: text on its background at WCAG AA (4.5:1) or better. */
import { TAG_COLORS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { contrastRatio, TAG_SHADES } from './tag-palette';

describe('the tag palette', () => {
  it('has shades for every colour the protocol allows, each pair at AA contrast', () => {
    expect(Object.keys(TAG_SHADES).sort()).toEqual([...TAG_COLORS].sort());
    for (const color of TAG_COLORS) {
      const { background, color: text } = TAG_SHADES[color];
      expect(contrastRatio(text, background), color).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
