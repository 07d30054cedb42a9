import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from '../../../test/fakes/telegram-fake.js';
import { ChannelError, type InboundMessage } from '../channel.js';
import { TelegramPoller, type TelegramPollerOptions } from './poller.js';

let fake: TelegramFake;
let apiRoot: string;
let poller: TelegramPoller | undefined;

beforeEach(async () => {
  fake = new TelegramFake({ maxLongPollMs: 300 });
  apiRoot = await fake.start();
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await fake.close();
});

function startPoller(
  onMessage: (message: InboundMessage) => Promise<void>,
  options: Partial<TelegramPollerOptions> = {},
): { errors: Error[] } {
  const errors: Error[] = [];
  poller = new TelegramPoller({
    token: FAKE_TELEGRAM_TOKEN,
    apiRoot,
    pollTimeoutSeconds: 10,
    initialBackoffMs: 20,
    maxBackoffMs: 200,
    onError: (error) => errors.push(error),
    ...options,
  });
  poller.start(onMessage);
  return { errors };
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const pollsOf = () => fake.requests.filter((r) => r.method === 'getUpdates');

describe('TelegramPoller against the fake Bot API', () => {
  it('hands over messages in order, normalised like webhook ones', async () => {
    fake.queueMessage({ chatId: 5550001, text: 'một' });
    fake.queueMessage({ chatId: -1001234567890, chatType: 'supergroup', chatTitle: 'Phường 1', fromId: 42, text: 'hai' });
    fake.queueMessage({ chatId: 5550001, photoCaption: 'ba' });
    const received: InboundMessage[] = [];
    startPoller(async (message) => {
      received.push(message);
    });
    await until(() => received.length === 3, 'three messages');
    expect(received.map((m) => [m.kind, m.text, m.chat.kind])).toEqual([
      ['text', 'một', 'private'],
      ['text', 'hai', 'group'],
      ['photo', 'ba', 'private'],
    ]);
    expect(received[1]).toMatchObject({ platform: 'telegram', updateId: '2', chat: { id: '-1001234567890', title: 'Phường 1' }, sender: { id: '42' } });
    expect(pollsOf()[0]?.params).toMatchObject({ offset: 0, timeout: 10, allowed_updates: ['message'] });
  });

  it('picks up a message that arrives during a long poll', async () => {
    const received: string[] = [];
    startPoller(async (message) => {
      received.push(message.text ?? '');
    });
    await until(() => pollsOf().length > 0, 'a poll');
    fake.queueMessage({ chatId: 1, text: 'muộn' });
    await until(() => received.length === 1, 'the message');
    expect(received).toEqual(['muộn']);
  });

  it('moves past an update only after its handler succeeded', async () => {
    fake.queueMessage({ chatId: 1, text: 'a' });
    fake.queueMessage({ chatId: 1, text: 'b' });
    const seen: string[] = [];
    let failOnce = true;
    const { errors } = startPoller(async (message) => {
      seen.push(message.text ?? '');
      if (message.text === 'b' && failOnce) {
        failOnce = false;
        throw new Error('queue unavailable');
      }
    });
    await until(() => seen.length === 3, 'the retried update');
    expect(seen).toEqual(['a', 'b', 'b']);
    expect(errors.map((e) => e.message)).toEqual(['queue unavailable']);
    // The poll after the failure asked again from "b", i.e. "a" was confirmed and "b" was not.
    const offsets = pollsOf().map((r) => r.params.offset);
    expect(offsets.slice(0, 2)).toEqual([0, 2]);
    await poller?.stop();
    expect(fake.pendingUpdates).toBe(0);
  });

  it('skips updates that carry nothing to hand over, and reports unreadable ones', async () => {
    fake.queueMessage({ chatId: 1, text: 'trước' });
    fake.queueUpdate({ message: { message_id: 9, date: 1, chat: { id: -5, type: 'group', title: 'g' }, from: { id: 1, first_name: 'a' }, new_chat_members: [] } });
    fake.queueUpdate({ message: { message_id: 10, date: 1, chat: { id: 1, type: 'room' }, text: 'x' } });
    fake.queueMessage({ chatId: 1, text: 'sau' });
    const received: string[] = [];
    const { errors } = startPoller(async (message) => {
      received.push(message.text ?? '');
    });
    await until(() => received.length === 2, 'both readable messages');
    expect(received).toEqual(['trước', 'sau']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.name).toBe('WebhookPayloadError');
  });

  it('backs off with growing pauses while polls fail, then carries on', async () => {
    fake.failNext(3, { kind: 'server-error' }, ['getUpdates']);
    fake.queueMessage({ chatId: 1, text: 'sau lỗi' });
    const received: string[] = [];
    const { errors } = startPoller(
      async (message) => {
        received.push(message.text ?? '');
      },
      { initialBackoffMs: 60, maxBackoffMs: 1_000 },
    );
    await until(() => received.length === 1, 'the message after the failures');
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e instanceof ChannelError && e.failure.kind === 'transient')).toBe(true);
    const times = pollsOf().map((r) => r.at);
    const gaps = times.slice(1, 4).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(55);
    expect(gaps[1]).toBeGreaterThanOrEqual(115);
    expect(gaps[2]).toBeGreaterThanOrEqual(235);
  });

  it('never pauses longer than the cap', async () => {
    fake.failNext(4, { kind: 'server-error' }, ['getUpdates']);
    fake.queueMessage({ chatId: 1, text: 'x' });
    const received: string[] = [];
    startPoller(async (message) => {
      received.push(message.text ?? '');
    }, { initialBackoffMs: 50, maxBackoffMs: 80 });
    await until(() => received.length === 1, 'the message');
    const times = pollsOf().map((r) => r.at);
    const gaps = times.slice(1, 5).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThan(400);
  });

  it('waits at least as long as a 429 asks', async () => {
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 1 }, ['getUpdates']);
    fake.queueMessage({ chatId: 1, text: 'x' });
    const received: string[] = [];
    startPoller(async (message) => {
      received.push(message.text ?? '');
    });
    await until(() => received.length === 1, 'the message');
    const [first, second] = pollsOf().map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(990);
  });

  it('reports that polling cannot work while a webhook is set, and resumes once it is gone', async () => {
    fake.webhook = { url: 'https://loa.example/webhooks/telegram', secretToken: 'abc', allowedUpdates: undefined };
    fake.queueMessage({ chatId: 1, text: 'x' });
    const received: string[] = [];
    const { errors } = startPoller(async (message) => {
      received.push(message.text ?? '');
    });
    await until(() => errors.length >= 1, 'the conflict');
    expect(errors[0]?.message).toContain('webhook is active');
    expect(errors[0]?.message).not.toContain(FAKE_TELEGRAM_TOKEN);
    fake.webhook = undefined;
    await until(() => received.length === 1, 'the message');
  });

  it('stops at once during a long poll', async () => {
    await fake.close();
    fake = new TelegramFake({ maxLongPollMs: 20_000 });
    apiRoot = await fake.start();
    startPoller(async () => undefined, { pollTimeoutSeconds: 30 });
    await until(() => pollsOf().length === 1, 'the long poll');
    const started = Date.now();
    await poller?.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('stops at once during a backoff pause', async () => {
    fake.failNext(1, { kind: 'server-error' }, ['getUpdates']);
    const { errors } = startPoller(async () => undefined, { initialBackoffMs: 20_000, maxBackoffMs: 20_000 });
    await until(() => errors.length === 1, 'the failure');
    const started = Date.now();
    await poller?.stop();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('lets a running handler finish on stop, then confirms what it handled', async () => {
    fake.queueMessage({ chatId: 1, text: 'một' });
    fake.queueMessage({ chatId: 1, text: 'hai' });
    const finished: string[] = [];
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    startPoller(async (message) => {
      entered();
      await sleep(150);
      finished.push(message.text ?? '');
    });
    await inHandler;
    await poller?.stop();
    // The first was finished and confirmed; the second was never handed over and waits for the next run.
    expect(finished).toEqual(['một']);
    expect(fake.pendingUpdates).toBe(1);
    expect(pollsOf().at(-1)?.params).toMatchObject({ offset: 2, timeout: 0 });
  });

  it('refuses to start twice and can start again after stopping', async () => {
    const received: string[] = [];
    startPoller(async (message) => {
      received.push(message.text ?? '');
    });
    expect(() => poller?.start(async () => undefined)).toThrow(/already running/);
    await poller?.stop();
    fake.queueMessage({ chatId: 1, text: 'lần hai' });
    poller?.start(async (message) => {
      received.push(message.text ?? '');
    });
    await until(() => received.length === 1, 'the message');
    expect(received).toEqual(['lần hai']);
  });
});
