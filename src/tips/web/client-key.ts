import type { SealedBox } from '../../platform/crypto/sealed-box.js';

/**
 * What the web form counts a sender's tips and wrong codes by: a keyed hash of the network address and the UTC day,
 * computed per request and never stored with the address. It changes every day, so even the counters cannot link
 * one day's visits to the next, and a copy of the database does not give the address back.
 */
export function clientKey(box: SealedBox, address: string, now: Date): string {
  return box.hash('tip-client', `${address}:${now.toISOString().slice(0, 10)}`);
}
