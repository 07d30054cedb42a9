import { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { processRegistry } from './process-metrics.js';
import { QueueMetrics } from './queue-metrics.js';
import { SendMetrics } from './send-metrics.js';
import { WebhookMetrics } from './webhook-metrics.js';

/**
 * The metrics of one running service, in a registry of its own rather than prom-client's global one, so that
 * several services in one process (the tests) keep apart.
 */
export class ServiceMetrics {
  readonly registry: Registry;
  readonly webhooks: WebhookMetrics;
  readonly sends: SendMetrics;
  readonly queues: QueueMetrics;

  constructor(logger: Logger) {
    this.registry = new Registry();
    this.webhooks = new WebhookMetrics(this.registry);
    this.sends = new SendMetrics(this.registry);
    this.queues = new QueueMetrics(this.registry, logger);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** This service's metrics and the process's, in Prometheus' text format. */
  exposition(): Promise<string> {
    return Registry.merge([processRegistry(), this.registry]).metrics();
  }
}

/** What the channel layer records. */
export type ChannelMetrics = Pick<ServiceMetrics, 'webhooks' | 'sends'>;
