import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { loadConfig } from '../src/platform/config.js';
import { startService, type Service } from '../src/service.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

let web: TestService | undefined;
let worker: Service | undefined;

afterEach(async () => {
  await worker?.lifecycle.shutdown('test finished');
  await web?.stop();
  worker = web = undefined;
});

it('takes requests without workers in `web` mode, and leaves the work to a `worker` process on the same Redis', async () => {
  web = await startTestService({}, 'web');
  expect(web.workers).toEqual([]);
  expect((await fetch(`${web.baseUrl}/readyz`)).status).toBe(200);

  const chatId = `private-${randomBytes(4).toString('hex')}`;
  await web.channels.inbox.accept({ platform: 'sandbox', updateId: randomBytes(6).toString('hex'), chat: { id: chatId, kind: 'private' }, sender: { id: chatId }, kind: 'text', text: '/trogiup', sentAt: Date.now() });
  await sleep(300);
  // Accepted and waiting: nothing in this process works on it.
  expect(await web.channels.inbox.queue.getJobCounts('waiting', 'completed')).toEqual({ waiting: 1, completed: 0 });

  worker = await startService(loadConfig(web.env), silentLogger(), 'worker');
  expect(worker.http).toBeUndefined();
  const transcript = new SandboxStore(web.datastore.redis, web.datastore.prefix);
  for (let i = 0; i < 200 && (await transcript.transcript(chatId)).length === 0; i++) await sleep(50);
  const entries = await transcript.transcript(chatId);
  expect(entries.map((e) => e.from)).toEqual(['bot']);
  expect(entries[0]!.text).toContain('/togiac');
  expect(await web.channels.inbox.queue.getJobCounts('waiting')).toEqual({ waiting: 0 });
});
