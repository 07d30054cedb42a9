import { z } from 'zod';
import { ChannelError, type InboundMessage, type UpdatePoller, type WebhookUpdate } from '../channel.js';
import { TelegramApi } from './api.js';
import { normaliseUpdate } from './update.js';

export interface TelegramPollerOptions {
  token: string;
  apiRoot: string;
  /** How long Telegram holds a getUpdates call open while nothing arrives. */
  pollTimeoutSeconds?: number;
  /** Pause after the first failure in a row; it doubles with each further one, up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Time a call may take beyond its own wait: a long poll is given `pollTimeoutSeconds` plus this. */
  requestTimeoutMs?: number;
  /**
   * Told about every failure: a poll the API refused or that did not arrive, a handler that threw (its update is
   * asked for again after the pause), an update that could not be read (it is skipped).
   */
  onError?: (error: Error) => void;
}

const DEFAULT_POLL_TIMEOUT_SECONDS = 25;
const DEFAULT_INITIAL_BACKOFF_MS = 1_000;
const DEFAULT_MAX_BACKOFF_MS = 30_000;
const BATCH_LIMIT = 100;

/** Only the id is needed to move past an update; the rest is read by the same normaliser as the webhook's. */
const updatesSchema = z.array(z.looseObject({ update_id: z.number().int().nonnegative() }));

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A 429 on getUpdates says how long to wait; the pause is at least that. */
function retryAfterMs(error: unknown): number {
  return error instanceof ChannelError && error.failure.kind === 'rate-limited' ? error.failure.retryAfterMs : 0;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Long polling with getUpdates. Telegram forgets an update once a later call asks for an offset past it, so the
 * offset moves past an update only after `onMessage` has resolved for it: a crash or a failing handler means the
 * update comes again rather than being lost (the consumer drops repeats by `updateId`).
 */
export class TelegramPoller implements UpdatePoller {
  readonly platform = 'telegram' as const;
  private readonly api: TelegramApi;
  private readonly pollTimeoutSeconds: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly onError: (error: Error) => void;
  private offset = 0;
  /** The offset Telegram was last told, i.e. everything before it is confirmed there. */
  private confirmedOffset = 0;
  private stopping: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: TelegramPollerOptions) {
    this.api = new TelegramApi(options);
    this.pollTimeoutSeconds = options.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
    this.initialBackoffMs = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.onError = options.onError ?? (() => undefined);
  }

  start(onMessage: (message: InboundMessage) => Promise<void>): void {
    if (this.loop) throw new Error('Telegram poller is already running');
    const stopping = new AbortController();
    this.stopping = stopping;
    this.loop = this.run(onMessage, stopping.signal);
  }

  /** Ends the poll in flight at once, waits for a handler that is running, then confirms what was handled. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.loop;
    this.loop = undefined;
    this.stopping = undefined;
  }

  private async run(onMessage: (message: InboundMessage) => Promise<void>, stop: AbortSignal): Promise<void> {
    let failures = 0;
    while (!stop.aborted) {
      try {
        await this.pollOnce(onMessage, stop);
        failures = 0;
      } catch (error) {
        this.report(error);
        const backoff = Math.min(this.initialBackoffMs * 2 ** failures, this.maxBackoffMs);
        failures += 1;
        await pause(Math.max(backoff, retryAfterMs(error)), stop);
      }
    }
    await this.confirmHandled();
  }

  private async pollOnce(onMessage: (message: InboundMessage) => Promise<void>, stop: AbortSignal): Promise<void> {
    const offset = this.offset;
    let result: unknown;
    try {
      result = await this.api.getUpdates({ offset, timeoutSeconds: this.pollTimeoutSeconds, limit: BATCH_LIMIT }, stop);
    } catch (error) {
      if (stop.aborted) return;
      throw error;
    }
    this.confirmedOffset = Math.max(this.confirmedOffset, offset);
    const updates = updatesSchema.parse(result);
    for (const update of updates) {
      if (stop.aborted) return;
      await this.handOver(update, onMessage);
      this.offset = update.update_id + 1;
    }
  }

  /** A handler's failure propagates (so the update is not passed); an unreadable update is reported and passed. */
  private async handOver(update: unknown, onMessage: (message: InboundMessage) => Promise<void>): Promise<void> {
    let normalised: WebhookUpdate;
    try {
      normalised = normaliseUpdate(update);
    } catch (error) {
      this.report(error);
      return;
    }
    if (normalised.kind === 'message') await onMessage(normalised.message);
  }

  /**
   * Tells Telegram which updates were handled since the last poll, so that a restart does not get them again.
   * Best effort: if it fails, those updates come once more and are dropped as repeats.
   */
  private async confirmHandled(): Promise<void> {
    if (this.offset <= this.confirmedOffset) return;
    try {
      await this.api.getUpdates({ offset: this.offset, timeoutSeconds: 0, limit: 1 });
      this.confirmedOffset = this.offset;
    } catch (error) {
      this.report(error);
    }
  }

  /** A reporter that throws must not end polling. */
  private report(error: unknown): void {
    try {
      this.onError(asError(error));
    } catch {
      // Nothing better to do with it: the failure itself is already handled.
    }
  }
}
