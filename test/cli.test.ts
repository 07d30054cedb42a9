import { afterAll, describe, expect, it } from 'vitest';
import { runCli, RUNS_CLI } from './support/cli.js';
import { deleteKeys, testPrefix, testRedis, testRedisUrl } from './support/redis.js';

const redis = testRedis();
const prefix = testPrefix();
// The test Redis keeps nothing on disk; its start-up warning about that is not what these tests read.
const env = () => ({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, DEFAULT_LOCALE: 'en', LOG_LEVEL: 'error' });

afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe('loaphuong command line', RUNS_CLI, () => {
  it('prints help for every command, in the operator language', async () => {
    const top = await runCli(['--help'], {});
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('phát tin tuyên truyền');
    const commands = ['serve', 'worker', 'users', 'users add', 'users list', 'users disable', 'users token'];
    const helps = await Promise.all(commands.map((command) => runCli([...command.split(' '), '--help'], { DEFAULT_LOCALE: 'en' })));
    helps.forEach((help, i) => {
      expect(help.code, commands[i]).toBe(0);
      expect(help.stdout, commands[i]).toMatch(new RegExp(`^Usage: loaphuong ${commands[i]}`));
    });
  });

  it('rejects unknown commands and options with a clear message and a non-zero exit', async () => {
    const unknown = await runCli(['frobnicate'], {});
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const option = await runCli(['users', 'list', '--everything'], {});
    expect(option.code).not.toBe(0);
    expect(option.stderr).toContain("unknown option '--everything'");
  });

  it('stops on invalid configuration with one line naming the variable', async () => {
    const result = await runCli(['users', 'list'], { ...env(), PORT: 'abc', DEFAULT_LOCALE: 'en' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error: Invalid configuration: PORT — expected an integer from 0 to 65535 (0 picks a free port) (got "abc").');
  });

  it('says clearly when Redis is unreachable', async () => {
    const result = await runCli(['users', 'list'], { REDIS_URL: 'redis://127.0.0.1:1', DEFAULT_LOCALE: 'en' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: Redis at redis:\/\/127\.0\.0\.1:1\/? did not answer/m);
  });

  it('adds, lists and disables users', async () => {
    const added = await runCli(['users', 'add', 'lan', '--role', 'staff', '--name', 'Trần Thị Lan'], env());
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^Added lan \(staff\)\.\nPassword \(shown only once, hand it over in person\): [A-Za-z2-9]{20}\n$/);

    const piped = await runCli(['users', 'add', 'cs.hung', '--role', 'police', '--password-stdin'], env(), 'a long police password\n');
    expect(piped.stdout).toBe('Added cs.hung (police).\n');

    const duplicate = await runCli(['users', 'add', 'lan', '--role', 'admin'], env());
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('Error: An account named lan already exists.\n');

    const badRole = await runCli(['users', 'add', 'minh', '--role', 'mayor'], env());
    expect(badRole.stderr).toBe('Error: --role: admin, staff, approver, police\n');

    const shortPassword = await runCli(['users', 'add', 'minh', '--role', 'staff', '--password-stdin'], env(), 'short\n');
    expect(shortPassword.stderr).toBe('Error: password: expected at least 12 characters\n');

    expect((await runCli(['users', 'disable', 'lan'], env())).stdout).toBe('Disabled lan.\n');
    expect((await runCli(['users', 'disable', 'nobody'], env())).stderr).toBe('Error: There is no account named nobody.\n');

    const list = await runCli(['users', 'list'], env());
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+STATUS\s+NAME\s+CREATED$/);
    expect(lines[1]).toMatch(/^cs\.hung\s+police\s+active\s+cs\.hung\s+\d{4}-\d\d-\d\d$/);
    expect(lines[2]).toMatch(/^lan\s+staff\s+disabled\s+Trần Thị Lan\s+\d{4}-\d\d-\d\d$/);
  });
});
