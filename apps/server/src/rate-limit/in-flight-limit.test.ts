import { describe, expect, it } from 'vitest';
import { InFlightLimit } from './in-flight-limit.js';

describe('InFlightLimit', () => {
  it('lets in up to its limit, refuses beyond it, and has room again once work is done', () => {
    const limit = new InFlightLimit(2);
    const first = limit.tryEnter();
    const second = limit.tryEnter();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(limit.tryEnter()).toBeNull();
    first?.();
    // Releasing twice frees one place, not two.
    first?.();
    expect(limit.inFlight).toBe(1);
    expect(limit.tryEnter()).not.toBeNull();
    expect(limit.tryEnter()).toBeNull();
  });
});
