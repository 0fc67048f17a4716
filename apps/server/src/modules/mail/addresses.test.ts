import { describe, expect, it } from 'vitest';
import { newThreadToken, replyAddress, tokenFromAddress } from './addresses.js';

describe('reply addresses', () => {
  it('round-trips a token through an address, whatever the case', () => {
    const token = newThreadToken();
    expect(token).toMatch(/^[a-z2-7]{26}$/);
    const address = replyAddress(token, 'mail.shop.example');
    expect(tokenFromAddress(address, 'mail.shop.example')).toBe(token);
    expect(tokenFromAddress(address.toUpperCase(), 'Mail.Shop.Example')).toBe(token);
  });

  it('refuses other domains and other shapes', () => {
    const token = newThreadToken();
    expect(tokenFromAddress(replyAddress(token, 'elsewhere.example'), 'mail.shop.example')).toBeNull();
    expect(tokenFromAddress(`reply+${token.slice(1)}@mail.shop.example`, 'mail.shop.example')).toBeNull();
    expect(tokenFromAddress(`reply+${token}1@mail.shop.example`, 'mail.shop.example')).toBeNull();
    expect(tokenFromAddress('support@mail.shop.example', 'mail.shop.example')).toBeNull();
  });

  it('gives different tokens each time', () => {
    expect(new Set(Array.from({ length: 100 }, newThreadToken)).size).toBe(100);
  });
});
