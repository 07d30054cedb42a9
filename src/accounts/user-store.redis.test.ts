import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../test/support/redis.js';
import { AuditLog } from '../audit/audit-log.js';
import { verifyPassword } from './password.js';
import { UserExistsError, UserNotFoundError, UserStore } from './user-store.js';

const redis = testRedis();
let prefix: string;
let audit: AuditLog;
let users: UserStore;
const clock = () => new Date('2026-06-01T01:00:00Z');

beforeEach(() => {
  prefix = testPrefix();
  audit = new AuditLog(redis, prefix, clock);
  users = new UserStore(redis, prefix, audit, clock);
});
afterEach(() => deleteKeys(redis, prefix));
afterAll(() => redis.quit());

describe('UserStore', () => {
  it('adds, lists and disables accounts, auditing each change', async () => {
    const added = await users.add({ username: 'lan.tran', displayName: 'Trần Thị Lan', role: 'staff', password: 'mật khẩu đủ dài' }, 'cli:root');
    expect(added).toEqual({
      username: 'lan.tran',
      displayName: 'Trần Thị Lan',
      role: 'staff',
      status: 'active',
      createdAt: '2026-06-01T01:00:00.000Z',
      updatedAt: '2026-06-01T01:00:00.000Z',
    });
    expect(added).not.toHaveProperty('passwordHash');
    await users.add({ username: 'cs.hung', displayName: 'Hùng', role: 'police', password: 'another long one' }, 'cli:root');

    expect((await users.list()).map((u) => u.username)).toEqual(['cs.hung', 'lan.tran']);
    expect(await verifyPassword('mật khẩu đủ dài', (await users.get('lan.tran'))!.passwordHash)).toBe(true);

    expect((await users.disable('lan.tran', 'cli:root')).status).toBe('disabled');
    expect((await users.get('lan.tran'))!.status).toBe('disabled');

    const trail = await audit.latest(10);
    expect(trail.map((e) => [e.action, e.subject, e.actor])).toEqual([
      ['user.disabled', 'user:lan.tran', 'cli:root'],
      ['user.created', 'user:cs.hung', 'cli:root'],
      ['user.created', 'user:lan.tran', 'cli:root'],
    ]);
    expect(trail[2]!.details).toEqual({ role: 'staff' });
    expect(JSON.stringify(trail)).not.toContain('mật khẩu');
  });

  it('refuses duplicates, unknown users and bad input without writing anything', async () => {
    await users.add({ username: 'lan', displayName: 'Lan', role: 'staff', password: 'long enough pw' }, 'cli:root');
    await expect(users.add({ username: 'lan', displayName: 'Other', role: 'admin', password: 'long enough pw' }, 'cli:root')).rejects.toBeInstanceOf(
      UserExistsError,
    );
    expect((await users.get('lan'))!.role).toBe('staff');
    await expect(users.disable('ghost', 'cli:root')).rejects.toBeInstanceOf(UserNotFoundError);
    await expect(users.add({ username: 'Bad Name', displayName: 'x', role: 'staff', password: 'long enough pw' }, 'cli:root')).rejects.toThrow(
      /lowercase/,
    );
    await expect(users.add({ username: 'short', displayName: 'x', role: 'staff', password: 'short' }, 'cli:root')).rejects.toThrow(/12 characters/);
    expect((await users.list()).map((u) => u.username)).toEqual(['lan']);
    expect(await audit.latest(10)).toHaveLength(1);
  });
});
