import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (`<root>/bot<TOKEN>/<method>`), answering with Telegram's envelopes
 * and status codes: `{ok:true,result}` or `{ok:false,error_code,description,parameters?}` with the HTTP status
 * equal to `error_code`. Accepts JSON, form-encoded and multipart bodies and query strings, as the real one does.
 */

export type TelegramFault =
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  /** Holds the request `ms`, then handles it normally if the client is still waiting; if it gave up, nothing happens. */
  | { kind: 'timeout'; ms: number }
  | { kind: 'not-in-group' }
  | { kind: 'blocked' };

/** A chat that refuses every send until cleared, as a chat that blocked or removed the bot does. */
export type FakeChatState = 'blocked' | 'not-in-group' | 'not-found';

export interface FakeTelegramSend {
  method: 'sendMessage' | 'sendPhoto';
  chatId: string;
  messageId: number;
  text?: string;
  /** A URL or file id as given, or `attach:<filename>` for an uploaded file. */
  photo?: string;
  caption?: string;
  /** Milliseconds since the epoch when the fake accepted it. */
  at: number;
}

export interface FakeTelegramRequest {
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** The fault this request was answered with, if any. */
  fault?: TelegramFault['kind'];
}

export interface FakeInboundMessage {
  chatId: number;
  chatType?: 'private' | 'group' | 'supergroup' | 'channel';
  chatTitle?: string;
  fromId?: number;
  firstName?: string;
  text?: string;
  /** Makes a photo message carrying this caption. */
  photoCaption?: string;
  /** Seconds since the epoch; now by default. */
  date?: number;
}

export interface TelegramFakeOptions {
  token?: string;
  /** Longest a getUpdates call is held open, whatever `timeout` it asks for, so that tests stay quick. */
  maxLongPollMs?: number;
}

export const FAKE_TELEGRAM_TOKEN = '123456789:AAFakeTokenForTests_only-0123456789';
export const FAKE_BOT = {
  id: 123456789,
  is_bot: true,
  first_name: 'Loa Phường Test',
  username: 'loaphuong_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
} as const;

const SEND_METHODS = ['sendMessage', 'sendPhoto'] as const;
const METHODS = ['getMe', 'sendMessage', 'sendPhoto', 'setWebhook', 'deleteWebhook', 'getWebhookInfo', 'getUpdates'];
const METHOD_BY_LOWER = new Map(METHODS.map((m) => [m.toLowerCase(), m]));
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

type Params = Record<string, unknown>;
type Reply = { status: number; body: Record<string, unknown> };
type Update = Record<string, unknown> & { update_id: number };

class BadRequest extends Error {}

const ok = (result: unknown, description?: string): Reply => ({
  status: 200,
  body: description ? { ok: true, result, description } : { ok: true, result },
});
const fail = (code: number, description: string, parameters?: Record<string, unknown>): Reply => ({
  status: code,
  body: parameters ? { ok: false, error_code: code, description, parameters } : { ok: false, error_code: code, description },
});

const FAULT_REPLIES = {
  'server-error': () => fail(500, 'Internal Server Error'),
  'not-in-group': () => fail(403, 'Forbidden: bot was kicked from the group chat'),
  blocked: () => fail(403, 'Forbidden: bot was blocked by the user'),
} as const;

const CHAT_STATE_REPLIES: Record<FakeChatState, () => Reply> = {
  blocked: FAULT_REPLIES.blocked,
  'not-in-group': FAULT_REPLIES['not-in-group'],
  'not-found': () => fail(400, 'Bad Request: chat not found'),
};

function characters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Form fields are strings; Telegram reads JSON-typed fields (arrays, objects) from their JSON text. */
function jsonField(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new BadRequest(`Bad Request: can't parse JSON field`);
  }
}

function intField(params: Params, key: string): number | undefined {
  const value = params[key];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new BadRequest(`Bad Request: field "${key}" must be of type Integer`);
  return n;
}

function stringField(params: Params, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length + 2; // past the CRLF after the delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart, next - 2); // without the CRLF before the next delimiter
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const value = part.subarray(headerEnd + 4);
      if (name) params[name] = filename !== undefined ? `attach:${filename}` : value.toString('utf8');
    }
    start = next;
  }
  return params;
}

function parseBody(contentType: string | undefined, body: Buffer): Params {
  if (body.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BadRequest("Bad Request: can't parse JSON");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new BadRequest('Bad Request: JSON object expected');
    }
    return parsed as Params;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value) throw new BadRequest('Bad Request: multipart boundary missing');
    return parseMultipart(body, value.trim());
  }
  return {};
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function chatOf(chatId: string): Record<string, unknown> {
  const id = Number(chatId);
  return id < 0 ? { id, type: id < -1_000_000_000_000 ? 'supergroup' : 'group', title: 'Fake group' } : { id, type: 'private', first_name: 'Fake' };
}

export class TelegramFake {
  readonly token: string;
  /** Every message the fake accepted, in order. */
  readonly sent: FakeTelegramSend[] = [];
  /** Every request that reached a known method, faults included. */
  readonly requests: FakeTelegramRequest[] = [];
  webhook: { url: string; secretToken: string | undefined; allowedUpdates: string[] | undefined } | undefined;

