/**
 * nock 15 intercepts fetch through @mswjs/interceptors 0.44, which calls Promise.withResolvers (Node 22). The
 * service targets Node 20, so the test run supplies it; nothing in `src` relies on it.
 */
const withResolvers = <T>() => {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
};

(Promise as unknown as { withResolvers?: typeof withResolvers }).withResolvers ??= withResolvers;
