import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { domainFailure } from '../../test/support/domain-errors.js';
import { admin, approver, police, questionHarness, staffMember, type QuestionHarness } from '../../test/support/questions.js';
import { silentLogger } from '../../test/support/redis.js';
import { everythingStored } from '../../test/support/stored.js';
import { QUESTIONS_QUEUE, startQuestionWorker } from './question-queue.js';
import { QUESTION_LIMITS, type ReplyRoute } from './schemas.js';

let h: QuestionHarness;

beforeEach(async () => {
  h = await questionHarness();
});

afterEach(async () => {
  await h.close();
});

const chat = (chatId = `private-${randomBytes(4).toString('hex')}`, locale: 'vi' | 'en' = 'vi'): ReplyRoute => ({ platform: 'sandbox', chatId, locale });
/** A question nobody else asks, so a test can find it (or not) anywhere. */
const uniqueQuestion = (stem = 'Khi nào phường tổ chức buổi tư vấn cai nghiện cho gia đình') => `${stem} số ${randomBytes(4).toString('hex')}?`;

describe('queueing a question', () => {
  it('stores it open, queues a job that names only its id, and audits it without what was asked', async () => {
    const text = uniqueQuestion();
    const from = chat();
    const record = await h.questions.ask(`  ${text}\n`, from, 'unanswered');
    expect(record).toEqual({ id: expect.stringMatching(/^q-[0-9a-f]{10}$/), status: 'open', reason: 'unanswered', createdAt: h.clock.now.toISOString() });

    const jobs = await h.questions.deps.queue.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((job) => ({ id: job.id, data: job.data }))).toEqual([{ id: `question.${record.id}`, data: { questionId: record.id } }]);
    expect(h.questions.deps.queue.queue.name).toBe(QUESTIONS_QUEUE);

    const [view] = await h.questions.list(staffMember);
    expect(view).toEqual({ ...record, text, locale: 'vi' });
    const received = (await h.audit.latest(10)).find((e) => e.action === 'question.received')!;
    expect(received).toMatchObject({ actor: 'resident', subject: `question:${record.id}`, details: { reason: 'unanswered', platform: 'sandbox', locale: 'vi' } });
    expect(JSON.stringify(received)).not.toContain(from.chatId);
  });

  it('keeps what was asked, the answer and the chat sealed: none of it is in Redis in clear', async () => {
    const chatId = `private-nguyen-van-an-0912${randomBytes(3).toString('hex')}`;
    const text = uniqueQuestion('Con tôi học lớp 9 trường Ngô Quyền, làm sao biết cháu có dùng thuốc lá điện tử không');
    const answer = `Chị mang cháu đến trạm y tế phường, phòng số ${randomBytes(3).toString('hex')}.`;
    const { id } = await h.questions.ask(text, chat(chatId), 'asked');
    await h.questions.answer(id, answer, staffMember);

    const everything = await everythingStored(h.store.redis, h.store.prefix);
    expect(everything).toContain(id);
    for (const secret of [chatId, text, text.slice(0, 30), answer, answer.slice(0, 30)]) expect(everything).not.toContain(secret);
    // Sealed does not mean lost: staff read both back, and the answer went to the chat.
    expect(await h.questions.get(id, staffMember)).toMatchObject({ text, answer, status: 'answered' });
  });

  it('takes at most five questions an hour from one chat, and others are not held up by it', async () => {
    const flood = chat();
    for (let i = 0; i < 5; i++) await h.questions.ask(uniqueQuestion(), flood, 'unanswered');
    const refused = await domainFailure(h.questions.ask(uniqueQuestion(), flood, 'asked'));
    expect(refused).toMatchObject({ kind: 'rate-limited', key: 'questions:errors.tooMany', params: { max: 5 } });
    await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    expect((await h.questions.list(staffMember)).length).toBe(6);

    // The counter is kept under a keyed hash of the chat, for an hour from the first question.
    const counters = await h.store.redis.keys(`${h.store.prefix}:questions:count:*`);
    expect(counters).toHaveLength(2);
    for (const key of counters) {
      expect(key).not.toContain(flood.chatId);
      expect(await h.store.redis.ttl(key)).toBeGreaterThan(3500);
    }
  });

  it('does not queue the same question from the same chat twice in a day, however it is typed', async () => {
    const from = chat();
    await h.questions.ask('Giờ tiếp dân của Công an phường là mấy giờ?', from, 'unanswered');
    const again = await domainFailure(h.questions.ask('gio tiep dan cua cong an phuong la may gio', from, 'asked'));
    expect(again).toMatchObject({ kind: 'conflict', key: 'questions:errors.repeated' });
    // A repeat does not use up the chat's hourly questions ...
    for (let i = 0; i < 4; i++) await h.questions.ask(uniqueQuestion(), from, 'unanswered');
    // ... and someone else may ask the same.
    await h.questions.ask('Giờ tiếp dân của Công an phường là mấy giờ?', chat(), 'unanswered');
    expect((await h.questions.list(staffMember)).length).toBe(6);
  });

  it('refuses a question too short to pass on or too long, and queues nothing', async () => {
    for (const text of ['', '   ', '1', 'ok', '???', 'cảm']) {
      expect(await domainFailure(h.questions.ask(text, chat(), 'asked'))).toMatchObject({ kind: 'invalid', key: 'questions:errors.tooShort' });
    }
    const huge = 'Xin hỏi '.padEnd(QUESTION_LIMITS.text + 1, 'a');
    expect(await domainFailure(h.questions.ask(huge, chat(), 'asked'))).toMatchObject({ kind: 'invalid', key: 'questions:errors.tooLong', params: { max: 2000 } });
    expect(await h.questions.list(staffMember)).toEqual([]);
    expect(await h.questions.deps.queue.queue.count()).toBe(0);

    const longest = 'Xin hỏi '.padEnd(QUESTION_LIMITS.text, 'a');
    await h.questions.ask(longest, chat(), 'asked');
    expect((await h.questions.list(staffMember)).map((q) => q.text)).toEqual([longest]);
  });
});