  private readonly maxLongPollMs: number;
  private server: Server | undefined;
  private faults: { fault: TelegramFault; methods: ReadonlySet<string> }[] = [];
  private readonly chatStates = new Map<string, FakeChatState>();
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  /** Wakes the long poll in flight: with `true` when a newer getUpdates replaces it. */
  private activePoll: ((replaced: boolean) => void) | undefined;
  private readonly holds = new Set<() => void>();

  constructor(options: TelegramFakeOptions = {}) {
    this.token = options.token ?? FAKE_TELEGRAM_TOKEN;
    this.maxLongPollMs = options.maxLongPollMs ?? 1_000;
  }

  /** Listens on a free loopback port; the answer is the API root to give the client. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.respond(res, fail(500, 'Internal Server Error'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const release of this.holds) release();
    this.activePoll?.(false);
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The next `n` calls of `methods` (by default the sends) fail with `fault`. */
  failNext(n: number, fault: TelegramFault, methods: readonly string[] = SEND_METHODS): void {
    const set = new Set(methods);
    for (let i = 0; i < n; i++) this.faults.push({ fault, methods: set });
  }

  /** Makes a chat refuse every send from now on (or accept again with `undefined`). */
  setChatState(chatId: string | number, state: FakeChatState | undefined): void {
    if (state) this.chatStates.set(String(chatId), state);
    else this.chatStates.delete(String(chatId));
  }

  /** Queues a raw update for getUpdates (any shape); `update_id` is assigned when missing. */
  queueUpdate(update: Record<string, unknown>): number {
    const id = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    this.updates.push({ ...update, update_id: id });
    this.activePoll?.(false);
    return id;
  }

