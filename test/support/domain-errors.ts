import { expect } from 'vitest';
import { DomainError } from '../../src/platform/domain-error.js';

/** The DomainError the promise must reject with, for the test to look into. */
export async function domainFailure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}
