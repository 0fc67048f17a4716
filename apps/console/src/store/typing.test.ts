/** The operator's own typing: announced at most every few seconds, withdrawn after a pause or on send. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TypingAnnouncer } from './typing';

describe('typing announcer', () => {
  let announced: [string, boolean][];
  let typing: TypingAnnouncer;

  beforeEach(() => {
    vi.useFakeTimers();
    announced = [];
    typing = new TypingAnnouncer((id, on) => announced.push([id, on]));
  });
  afterEach(() => {
    typing.dispose();
    vi.useRealTimers();
  });

  it('says "typing" on the first key and again only after a few seconds of typing', () => {
    typing.activity('c1');
    vi.advanceTimersByTime(1000);
    typing.activity('c1');
    vi.advanceTimersByTime(1000);
    typing.activity('c1');
    expect(announced).toEqual([['c1', true]]);
    vi.advanceTimersByTime(1500);
    typing.activity('c1');
    expect(announced).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });

  it('says "stopped" after a pause, once, and per conversation', () => {
    typing.activity('c1');
    typing.activity('c2');
    vi.advanceTimersByTime(3999);
    expect(announced).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(announced.slice(2)).toEqual([
      ['c1', false],
      ['c2', false],
    ]);
    typing.stop('c1');
    expect(announced).toHaveLength(4);
  });

  it('withdraws at once when stopped (the reply went out), and nothing after dispose', () => {
    typing.activity('c1');
    typing.stop('c1');
    expect(announced).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    typing.activity('c2');
    typing.dispose();
    vi.advanceTimersByTime(10_000);
    expect(announced).toHaveLength(3);
  });
});