describe('ward staff', () => {
  it('list open questions oldest first, then the rest, and can filter by status', async () => {
    const asked: string[] = [];
    for (const minute of [0, 1, 2]) {
      h.clock.now = new Date(Date.parse('2026-06-01T01:00:00.000Z') + minute * 60_000);
      asked.push((await h.questions.ask(uniqueQuestion(), chat(), 'unanswered')).id);
    }
    await h.questions.answer(asked[0]!, 'Thứ Hai đến thứ Sáu, 7:30 đến 17:00.', staffMember);
    expect((await h.questions.list(staffMember)).map((q) => [q.id, q.status])).toEqual([
      [asked[1], 'open'],
      [asked[2], 'open'],
      [asked[0], 'answered'],
    ]);
    expect((await h.questions.list(admin, 'answered')).map((q) => q.id)).toEqual([asked[0]]);
    expect(await h.questions.list(staffMember, 'closed')).toEqual([]);
  });

  it('answer in the resident’s chat, in the resident’s language, once', async () => {
    const from = chat(undefined, 'en');
    const text = uniqueQuestion('When does the ward hold the next parents meeting about drugs');
    const { id } = await h.questions.ask(text, from, 'asked');
    h.clock.now = new Date('2026-06-01T03:00:00.000Z');
    const view = await h.questions.answer(id, '  On Saturday 13 June at 8:00, in the ward hall.  ', staffMember);
    expect(view).toMatchObject({ id, status: 'answered', answeredAt: '2026-06-01T03:00:00.000Z', answeredBy: 'lan.staff', answer: 'On Saturday 13 June at 8:00, in the ward hall.', locale: 'en' });

    const deliveries = await h.store.redis.keys(`${h.store.prefix}:channels:outbound:question-answer.${id}.*`);
    expect(deliveries).toHaveLength(1);
    const deliveryId = deliveries[0]!.slice(`${h.store.prefix}:channels:outbound:`.length);
    expect(await h.outbox.payload(deliveryId)).toEqual({
      chatId: from.chatId,
      chatKind: 'private',
      message: { kind: 'text', text: `Ward staff answered your question:\n“${text}”\n\nOn Saturday 13 June at 8:00, in the ward hall.` },
    });
    const job = await h.outbox.queue('sandbox').getJob(deliveryId);
    expect(job?.data).toEqual({ id: deliveryId });

    const again = await domainFailure(h.questions.answer(id, 'Another answer', admin));
    expect(again).toMatchObject({ kind: 'conflict', key: 'questions:errors.alreadyAnswered', params: { id } });
    expect(await h.outbox.queue('sandbox').count()).toBe(1);
  });

  it('quote a long question only in part when answering', async () => {
    const text = `Xin hỏi ${'rất '.repeat(100)}dài`;
    const { id } = await h.questions.ask(text, chat(), 'asked');
    await h.questions.answer(id, 'Cảm ơn bạn.', staffMember);
    const [key] = await h.store.redis.keys(`${h.store.prefix}:channels:outbound:question-answer.${id}.*`);
    const sent = await h.outbox.payload(key!.slice(`${h.store.prefix}:channels:outbound:`.length));
    expect(sent?.message).toEqual({ kind: 'text', text: `Cán bộ phường trả lời câu hỏi của bạn:\n«${text.slice(0, 200)}…»\n\nCảm ơn bạn.` });
  });

  it('leave the question open when the answer could not be sent, so it can be answered again', async () => {
    const { id } = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    const send = vi.spyOn(h.outbox, 'send').mockRejectedValueOnce(new Error('connection lost'));
    await expect(h.questions.answer(id, 'Bạn đến trụ sở phường nhé.', staffMember)).rejects.toThrow('connection lost');
    const waiting = await h.questions.get(id, staffMember);
    expect(waiting.status).toBe('open');
    expect(waiting).not.toHaveProperty('answer');
    expect(waiting).not.toHaveProperty('answeredBy');

    send.mockRestore();
    expect((await h.questions.answer(id, 'Bạn đến trụ sở phường nhé.', staffMember)).status).toBe('answered');
    expect(await h.outbox.queue('sandbox').count()).toBe(1);
  });

  it('close questions that need no answer, once; a closed question cannot be answered', async () => {
    const open = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    const answered = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    await h.questions.answer(answered.id, 'Đã trả lời.', staffMember);
    h.clock.now = new Date('2026-06-02T01:00:00.000Z');
    expect(await h.questions.close(open.id, admin)).toMatchObject({ status: 'closed', closedAt: '2026-06-02T01:00:00.000Z', closedBy: 'quan.tri' });
    expect(await h.questions.close(answered.id, staffMember)).toMatchObject({ status: 'closed', answeredBy: 'lan.staff', answer: 'Đã trả lời.' });
    expect(await domainFailure(h.questions.close(open.id, staffMember))).toMatchObject({ kind: 'conflict', key: 'questions:errors.alreadyClosed' });
    expect(await domainFailure(h.questions.answer(open.id, 'Muộn rồi.', staffMember))).toMatchObject({ kind: 'conflict', key: 'questions:errors.alreadyClosed' });
    expect(await h.outbox.queue('sandbox').count()).toBe(1);
  });

  it('get a clear error for an unknown question or an empty or overlong answer', async () => {
    for (const attempt of [h.questions.get('q-0000000000', staffMember), h.questions.answer('q-0000000000', 'Có.', staffMember), h.questions.close('q-0000000000', staffMember)]) {
      expect(await domainFailure(attempt)).toMatchObject({ kind: 'not-found', key: 'questions:errors.notFound', params: { id: 'q-0000000000' } });
    }
    const { id } = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    for (const text of ['', '  \n ', 'x'.repeat(QUESTION_LIMITS.answer + 1)]) {
      const err = await domainFailure(h.questions.answer(id, text, staffMember));
      expect(err).toMatchObject({ kind: 'invalid', problems: [{ field: 'text', key: 'questions:problems.answer', params: { max: 4000 } }] });
    }
    expect((await h.questions.get(id, staffMember)).status).toBe('open');
  });

  it('are the only ones who may read or answer questions: not the police, not approvers', async () => {
    const { id } = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
    for (const actor of [police, approver]) {
      const attempts = [h.questions.list(actor), h.questions.get(id, actor), h.questions.answer(id, 'Có.', actor), h.questions.close(id, actor)];
      for (const attempt of attempts) expect(await domainFailure(attempt)).toMatchObject({ kind: 'forbidden', key: 'questions:errors.forbidden', params: { role: actor.role } });
    }
    expect((await h.questions.get(id, staffMember)).status).toBe('open');
  });

  it('leave an audit entry for every read and change, naming who, never what was asked or answered', async () => {
    const text = uniqueQuestion();
    const { id } = await h.questions.ask(text, chat(), 'unanswered');
    await h.questions.list(staffMember, 'open');
    await h.questions.get(id, admin);
    await h.questions.answer(id, 'Câu trả lời bí mật số 42.', staffMember);
    await h.questions.close(id, admin);
    const entries = (await h.audit.latest(10)).reverse();
    expect(entries.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['resident', 'question.received', `question:${id}`],
      ['lan.staff', 'question.listed', 'questions'],
      ['quan.tri', 'question.read', `question:${id}`],
      ['lan.staff', 'question.answered', `question:${id}`],
      ['quan.tri', 'question.closed', `question:${id}`],
    ]);
    expect(entries[1]!.details).toEqual({ count: 1, status: 'open' });
    expect(JSON.stringify(entries)).not.toMatch(/bí mật|tư vấn cai nghiện/);
  });
});

