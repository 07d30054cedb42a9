import type { z } from 'zod';
import { ChannelError, type ChannelFailure, type SentMessage } from '../channel.js';
import { withoutToken } from '../security.js';
import { classifyApiError, classifyHttpStatus, DEFAULT_RETRY_AFTER_MS, TOKEN_REFUSED_CODES } from './failures.js';
import { apiEnvelopeSchema, groupsOfOaDataSchema, parseJson, sentMessageDataSchema, type ApiEnvelope } from './schemas.js';
import { ZaloOaTokenError } from './token-store.js';

export const ZALO_OA_API_BASE_URL = 'https://openapi.zalo.me';
const DEFAULT_TIMEOUT_MS = 10_000;

/** The part of ZaloOaTokenStore the client needs. */
export interface ZaloOaAccessTokens {
  accessToken(): Promise<string>;
  invalidate(rejected: string): Promise<void>;
}

export interface ZaloOaApiClientOptions {
  tokens: ZaloOaAccessTokens;
  /** Where the Open API lives; tests point it at a local fake. */
  apiBase?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** How long to wait after a rate or quota refusal, which carries no hint of its own. */
  defaultRetryAfterMs?: number;
}

export interface ZaloOaGroup {
  groupId: string;
  name?: string;
  /** `enabled` or `disabled` (a group whose GMF package expired). */
  status?: string;
  totalMember?: number;
}

export interface ZaloOaGroupPage {
  total?: number;
  groups: ZaloOaGroup[];
}

type Answer = { kind: 'envelope'; envelope: ApiEnvelope } | { kind: 'failed'; failure: ChannelFailure; detail: string };

/**
 * A typed client for the Official Account Open API v3. Every failure is a ChannelError with platform `zalo-oa`;
 * a refused access token (`-216`, `-220`) is invalidated and the call is made once more with a fresh one.
 */
export class ZaloOaApiClient {
  private readonly tokens: ZaloOaAccessTokens;
  private readonly apiBase: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly defaultRetryAfterMs: number;

  constructor(options: ZaloOaApiClientOptions) {
    this.tokens = options.tokens;
    this.apiBase = (options.apiBase ?? ZALO_OA_API_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.defaultRetryAfterMs = options.defaultRetryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  }

  /** Group Message Framework: the OA must be in the group. */
  sendGroupText(groupId: string, text: string): Promise<SentMessage> {
    return this.send('/v3.0/oa/group/message', { recipient: { group_id: groupId }, message: { text } });
  }

  sendGroupImage(groupId: string, imageUrl: string, caption?: string): Promise<SentMessage> {
    const message = imageMessage(imageUrl, caption);
    return this.send('/v3.0/oa/group/message', { recipient: { group_id: groupId }, message });
  }

  /** A consultation message: only to a user who interacted with the OA recently. */
  sendUserText(userId: string, text: string): Promise<SentMessage> {
    return this.send('/v3.0/oa/message/cs', { recipient: { user_id: userId }, message: { text } });
  }

  sendUserImage(userId: string, imageUrl: string, caption?: string): Promise<SentMessage> {
    const message = imageMessage(imageUrl, caption);
    return this.send('/v3.0/oa/message/cs', { recipient: { user_id: userId }, message });
  }

  async listGroups(offset: number, count: number): Promise<ZaloOaGroupPage> {
    const query = new URLSearchParams({ offset: String(offset), count: String(count) });
    const data = await this.call('GET', `/v3.0/oa/group/getgroupsofoa?${query}`, undefined, groupsOfOaDataSchema);
    return {
      total: data.total,
      groups: data.groups.map((group) => ({
        groupId: group.group_id,
        name: group.name,
        status: group.status,
        totalMember: group.total_member,
      })),
    };
  }

  private async send(path: string, body: unknown): Promise<SentMessage> {
    const data = await this.call('POST', path, body, sentMessageDataSchema);
    return { messageId: data.message_id };
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, dataSchema: z.ZodType<T>): Promise<T> {
    const endpoint = path.split('?')[0] ?? path;
    let token = await this.accessToken(endpoint);
    let answer = await this.request(method, path, body, token);
    if (answer.kind === 'envelope' && TOKEN_REFUSED_CODES.has(answer.envelope.error)) {
      await this.tokens.invalidate(token).catch(() => undefined);
      token = await this.accessToken(endpoint);
      answer = await this.request(method, path, body, token);
      if (answer.kind === 'envelope' && TOKEN_REFUSED_CODES.has(answer.envelope.error)) {
        // A token fresh from the OAuth server refused too: access was revoked, which no retry of this message fixes.
        throw this.error({ kind: 'transient' }, `${endpoint}: ${describe(answer.envelope)} even after a refresh`, token);
      }
    }
    if (answer.kind === 'failed') throw this.error(answer.failure, `${endpoint}: ${answer.detail}`, token);
    const { envelope } = answer;
    if (envelope.error !== 0) {
      const failure = classifyApiError(envelope.error, this.defaultRetryAfterMs);
      throw this.error(failure, `${endpoint}: ${describe(envelope)}`, token);
    }
    const data = dataSchema.safeParse(envelope.data);
    if (!data.success) throw this.error({ kind: 'transient' }, `${endpoint}: unexpected data in a successful answer`, token);
    return data.data;
  }

  private async accessToken(endpoint: string): Promise<string> {
    try {
      return await this.tokens.accessToken();
    } catch (err) {
      // Credentials, not the message, are at fault: keep the message for when an admin has fixed them.
      const why = err instanceof ZaloOaTokenError ? err.message : 'the token store is unavailable';
      throw new ChannelError('zalo-oa', { kind: 'transient' }, `${endpoint}: no access token: ${why}`);
    }
  }

  private async request(method: 'GET' | 'POST', path: string, body: unknown, token: string): Promise<Answer> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.apiBase}${path}`, {
        method,
        headers: { access_token: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const detail = timedOut ? 'timed out' : `network error (${errorText(err)})`;
      return { kind: 'failed', failure: { kind: 'transient' }, detail };
    }
    const httpFailure = (): Answer => ({
      kind: 'failed',
      failure: classifyHttpStatus(response.status, response.headers.get('retry-after'), this.defaultRetryAfterMs),
      detail: `HTTP ${response.status}`,
    });
    // Zalo answers its own refusals with HTTP 200; a 429 or 5xx comes from in front of it, whatever the body says.
    if (response.status === 429 || response.status >= 500) return httpFailure();
    const envelope = apiEnvelopeSchema.safeParse(parseJson(text));
    if (envelope.success) return { kind: 'envelope', envelope: envelope.data };
    if (!response.ok) return httpFailure();
    return { kind: 'failed', failure: { kind: 'transient' }, detail: `malformed answer (HTTP ${response.status})` };
  }

  private error(failure: ChannelFailure, detail: string, token: string): ChannelError {
    return new ChannelError('zalo-oa', failure, withoutToken(detail, token));
  }
}

/** Zalo's `media` template; the caption travels as the message text. */
function imageMessage(imageUrl: string, caption: string | undefined) {
  return {
    ...(caption ? { text: caption } : {}),
    attachment: {
      type: 'template',
      payload: { template_type: 'media', elements: [{ media_type: 'image', url: imageUrl }] },
    },
  };
}

function describe(envelope: ApiEnvelope): string {
  return `Zalo error ${envelope.error}${envelope.message ? ` (${envelope.message})` : ''}`;
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}
