import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shippedLibrary } from '../../test/support/broadcasts.js';
import { questionHarness, staffMember, type QuestionHarness } from '../../test/support/questions.js';
import type { ChatKind } from '../channels/channel.js';
import { placeholderValues } from '../content/placeholder-values.js';
import { QuestionAnswering } from '../content/qa/question-answering.js';
import { askStaffCommand, questionHandler, type QuestionHandlerDeps } from '../conversations/question-handler.js';
import type { CommandHandler, Conversation } from '../conversations/router.js';

const OFFICE_HOURS = '7:30–17:00, thứ Hai đến thứ Sáu';
/** Questions the shipped knowledge base has nothing on (checked in each test that uses them). */
const UNANSWERABLE = ['giá vé xem bóng đá tối nay bao nhiêu', 'bao giờ sửa đèn đường ngõ 5 Lạch Tray', 'xe buýt đi Đồ Sơn mấy giờ chạy'];

let h: QuestionHarness;
let qa: QuestionAnswering;
let deps: QuestionHandlerDeps;
let onText: CommandHandler;
let hoi: CommandHandler;

beforeEach(async () => {
  h = await questionHarness({ WARD_OFFICE_HOURS: OFFICE_HOURS });
  qa = new QuestionAnswering((await shippedLibrary()).qa);
  deps = { qa, redis: h.store.redis, prefix: h.store.prefix, box: h.box, questions: h.questions, placeholders: (locale) => placeholderValues(h.config, locale, h.translator.t(locale)) };
  onText = questionHandler(deps);
  hoi = askStaffCommand(deps);
});

afterEach(async () => {
  await h.close();
});

const newChat = () => `private-${randomBytes(4).toString('hex')}`;

/** Runs a handler as the router would for one message, and returns what the bot answered. */
async function send(handler: CommandHandler, chatId: string, text: string, kind: ChatKind = 'private'): Promise<string[]> {
  const replies: string[] = [];
  const conversation: Conversation = {
    message: { platform: 'sandbox', updateId: randomBytes(4).toString('hex'), chat: { id: chatId, kind }, sender: { id: chatId }, kind: 'text', text, sentAt: Date.now() },
    locale: 'vi',
    t: h.translator.t('vi'),
    tFor: (locale) => h.translator.t(locale),
    reply: async (reply) => void replies.push(reply),
  };
  await handler(conversation, text);
  return replies;
}

const queued = () => h.questions.list(staffMember);

describe('a question the knowledge base cannot answer', () => {
  it('goes to ward staff, and the resident is told they will answer here within office hours', async () => {
    const chatId = newChat();
    expect(qa.answer(UNANSWERABLE[0]!).confidence).toBe('none');
    expect(await send(onText, chatId, UNANSWERABLE[0]!)).toEqual([
      `Xin lỗi, Loa Phường chưa có câu trả lời cho câu hỏi này. Câu hỏi của bạn đã được chuyển tới cán bộ phường; cán bộ sẽ trả lời bạn ngay tại đây, thường trong giờ làm việc của phường (${OFFICE_HOURS}). Khẩn cấp, gọi ngay 113.`,
    ]);
    expect(await queued()).toEqual([expect.objectContaining({ text: UNANSWERABLE[0], reason: 'unanswered', status: 'open', locale: 'vi' })]);
  });

  it('is answered in English when asked in English', async () => {
    const question = 'when is the next football match on tv';
    expect(qa.answer(question).confidence).toBe('none');
    const [reply] = await send(onText, newChat(), question);
    expect(reply).toMatch(/^Sorry, Loa Phường has no answer to that question yet\. Your question has been passed to ward staff/);
    expect((await queued())[0]).toMatchObject({ text: question, locale: 'en' });
  });

  it('is not passed on when it is too little to be a question', async () => {
    expect(await send(onText, newChat(), '1')).toEqual([h.translator.t('vi')('bot:qa.unknown')]);
    expect(await send(onText, newChat(), '   ')).toEqual([h.translator.t('vi')('bot:qa.empty')]);
    expect(await queued()).toEqual([]);
  });

  it('is refused politely when huge, and nothing is queued', async () => {
    const [reply] = await send(onText, newChat(), `Xin hỏi ${'về đèn đường '.repeat(200)}`);
    expect(reply).toBe('Câu hỏi dài quá 2000 ký tự. Bạn vui lòng viết ngắn gọn hơn, hoặc chia thành vài câu hỏi.');
    expect(await queued()).toEqual([]);
  });
});

describe('a question the knowledge base can answer', () => {
  it('is answered by the bot and not queued', async () => {
    const question = 'so dien thoai cong an phuong la gi';
    expect(qa.answer(question).confidence).toBe('high');
    const [reply] = await send(onText, newChat(), question);
    expect(reply).not.toMatch(/cán bộ phường; cán bộ sẽ trả lời/);
    expect(reply).toMatch(/Công an phường|công an phường/);
    expect(await queued()).toEqual([]);
  });
});

