import { setTimeout as sleep } from 'node:timers/promises';
import { ChannelError, type InboundMessage, type UpdatePoller } from '../channel.js';
import { DEFAULT_POLL_TIMEOUT_SECONDS, type ZaloBotApiClient } from './api-client.js';
import type { ZaloRawUpdate } from './schemas.js';
import { normalizeUpdate } from './updates.js';

export interface ZaloBotPollerOptions {
  client: ZaloBotApiClient;
  /** How long one getUpdates may wait for an update. */
  pollTimeoutSeconds?: number;
  /** First pause after a failed poll; it doubles with each failure in a row. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Told about every failure that polling survives: failed polls, updates that are not valid, and errors thrown by
   * the message handler. Never given message contents.
   */
  onError?: (error: unknown) => void;
}

/**
 * Long polling for development. The platform hands out one update per call and has no offset to acknowledge, so
 * an update is gone once received: a handler that throws is reported, not retried. Only one poller may run per bot,
 * and none while a webhook is set.
 */
export class ZaloBotPoller implements UpdatePoller {
  readonly platform = 'zalo' as const;
  private readonly client: ZaloBotApiClient;
  private readonly pollTimeoutSeconds: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly onError: (error: unknown) => void;
  private running: { controller: AbortController; loop: Promise<void> } | undefined;

  constructor(options: ZaloBotPollerOptions) {
    this.client = options.client;
    this.pollTimeoutSeconds = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
    this.initialBackoffMs = options.initialBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.onError = options.onError ?? (() => undefined);
  }

  start(onMessage: (message: InboundMessage) => Promise<void>): void {
    if (this.running) throw new Error('The Zalo poller is already running.');
    const controller = new AbortController();
    this.running = { controller, loop: this.loop(onMessage, controller.signal) };
  }

  /** Aborts the poll in flight and resolves once the handler of the current message, if any, has returned. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.controller.abort();
    await running.loop;
    this.running = undefined;
  }

  private async loop(onMessage: (message: InboundMessage) => Promise<void>, signal: AbortSignal): Promise<void> {
    let backoffMs = this.initialBackoffMs;
    while (!signal.aborted) {
      let update: ZaloRawUpdate | null;
      try {
        update = await this.client.getUpdates({ timeoutSeconds: this.pollTimeoutSeconds, signal });
        backoffMs = this.initialBackoffMs;
      } catch (err) {
        if (signal.aborted) return;
        this.onError(err);
        const asked = err instanceof ChannelError && err.failure.kind === 'rate-limited' ? err.failure.retryAfterMs : 0;
        if (!(await this.pause(Math.max(backoffMs, asked), signal))) return;
        backoffMs = Math.min(backoffMs * 2, this.maxBackoffMs);
        continue;
      }
      if (!update) continue;
      try {
        const result = normalizeUpdate(update);
        if (result.kind === 'message') await onMessage(result.message);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  /** False when polling was stopped during the pause. */
  private async pause(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  }
}
