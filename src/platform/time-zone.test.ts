import { describe, expect, it } from 'vitest';
import { dayBounds } from './time-zone.js';

describe('dayBounds', () => {
  it('gives the first and last moment of a day on the ward clock', () => {
    const bounds = dayBounds('2026-06-01', 'Asia/Ho_Chi_Minh');
    expect(bounds?.first.toISOString()).toBe('2026-05-31T17:00:00.000Z');
    expect(bounds?.last.toISOString()).toBe('2026-06-01T16:59:59.999Z');
  });

  it.each(['2026-02-30', '2026-13-01', '2026-6-1', 'hôm qua'])('refuses %j', (date) => {
    expect(dayBounds(date, 'Asia/Ho_Chi_Minh')).toBeUndefined();
  });
});
