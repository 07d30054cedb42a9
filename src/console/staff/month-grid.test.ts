import { describe, expect, it } from 'vitest';
import { daysOfMonth, monthAt, monthGrid, monthSchema, shiftMonth, weekdayOf } from './month-grid.js';

describe('monthGrid', () => {
  it('lays June 2026 out Monday first: the 1st is a Monday, the last week ends on Sunday 5 July', () => {
    const weeks = monthGrid('2026-06');
    expect(weeks).toHaveLength(5);
    expect(weeks[0]).toEqual(['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05', '2026-06-06', '2026-06-07']);
    expect(weeks[4]).toEqual(['2026-06-29', '2026-06-30', undefined, undefined, undefined, undefined, undefined]);
  });

  it('pads the first week of a month starting on a Sunday with six empty days', () => {
    const weeks = monthGrid('2026-02');
    expect(weeks[0]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, '2026-02-01']);
    expect(weeks.flat().filter(Boolean)).toHaveLength(28);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
  });

  it('knows leap years and spans six weeks when the month needs them', () => {
    expect(daysOfMonth('2028-02').at(-1)).toBe('2028-02-29');
    expect(daysOfMonth('2100-02').at(-1)).toBe('2100-02-28');
    // August 2026 starts on a Saturday and has 31 days.
    expect(monthGrid('2026-08')).toHaveLength(6);
  });
});

describe('months and weekdays', () => {
  it('steps across year ends', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-06', 0)).toBe('2026-06');
  });

  it('reads the month on the ward clock, not in UTC', () => {
    // 30 June 20:00 UTC is already 1 July 03:00 in Hà Nội.
    expect(monthAt(new Date('2026-06-30T20:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-07');
    expect(monthAt(new Date('2026-06-30T20:00:00Z'), 'UTC')).toBe('2026-06');
  });

  it('names weekdays Monday first', () => {
    expect(weekdayOf('2026-06-26')).toBe('friday');
    expect(weekdayOf('2026-06-28')).toBe('sunday');
  });

  it.each(['2026-13', '2026-00', '2026-6', '1999-12', '26-06', '2026-06-01', ''])('refuses the month %j', (value) => {
    expect(monthSchema.safeParse(value).success).toBe(false);
  });
});
