import { describe, expect, it } from 'vitest';
import { classifySource, parseUtm } from './source.js';

const LANDING = 'https://shop.example/catalog/boots';

describe('source classification', () => {
  // Referrers as browsers send them (search engines mostly strip the query now; Yandex's `text=` survives on some paths).
  const table: [string, { landingUrl?: string; referrer: string | null }, object][] = [
    [
      'Google',
      { referrer: 'https://www.google.com/' },
      { kind: 'search', name: 'Google', searchQuery: null },
    ],
    [
      'Google with q',
      { referrer: 'https://www.google.ru/search?q=winter+boots' },
      { kind: 'search', name: 'Google', searchQuery: 'winter boots' },
    ],
    [
      'Yandex with a query',
      { referrer: 'https://yandex.ru/search/?text=%D0%B1%D0%BE%D1%82%D0%B8%D0%BD%D0%BA%D0%B8&lr=213' },
      { kind: 'search', name: 'Yandex', searchQuery: 'ботинки' },
    ],
    [
      'Yandex without a query',
      { referrer: 'https://ya.ru/' },
      { kind: 'search', name: 'Yandex', searchQuery: null },
    ],
    [
      'Bing',
      { referrer: 'https://www.bing.com/search?q=boots&form=QBLH' },
      { kind: 'search', name: 'Bing', searchQuery: 'boots' },
    ],
    ['DuckDuckGo', { referrer: 'https://duckduckgo.com/' }, { kind: 'search', name: 'DuckDuckGo' }],
    [
      'Mail.ru search',
      { referrer: 'https://go.mail.ru/search?q=boots' },
      { kind: 'search', name: 'Mail.ru', searchQuery: 'boots' },
    ],
    ['Facebook', { referrer: 'https://l.facebook.com/' }, { kind: 'social', name: 'Facebook' }],
    ['VK', { referrer: 'https://vk.com/' }, { kind: 'social', name: 'VK' }],
    ['Telegram', { referrer: 'https://t.me/' }, { kind: 'social', name: 'Telegram' }],
    ['Instagram', { referrer: 'https://l.instagram.com/' }, { kind: 'social', name: 'Instagram' }],
    ['X', { referrer: 'https://t.co/AbC123' }, { kind: 'social', name: 'X' }],
    ['OK', { referrer: 'https://ok.ru/' }, { kind: 'social', name: 'OK' }],
    ['YouTube', { referrer: 'https://www.youtube.com/' }, { kind: 'social', name: 'YouTube' }],
    [
      'an e-mail link (utm_medium=email)',
      { landingUrl: `${LANDING}?utm_source=newsletter&utm_medium=email&utm_campaign=winter`, referrer: null },
      {
        kind: 'email',
        name: 'newsletter',
        utm: { source: 'newsletter', medium: 'email', campaign: 'winter' },
      },
    ],
    ['webmail (Mail.ru)', { referrer: 'https://e.mail.ru/' }, { kind: 'email', name: 'Mail.ru' }],
    ['webmail (Gmail)', { referrer: 'https://mail.google.com/' }, { kind: 'email', name: 'Gmail' }],
    [
      'Google Ads (gclid)',
      { landingUrl: `${LANDING}?gclid=Cj0KCQ`, referrer: 'https://www.google.com/' },
      { kind: 'advertising', name: 'Google', gclid: 'Cj0KCQ' },
    ],
    [
      'Yandex Direct (yclid)',
      { landingUrl: `${LANDING}?yclid=123456`, referrer: 'https://yandex.ru/' },
      { kind: 'advertising', name: 'Yandex', yclid: '123456' },
    ],
    [
      'cpc with a term',
      { landingUrl: `${LANDING}?utm_source=yandex&utm_medium=cpc&utm_term=boots+42`, referrer: null },
      { kind: 'advertising', name: 'Yandex', searchQuery: 'boots 42' },
    ],
    [
      'another site',
      { referrer: 'https://blog.example.org/best-boots' },
      { kind: 'referral', name: 'blog.example.org' },
    ],
    ['the shop itself (www)', { referrer: 'https://www.shop.example/' }, { kind: 'direct', name: null }],
    ['direct', { referrer: null }, { kind: 'direct', name: null, utm: null, searchQuery: null }],
    [
      'utm_source alone',
      { landingUrl: `${LANDING}?utm_source=vk`, referrer: null },
      { kind: 'social', name: 'VK' },
    ],
    [
      'not a search engine',
      { referrer: 'https://notgoogle.com/' },
      { kind: 'referral', name: 'notgoogle.com' },
    ],
  ];
  it.each(table)('%s', (_name, input, expected) => {
    expect(
      classifySource({ landingUrl: input.landingUrl ?? LANDING, referrer: input.referrer }),
    ).toMatchObject(expected);
  });
});

describe('UTM parsing', () => {
  it('reads the five utm_ parameters, trims them, and ignores the rest', () => {
    const url = new URL(
      'https://shop.example/?utm_source=%20google%20&utm_medium=cpc&utm_campaign=winter&utm_term=boots&utm_content=banner-1&utm_other=x&q=1',
    );
    expect(parseUtm(url)).toEqual({
      source: 'google',
      medium: 'cpc',
      campaign: 'winter',
      term: 'boots',
      content: 'banner-1',
    });
  });
  it('is null without utm parameters, and for empty ones', () => {
    expect(parseUtm(new URL('https://shop.example/?utm_source=&x=1'))).toBeNull();
    expect(parseUtm(null)).toBeNull();
  });
});
