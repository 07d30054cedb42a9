import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Zalo Bot Platform API (`POST /bot<TOKEN>/<method>`, JSON in and out), on 127.0.0.1.
 * Envelopes and error codes follow the platform's documentation. The platform documents no error of its own for
 * "bot not in the group" or "blocked"; this fake answers those with 403 and a plain description. HTTP statuses
 * mirror `error_code`.
 */

export type ZaloFault =
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  /** Holds the response for `ms`, then handles the request as usual (a send is then accepted, late). */
  | { kind: 'timeout'; ms: number }
  /** Never answers and never handles the request, until the client gives up: the platform did not take the message. */
  | { kind: 'hang' }
  | { kind: 'not-in-group' }
  | { kind: 'blocked' };

export type ZaloMethod =
  | 'getMe'
  | 'getUpdates'
  | 'setWebhook'
  | 'deleteWebhook'
  | 'getWebhookInfo'
  | 'sendMessage'
  | 'sendPhoto'
  | 'sendChatAction';

/** Faults hit these methods unless told otherwise, so that a running poller does not use them up. */
export const SEND_METHODS: readonly ZaloMethod[] = ['sendMessage', 'sendPhoto'];

export interface ZaloFakeSend {
  method: 'sendMessage' | 'sendPhoto';
  chatId: string;
  text?: string;
  photo?: string;
  caption?: string;
  messageId: string;
  /** Date.now() when the fake accepted it. */
  at: number;
}

export interface ZaloFakeRequest {
  /** The method named in the path, whatever the token. */
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** The fault this request was answered with, if any. */
  fault?: ZaloFault['kind'];
}

export interface ZaloBotFakeOptions {
  /** The token the fake accepts; requests with another get 401. */
  token?: string;
  /** Longest an empty getUpdates waits before answering 408 (the real one waits the requested timeout). */
  pollWaitMs?: number;
  canJoinGroups?: boolean;
}

/** A message update as the platform delivers it; unset fields get plausible values and a fresh `message_id`. */
export interface ZaloFakeUpdateInput {
  event?: string;
  chatId: string;
  chatType?: 'PRIVATE' | 'GROUP';
  fromId?: string;
  displayName?: string;
  text?: string;
  photoUrl?: string;
  caption?: string;
  date?: number;
}

let updateCounter = 0;

export function zaloUpdate(input: ZaloFakeUpdateInput): Record<string, unknown> {
  const message: Record<string, unknown> = {
    message_id: `in${(++updateCounter).toString(16).padStart(18, '0')}`,
    date: input.date ?? Date.now(),
    chat: { id: input.chatId, chat_type: input.chatType ?? 'PRIVATE' },
    from: { id: input.fromId ?? input.chatId, display_name: input.displayName, is_bot: false },
  };
  if (input.text !== undefined) message.text = input.text;
  if (input.photoUrl !== undefined) message.photo_url = input.photoUrl;
  if (input.caption !== undefined) message.caption = input.caption;
  const event = input.event ?? (input.photoUrl === undefined ? 'message.text.received' : 'message.image.received');
  return { event_name: event, message };
}

interface Answer {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

const ok = (result?: unknown): Answer => ({ status: 200, body: result === undefined ? { ok: true } : { ok: true, result } });
const refuse = (code: number, description: string): Answer => ({
  status: code,
  body: { ok: false, error_code: code, description },
});

const MAX_TEXT = 2000;

export class ZaloBotFake {
  readonly token: string;
  readonly requests: ZaloFakeRequest[] = [];
  readonly sent: ZaloFakeSend[] = [];
  readonly chatActions: { chatId: string; action: string; at: number }[] = [];
  webhook: { url: string; secretToken: string } | undefined;

