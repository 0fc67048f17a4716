/** Addresses keep where the visitor is and lose the secrets shops put in them. */
import { describe, expect, it } from 'vitest';
import { withoutSecrets } from './page-address.js';

describe('withoutSecrets', () => {
  it('drops an OAuth token from a fragment written like a query, keeping the rest', () => {
    expect(
      withoutSecrets('https://shop.example/login/callback#access_token=abc123&state=xyz&expires_in=3600'),
    ).toBe('https://shop.example/login/callback#state=xyz&expires_in=3600');
    expect(withoutSecrets('https://shop.example/cb#id_token=eyJ.x.y')).toBe('https://shop.example/cb');
  });

  it('drops secret query parameters, whatever their case and prefix', () => {
    expect(
      withoutSecrets(
        'https://shop.example/reset?token=s3cret&lang=hy&X-Amz-Signature=f00&api_key=k&sessionId=9&password=p',
      ),
    ).toBe('https://shop.example/reset?lang=hy');
  });

  it('keeps ordinary addresses exactly as they are', () => {
    for (const address of [
      'https://shop.example/',
      'https://shop.example/catalog/shoes?size=42&color=red&utm_source=mail#reviews',
      'https://shop.example/#/product/42?tab=specs',
      'https://shop.example/search?q=token+ring',
      'https://магазин.example/корзина',
    ]) {
      expect(withoutSecrets(address)).toBe(new URL(address).toString());
    }
  });

  it('drops credentials written into the host part', () => {
    expect(withoutSecrets('https://admin:hunter2@shop.example/orders')).toBe('https://shop.example/orders');
  });

  it('leaves what is not an absolute address alone', () => {
    expect(withoutSecrets('not a url')).toBe('not a url');
  });
});
