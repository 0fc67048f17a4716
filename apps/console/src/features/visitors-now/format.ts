/** How a "visitors now" row reads: durations, sources, places, devices, money. */
import type { TouchDTO, VisitorNowDTO } from '@parley/protocol';
import type { Translate } from '../../i18n/i18n';

type T = Translate;

/** "4:05" under an hour, "1:04:05" past it. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function sourceLines(t: T, source: TouchDTO | null): string[] {
  if (!source) return [t('visitorsNow.source.direct')];
  const lines = [[t(`visitorsNow.source.${source.kind}`), source.name].filter(Boolean).join(' · ')];
  if (source.utm?.campaign) lines.push(t('visitorsNow.campaign', { campaign: source.utm.campaign }));
  if (source.searchQuery) lines.push(t('visitorsNow.query', { query: source.searchQuery }));
  return lines;
}

export const placeOf = (row: VisitorNowDTO) => [row.city, row.region, row.country].filter(Boolean).join(', ');

const DEVICE_KINDS = ['desktop', 'mobile', 'tablet', 'tv'] as const;

/** The kind of device (what the server's user-agent parser names) in the console's language. */
export function deviceKindLabel(t: T, kind: string | null | undefined): string | null {
  if (!kind) return null;
  return (DEVICE_KINDS as readonly string[]).includes(kind)
    ? t(`device.${kind as (typeof DEVICE_KINDS)[number]}`)
    : kind;
}

export const deviceOf = (t: T, row: Pick<VisitorNowDTO, 'device' | 'browser' | 'os'>) =>
  [deviceKindLabel(t, row.device), row.browser, row.os].filter(Boolean).join(' · ');

export function money(cart: NonNullable<VisitorNowDTO['cart']>, locale: string): string {
  const amount = Number(cart.amount);
  try {
    if (cart.currency)
      return new Intl.NumberFormat(locale, { style: 'currency', currency: cart.currency }).format(amount);
  } catch {
    // A currency code the browser does not know: the number and the code as given.
  }
  return `${new Intl.NumberFormat(locale).format(amount)}${cart.currency ? ` ${cart.currency}` : ''}`;
}
