import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../src/accounts/api-tokens.js';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import type { QuestionView } from '../src/questions/schemas.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

const OFFICE_HOURS = '7:30–17:00, thứ Hai đến thứ Sáu';

let service: TestService;
let baseUrl: string;
let sandbox: SandboxStore;
let audit: AuditLog;
const token: Record<'staff' | 'admin' | 'police' | 'approver', string> = { staff: '', admin: '', police: '', approver: '' };
let updates = 0;

beforeAll(async () => {
  service = await startTestService({ WARD_OFFICE_HOURS: OFFICE_HOURS, DEFAULT_LOCALE: 'vi' });
  baseUrl = `${service.baseUrl}/api/v1`;
  const { redis, prefix } = service.datastore;
  sandbox = new SandboxStore(redis, prefix);
  audit = new AuditLog(redis, prefix);
  const users = new UserStore(redis, prefix, audit);
  const tokens = new ApiTokens(redis, prefix, new SealedBox(loadKeyring(service.config.secrets, silentLogger())), users, audit);
  const names: Record<keyof typeof token, [string, Role]> = { staff: ['lan.staff', 'staff'], admin: ['quan.tri', 'admin'], police: ['cs.hung', 'police'], approver: ['minh.duyet', 'approver'] };
  for (const [who, [username, role]] of Object.entries(names) as [keyof typeof token, [string, Role]][]) {
    await users.add({ username, displayName: username, role, password: 'một mật khẩu đủ dài' }, 'test');
    token[who] = await tokens.issue(username, 'test');
  }
});

afterAll(async () => {
  await service?.stop();
});