  private readonly pollWaitMs: number;
  private readonly canJoinGroups: boolean;
  private readonly server: Server;
  private readonly faults: { left: number; fault: ZaloFault; methods: ReadonlySet<string> }[] = [];
  private readonly updates: unknown[] = [];
  private readonly waitingPolls: ((update: unknown) => void)[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextMessageId = 0;
  private webhookUpdatedAt = Date.now();

  constructor(options: ZaloBotFakeOptions = {}) {
    this.token = options.token ?? '1234567890:fake-bot-secret';
    this.pollWaitMs = options.pollWaitMs ?? 200;
    this.canJoinGroups = options.canJoinGroups ?? true;
    this.server = createServer((req, res) => {
      // A client that hangs up mid-request is not the fake's failure.
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server.listening) return;
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  /** The next `n` calls of `methods` fail with `fault`, before anything else is checked but the token. */
  failNext(n: number, fault: ZaloFault, methods: readonly ZaloMethod[] = SEND_METHODS): void {
    this.faults.push({ left: n, fault, methods: new Set(methods) });
  }

  /** Served by getUpdates, one per call, in order; a poll already waiting gets it at once. */
  queueUpdate(update: unknown): void {
    const waiting = this.waitingPolls.shift();
    if (waiting) waiting(update);
    else this.updates.push(update);
  }

  get queuedUpdates(): number {
    return this.updates.length;
  }

  /** getUpdates calls being held open, waiting for an update. */
  get waitingPollCount(): number {
    return this.waitingPolls.length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
      body = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      this.requests.push({ method: match?.[2] ?? '', body: {}, at: Date.now() });
      return this.reply(res, refuse(400, 'Bad request'));
    }
    const request: ZaloFakeRequest = { method: match?.[2] ?? '', body, at: Date.now() };
    this.requests.push(request);
    if (req.method !== 'POST' || !match) return this.reply(res, refuse(404, 'Not found'));
    const [, token, method = ''] = match;
    if (token !== this.token) return this.reply(res, refuse(401, 'Unauthorized'));

    const fault = this.takeFault(method);
    if (fault) request.fault = fault.kind;
    if (fault?.kind === 'hang') return this.hang(res);
    if (fault?.kind === 'timeout') await this.hold(fault.ms);
    else if (fault) return this.reply(res, faultAnswer(fault));
    this.reply(res, await this.answer(method, body, res));
  }

  private takeFault(method: string): ZaloFault | undefined {
    const entry = this.faults.find((f) => f.methods.has(method));
    if (!entry) return undefined;
    if (--entry.left <= 0) this.faults.splice(this.faults.indexOf(entry), 1);
    return entry.fault;
  }

  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /** Resolves once the client gave up on the request (or the fake closed), without answering it. */
  private hang(res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      if (res.destroyed) resolve();
      else res.once('close', resolve);
    });
  }

  private answer(method: string, body: Record<string, unknown>, res: ServerResponse): Answer | Promise<Answer> {
    switch (method) {
      case 'getMe':
        return ok({
          id: this.token.split(':')[0],
          account_name: 'bot.LoaPhuongFake',
          account_type: 'BASIC',
          can_join_groups: this.canJoinGroups,
        });
      case 'getUpdates':
        return this.poll(body, res);
      case 'setWebhook': {
        const { url, secret_token: secret } = body;
        if (typeof url !== 'string' || url === '') return refuse(400, 'Bad request: url is required');
        if (typeof secret !== 'string' || secret.length < 8 || secret.length > 256) {
          return refuse(400, 'Bad request: secret_token must be 8-256 characters');
        }
        this.webhook = { url, secretToken: secret };
        return ok(this.webhookInfo());
      }
      case 'deleteWebhook':
        this.webhook = undefined;
        return ok(this.webhookInfo());
      case 'getWebhookInfo':
        return ok({ url: this.webhook?.url ?? '', updated_at: this.webhookUpdatedAt });
      case 'sendMessage':
        return this.sendMessage(body);
      case 'sendPhoto':
        return this.sendPhoto(body);
      case 'sendChatAction': {
        const { chat_id: chatId, action } = body;
        if (typeof chatId !== 'string' || chatId === '') return refuse(400, 'Bad request: chat_id is required');
        if (action !== 'typing') return refuse(400, 'Bad request: unsupported action');
        this.chatActions.push({ chatId, action, at: Date.now() });
        return ok();
      }
      default:
        return refuse(400, 'Bad request: unknown API name');
    }
  }

