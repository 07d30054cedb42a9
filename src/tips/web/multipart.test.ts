import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FormReadError, readMultipart, type IncomingForm, type MultipartLimits } from './multipart.js';

const limits: MultipartLimits = { totalBytes: 64 * 1024, fileBytes: 1024, files: 2, fieldBytes: 100, fields: 4 };

/** A request as the browser would send it: the body encoded by fetch's own Request, in chunks. */
async function incoming(form: FormData, { declareLength = true } = {}): Promise<IncomingForm> {
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const chunks = Array.from({ length: Math.ceil(body.length / 4096) }, (_, i) => body.subarray(i * 4096, (i + 1) * 4096));
  return Object.assign(Readable.from(chunks), {
    headers: { 'content-type': encoded.headers.get('content-type')!, ...(declareLength ? { 'content-length': String(body.length) } : {}) },
  });
}

function raw(body: string, contentType: string): IncomingForm {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers: { 'content-type': contentType } });
}

describe('readMultipart', () => {
  it('reads fields in UTF-8 and files, and skips a file input left empty', async () => {
    const form = new FormData();
    form.append('where', 'Ngõ 12 phố Lê Lợi');
    form.append('photos', new Blob([]), '');
    form.append('photos', new Blob([Buffer.from('first')]), 'a.jpg');
    const read = await readMultipart(await incoming(form), limits);
    expect(read.fields).toEqual({ where: 'Ngõ 12 phố Lê Lợi' });
    expect(read.files.map((f) => f.toString())).toEqual(['first']);
  });

  it('cuts a file and a field at their limits, and drops files and fields beyond the counts', async () => {
    const form = new FormData();
    form.append('what', 'y'.repeat(500));
    for (const n of [1, 2, 3]) form.append('photos', new Blob([Buffer.alloc(5000, n)]), `${n}.jpg`);
    for (const n of [1, 2, 3, 4, 5]) form.append(`extra${n}`, 'x');
    const read = await readMultipart(await incoming(form), limits);
    expect(read.fields.what).toBe('y'.repeat(100));
    expect(read.files.map((f) => [f.length, f[0]])).toEqual([[1024, 1], [1024, 2]]);
    expect(Object.keys(read.fields)).toEqual(['what', 'extra1', 'extra2', 'extra3']);
  });

  it('refuses a body declared larger than the limit before reading it', async () => {
    const req = await incoming(new FormData());
    req.headers['content-length'] = String(limits.totalBytes + 1);
    await expect(readMultipart(req, limits)).rejects.toEqual(new FormReadError('too-large'));
    expect(req.readableFlowing).toBeNull();
  });

  it('refuses a body that grows past the limit without declaring its length', async () => {
    const form = new FormData();
    form.append('photos', new Blob([Buffer.alloc(limits.totalBytes)]), 'big.jpg');
    await expect(readMultipart(await incoming(form, { declareLength: false }), limits)).rejects.toEqual(new FormReadError('too-large'));
  });

  it('refuses a body cut short, a body with no form type and a form without a boundary', async () => {
    const cut = '--b\r\nContent-Disposition: form-data; name="what"\r\n\r\nhalf a tip';
    await expect(readMultipart(raw(cut, 'multipart/form-data; boundary=b'), limits)).rejects.toEqual(new FormReadError('malformed'));
    await expect(readMultipart(raw('{"what":"x"}', 'application/json'), limits)).rejects.toEqual(new FormReadError('malformed'));
    await expect(readMultipart(raw('', 'multipart/form-data'), limits)).rejects.toEqual(new FormReadError('malformed'));
  });

  it('refuses a body cut short inside a file without an uncaught error on the file stream (found by fuzzing)', async () => {
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtExceptionMonitor', record);
    try {
      const cut = '--b\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff half a photo';
      await expect(readMultipart(raw(cut, 'multipart/form-data; boundary=b'), limits)).rejects.toEqual(new FormReadError('malformed'));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtExceptionMonitor', record);
    }
    expect(uncaught).toEqual([]);
  });

  it('reads a urlencoded form too', async () => {
    const read = await readMultipart(raw('category=trade&where=Ng%C3%B5+5', 'application/x-www-form-urlencoded'), limits);
    expect(read).toEqual({ fields: { category: 'trade', where: 'Ngõ 5' }, files: [] });
  });
});