async function api(method: string, path: string, by: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${by}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** A resident writes to the bot in a private sandbox chat; returns the bot's next message there. */
async function residentSays(chatId: string, text: string): Promise<string> {
  const before = await botMessages(chatId);
  await service.channels.inbox.accept({ platform: 'sandbox', updateId: `qe2e-${++updates}`, chat: { id: chatId, kind: 'private' }, sender: { id: chatId }, kind: 'text', text, sentAt: Date.now() });
  return nextBotMessage(chatId, before.length);
}

const botMessages = async (chatId: string) => (await sandbox.transcript(chatId)).filter((e) => e.from === 'bot').map((e) => e.text);

/** The bot's message after the first `seen` it sent in the chat, once it arrives. */
async function nextBotMessage(chatId: string, seen: number): Promise<string> {
  await expect.poll(async () => (await botMessages(chatId)).length, { timeout: 10_000 }).toBeGreaterThan(seen);
  return (await botMessages(chatId))[seen]!;
}

async function queuedQuestion(chatId: string, text: string): Promise<QuestionView> {
  const reply = await residentSays(chatId, text);
  expect(reply).toBe(
    `Xin lỗi, Loa Phường chưa có câu trả lời cho câu hỏi này. Câu hỏi của bạn đã được chuyển tới cán bộ phường; cán bộ sẽ trả lời bạn ngay tại đây, thường trong giờ làm việc của phường (${OFFICE_HOURS}). Khẩn cấp, gọi ngay 113.`,
  );
  const listed = await api('GET', '/questions?status=open', token.staff);
  expect(listed.status).toBe(200);
  const question = (listed.body.questions as QuestionView[]).find((q) => q.text === text);
  expect(question).toBeDefined();
  return question!;
}

describe('a resident’s question the bot cannot answer', () => {
  it('reaches ward staff through the API, and their answer reaches the resident’s chat', async () => {
    const chatId = 'private-chi-hoa-0912345678';
    const text = 'Bao giờ phường sửa đèn đường ngõ 5 Lạch Tray?';
    const question = await queuedQuestion(chatId, text);
    expect(question).toMatchObject({ status: 'open', reason: 'unanswered', locale: 'vi', text });
    expect(JSON.stringify(question)).not.toContain(chatId);

    const read = await api('GET', `/questions/${question.id}`, token.admin);
    expect(read).toMatchObject({ status: 200, body: { id: question.id, text, status: 'open' } });

    const answer = 'Phường đã báo điện lực; đèn sẽ được sửa trong tuần này. Cảm ơn chị đã báo.';
    const before = (await botMessages(chatId)).length;
    const answered = await api('POST', `/questions/${question.id}/answer`, token.staff, { text: answer });
    expect(answered).toMatchObject({ status: 200, body: { id: question.id, status: 'answered', answeredBy: 'lan.staff', answer } });
    expect(await nextBotMessage(chatId, before)).toBe(`Cán bộ phường trả lời câu hỏi của bạn:\n«${text}»\n\n${answer}`);

    const again = await api('POST', `/questions/${question.id}/answer`, token.admin, { text: 'Trả lời lần hai' });
    expect(again).toEqual({ status: 409, body: { error: { code: 'conflict', message: `Câu hỏi ${question.id} đã được trả lời rồi.` } } });
    expect((await api('GET', '/questions?status=answered', token.staff)).body.questions.map((q: QuestionView) => q.id)).toContain(question.id);

    const closed = await api('POST', `/questions/${question.id}/close`, token.staff);
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', closedBy: 'lan.staff' } });

    const trail = (await audit.latest(50)).filter((e) => e.subject === `question:${question.id}`).map((e) => `${e.actor} ${e.action}`);
    expect(trail.reverse()).toEqual(['resident question.received', 'quan.tri question.read', 'lan.staff question.answered', 'lan.staff question.closed']);
  });

  it('is not the police’s: they, and approvers, get 403 on every route', async () => {
    const { id } = await queuedQuestion('private-anh-tu', 'Xe buýt đi Đồ Sơn mấy giờ chạy?');
    const routes: [string, string, unknown?][] = [
      ['GET', '/questions'],
      ['GET', '/questions?status=open'],
      ['GET', `/questions/${id}`],
      ['POST', `/questions/${id}/answer`, { text: 'Công an trả lời' }],
      ['POST', `/questions/${id}/close`],
    ];
    for (const [who, role] of [['police', 'police'], ['approver', 'approver']] as const) {
      for (const [method, path, body] of routes) {
        const answer = await api(method, path, token[who], body);
        expect(answer, `${who} ${method} ${path}`).toEqual({
          status: 403,
          body: { error: { code: 'forbidden', message: `Câu hỏi của người dân do cán bộ phường trả lời; tài khoản có vai trò ${role} không được xem hay trả lời.` } },
        });
      }
    }
    expect((await api('GET', `/questions/${id}`, token.staff)).body.status).toBe('open');
  });

  it('answers bad requests with a clear error', async () => {
    const { id } = await queuedQuestion('private-co-lan', 'Giá vé xem bóng đá tối nay bao nhiêu?');
    const unknown = await api('GET', '/questions/q-0000000000', token.staff);
    expect(unknown).toEqual({ status: 404, body: { error: { code: 'not-found', message: 'Không có câu hỏi q-0000000000.' } } });
    expect((await api('GET', '/questions/not-an-id', token.staff)).status).toBe(400);
    expect((await api('GET', '/questions?status=pending', token.staff)).status).toBe(400);
    expect((await api('POST', `/questions/${id}/answer`, token.staff, { text: 'Có', extra: 1 })).status).toBe(400);
    expect((await api('POST', `/questions/${id}/answer`, token.staff, {})).status).toBe(400);
    const empty = await api('POST', `/questions/${id}/answer`, token.staff, { text: '   ' });
    expect(empty).toEqual({
      status: 422,
      body: { error: { code: 'invalid', message: 'Chưa gửi được câu trả lời; xin kiểm tra lại:', problems: [{ field: 'text', message: 'Viết câu trả lời từ 1 đến 4000 ký tự.' }] } },
    });
    expect((await api('GET', `/questions/${id}`, token.staff)).body.status).toBe('open');
  });
});
