import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';
import { watchProcess } from './fuzz-run.js';
import { sendRaw } from './send-raw.js';

/** Requests the fuzzer found mishandled, kept as plain cases so that they stay fixed. */
let service: TestService;
let watch: ReturnType<typeof watchProcess>;

beforeAll(async () => {
  watch = watchProcess();
  service = await startTestService();
});

afterAll(async () => {
  watch.stop();
  await service.stop();
});

describe('the web tip form', () => {
  it('refuses a multipart body that ends inside a photo with a 400, and the process lives on', async () => {
    const body = Buffer.from('--b\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nhalf a photo');
    const reply = await sendRaw(service.baseUrl, { method: 'POST', path: '/to-giac', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body, from: '127.0.3.7' });
    expect(reply).toMatchObject({ kind: 'answered', status: 400 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(watch.failures()).toEqual([]);
    expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
  });

  it.each(['/to-giac/ma', '/to-giac/ma/tra-loi'])('answers %s with a 400, not a 503, when the body does not inflate as its Content-Encoding says', async (path) => {
    const body = Buffer.from('code=ABCD-EFGH-JKMN-PQRS&text=th%C3%AAm');
    const reply = await sendRaw(service.baseUrl, { method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body, from: '127.0.3.8' });
    expect(reply).toMatchObject({ kind: 'answered', status: 400 });
  });
});
