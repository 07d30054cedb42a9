import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approver, broadcastHarness, staff, type BroadcastHarness } from './support/broadcasts.js';
import { spawnCli } from './support/cli.js';
import { ZaloBotFake } from './fakes/zalo-bot-fake.js';
import { TERMINAL_STATUSES } from '../src/channels/outbound/deliveries.js';

const TOKEN = 'kill-test-token';
const GROUPS = 1000;
/** The outbound worker's concurrency: at most this many sends can be in flight when the process dies. */
const IN_FLIGHT = 8;

let fake: ZaloBotFake;
let h: BroadcastHarness;
let env: NodeJS.ProcessEnv;
const workers: ChildProcess[] = [];

beforeEach(async () => {
  fake = new ZaloBotFake({ token: TOKEN });
  const base = await fake.start();
  const settings = { ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_MODE: 'polling', ZALO_BOT_API_BASE: base, ZALO_BOT_RATE_PER_SECOND: '200', SANDBOX_ENABLED: 'false' };
  h = await broadcastHarness(settings, new Date().toISOString());
  env = {
    ...settings,
    REDIS_URL: h.config.redis.url,
    REDIS_PREFIX: h.config.redis.prefix,
    ENCRYPTION_KEYS: h.config.secrets.encryptionKeys,
    HMAC_SECRET: h.config.secrets.hmacSecret,
    // A killed worker's jobs are taken over after 2 s instead of 30 s.
    WORKER_STALL_SECONDS: '2',
    LOG_LEVEL: 'warn',
  };
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    if (worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
  }
  await h.close();
  await fake.close();
});

function startWorker(): ChildProcess {
  const worker = spawnCli(['worker'], env);
  worker.stdout.resume();
  worker.stderr.resume();
  workers.push(worker);
  return worker;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a worker process killed in the middle of a fan-out', () => {
  it('is restarted and every group ends with exactly one delivery, none sent twice', { timeout: 90_000 }, async () => {
    const groups = await h.addGroups(GROUPS, { platform: 'zalo' });
    const nextYear = new Date().getUTCFullYear() + 1;
    const schedule = (await h.broadcasts.create(
      { title: 'Kill test', timing: { kind: 'once', at: `${nextYear}-06-05 09:00` }, target: { kind: 'all' }, content: { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'to-giac-vi-sao-01' } },
      staff,
    ))!;
    await h.broadcasts.approve(schedule.id, approver);
    const at = new Date(schedule.timing.kind === 'once' ? schedule.timing.at : 0);

    const first = startWorker();
    await h.broadcasts.deps.triggers.fire(schedule.id, at, 'kill-test');
    await until(() => fake.sent.length >= 300, 30_000, 'the first sends');
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    const sentBeforeKill = fake.sent.length;
    expect(sentBeforeKill).toBeLessThan(GROUPS);

    // The same occurrence triggered again on top of the restart changes nothing.
    startWorker();
    await h.broadcasts.deps.triggers.fire(schedule.id, at, 'kill-test-again');
    const [occurrence] = await h.broadcasts.deps.store.occurrencesOf(schedule.id);
    const rows = async () => h.broadcasts.deliveries(occurrence!.id, staff);
    await until(async () => (await rows()).every((r) => (TERMINAL_STATUSES as readonly string[]).includes(r.status)), 60_000, 'every delivery to finish');

    const final = await rows();
    expect(final).toHaveLength(GROUPS);
    expect(new Set(final.map((r) => r.groupId))).toEqual(new Set(groups.map((g) => g.id)));
    const perChat = new Map<string, number>();
    for (const send of fake.sent) perChat.set(send.chatId, (perChat.get(send.chatId) ?? 0) + 1);
    expect([...perChat.values()].filter((n) => n > 1), 'chats that got the message twice').toEqual([]);

    const chatOf = new Map(groups.map((g) => [g.id, g.chatId]));
    const sent = final.filter((r) => r.status === 'sent');
    const unknown = final.filter((r) => r.status === 'unknown');
    expect(sent.length + unknown.length).toBe(GROUPS);
    for (const row of sent) expect(perChat.get(chatOf.get(row.groupId)!), row.groupId).toBe(1);
    // A send in flight at the kill cannot be known to have arrived: it is marked for an operator, never resent.
    expect(unknown.length).toBeLessThanOrEqual(IN_FLIGHT);
    expect(fake.sent.length).toBeGreaterThanOrEqual(sent.length);
    expect(fake.sent.length).toBeLessThanOrEqual(GROUPS);
  });
});
