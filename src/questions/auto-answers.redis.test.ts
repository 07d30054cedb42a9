import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shippedLibrary } from '../../test/support/broadcasts.js';
import { questionHarness, staffMember, type QuestionHarness } from '../../test/support/questions.js';
import { placeholderValues } from '../content/placeholder-values.js';
import { QuestionAnswering } from '../content/qa/question-answering.js';
import { questionHandler } from '../conversations/question-handler.js';
import type { CommandHandler, Conversation } from '../conversations/router.js';

let h: QuestionHarness;
let qa: QuestionAnswering;
let onText: CommandHandler;

beforeEach(async () => {
  h = await questionHarness();
  qa = new QuestionAnswering((await shippedLibrary()).qa);
  onText = questionHandler({ qa, redis: h.store.redis, prefix: h.store.prefix, box: h.box, questions: h.questions, placeholders: (locale) => placeholderValues(h.config, locale, h.translator.t(locale)) });
});

afterEach(async () => {
  await h.close();
});

async function send(chatId: string, text: string): Promise<string[]> {
  const replies: string[] = [];
  const conversation: Conversation = {
    message: { platform: 'sandbox', updateId: randomBytes(4).toString('hex'), chat: { id: chatId, kind: 'private' }, sender: { id: chatId }, kind: 'text', text, sentAt: Date.now() },
    locale: 'vi',
    t: h.translator.t('vi'),
    tFor: (locale) => h.translator.t(locale),
    reply: async (reply) => void replies.push(reply),
  };
  await onText(conversation, text);
  return replies;
}

const answeredOn = (...days: string[]) => h.questions.deps.store.answeredAutomatically(days);

describe('the count of questions answered automatically', () => {
  it('counts each answer from the knowledge base on its day on the ward’s clock, and nothing passed to staff', async () => {
    const chat = `private-${randomBytes(4).toString('hex')}`;
    const confident = 'so dien thoai cong an phuong la gi';
    const unanswerable = 'giá vé xem bóng đá tối nay bao nhiêu';
    expect([qa.answer(confident).confidence, qa.answer('vay von sau cai nghien').confidence, qa.answer(unanswerable).confidence]).toEqual(['high', 'medium', 'none']);

    // 23:59 on 1 June in Hà Nội.
    h.clock.now = new Date('2026-06-01T16:59:00Z');
    await send(chat, confident);
    // Suggestions are not an answer yet; the number picked from them is.
    await send(chat, 'vay von sau cai nghien');
    expect(await answeredOn('2026-06-01')).toBe(1);
    h.clock.now = new Date('2026-06-01T17:00:00Z');
    await send(chat, '1');
    await send(chat, unanswerable);

    expect(await answeredOn('2026-06-01')).toBe(1);
    expect(await answeredOn('2026-06-02')).toBe(1);
    expect(await answeredOn('2026-05-31', '2026-06-01', '2026-06-02', '2026-06-03')).toBe(2);
    expect((await h.questions.list(staffMember)).map((q) => q.text)).toEqual([unanswerable]);
  });
});
