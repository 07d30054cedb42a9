import { Histogram, type Registry } from 'prom-client';
import type { Platform } from '../../channels/channel.js';

export const WEBHOOK_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'unauthorized', 'malformed', 'invalid', 'too_large', 'unreadable', 'unavailable', 'error'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** Records one webhook request of one platform: how it ended, and the seconds from arrival to answer. */
export type WebhookRecorder = (outcome: WebhookOutcome, seconds: number) => void;

/** Zalo gives up on a webhook that has not answered within 2 s, so the buckets are finest below that. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

export class WebhookMetrics {
  private readonly duration: Histogram<'platform' | 'outcome'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'loaphuong_webhook_request_duration_seconds',
      help: 'Webhook requests from the chat platforms, by outcome, from arrival to answer (_count is the number of requests)',
      labelNames: ['platform', 'outcome'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  /** The label children are made here, once per platform, so that recording a request allocates nothing of ours. */
  forPlatform(platform: Platform): WebhookRecorder {
    const children = Object.fromEntries(WEBHOOK_OUTCOMES.map((outcome) => [outcome, this.duration.labels(platform, outcome)])) as Record<
      WebhookOutcome,
      Histogram.Internal<'platform' | 'outcome'>
    >;
    return (outcome, seconds) => children[outcome].observe(seconds);
  }
}
