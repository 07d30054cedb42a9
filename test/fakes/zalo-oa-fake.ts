import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { groupChatId, userChatId } from '../../src/channels/zalo-oa/adapter.js';

/**
 * Faults the next requests to the Open API get (the OAuth endpoint is never faulted):
 * - `rate-limit`: Zalo's own `-32` refusal, with HTTP 200. Zalo sends no retry hint, so `retryAfterSeconds` is
 *   not sent either; it is accepted for the shape the other fakes share;
 * - `server-error`: HTTP 502 from the gateway in front of the API;
 * - `timeout`: the answer is held `ms`, then given normally if the client is still there (a slow platform that
 *   did deliver); a client that gave up leaves nothing recorded;
 * - `not-in-group`: `-403 OA is not in group`; `blocked`: `-213 User has not followed OA`.
 */
export type ZaloOaFault =
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  | { kind: 'timeout'; ms: number }
  | { kind: 'not-in-group' }
  | { kind: 'blocked' };

export interface ZaloOaFakeSent {
  /** In the adapter's form: `group:<id>` or `user:<id>`. */
  chatId: string;
  kind: 'text' | 'photo';
  text?: string;
  imageUrl?: string;
  messageId: string;
}

export interface ZaloOaFakeRequest {
  method: string;
  path: string;
  accessToken?: string;
}

export interface ZaloOaFakeOptions {
  appId?: string;
  appSecret?: string;
  /** Groups the OA is in; sending to any other group is refused with `-403`. */
  groups?: readonly string[];
}

type Json = Record<string, unknown>;

const FAULT_ANSWERS = {
  'rate-limit': { error: -32, message: 'Your OA reached limit call api' },
  'not-in-group': { error: -403, message: 'OA is not in group' },
  blocked: { error: -213, message: 'User has not followed OA' },
} as const;

/**
 * A local stand-in for the Zalo Official Account Open API and its OAuth v4 token endpoint, on one loopback port:
 * point both `apiBase` and `oauthBase` at `start()`'s URL. Answers keep Zalo's envelopes: refusals come with HTTP
 * 200 and a non-zero `error`. Refresh tokens rotate and are single-use, like the real ones.
 */
export class ZaloOaFake {
  readonly appId: string;
  readonly appSecret: string;
  readonly sent: ZaloOaFakeSent[] = [];
  readonly requests: ZaloOaFakeRequest[] = [];
  /** Successful refreshes so far. */
  refreshes = 0;
  private readonly groups: Set<string>;
  private readonly accessTokens = new Map<string, 'valid' | 'expired'>();
  private readonly refreshTokens = new Map<string, 'valid' | 'used'>();
  private readonly faults: ZaloOaFault[] = [];
  private readonly held = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private refreshToken: string;

  constructor(options: ZaloOaFakeOptions = {}) {
    this.appId = options.appId ?? '3608465248940903967';
    this.appSecret = options.appSecret ?? 'fake-app-secret';
    this.groups = new Set(options.groups ?? []);
    this.refreshToken = this.mintRefreshToken();
  }

  /** The one refresh token that works now; bootstrap the token store with it. */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  failNext(n: number, fault: ZaloOaFault): void {
    for (let i = 0; i < n; i++) this.faults.push(fault);
  }

