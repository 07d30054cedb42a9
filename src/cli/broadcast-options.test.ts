import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, type TFunction } from '../platform/i18n.js';
import { newScheduleFrom, type CreateFlags } from './broadcast-options.js';
import { CliError } from './errors.js';

let t: TFunction;
beforeAll(async () => {
  t = (await createTranslator('en')).t('en');
});

/** Two campaigns: "chung" is in both, "rieng" only in the first. */
const library = { campaignsWith: (id: string) => ({ chung: ['chien-dich-a', 'chien-dich-b'], rieng: ['chien-dich-a'] })[id] ?? [] };
const from = (flags: Partial<CreateFlags>) => newScheduleFrom({ title: 'Tin', ...flags }, library, t);
const refusal = (flags: Partial<CreateFlags>) => {
  try {
    from(flags);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('broadcast options', () => {
  it('reads each timing, content and target into the input the module checks', () => {
    expect(from({ at: '2027-03-02 07:00', message: 'rieng' })).toEqual({
      title: 'Tin',
      timing: { kind: 'once', at: '2027-03-02 07:00' },
      content: { kind: 'message', campaign: 'chien-dich-a', message: 'rieng' },
      target: { kind: 'all' },
      urgent: false,
    });
    expect(from({ cron: '0 7 * * 1', from: '2027-01-01 00:00', rotation: 'chien-dich-a:law', tags: 'tdp-5, khu-a', urgent: true })).toMatchObject({
      timing: { kind: 'cron', pattern: '0 7 * * 1', from: '2027-01-01 00:00' },
      content: { kind: 'rotation', campaign: 'chien-dich-a', topic: 'law' },
      target: { kind: 'tags', tags: ['tdp-5', 'khu-a'] },
      urgent: true,
    });
    expect(from({ at: 'x', text: 'Xin chào', textEn: 'Hello', groups: 'g-1,g-2' })).toMatchObject({
      content: { kind: 'text', text: { vi: 'Xin chào', en: 'Hello' } },
      target: { kind: 'groups', ids: ['g-1', 'g-2'] },
    });
    expect(from({ at: 'x', message: 'chung', campaign: 'chien-dich-b', platform: 'telegram' })).toMatchObject({
      content: { campaign: 'chien-dich-b' },
      target: { kind: 'platform', platform: 'telegram' },
    });
  });

  it('refuses flags that do not go together, with a message naming them', () => {
    expect(refusal({ message: 'rieng' })).toBe('Give exactly one of --at, --cron.');
    expect(refusal({ at: 'x', cron: '0 7 * * 1', message: 'rieng' })).toBe('Give exactly one of --at, --cron.');
    expect(refusal({ at: 'x', from: 'y', message: 'rieng' })).toBe('--from goes only with --cron.');
    expect(refusal({ at: 'x' })).toBe('Give exactly one of --message, --rotation, --text.');
    expect(refusal({ at: 'x', message: 'rieng', text: 'Xin chào' })).toBe('Give exactly one of --message, --rotation, --text.');
    expect(refusal({ at: 'x', text: 'Xin chào', campaign: 'chien-dich-a' })).toBe('--campaign goes only with --message.');
    expect(refusal({ at: 'x', rotation: 'law', textEn: 'Hello' })).toBe('--text-en goes only with --text.');
    expect(refusal({ at: 'x', rotation: 'chien-dich-a:weather' })).toMatch(/^--rotation expects <campaign>:<topic>, .* \(got “chien-dich-a:weather”\)\.$/);
    expect(refusal({ at: 'x', message: 'rieng', all: true, tags: 'tdp-5' })).toBe('Give at most one of --all, --tags, --groups, --platform.');
    expect(refusal({ at: 'x', message: 'rieng', platform: 'viber' })).toBe('--platform: zalo, zalo-oa, telegram, sandbox');
  });

  it('finds the campaign of a message, or says why it cannot', () => {
    expect(refusal({ at: 'x', message: 'khong-co' })).toBe('No campaign in the content library has a message khong-co.');
    expect(refusal({ at: 'x', message: 'chung' })).toBe('Message chung is in several campaigns (chien-dich-a, chien-dich-b); say which one with --campaign.');
  });
});