describe('the staff notice', () => {
  it('tells the staff chat a question waits, by its id alone, and nothing once it is answered', async () => {
    const { store, outbox, translator } = h.questions.deps;
    const worker = startQuestionWorker({ store, outbox, translator, staffChat: { platform: 'sandbox', chatId: 'group-can-bo-phuong', locale: 'vi' }, connection: h.store.connect('worker'), prefix: h.store.prefix, logger: silentLogger() });
    try {
      const text = uniqueQuestion();
      const waiting = await h.questions.ask(text, chat(), 'asked');
      await expect.poll(() => h.outbox.payload(`question-notice.${waiting.id}`), { timeout: 5_000 }).toEqual({
        chatId: 'group-can-bo-phuong',
        chatKind: 'group',
        message: { kind: 'text', text: `Có người dân muốn hỏi trực tiếp cán bộ phường (câu hỏi ${waiting.id}). Mở bảng điều khiển để xem và trả lời.` },
      });

      await worker.pause();
      const handled = await h.questions.ask(uniqueQuestion(), chat(), 'unanswered');
      await h.questions.close(handled.id, staffMember);
      worker.resume();
      const job = await h.questions.deps.queue.queue.getJob(`question.${handled.id}`);
      await expect.poll(async () => (await job?.getState()) ?? 'gone', { timeout: 5_000 }).toBe('completed');
      expect((await h.questions.deps.queue.queue.getJob(`question.${handled.id}`))?.returnvalue).toBe('not waiting');
      expect(await h.outbox.payload(`question-notice.${handled.id}`)).toBeUndefined();
    } finally {
      await worker.close();
    }
  });
});
