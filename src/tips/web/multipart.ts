import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';

export interface MultipartLimits {
  /** The whole body, fields and files together. */
  totalBytes: number;
  /** Bytes kept of each file; a longer file arrives cut to this length, for the caller to refuse by its size. */
  fileBytes: number;
  /** Files kept; further ones are dropped unread. */
  files: number;
  /** Bytes kept of each field; a longer value arrives cut to this length. */
  fieldBytes: number;
  /** Fields kept; further ones are dropped. */
  fields: number;
}

export interface MultipartForm {
  fields: Record<string, string>;
  /** File contents in the order sent; a file input left empty sends nothing here. */
  files: Buffer[];
}

/** The body could not be taken as a form at all; nothing of it is used. */
export class FormReadError extends Error {
  constructor(readonly reason: 'too-large' | 'malformed') {
    super(`form not read: ${reason}`);
    this.name = 'FormReadError';
  }
}

export type IncomingForm = Readable & { headers: IncomingHttpHeaders };

/**
 * Reads a multipart (or urlencoded) form into memory within the given limits. Bodies declared larger than the limit
 * are refused before a byte is read; bodies that turn out larger are refused as soon as they pass it.
 */
export function readMultipart(req: IncomingForm, limits: MultipartLimits): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limits.totalBytes) {
      reject(new FormReadError('too-large'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.fileBytes, files: limits.files, fieldSize: limits.fieldBytes, fields: limits.fields },
      });
    } catch {
      // No multipart or urlencoded content type, or no boundary.
      reject(new FormReadError('malformed'));
      return;
    }

    const form: MultipartForm = { fields: {}, files: [] };
    let settled = false;
    const fail = (reason: FormReadError['reason']) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // What is left of the body is read and dropped, so the refusal reaches the sender instead of a reset connection.
      req.resume();
      reject(new FormReadError(reason));
    };

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.totalBytes) fail('too-large');
    });
    req.on('error', () => fail('malformed'));

    parser.on('field', (name, value) => {
      form.fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      // A body cut off inside a file errors this stream too; unheard, that error would bring the process down.
      stream.on('error', () => fail('malformed'));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        if (info.filename || data.length > 0) form.files.push(data);
      });
    });
    parser.on('error', () => fail('malformed'));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(form);
    });
    req.pipe(parser);
  });
}