  /** Queues a `message` update as a person would send it; returns its update id. */
  queueMessage(message: FakeInboundMessage): number {
    const chatType = message.chatType ?? (message.chatId < 0 ? 'group' : 'private');
    const content =
      message.photoCaption !== undefined
        ? {
            photo: [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: `u${this.nextMessageId}`, width: 90, height: 90 }],
            caption: message.photoCaption,
          }
        : { text: message.text ?? '' };
    return this.queueUpdate({
      message: {
        message_id: this.nextMessageId++,
        date: message.date ?? Math.floor(Date.now() / 1000),
        chat: { id: message.chatId, type: chatType, ...(chatType === 'private' ? { first_name: 'Fake' } : { title: message.chatTitle ?? 'Fake group' }) },
        from: { id: message.fromId ?? Math.abs(message.chatId), is_bot: false, first_name: message.firstName ?? 'Fake' },
        ...content,
      },
    });
  }

  /** Updates queued and not yet confirmed by a getUpdates offset past them. */
  get pendingUpdates(): number {
    return this.updates.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return this.respond(res, fail(404, 'Not Found'));
    if (match[1] !== this.token) return this.respond(res, fail(401, 'Unauthorized'));
    const method = METHOD_BY_LOWER.get(match[2]!.toLowerCase());
    if (!method) return this.respond(res, fail(404, 'Not Found'));

    let params: Params;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...parseBody(req.headers['content-type'], body) };
    } catch (error) {
      return this.respond(res, fail(400, (error as Error).message));
    }
    const request: FakeTelegramRequest = { method, params, at: Date.now() };
    this.requests.push(request);

    const faultIndex = this.faults.findIndex((f) => f.methods.has(method));
    const fault = faultIndex === -1 ? undefined : this.faults.splice(faultIndex, 1)[0]!.fault;
    if (fault) request.fault = fault.kind;
    if (fault?.kind === 'timeout') {
      if (!(await this.hold(fault.ms, res))) return;
    } else if (fault?.kind === 'rate-limit') {
      const seconds = fault.retryAfterSeconds;
      return this.respond(res, fail(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds }));
    } else if (fault) {
      return this.respond(res, FAULT_REPLIES[fault.kind]());
    }

    let reply: Reply;
    try {
      reply = await this.dispatch(method, params, res);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      reply = fail(400, error.message);
    }
    if (!res.destroyed) this.respond(res, reply);
  }

  private respond(res: ServerResponse, reply: Reply): void {
    const json = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  /** Resolves true after `ms` if the client is still there, false if it went away or the fake closed. */
  private hold(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (waited: boolean) => {
        clearTimeout(timer);
        this.holds.delete(release);
        res.off('close', release);
        resolve(waited && !res.destroyed && this.server !== undefined);
      };
      const release = () => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      this.holds.add(release);
      res.on('close', release);
    });
  }

  private dispatch(method: string, params: Params, res: ServerResponse): Reply | Promise<Reply> {
    switch (method) {
      case 'getMe':
        return ok(FAKE_BOT);
      case 'sendMessage':
        return this.sendMessage(params);
      case 'sendPhoto':
        return this.sendPhoto(params);
      case 'setWebhook':
        return this.setWebhook(params);
      case 'deleteWebhook':
        return this.deleteWebhook(params);
      case 'getWebhookInfo':
        return ok({
          url: this.webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.updates.length,
          ...(this.webhook?.allowedUpdates ? { allowed_updates: this.webhook.allowedUpdates } : {}),
        });
      default:
        return this.getUpdates(params, res);
    }
  }

  /** Checks common to every send; answers the chat's refusal, if it has one. */
  private target(params: Params): { chatId: string } | Reply {
    const chatId = stringField(params, 'chat_id');
    if (!chatId) return fail(400, 'Bad Request: chat_id is empty');
    if (!/^-?\d+$/.test(chatId)) return fail(400, 'Bad Request: chat not found');
    const state = this.chatStates.get(chatId);
    return state ? CHAT_STATE_REPLIES[state]() : { chatId };
  }

  private message(chatId: string, extra: Record<string, unknown>): { messageId: number; result: Record<string, unknown> } {
    const messageId = this.nextMessageId++;
    const { id, is_bot, first_name, username } = FAKE_BOT;
    return {
      messageId,
      result: {
        message_id: messageId,
        from: { id, is_bot, first_name, username },
        chat: chatOf(chatId),
        date: Math.floor(Date.now() / 1000),
        ...extra,
      },
    };
  }

  private sendMessage(params: Params): Reply {
    const text = stringField(params, 'text') ?? '';
    if (text.trim() === '') return fail(400, 'Bad Request: message text is empty');
    if (characters(text) > MAX_TEXT) return fail(400, 'Bad Request: message is too long');
    const target = this.target(params);
    if ('status' in target) return target;
    const { messageId, result } = this.message(target.chatId, { text });
    this.sent.push({ method: 'sendMessage', chatId: target.chatId, messageId, text, at: Date.now() });
    return ok(result);
  }

  private sendPhoto(params: Params): Reply {
    const photo = stringField(params, 'photo');
    if (!photo) return fail(400, 'Bad Request: there is no photo in the request');
    const caption = stringField(params, 'caption');
    if (caption !== undefined && characters(caption) > MAX_CAPTION) return fail(400, 'Bad Request: message caption is too long');
    const target = this.target(params);
    if ('status' in target) return target;
    const sizes = [{ file_id: `photo-${this.nextMessageId}`, file_unique_id: `u${this.nextMessageId}`, width: 320, height: 240, file_size: 12_345 }];
    const { messageId, result } = this.message(target.chatId, caption ? { photo: sizes, caption } : { photo: sizes });
    this.sent.push({ method: 'sendPhoto', chatId: target.chatId, messageId, photo, caption, at: Date.now() });
    return ok(result);
  }

  private setWebhook(params: Params): Reply {
    const url = stringField(params, 'url') ?? '';
    if (url === '') {
      this.webhook = undefined;
      return ok(true, 'Webhook was deleted');
    }
    if (!url.startsWith('https://')) return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = stringField(params, 'secret_token');
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      return fail(400, 'Bad Request: bad webhook: secret token contains unallowed characters');
    }
    const allowed = jsonField(params.allowed_updates);
    const allowedUpdates = Array.isArray(allowed) ? allowed.map(String) : undefined;
    if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.updates = [];
    const existed = this.webhook?.url === url;
    this.webhook = { url, secretToken, allowedUpdates };
    return ok(true, existed ? 'Webhook is already set' : 'Webhook was set');
  }

  private deleteWebhook(params: Params): Reply {
    if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') this.updates = [];
    const existed = this.webhook !== undefined;
    this.webhook = undefined;
    return ok(true, existed ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  private async getUpdates(params: Params, res: ServerResponse): Promise<Reply> {
    if (this.webhook) {
      return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    // Telegram serves one poller per bot: a new call ends the one in flight.
    this.activePoll?.(true);
    const offset = intField(params, 'offset') ?? 0;
    const limit = Math.min(Math.max(intField(params, 'limit') ?? 100, 1), 100);
    const timeoutMs = Math.min(Math.max(intField(params, 'timeout') ?? 0, 0) * 1000, this.maxLongPollMs);
    const allowed = jsonField(params.allowed_updates);
    const allowedTypes = Array.isArray(allowed) && allowed.length > 0 ? new Set(allowed.map(String)) : undefined;

    // An offset confirms every update before it; a negative one keeps only the last -offset updates.
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);

    const available = () =>
      this.updates
        .filter((u) => !allowedTypes || Object.keys(u).some((key) => key !== 'update_id' && allowedTypes.has(key)))
        .slice(0, limit);

    let found = available();
    if (found.length === 0 && timeoutMs > 0) {
      const replaced = await this.waitForUpdate(timeoutMs, res);
      if (replaced) return fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
      found = available();
    }
    return ok(found);
  }

  /** Waits for a queued update, the end of the wait, the client leaving, or a newer poll (answers true). */
  private waitForUpdate(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = (replaced: boolean) => {
        clearTimeout(timer);
        res.off('close', gone);
        if (this.activePoll === wake) this.activePoll = undefined;
        resolve(replaced);
      };
      const gone = () => wake(false);
      const timer = setTimeout(() => wake(false), ms);
      res.on('close', gone);
      this.activePoll = wake;
    });
  }
}
