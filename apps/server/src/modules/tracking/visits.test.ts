import type { TrackItem } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { planVisits } from './visits.js';

const now = new Date('2026-12-01T12:00:00Z');
const min = 60_000;
const page = (id: string, agoMin: number, referrer?: string): TrackItem => ({
  t: 'page',
  id,
  ago: agoMin * min,
  url: `https://shop.example/${id}`,
  title: id,
  ...(referrer && { referrer }),
});

describe('visit splitting', () => {
  it('starts the first visit with the first item and classifies it from that page', () => {
    const plan = planVisits(null, [page('b', 5), page('a', 10, 'https://www.bing.com/')], now, null);
    expect(plan.started).toHaveLength(1);
    expect(plan.started[0]).toMatchObject({
      number: 1,
      landingUrl: 'https://shop.example/a',
      source: { name: 'Bing' },
    });
    expect(plan.started[0]?.lastActivityAt).toEqual(new Date(now.getTime() - 5 * min));
  });

  it('keeps items within 30 minutes of the last activity in the current visit', () => {
    const current = {
      number: 3,
      startedAt: new Date(now.getTime() - 40 * min),
      lastActivityAt: new Date(now.getTime() - 29 * min),
    };
    const plan = planVisits(current, [page('x', 0)], now, null);
    expect(plan.started).toHaveLength(0);
    expect(plan.items[0]?.visit).toBe(-1);
    expect(plan.currentLastActivityAt).toEqual(now);
  });

  it('starts a new visit after a gap over 30 minutes, numbered after the last', () => {
    const current = {
      number: 3,
      startedAt: new Date(now.getTime() - 50 * min),
      lastActivityAt: new Date(now.getTime() - 31 * min),
    };
    const plan = planVisits(current, [page('x', 0, 'https://vk.com/')], now, null);
    expect(plan.started).toEqual([
      expect.objectContaining({ number: 4, source: expect.objectContaining({ kind: 'social' }) }),
    ]);
    expect(plan.currentLastActivityAt).toBeNull();
  });

  it('splits one batch in two when its own items are more than 30 minutes apart', () => {
    const plan = planVisits(null, [page('a', 60), page('b', 45), page('c', 5)], now, null);
    expect(plan.started.map((v) => v.number)).toEqual([1, 2]);
    expect(plan.items.map((i) => i.visit)).toEqual([0, 0, 1]);
  });

  it('a ping after a gap begins a direct visit on the page the visitor is on', () => {
    const current = {
      number: 1,
      startedAt: new Date(now.getTime() - 60 * min),
      lastActivityAt: new Date(now.getTime() - 40 * min),
    };
    const plan = planVisits(current, [{ t: 'ping', id: 'p1', ago: 0 }], now, 'https://shop.example/cart');
    expect(plan.started[0]).toMatchObject({
      landingUrl: 'https://shop.example/cart',
      source: { kind: 'direct' },
    });
  });

  it('a late page from before the current visit began becomes its landing, classified again', () => {
    const current = { number: 2, startedAt: new Date(now.getTime() - 2 * min), lastActivityAt: now };
    const plan = planVisits(current, [page('landing', 3, 'https://yandex.ru/search/?text=boots')], now, null);
    expect(plan.started).toHaveLength(0);
    expect(plan.items[0]?.visit).toBe(-1);
    expect(plan.currentLanding).toMatchObject({
      startedAt: new Date(now.getTime() - 3 * min),
      landingUrl: 'https://shop.example/landing',
      source: { kind: 'search', name: 'Yandex', searchQuery: 'boots' },
    });
  });

  it('a page after the visit began, or older than the gap before it, leaves the landing alone', () => {
    const current = { number: 2, startedAt: new Date(now.getTime() - 10 * min), lastActivityAt: now };
    expect(planVisits(current, [page('later', 5, 'https://vk.com/')], now, null).currentLanding).toBeNull();
    expect(planVisits(current, [page('stale', 41, 'https://vk.com/')], now, null).currentLanding).toBeNull();
    expect(planVisits(null, [page('first', 1)], now, null).currentLanding).toBeNull();
  });
});
