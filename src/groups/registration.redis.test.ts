import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test/support/service.js';
import { AuditLog } from '../audit/audit-log.js';
import { SandboxStore } from '../channels/sandbox/sandbox-store.js';
import { RegistrationCodes } from './registration-codes.js';

let service: TestService;
let sandbox: SandboxStore;
let updates = 0;

beforeEach(async () => {
  service = await startTestService({ DEFAULT_LOCALE: 'en' });
  sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
});
afterEach(() => service.stop());

/** A resident types in a sandbox chat; resolves with what the bot answered. */
async function say(chat: { id: string; kind: 'private' | 'group' }, text: string): Promise<string[]> {
  const before = (await sandbox.transcript(chat.id)).length;
  await service.channels.inbox.accept({
    platform: 'sandbox',
    updateId: `u${++updates}`,
    chat,
    sender: { id: 'private-admin', displayName: 'Admin' },
    kind: 'text',
    text,
    sentAt: Date.now(),
  });
  await expect.poll(async () => (await sandbox.transcript(chat.id)).length, { timeout: 5_000 }).toBeGreaterThan(before);
  return (await sandbox.transcript(chat.id)).slice(before).map((e) => e.text);
}

describe('group registration with /dangky', () => {
  it('registers a group with a one-time code, pending until staff approve it', async () => {
    const codes = new RegistrationCodes(service.datastore.redis, service.datastore.prefix);
    const { code } = await codes.issue({ name: 'Tổ dân phố số 5', tags: ['tdp-5', 'khu-a'] });
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const group = { id: 'group-tdp-5', kind: 'group' as const };

    expect(await say(group, '/dangky')).toEqual([expect.stringMatching(/^To register the group, send \/dangky/)]);
    expect(await say(group, '/dangky WRONG-CODE1')).toEqual([expect.stringMatching(/code is wrong, already used or expired/)]);
    // Typed lower case with the dash left out, and addressed to the bot by name, as Telegram does.
    expect(await say(group, `/dangky@LoaPhuongBot ${code.toLowerCase().replace('-', '')}`)).toEqual([
      'Group "Tổ dân phố số 5" is registered. It will receive the ward\'s messages once ward staff approve it.',
    ]);

    const [registered] = await service.groups.list();
    expect(registered).toMatchObject({ platform: 'sandbox', chatId: 'group-tdp-5', name: 'Tổ dân phố số 5', tags: ['tdp-5', 'khu-a'], status: 'pending' });
    expect(await say(group, `/dangky ${code}`)).toEqual(['Group "Tổ dân phố số 5" is already registered and waiting for ward staff to approve it.']);

    await service.groups.approve(registered!.id, 'staff:lan');
    expect(await say(group, '/dangky ANY')).toEqual(['Group "Tổ dân phố số 5" is registered and receives the ward\'s messages.']);
    expect(await service.groups.list({ status: 'approved', tag: 'khu-a' })).toHaveLength(1);
    expect(await service.groups.list({ tag: 'tdp-6' })).toHaveLength(0);
  });

  it('answers /dangky in a private chat with where to use it, and ignores group chatter', async () => {
    const person = { id: 'private-lan', kind: 'private' as const };
    expect(await say(person, '/dangky ABCDE-12345')).toEqual([expect.stringMatching(/^Use \/dangky in your residents' Zalo or Telegram group/)]);
    expect(await say(person, '/khongco')).toEqual(['Loa Phường has no /khongco command. Type /trogiup to see the commands.']);

    const group = { id: 'group-chatter', kind: 'group' as const };
    await service.channels.inbox.accept({
      platform: 'sandbox', updateId: 'chatter-1', chat: group, sender: { id: 'p1' }, kind: 'text', text: 'chào cả nhà', sentAt: Date.now(),
    });
    expect(await say(group, '/trogiup')).toEqual([expect.stringMatching(/^Hello! This is Loa Phường/)]);
  });

  it('audits registration and every staff change', async () => {
    const codes = new RegistrationCodes(service.datastore.redis, service.datastore.prefix);
    const { code } = await codes.issue({ name: 'Khu B', tags: [] });
    await say({ id: 'group-khu-b', kind: 'group' }, `/dangky ${code}`);
    const [group] = await service.groups.list();
    await service.groups.setTags(group!.id, ['khu-b', 'khu-b'], 'staff:lan');
    await service.groups.pause(group!.id, 'staff:lan');
    await service.groups.resume(group!.id, 'staff:lan');
    await service.groups.remove(group!.id, 'staff:lan');
    expect((await service.groups.get(group!.id))).toMatchObject({ status: 'removed', tags: ['khu-b'] });
    expect(await service.groups.findByChat('sandbox', 'group-khu-b')).toBeUndefined();
    await expect(service.groups.setTags(group!.id, ['Bad Tag'], 'staff:lan')).rejects.toThrow(/lowercase/);

    const trail = await new AuditLog(service.datastore.redis, service.datastore.prefix).latest(10);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['group.removed', 'staff:lan'],
      ['group.resumed', 'staff:lan'],
      ['group.paused', 'staff:lan'],
      ['group.tagged', 'staff:lan'],
      ['group.registered', 'chat:sandbox'],
    ]);
    expect(trail.every((e) => e.subject === `group:${group!.id}`)).toBe(true);
  });
});