  private webhookInfo(): { url: string; updated_at: number } {
    this.webhookUpdatedAt = Date.now();
    return { url: this.webhook?.url ?? '', updated_at: this.webhookUpdatedAt };
  }

  private sendMessage(body: Record<string, unknown>): Answer {
    const { chat_id: chatId, text } = body;
    if (typeof chatId !== 'string' || chatId === '') return refuse(400, 'Bad request: chat_id is required');
    if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT) {
      return refuse(400, 'Bad request: text must be 1-2000 characters');
    }
    return this.accept({ method: 'sendMessage', chatId, text });
  }

  private sendPhoto(body: Record<string, unknown>): Answer {
    const { chat_id: chatId, photo, caption } = body;
    if (typeof chatId !== 'string' || chatId === '') return refuse(400, 'Bad request: chat_id is required');
    if (typeof photo !== 'string' || !/^https?:\/\//.test(photo)) return refuse(400, 'Bad request: photo must be a URL');
    if (caption !== undefined && (typeof caption !== 'string' || caption.length < 1 || caption.length > MAX_TEXT)) {
      return refuse(400, 'Bad request: caption must be 1-2000 characters');
    }
    return this.accept({ method: 'sendPhoto', chatId, photo, ...(caption === undefined ? {} : { caption }) });
  }

  private accept(send: Omit<ZaloFakeSend, 'messageId' | 'at'>): Answer {
    const messageId = (++this.nextMessageId).toString(16).padStart(20, '0');
    const at = Date.now();
    this.sent.push({ ...send, messageId, at });
    return ok({ message_id: messageId, date: at });
  }

  /** One queued update, or 408 once the wait is over; a client that hangs up does not take an update with it. */
  private poll(body: Record<string, unknown>, res: ServerResponse): Answer | Promise<Answer> {
    if (res.destroyed) return refuse(408, 'Request timeout');
    if (this.updates.length > 0) return ok(this.updates.shift());
    const requested = Number(body.timeout ?? 30) * 1000;
    const waitMs = Math.min(Number.isFinite(requested) ? requested : 30_000, this.pollWaitMs);
    return new Promise((resolve) => {
      const deliver = (update: unknown) => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(ok(update));
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.dropWaiting(deliver);
        resolve(refuse(408, 'Request timeout'));
      }, waitMs);
      this.timers.add(timer);
      this.waitingPolls.push(deliver);
      res.once('close', () => {
        if (res.writableEnded) return;
        clearTimeout(timer);
        this.timers.delete(timer);
        this.dropWaiting(deliver);
        resolve(refuse(408, 'Request timeout'));
      });
    });
  }

  private dropWaiting(poll: (update: unknown) => void): void {
    const index = this.waitingPolls.indexOf(poll);
    if (index >= 0) this.waitingPolls.splice(index, 1);
  }

  private reply(res: ServerResponse, answer: Answer): void {
    if (res.destroyed) return;
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      ...answer.headers,
    });
    res.end(json);
  }
}

function faultAnswer(fault: Exclude<ZaloFault, { kind: 'timeout' | 'hang' }>): Answer {
  switch (fault.kind) {
    case 'rate-limit':
      return { ...refuse(429, 'Quota exceeded'), headers: { 'retry-after': String(fault.retryAfterSeconds) } };
    case 'server-error':
      return refuse(500, 'Internal server error');
    case 'not-in-group':
      return refuse(403, 'Bot is not a member of this group');
    case 'blocked':
      return refuse(403, 'User has blocked the bot');
  }
}
