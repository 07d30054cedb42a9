import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logger', () => {
  it('redacts secrets, chat identities and message bodies at the top level and one level down', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        token: '12345:bot-secret',
        chatId: 'chat-987',
        text: 'có người bán ma túy ở ngõ 5',
        update: { chat_id: 'chat-987', caption: 'ảnh', from: { id: 'u1' }, body: 'raw' },
        req: { headers: { 'x-bot-api-secret-token': 'hook-secret', authorization: 'Bearer abc' } },
        kept: 'visible',
      },
      'received',
    );
    const line = lines.join('');
    for (const secret of ['bot-secret', 'chat-987', 'ma túy', 'hook-secret', 'Bearer abc', '"u1"', 'raw']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('"kept":"visible"');
    expect(line).toContain('[redacted]');
  });

  it('keeps error messages readable', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('connection refused') }, 'failed');
    expect(lines.join('')).toContain('connection refused');
  });
});
