import { expect } from 'vitest';
import { ChannelError, type ChannelFailure, type Platform } from '../../src/channels/channel.js';

/**
 * Awaits a call that must fail with a ChannelError of `platform`, checks that none of `secrets` leaked into its
 * message, and returns the classified failure.
 */
export async function channelFailureOf(
  promise: Promise<unknown>,
  expected: { platform: Platform; secrets: readonly string[] },
): Promise<{ failure: ChannelFailure; message: string }> {
  const err = await promise.then(
    () => expect.unreachable('expected a ChannelError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  const error = err as ChannelError;
  expect(error.platform).toBe(expected.platform);
  for (const secret of expected.secrets) expect(error.message).not.toContain(secret);
  return { failure: error.failure, message: error.message };
}
