import type { CannedReplyDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { filterCannedReplies } from './canned-filter';
import { fillVariables, givenVisitorName } from './fill-variables';

const reply = (shortcut: string, title: string, body: string, scope: 'shared' | 'personal' = 'shared') =>
  ({
    id: `${scope}-${shortcut}`,
    siteId: 's',
    scope,
    ownerId: null,
    shortcut,
    title,
    body,
    updatedAt: '',
  }) as CannedReplyDTO;

const replies = [
  reply('price', 'Price and discounts', 'The price includes VAT.'),
  reply('цена', 'Цена и скидки', 'Цена включает НДС.'),
  reply('delivery', 'Delivery times', 'Next day in the city; the price of delivery is free.'),
  reply('hello', 'Greeting', 'Hello, {visitor.name|there}!'),
  reply('prices', 'My price list', 'Ask me', 'personal'),
];
const shortcuts = (query: string) => filterCannedReplies(replies, query).map((r) => r.shortcut);

describe('filterCannedReplies', () => {
  it('matches shortcut, title and body, case-insensitively, shortcut prefixes first, own before shared', () => {
    expect(shortcuts('PRICE')).toEqual(['prices', 'price', 'delivery']);
    expect(shortcuts('greet')).toEqual(['hello']);
    expect(shortcuts('vat')).toEqual(['price']);
    expect(shortcuts('')).toHaveLength(5);
    expect(shortcuts('nothing like it')).toEqual([]);
  });

  it('finds a reply typed in the wrong keyboard layout, both ways', () => {
    expect(shortcuts('зкшсу')).toEqual(['prices', 'price', 'delivery']);
    expect(shortcuts('wtyf')).toEqual(['цена']);
    expect(shortcuts('ЦЕН')).toEqual(['цена']);
  });

  it('shows at most the limit', () => {
    expect(filterCannedReplies(replies, '', 2)).toHaveLength(2);
  });
});

describe('fillVariables', () => {
  const values = { 'visitor.name': 'Anna', 'operator.name': 'Boris', 'site.name': 'Shoe shop' };

  it('fills every variable, with the fallback when a value is empty', () => {
    expect(fillVariables('Hi {visitor.name|there}, I am {operator.name} of {site.name}.', values)).toBe(
      'Hi Anna, I am Boris of Shoe shop.',
    );
    expect(fillVariables('Hi {visitor.name|there}!', { ...values, 'visitor.name': null })).toBe('Hi there!');
    expect(fillVariables('Hi {visitor.name}!', { ...values, 'visitor.name': '  ' })).toBe('Hi !');
  });

  it('leaves unknown variables and ordinary braces as written', () => {
    expect(fillVariables('{visitor.email} and {price} and {x', values)).toBe(
      '{visitor.email} and {price} and {x',
    );
  });
});

describe('givenVisitorName', () => {
  it('is the name a visitor gave, not the label of one who gave none', () => {
    expect(givenVisitorName('Anna')).toBe('Anna');
    expect(givenVisitorName('#3F9A1C')).toBeNull();
    expect(givenVisitorName(null)).toBeNull();
  });
});