  /** Every access token issued so far now gets `-216`, as after Zalo revoked or expired them. */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 'expired');
  }

  joinGroup(groupId: string): void {
    this.groups.add(groupId);
  }

  leaveGroup(groupId: string): void {
    this.groups.delete(groupId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    const accessToken = headerOf(req, 'access_token');
    this.requests.push({ method: req.method ?? '', path: url.pathname, ...(accessToken ? { accessToken } : {}) });

    if (req.method === 'POST' && url.pathname === '/v4/oa/access_token') return reply(res, 200, this.oauth(req, raw));

    const route = `${req.method} ${url.pathname}`;
    if (!['POST /v3.0/oa/group/message', 'POST /v3.0/oa/message/cs', 'GET /v3.0/oa/group/getgroupsofoa'].includes(route)) {
      return reply(res, 404, { error: 404, message: 'Not found' });
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'server-error') return replyText(res, 502, 'Bad Gateway');
    if (fault && fault.kind !== 'timeout') return reply(res, 200, FAULT_ANSWERS[fault.kind]);
    if (fault?.kind === 'timeout') {
      await this.hold(fault.ms);
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (!accessToken || this.accessTokens.get(accessToken) !== 'valid') {
      return reply(res, 200, { error: -216, message: 'Access token is invalid' });
    }
    if (route === 'GET /v3.0/oa/group/getgroupsofoa') return reply(res, 200, this.groupsOfOa(url));
    return reply(res, 200, this.message(route, raw));
  }

  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.held.delete(timer);
        resolve();
      }, ms);
      this.held.add(timer);
    });
  }

  private oauth(req: IncomingMessage, raw: string): Json {
    const form = new URLSearchParams(raw);
    if (headerOf(req, 'secret_key') !== this.appSecret) return oauthError(-14004, 'Invalid secret key');
    if (form.get('app_id') !== this.appId) return oauthError(-14002, 'Invalid appId');
    if (form.get('grant_type') !== 'refresh_token') return oauthError(-14001, 'Invalid grant type');
    const presented = form.get('refresh_token') ?? '';
    if (this.refreshTokens.get(presented) !== 'valid') return oauthError(-14014, 'Invalid refresh token');
    this.refreshTokens.set(presented, 'used');
    this.refreshToken = this.mintRefreshToken();
    const accessToken = randomBytes(24).toString('base64url');
    this.accessTokens.set(accessToken, 'valid');
    this.refreshes += 1;
    return { access_token: accessToken, refresh_token: this.refreshToken, expires_in: '90000' };
  }

  private groupsOfOa(url: URL): Json {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 5);
    const all = [...this.groups];
    const groups = all.slice(offset, offset + count).map((groupId) => ({
      group_id: groupId,
      name: `Nhóm ${groupId}`,
      status: 'enabled',
      total_member: 3,
    }));
    return { error: 0, message: 'Success', data: { offset, count, total: all.length, groups } };
  }

  private message(route: string, raw: string): Json {
    const body = parseObject(raw);
    const recipient = parseObject(body?.recipient);
    const message = parseObject(body?.message);
    if (!recipient || !message) return { error: -201, message: 'body is invalid!' };
    const text = typeof message.text === 'string' ? message.text : undefined;
    const imageUrl = imageUrlOf(message.attachment);
    if (!text && !imageUrl) return { error: -201, message: 'message is invalid!' };
    if (text && text.length > 2000) return { error: -210, message: 'Parameter exceeds allowable limit' };
    const messageId = randomBytes(10).toString('hex');
    const kind = imageUrl ? 'photo' : 'text';

    if (route === 'POST /v3.0/oa/group/message') {
      const groupId = recipient.group_id;
      if (typeof groupId !== 'string' || !groupId) return { error: -201, message: 'group_id is invalid!' };
      if (!this.groups.has(groupId)) return FAULT_ANSWERS['not-in-group'];
      this.sent.push({ chatId: groupChatId(groupId), kind, text, imageUrl, messageId });
      return { error: 0, message: 'Success', data: { message_id: messageId, group_id: groupId } };
    }
    const userId = recipient.user_id;
    if (typeof userId !== 'string' || !userId) return { error: -201, message: 'user_id is invalid!' };
    this.sent.push({ chatId: userChatId(userId), kind, text, imageUrl, messageId });
    return { error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } };
  }

  private mintRefreshToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.refreshTokens.set(token, 'valid');
    return token;
  }
}

/** Signs a webhook body as Zalo does, for tests that post events to the service. */
export function signZaloOaWebhook(appId: string, oaSecretKey: string, rawBody: string): string {
  const timestamp = String((JSON.parse(rawBody) as { timestamp: string | number }).timestamp);
  return `mac=${createHash('sha256').update(appId + rawBody + timestamp + oaSecretKey).digest('hex')}`;
}

function imageUrlOf(attachment: unknown): string | undefined {
  const payload = parseObject(parseObject(attachment)?.payload);
  const elements = Array.isArray(payload?.elements) ? payload.elements : [];
  const image = elements.map(parseObject).find((element) => element?.media_type === 'image');
  return typeof image?.url === 'string' ? image.url : undefined;
}

function oauthError(error: number, name: string): Json {
  return { error, error_name: name, error_reason: '', ref_doc: '', error_description: '' };
}

function parseObject(value: unknown): Json | undefined {
  if (typeof value === 'string') {
    try {
      return parseObject(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function replyText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}
