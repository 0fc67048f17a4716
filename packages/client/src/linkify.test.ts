/** The linkifier both clients render with: what becomes a link, and where it ends. */
import { describe, expect, it } from 'vitest';
import { linkParts } from './linkify.js';

const link = (url: string) => ({ href: new URL(url).href, label: url });

describe('linkParts', () => {
  it('makes http(s) addresses links and leaves the rest text', () => {
    expect(linkParts('see https://shop.example/a?b=1 now')).toEqual([
      'see ',
      link('https://shop.example/a?b=1'),
      ' now',
    ]);
    expect(linkParts('plain words')).toEqual(['plain words']);
    expect(linkParts('')).toEqual([]);
  });

  it('never links other schemes', () => {
    expect(linkParts('javascript:alert(1) data:text/html,x')).toEqual([
      'javascript:alert(1) data:text/html,x',
    ]);
    expect(linkParts('ftp://files.example/x')).toEqual(['ftp://files.example/x']);
  });

  it('leaves sentence punctuation, in each of our languages, out of the address', () => {
    expect(linkParts('Look: https://shop.example/a.')).toEqual([
      'Look: ',
      link('https://shop.example/a'),
      '.',
    ]);
    expect(linkParts('Really https://shop.example/a?!')).toEqual([
      'Really ',
      link('https://shop.example/a'),
      '?!',
    ]);
    expect(linkParts('Смотрите «https://shop.example/ru»')).toEqual([
      'Смотрите «',
      link('https://shop.example/ru'),
      '»',
    ]);
    expect(linkParts('Տես https://shop.example/hy։')).toEqual(['Տես ', link('https://shop.example/hy'), '։']);
    expect(linkParts('{https://shop.example/j}')).toEqual(['{', link('https://shop.example/j'), '}']);
  });

  it('keeps a closing bracket that belongs to the address, drops one that closes the sentence', () => {
    expect(linkParts('(see https://shop.example/a)')).toEqual(['(see ', link('https://shop.example/a'), ')']);
    expect(linkParts('https://en.wikipedia.org/wiki/Tie_(knot)')).toEqual([
      link('https://en.wikipedia.org/wiki/Tie_(knot)'),
    ]);
    expect(linkParts('(https://en.wikipedia.org/wiki/Tie_(knot)).')).toEqual([
      '(',
      link('https://en.wikipedia.org/wiki/Tie_(knot)'),
      ').',
    ]);
  });

  it('stops at quotes and angle brackets, so text cannot smuggle markup into a link', () => {
    expect(linkParts('"https://shop.example/q" <https://shop.example/t>')).toEqual([
      '"',
      link('https://shop.example/q'),
      '" <',
      link('https://shop.example/t'),
      '>',
    ]);
  });
});
