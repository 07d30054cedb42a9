import { DomainError } from '../platform/domain-error.js';

/** A photo larger than this is refused before it is decoded. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** Stored photos are scaled down to fit this box: enough to read a sign or a package, small enough to keep. */
const MAX_SIDE = 1600;
/** Refuses decompression bombs: a small file that would expand to a huge bitmap. */
const MAX_PIXELS = 40_000_000;

/**
 * Re-encodes a tipster's photo as a plain JPEG: EXIF (with GPS position, camera serial, time), XMP, IPTC and ICC
 * metadata are dropped, because sharp writes none unless asked to, and orientation is applied to the pixels first.
 */
export async function sanitisePhoto(input: Buffer): Promise<Buffer> {
  if (input.length > MAX_PHOTO_BYTES) throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'photos', key: 'tips:problems.photoSize', params: { max: MAX_PHOTO_BYTES / 1024 / 1024 } }]);
  try {
    // Loaded on the first photo, not at start-up: libvips costs ~30 MB of memory that most processes never use.
    const { default: sharp } = await import('sharp');
    return await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
  } catch {
    throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'photos', key: 'tips:problems.photoFormat' }]);
  }
}
