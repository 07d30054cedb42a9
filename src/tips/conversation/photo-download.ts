import { DomainError } from '../../platform/domain-error.js';
import { MAX_PHOTO_BYTES, sanitisePhoto } from '../photos.js';

export interface PhotoDownloadOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const unreachable = () => new DomainError('invalid', 'tipchat:photo.failed');
const tooLarge = (maxBytes: number) =>
  new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'photos', key: 'tips:problems.photoSize', params: { max: Math.floor(maxBytes / 1024 / 1024) } }]);

/**
 * Fetches a photo a person sent (the platform gives a URL to it), giving up after a timeout and as soon as it grows
 * past the size limit, so that a slow or endless answer cannot hold a worker or fill its memory. The URL can name
 * the person's account, so it never appears in an error.
 */
export async function downloadPhoto(url: string, options: PhotoDownloadOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_PHOTO_BYTES;
  const target = URL.canParse(url) ? new URL(url) : undefined;
  if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) throw unreachable();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const response = await fetch(target, { signal: controller.signal });
    if (!response.ok || !response.body) throw unreachable();
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(read.value);
    }
    return Buffer.concat(chunks);
  } catch (err) {
    throw err instanceof DomainError ? err : unreachable();
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** A photo ready to keep: downloaded within the limits, then re-encoded without EXIF, GPS or other metadata. */
export async function fetchTipPhoto(url: string, options?: PhotoDownloadOptions): Promise<Buffer> {
  return sanitisePhoto(await downloadPhoto(url, options));
}
