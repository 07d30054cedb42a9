import { Counter, Histogram, type Registry } from 'prom-client';
import type { Platform } from '../../channels/channel.js';

/**
 * What became of one message part handed to a platform (`delivered` … `internal_error`), or of a delivery settled
 * without a send: the chat refuses messages, the message expired, or a send was interrupted and is not repeated.
 */
export const SEND_RESULTS = [
  'delivered',
  'rate_limited',
  'permanent_failure',
  'rejected',
  'transient',
  'internal_error',
  'skipped_unreachable',
  'expired',
  'interrupted',
] as const;
export type SendResult = (typeof SEND_RESULTS)[number];

/** `chat`: the per-chat limiter delayed a message; `platform`: the platform answered 429 with a retry_after. */
export const WAIT_SOURCES = ['chat', 'platform'] as const;
export type WaitSource = (typeof WAIT_SOURCES)[number];

export interface PlatformSendMetrics {
  count(result: SendResult): void;
  waited(source: WaitSource, ms: number): void;
}

const WAIT_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];

export class SendMetrics {
  private readonly sends: Counter<'platform' | 'result'>;
  private readonly waits: Histogram<'platform' | 'source'>;

  constructor(registry: Registry) {
    this.sends = new Counter({
      name: 'loaphuong_sends_total',
      help: 'Message parts sent to the chat platforms by result, and deliveries settled without a send',
      labelNames: ['platform', 'result'],
      registers: [registry],
    });
    this.waits = new Histogram({
      name: 'loaphuong_rate_limit_wait_seconds',
      help: 'Waits imposed on outgoing messages by the per-chat limiter or by a platform\'s retry_after',
      labelNames: ['platform', 'source'],
      buckets: WAIT_BUCKETS,
      registers: [registry],
    });
  }

  /** Label children made once per platform, and every series shown from the start (at 0) so that rates work at once. */
  forPlatform(platform: Platform): PlatformSendMetrics {
    const sends = Object.fromEntries(SEND_RESULTS.map((result) => [result, this.sends.labels(platform, result)])) as Record<SendResult, Counter.Internal>;
    for (const child of Object.values(sends)) child.inc(0);
    for (const source of WAIT_SOURCES) this.waits.zero({ platform, source });
    const waits = Object.fromEntries(WAIT_SOURCES.map((source) => [source, this.waits.labels(platform, source)])) as Record<
      WaitSource,
      Histogram.Internal<'platform' | 'source'>
    >;
    return {
      count: (result) => sends[result].inc(),
      waited: (source, ms) => waits[source].observe(ms / 1000),
    };
  }
}
