import type { Worker } from 'bullmq';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { PlatformRoute } from '../platform/http/platform-routes.js';
import type { Logger } from '../platform/logger.js';
import type { ChannelMetrics } from '../platform/metrics/service-metrics.js';
import type { Datastore } from '../platform/redis/datastore.js';
import type { ChannelAdapter, PermanentReason, Platform, UpdatePoller, WebhookReceiver } from './channel.js';
import { Inbox } from './inbound/inbox.js';
import { startInboundWorker, type MessageHandler } from './inbound/inbound-worker.js';
import { webhookRoutes } from './inbound/webhook-routes.js';
import { ChatStatusStore } from './outbound/chat-status.js';
import { startOutboundWorker } from './outbound/outbound-worker.js';
import { Outbox } from './outbound/outbox.js';

/** One platform as configured: how to send, and how updates arrive (webhook, polling, or the sandbox page). */
export interface PlatformBundle {
  adapter: ChannelAdapter;
  receiver?: WebhookReceiver;
  poller?: UpdatePoller;
}

/**
 * The channel layer: every other module talks to people through `outbox` and hears from them through the
 * message handler it gives to `startWorkers`.
 */
export class ChannelLayer {
  readonly inbox: Inbox;
  readonly outbox: Outbox;
  readonly chatStatus: ChatStatusStore;
  private readonly workers: Worker[] = [];

  constructor(
    private readonly store: Datastore,
    private readonly box: SealedBox,
    readonly bundles: readonly PlatformBundle[],
    private readonly logger: Logger,
    private readonly stallMs?: number,
    private readonly metrics?: ChannelMetrics,
  ) {
    const queueConnection = store.connect('worker');
    this.inbox = new Inbox(store.redis, store.prefix, box, queueConnection);
    this.outbox = new Outbox(store.redis, store.prefix, box, queueConnection);
    this.chatStatus = new ChatStatusStore(store.redis, store.prefix, box);
  }

  get platforms(): Platform[] {
    return this.bundles.map((b) => b.adapter.platform);
  }

  webhookRoute(): PlatformRoute {
    return webhookRoutes(
      this.bundles.flatMap((b) => (b.receiver ? [b.receiver] : [])),
      this.inbox,
      this.logger,
      this.metrics?.webhooks,
    );
  }

  startWorkers(handle: MessageHandler, onUnreachable?: (platform: Platform, chatId: string, reason: PermanentReason) => Promise<void>): Worker[] {
    const { store, logger, stallMs } = this;
    // A person who writes in private can be reached again, e.g. after unblocking the bot to read a reply.
    const handleReachable: MessageHandler = async (message, ref) => {
      if (message.chat.kind === 'private') await this.chatStatus.markReachable(message.platform, message.chat.id);
      await handle(message, ref);
    };
    this.workers.push(startInboundWorker({ inbox: this.inbox, handle: handleReachable, connection: store.connect('worker'), prefix: store.prefix, stallMs, logger }));
    for (const { adapter } of this.bundles) {
      this.workers.push(
        startOutboundWorker({
          adapter,
          outbox: this.outbox,
          chatStatus: this.chatStatus,
          box: this.box,
          redis: store.redis,
          connection: store.connect('worker'),
          prefix: store.prefix,
          stallMs,
          logger,
          metrics: this.metrics?.sends.forPlatform(adapter.platform),
          onUnreachable,
        }),
      );
    }
    return this.workers;
  }

  /** Polling is for one process only (a platform hands each update to one poller), so `serve` starts it. */
  startPollers(): void {
    for (const { poller } of this.bundles) poller?.start((message) => this.inbox.accept(message).then(() => undefined));
  }

  /** Pollers first (no new messages), then workers finish their jobs, then the queues close. */
  async close(): Promise<void> {
    await Promise.allSettled(this.bundles.map((b) => b.poller?.stop()));
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled([this.inbox.close(), this.outbox.close()]);
  }
}
