import { describe, expect, it } from 'vitest';
import { cronProblem, fireTimes, inQuietHours, parseWhen } from './when.js';

const HCM = 'Asia/Ho_Chi_Minh';

describe('parseWhen', () => {
  it('reads ward wall-clock times and ISO instants', () => {
    expect(parseWhen('2026-06-26 07:00', HCM)?.toISOString()).toBe('2026-06-26T00:00:00.000Z');
    expect(parseWhen('2026-06-26T07:00', HCM)?.toISOString()).toBe('2026-06-26T00:00:00.000Z');
    expect(parseWhen('2026-06-26T07:00:00+07:00', HCM)?.toISOString()).toBe('2026-06-26T00:00:00.000Z');
    expect(parseWhen('2026-06-26T00:00:00Z', HCM)?.toISOString()).toBe('2026-06-26T00:00:00.000Z');
    expect(parseWhen('2026-06-26 07:00', 'Europe/Berlin')?.toISOString()).toBe('2026-06-26T05:00:00.000Z');
  });

  it.each(['2026-02-30 07:00', '2026-13-01 07:00', '2026-06-26 24:00', '26/06/2026 07:00', 'tomorrow', '2026-06-26', ''])('refuses %j', (input) => {
    expect(parseWhen(input, HCM)).toBeUndefined();
  });
});

describe('inQuietHours', () => {
  const quiet = { from: '21:00', to: '06:30' };
  it.each([
    ['21:00', false],
    ['21:01', true],
    ['23:59', true],
    ['00:00', true],
    ['06:29', true],
    ['06:30', false],
    ['12:00', false],
  ])('%s → %s across midnight', (time, expected) => {
    expect(inQuietHours(time, quiet)).toBe(expected);
  });

  it('handles a window inside one day', () => {
    expect(inQuietHours('12:30', { from: '12:00', to: '13:30' })).toBe(true);
    expect(inQuietHours('14:00', { from: '12:00', to: '13:30' })).toBe(false);
  });
});

describe('cron patterns', () => {
  it('accepts five fields and names what is wrong otherwise', () => {
    expect(cronProblem('0 7 * * 1', HCM)).toBeUndefined();
    expect(cronProblem('0 0 7 * * 1', HCM)).toBe('five-fields');
    expect(cronProblem('0 7 * *', HCM)).toBe('five-fields');
    expect(cronProblem('61 7 * * *', HCM)).toBe('syntax');
  });

  it('fires on the ward clock within its bounds', () => {
    const timing = { kind: 'cron' as const, pattern: '0 19 * * 1', timeZone: HCM, from: '2026-05-31T17:00:00.000Z', until: '2026-06-30T16:59:00.000Z' };
    expect(fireTimes(timing, new Date('2026-01-01T00:00:00Z'), 10).map((d) => d.toISOString())).toEqual([
      '2026-06-01T12:00:00.000Z',
      '2026-06-08T12:00:00.000Z',
      '2026-06-15T12:00:00.000Z',
      '2026-06-22T12:00:00.000Z',
      '2026-06-29T12:00:00.000Z',
    ]);
    expect(fireTimes({ ...timing, pattern: '0 7 30 2 *' }, new Date('2026-01-01T00:00:00Z'), 3)).toEqual([]);
  });

  it('gives a one-off only while it is ahead', () => {
    const once = { kind: 'once' as const, at: '2026-06-26T00:00:00.000Z' };
    expect(fireTimes(once, new Date('2026-06-25T00:00:00Z'), 5)).toHaveLength(1);
    expect(fireTimes(once, new Date('2026-06-26T00:00:00Z'), 5)).toEqual([]);
  });
});
