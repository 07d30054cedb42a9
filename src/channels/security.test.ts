import { describe, expect, it } from 'vitest';
import { headerValue, secretsEqual, withoutToken } from './security.js';

describe('channel security helpers', () => {
  it('compares secrets of any length safely', () => {
    expect(secretsEqual('s3cret-value', 's3cret-value')).toBe(true);
    expect(secretsEqual('s3cret-valuf', 's3cret-value')).toBe(false);
    expect(secretsEqual('short', 's3cret-value')).toBe(false);
    expect(secretsEqual(undefined, 's3cret-value')).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
  });

  it('reads the first value of a header', () => {
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
    expect(headerValue({ 'x-a': '3' }, 'x-a')).toBe('3');
    expect(headerValue({}, 'x-a')).toBeUndefined();
  });

  it('removes bot tokens from URLs and messages', () => {
    expect(withoutToken('POST https://api.example/bot123:ABC/sendMessage failed', undefined)).toBe(
      'POST https://api.example/bot<token>/sendMessage failed',
    );
    expect(withoutToken('token 123:ABC rejected', '123:ABC')).toBe('token <token> rejected');
  });
});
