import { z } from 'zod';
import { ChannelError, type ChannelFailure } from '../channel.js';
import { withoutToken } from '../security.js';
import { classifyRefusal, type ApiRefusal } from './failures.js';
import {
  apiEnvelopeSchema,
  botInfoSchema,
  rawUpdateSchema,
  sentMessageSchema,
  webhookInfoSchema,
  type ZaloBotInfo,
  type ZaloRawUpdate,
  type ZaloSentMessage,
  type ZaloWebhookInfo,
} from './schemas.js';

export const ZALO_BOT_API_BASE_URL = 'https://bot-api.zaloplatforms.com';
export const DEFAULT_API_TIMEOUT_MS = 10_000;
/** The platform's own default for a long poll. */
export const DEFAULT_POLL_TIMEOUT_SECONDS = 30;

export interface ZaloBotApiClientOptions {
  /** `<bot_id>:<secret>`; it travels in the URL path and is scrubbed from every error. */
  token: string;
  /** Where the API lives; tests point it at a local fake. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Longest wait for one call; a long poll gets its poll timeout on top of this. */
  timeoutMs?: number;
}

export interface GetUpdatesOptions {
  /** How long the platform may hold the request open waiting for an update. */
  timeoutSeconds?: number;
  /** Aborts the poll, e.g. when polling stops. */
  signal?: AbortSignal;
}

type Answer = { ok: true; result: unknown } | { ok: false; refusal: ApiRefusal };

/** A typed client for the Zalo Bot Platform API; every failure is a ChannelError with platform `zalo`. */
export class ZaloBotApiClient {
  private readonly token: string;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: ZaloBotApiClientOptions) {
    if (!options.token) throw new Error('A Zalo bot token is required.');
    this.token = options.token;
    this.baseUrl = (options.baseUrl ?? ZALO_BOT_API_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call('getMe', {}, botInfoSchema);
  }

  /** One update, or null when none came within the poll timeout (the platform answers 408 then). */
  async getUpdates(options: GetUpdatesOptions = {}): Promise<ZaloRawUpdate | null> {
    const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS;
    const answer = await this.post(
      'getUpdates',
      // The platform documents the timeout as a string.
      { timeout: String(timeoutSeconds) },
      timeoutSeconds * 1000 + this.timeoutMs,
      options.signal,
    );
    if (!answer.ok) {
      if ((answer.refusal.errorCode ?? answer.refusal.httpStatus) === 408) return null;
      throw this.refused('getUpdates', answer.refusal);
    }
    return this.result('getUpdates', rawUpdateSchema.nullish(), answer.result) ?? null;
  }

  /** Polling stops working while a webhook is set. */
  async setWebhook(url: string, secretToken: string): Promise<ZaloWebhookInfo> {
    if (secretToken.length < 8 || secretToken.length > 256) {
      throw this.error({ kind: 'rejected' }, 'setWebhook: the secret token must be 8 to 256 characters');
    }
    return this.call('setWebhook', { url, secret_token: secretToken }, webhookInfoSchema);
  }

  deleteWebhook(): Promise<ZaloWebhookInfo> {
    return this.call('deleteWebhook', {}, webhookInfoSchema);
  }

  getWebhookInfo(): Promise<ZaloWebhookInfo> {
    return this.call('getWebhookInfo', {}, webhookInfoSchema);
  }

  /** `text` must be 1–2000 characters; splitting is the caller's job. */
  sendMessage(chatId: string, text: string): Promise<ZaloSentMessage> {
    return this.call('sendMessage', { chat_id: chatId, text }, sentMessageSchema);
  }

  /** `photoUrl` must be reachable by the platform; `caption` at most 2000 characters. */
  sendPhoto(chatId: string, photoUrl: string, caption?: string): Promise<ZaloSentMessage> {
    return this.call('sendPhoto', { chat_id: chatId, photo: photoUrl, caption }, sentMessageSchema);
  }

  async sendChatAction(chatId: string, action: 'typing'): Promise<void> {
    await this.call('sendChatAction', { chat_id: chatId, action }, z.unknown());
  }

  private async call<T>(method: string, body: object, schema: z.ZodType<T>): Promise<T> {
    const answer = await this.post(method, body, this.timeoutMs);
    if (!answer.ok) throw this.refused(method, answer.refusal);
    return this.result(method, schema, answer.result);
  }

  private async post(method: string, body: object, timeoutMs: number, signal?: AbortSignal): Promise<Answer> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.fetch(`${this.baseUrl}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (err) {
      const why = timeout.aborted ? `timed out after ${timeoutMs} ms` : signal?.aborted ? 'aborted' : networkError(err);
      throw this.error({ kind: 'transient' }, `${method}: ${why}`);
    }
    const envelope = apiEnvelopeSchema.safeParse(parseJson(text));
    if (!envelope.success) {
      // Not the platform speaking (a proxy, a gateway, a cut-off answer): judge by the HTTP status alone.
      const failure = classifyRefusal({ httpStatus: status, retryAfter });
      throw this.error(failure, `${method}: HTTP ${status} without the API's JSON envelope`);
    }
    if (envelope.data.ok) return { ok: true, result: envelope.data.result };
    const { error_code: errorCode, description } = envelope.data;
    return { ok: false, refusal: { httpStatus: status, errorCode, description, retryAfter } };
  }

  private result<T>(method: string, schema: z.ZodType<T>, result: unknown): T {
    const parsed = schema.safeParse(result);
    if (parsed.success) return parsed.data;
    // Paths only: the values may be a person's message.
    const where = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(result)'))].join(', ');
    throw this.error({ kind: 'transient' }, `${method}: unexpected result at ${where}`);
  }

  private refused(method: string, refusal: ApiRefusal): ChannelError {
    const code = refusal.errorCode === undefined ? '' : `, error ${refusal.errorCode}`;
    const said = refusal.description ? `: ${refusal.description}` : '';
    return this.error(classifyRefusal(refusal), `${method}: HTTP ${refusal.httpStatus}${code}${said}`);
  }

  private error(failure: ChannelFailure, detail: string): ChannelError {
    return new ChannelError('zalo', failure, withoutToken(detail, this.token));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function networkError(err: unknown): string {
  if (!(err instanceof Error)) return 'network error';
  const cause = err.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? `${err.message} (${cause.code})` : err.message;
}
