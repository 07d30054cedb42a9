import { Telegram } from 'telegraf';
import { toChannelError } from './errors.js';

export interface TelegramApiOptions {
  token: string;
  /** `https://api.telegram.org`, or a local fake in tests. */
  apiRoot: string;
  /** Deadline for one call that is not a long poll. telegraf's own is 500 s, far too long to hold a send. */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Only messages: edits, reactions and membership changes are never used, so Telegram need not send them. */
export const TELEGRAM_ALLOWED_UPDATES = ['message'] as const;

type TelegramSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/**
 * The few Bot API calls Loa Phường makes, through telegraf's client, each with a deadline and every failure
 * turned into a ChannelError without the token in it.
 */
export class TelegramApi {
  private readonly telegram: Telegram;
  private readonly token: string;
  private readonly requestTimeoutMs: number;

  constructor(options: TelegramApiOptions) {
    this.token = options.token;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    // webhookReply would answer some calls inside the webhook's HTTP response and report success blindly.
    this.telegram = new Telegram(options.token, { apiRoot: options.apiRoot, webhookReply: false });
  }

  sendMessage(chatId: string, text: string) {
    return this.call((signal) =>
      this.telegram.callApi('sendMessage', { chat_id: chatId, text, link_preview_options: { is_disabled: true } }, { signal }),
    );
  }

  sendPhoto(chatId: string, photoUrl: string, caption: string | undefined) {
    return this.call((signal) => this.telegram.callApi('sendPhoto', { chat_id: chatId, photo: photoUrl, caption }, { signal }));
  }

  getMe() {
    return this.call((signal) => this.telegram.callApi('getMe', {}, { signal }));
  }

  setWebhook(url: string, secretToken: string) {
    return this.call((signal) =>
      this.telegram.callApi(
        'setWebhook',
        { url, secret_token: secretToken, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] },
        { signal },
      ),
    );
  }

  /** Keeps updates that are waiting, so that switching to polling loses nothing. */
  deleteWebhook() {
    return this.call((signal) => this.telegram.callApi('deleteWebhook', { drop_pending_updates: false }, { signal }));
  }

  /**
   * One long poll. The result is left unknown: it is validated by the caller like a webhook body. `stop` ends the
   * poll at once; the deadline allows the poll's own wait plus the usual request time.
   */
  async getUpdates(params: { offset: number; timeoutSeconds: number; limit: number }, stop?: AbortSignal): Promise<unknown> {
    return this.call(
      (signal) =>
        this.telegram.callApi(
          'getUpdates',
          {
            offset: params.offset,
            timeout: params.timeoutSeconds,
            limit: params.limit,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          },
          { signal },
        ),
      params.timeoutSeconds * 1000 + this.requestTimeoutMs,
      stop,
    );
  }

  private async call<T>(
    request: (signal: TelegramSignal) => Promise<T>,
    timeoutMs = this.requestTimeoutMs,
    stop?: AbortSignal,
  ): Promise<T> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = stop ? AbortSignal.any([deadline, stop]) : deadline;
    try {
      // telegraf types its signal after the abort-controller polyfill; node-fetch accepts Node's own.
      return await request(signal as unknown as TelegramSignal);
    } catch (error) {
      throw toChannelError(error, this.token, deadline.aborted);
    }
  }
}