describe('asking for a person', () => {
  it('with /hoi passes the question to staff, even one the bot could answer', async () => {
    const question = 'số điện thoại công an phường là gì';
    expect(await send(hoi, newChat(), question)).toEqual([
      `Cảm ơn bạn. Câu hỏi của bạn đã được chuyển tới cán bộ phường; cán bộ sẽ trả lời bạn ngay tại đây, thường trong giờ làm việc của phường (${OFFICE_HOURS}). Khẩn cấp, gọi ngay 113.`,
    ]);
    expect(await queued()).toEqual([expect.objectContaining({ text: question, reason: 'asked' })]);
  });

  it('in words ("gặp cán bộ") asks what about, and the next message goes to staff', async () => {
    const chatId = newChat();
    for (const text of ['Cho em GẶP CÁN BỘ với!', 'gap can bo']) {
      expect(await send(onText, chatId, text)).toEqual(['Bạn muốn hỏi cán bộ phường điều gì? Hãy gõ câu hỏi trong tin nhắn tiếp theo, cán bộ sẽ trả lời bạn ngay tại đây.']);
    }
    expect(await queued()).toEqual([]);
    const question = 'so dien thoai cong an phuong la gi';
    expect(await send(onText, chatId, question)).toEqual([expect.stringMatching(/^Cảm ơn bạn\. Câu hỏi của bạn đã được chuyển tới cán bộ phường/)]);
    expect(await queued()).toEqual([expect.objectContaining({ text: question, reason: 'asked' })]);
    // Only the one next message: after it, the bot answers what it knows again.
    expect((await send(onText, chatId, question))[0]).not.toMatch(/cán bộ phường/);
  });

  it('in words together with the question passes it on at once, and in English too', async () => {
    expect(await send(onText, newChat(), 'Hỏi cán bộ: khi nào phường thu phí vệ sinh')).toEqual([expect.stringMatching(/^Cảm ơn bạn\./)]);
    expect(await send(onText, newChat(), 'talk to a person please')).toEqual(['What would you like to ask ward staff? Type your question in your next message, and they will answer you right here.']);
    expect(await send(hoi, newChat(), '')).toEqual([expect.stringMatching(/^Bạn muốn hỏi cán bộ phường điều gì\?/)]);
    expect((await queued()).map((q) => q.text)).toEqual(['Hỏi cán bộ: khi nào phường thu phí vệ sinh']);
  });

  it('with /hoi in a group only says how to ask privately, without repeating or keeping what was written', async () => {
    const secret = 'nhà số 12 ngõ 5 có người lạ ra vào';
    const replies = await send(hoi, 'group-to-dan-pho-3', secret, 'group');
    expect(replies).toEqual(['Để hỏi cán bộ phường, bạn hãy nhắn riêng cho Loa Phường: gõ /hoi rồi viết câu hỏi.']);
    expect(replies.join()).not.toContain('ngõ 5');
    expect(await queued()).toEqual([]);
  });
});

describe('spam control in the chat', () => {
  it('queues at most five questions an hour from one chat and says so politely after that', async () => {
    const chatId = newChat();
    for (let i = 1; i <= 5; i++) expect((await send(hoi, chatId, `câu hỏi số ${i} về lịch họp tổ dân phố`))[0]).toMatch(/^Cảm ơn bạn\./);
    expect(await send(hoi, chatId, 'câu hỏi số 6 về lịch họp tổ dân phố')).toEqual([
      'Bạn đã gửi 5 câu hỏi cho cán bộ phường trong một giờ qua. Cán bộ sẽ trả lời lần lượt; bạn vui lòng chờ một lúc rồi hỏi tiếp nhé.',
    ]);
    expect(qa.answer(UNANSWERABLE[1]!).confidence).toBe('none');
    expect((await send(onText, chatId, UNANSWERABLE[1]!))[0]).toMatch(/^Bạn đã gửi 5 câu hỏi/);
    expect(await queued()).toHaveLength(5);
  });

  it('does not queue the same text from the same chat twice in a day', async () => {
    const chatId = newChat();
    expect(qa.answer(UNANSWERABLE[2]!).confidence).toBe('none');
    await send(onText, chatId, UNANSWERABLE[2]!);
    expect(await send(onText, chatId, UNANSWERABLE[2]!.toUpperCase())).toEqual(['Câu hỏi này đã được chuyển tới cán bộ phường rồi. Cán bộ sẽ trả lời bạn ngay tại đây.']);
    expect(await send(hoi, chatId, UNANSWERABLE[2]!)).toEqual(['Câu hỏi này đã được chuyển tới cán bộ phường rồi. Cán bộ sẽ trả lời bạn ngay tại đây.']);
    expect(await queued()).toHaveLength(1);
  });
});
