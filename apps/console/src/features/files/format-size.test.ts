import { describe, expect, it } from 'vitest';
import { formatSize } from './format-size';

describe('formatSize', () => {
  it('reads in B, KB and MB', () => {
    expect(formatSize(120)).toBe('120 B');
    expect(formatSize(310 * 1024)).toBe('310 KB');
    expect(formatSize(2.44 * 1024 * 1024)).toBe('2.4 MB');
  });
});
