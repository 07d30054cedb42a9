import { describe, expect, it } from 'vitest';
import { limiterFor } from './outbound-worker.js';

describe('limiterFor', () => {
  it.each([
    [200, { max: 50, duration: 250 }],
    [25, { max: 6, duration: 240 }],
    [5, { max: 1, duration: 200 }],
    [1, { max: 1, duration: 1000 }],
  ])('keeps %i messages/s on average in windows of about a quarter second', (rate, expected) => {
    const limiter = limiterFor(rate);
    expect(limiter).toEqual(expected);
    expect((limiter.max * 1000) / limiter.duration).toBeCloseTo(rate, 0);
  });
});
