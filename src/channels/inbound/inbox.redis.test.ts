import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../../test/support/redis.js';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import type { InboundMessage } from '../channel.js';
import { channelKeys } from '../queues.js';
import { Inbox } from './inbox.js';

let prefix: string;
let redis: Redis;
let queueConnection: Redis;
let inbox: Inbox;

beforeEach(() => {
  prefix = testPrefix();
  redis = testRedis();
  queueConnection = testRedis();
  const key = randomBytes(32);
  inbox = new Inbox(redis, prefix, new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) }), queueConnection);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await inbox.close();
  await deleteKeys(redis, prefix);
  await Promise.all([redis.quit(), queueConnection.quit()]);
});

const message = (updateId: string): InboundMessage => ({
  platform: 'zalo',
  updateId,
  chat: { id: `resident-${updateId}`, kind: 'private' },
  sender: { id: `resident-${updateId}`, displayName: 'Cư dân' },
  kind: 'text',
  text: `Câu hỏi ${updateId}: ma túy đá có gây nghiện không?`,
  sentAt: 1_750_316_131_602,
});

/** What Redis holds of an update: its dedupe record, its sealed message and its job. */
async function stored(updateId: string): Promise<{ seen: boolean; payload: boolean; job: boolean }> {
  const ref = Inbox.refOf({ platform: 'zalo', updateId });
  const keys = channelKeys(prefix);
  return {
    seen: (await redis.exists(keys.inboundSeen('zalo', ref))) === 1,
    payload: (await redis.exists(keys.inboundPayload(ref))) === 1,
    job: (await inbox.queue.getJob(ref)) !== undefined,
  };
}

const jobCount = async () => (await inbox.queue.getJobCounts('waiting')).waiting;

describe('Inbox.accept under concurrency', () => {
  it('answers every one of many simultaneous updates with its own result, one job and one record each', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `u-${i}`);
    const addBulk = vi.spyOn(inbox.queue, 'addBulk');

    expect(await Promise.all(ids.map((id) => inbox.accept(message(id))))).toEqual(ids.map(() => 'accepted'));

    // Written together: the 40 jobs went in one call, not one each.
    expect(addBulk).toHaveBeenCalledTimes(1);
    expect(await jobCount()).toBe(ids.length);
    for (const id of ['u-0', 'u-17', 'u-39']) {
      const ref = Inbox.refOf({ platform: 'zalo', updateId: id });
      expect((await inbox.queue.getJob(ref))?.data).toEqual({ ref });
      expect(await inbox.take(ref)).toEqual(message(id));
    }
  });

  it('accepts copies of one update delivered together once and answers the others as duplicates', async () => {
    const deliveries = ['a', 'b', 'a', 'c', 'a', 'b'].map((id) => message(`copy-${id}`));

    const answers = await Promise.all(deliveries.map((m) => inbox.accept(m)));

    expect(answers).toEqual(['accepted', 'accepted', 'duplicate', 'accepted', 'duplicate', 'duplicate']);
    expect(await jobCount()).toBe(3);
    expect(await inbox.accept(message('copy-a'))).toBe('duplicate');
    expect(await jobCount()).toBe(3);
  });

  it('fails every update of a batch whose jobs could not be added, and leaves nothing of them behind', async () => {
    await inbox.accept(message('earlier'));
    // Redis answers the records, then fails while the jobs are being added: some of them are in, the call fails.
    const addBulk = inbox.queue.addBulk.bind(inbox.queue);
    vi.spyOn(inbox.queue, 'addBulk').mockImplementationOnce(async (jobs) => {
      await addBulk(jobs.slice(0, 1));
      throw new Error('Connection is closed.');
    });

    const answers = await Promise.allSettled(['late-1', 'late-2', 'earlier'].map((id) => inbox.accept(message(id))));

    expect(answers.map((a) => (a.status === 'rejected' ? (a.reason as Error).message : a.value))).toEqual(['Connection is closed.', 'Connection is closed.', 'duplicate']);
    expect(await stored('late-1')).toEqual({ seen: false, payload: false, job: false });
    expect(await stored('late-2')).toEqual({ seen: false, payload: false, job: false });
    // The update stored before is untouched, and the platform's retries of the failed ones are taken afresh.
    expect(await stored('earlier')).toEqual({ seen: true, payload: true, job: true });
    expect(await Promise.all(['late-1', 'late-2', 'earlier'].map((id) => inbox.accept(message(id))))).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(await jobCount()).toBe(3);
  });

  it('fails a copy that arrives while its original is still being enqueued, together with the original', async () => {
    let failAdd: (err: Error) => void = () => undefined;
    const adding = new Promise<never>((_resolve, reject) => (failAdd = reject));
    const addBulk = vi.spyOn(inbox.queue, 'addBulk').mockReturnValueOnce(adding);

    const scripts = vi.spyOn(redis, 'eval');

    const original = inbox.accept(message('slow'));
    await vi.waitFor(() => expect(addBulk).toHaveBeenCalledTimes(1));
    // The copy's own batch finds the record already there, but the job it stands for is not added yet.
    let copySettled = false;
    const copy = inbox.accept(message('slow')).finally(() => (copySettled = true));
    await vi.waitFor(() => expect(scripts).toHaveBeenCalledTimes(2));
    expect(await scripts.mock.results[1]!.value).toEqual([0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(copySettled).toBe(false);
    failAdd(new Error('OOM command not allowed when used memory > maxmemory.'));

    await expect(original).rejects.toThrow(/OOM/);
    await expect(copy).rejects.toThrow(/OOM/);
    expect(await stored('slow')).toEqual({ seen: false, payload: false, job: false });
  });

  it('fails every caller, storing nothing, when Redis cannot take the records at all', async () => {
    const offline = testRedis();
    await offline.quit();
    const cut = new Inbox(offline, prefix, new SealedBox({ current: { id: 'k1', key: randomBytes(32) }, byId: new Map(), hmacKey: randomBytes(32) }), queueConnection);
    try {
      const answers = await Promise.allSettled(['x-1', 'x-2'].map((id) => cut.accept(message(id))));
      expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
      expect(await stored('x-1')).toEqual({ seen: false, payload: false, job: false });
      expect(await jobCount()).toBe(0);
    } finally {
      await cut.close();
    }
  });
});
