/**
 * The shades of each tag colour: pale background, dark text, each pair at
 * least 4.5:1 (WCAG AA for small text; tested in tag-palette.test.ts), so a
 * tag is readable whatever colour an operator picks.
 */
import type { TagColor } from '@parley/protocol';

export const TAG_SHADES: Record<TagColor, { background: string; color: string }> = {
  gray: { background: '#e5e7eb', color: '#1f2937' },
  red: { background: '#fee2e2', color: '#991b1b' },
  orange: { background: '#ffedd5', color: '#9a3412' },
  yellow: { background: '#fef9c3', color: '#854d0e' },
  green: { background: '#dcfce7', color: '#166534' },
  teal: { background: '#ccfbf1', color: '#115e59' },
  blue: { background: '#dbeafe', color: '#1e40af' },
  purple: { background: '#f3e8ff', color: '#6b21a8' },
  pink: { background: '#fce7f3', color: '#9d174d' },
};

/** WCAG 2.1 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
