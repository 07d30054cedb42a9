import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainFailure } from '../../../test/support/domain-errors.js';
import type { DomainError } from '../../platform/domain-error.js';
import { downloadPhoto, fetchTipPhoto } from './photo-download.js';

let server: Server;
let base: string;
let jpegWithGps: Buffer;

beforeAll(async () => {
  jpegWithGps = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneCo', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 51/1 0/1' } })
    .toBuffer();
  server = createServer((req, res) => {
    switch (req.url) {
      case '/photo.jpg':
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpegWithGps);
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-length': String(5000) }).end(Buffer.alloc(5000));
        return;
      case '/big-chunked':
        // No length given: the limit must be enforced while reading.
        res.writeHead(200);
        for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(1000));
        res.end();
        return;
      case '/slow':
        res.writeHead(200);
        res.write(Buffer.alloc(10));
        return; // never ends
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('not a photo at all');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await domainFailure(promise);
  expect(String(err.message)).not.toContain('127.0.0.1');
  return err;
}

describe('downloading a tipster’s photo', () => {
  it('returns the photo re-encoded without EXIF or GPS', async () => {
    expect((await sharp(jpegWithGps).metadata()).exif).toBeDefined();
    const photo = await fetchTipPhoto(`${base}/photo.jpg`);
    const meta = await sharp(photo).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(photo.toString('latin1')).not.toContain('PhoneCo');
  });

  it('stops at the byte cap, whether or not the size was announced', async () => {
    for (const path of ['/big-declared', '/big-chunked']) {
      const err = await failure(downloadPhoto(`${base}${path}`, { maxBytes: 4096 }));
      expect(err.problems[0]).toMatchObject({ field: 'photos', key: 'tips:problems.photoSize' });
    }
    expect((await downloadPhoto(`${base}/big-chunked`, { maxBytes: 20_000 })).length).toBe(10_000);
  });

  it('gives up on a server that never finishes', async () => {
    const started = Date.now();
    expect((await failure(downloadPhoto(`${base}/slow`, { timeoutMs: 200 }))).key).toBe('tipchat:photo.failed');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses missing files, other schemes and what is not a picture', async () => {
    expect((await failure(downloadPhoto(`${base}/missing.jpg`))).key).toBe('tipchat:photo.failed');
    expect((await failure(downloadPhoto('file:///etc/passwd'))).key).toBe('tipchat:photo.failed');
    expect((await failure(downloadPhoto('not a url'))).key).toBe('tipchat:photo.failed');
    expect((await failure(downloadPhoto('http://127.0.0.1:1/closed.jpg'))).key).toBe('tipchat:photo.failed');
    expect((await failure(fetchTipPhoto(`${base}/text`))).problems[0]?.key).toBe('tips:problems.photoFormat');
  });
});
