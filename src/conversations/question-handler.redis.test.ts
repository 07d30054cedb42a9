import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test/support/service.js';
import { SandboxStore } from '../channels/sandbox/sandbox-store.js';
import { loadLibrary } from '../content/load-library.js';
import { placeholderValues } from '../content/placeholder-values.js';
import { renderText } from '../content/render.js';
import { createTranslator } from '../platform/i18n.js';
import { shippedContentDir } from '../platform/paths.js';

let service: TestService;
let sandbox: SandboxStore;
let updates = 0;

beforeAll(async () => {
  service = await startTestService({ WARD_NAME: 'phường Lê Chân', WARD_NAME_EN: 'Le Chan Ward', WARD_POLICE_PHONE: '0225 1234 567' });
  sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
});
afterAll(() => service.stop());

async function ask(chatId: string, text: string): Promise<string> {
  const before = (await sandbox.transcript(chatId)).length;
  await service.channels.inbox.accept({
    platform: 'sandbox', updateId: `q${++updates}`, chat: { id: chatId, kind: 'private' }, sender: { id: chatId }, kind: 'text', text, sentAt: Date.now(),
  });
  await expect.poll(async () => (await sandbox.transcript(chatId)).length, { timeout: 5_000 }).toBe(before + 1);
  return (await sandbox.transcript(chatId)).at(-1)!.text;
}

describe('questions in a private chat', () => {
  it('answers from the knowledge base with the ward’s own facts filled in, in the asker’s language', async () => {
    const vi = await ask('private-an', 'so dien thoai cong an phuong la gi');
    expect(vi).toContain('0225 1234 567');
    expect(vi).not.toMatch(/\{\{|\}\}/);
    const en = await ask('private-an', 'what is the ward police phone number');
    expect(en).toContain('0225 1234 567');
    expect(en).toMatch(/police/i);
  });

  it('says so politely when it has no answer, without inventing one', async () => {
    expect(await ask('private-binh', 'giá vé xem bóng đá tối nay bao nhiêu')).toMatch(/^Xin lỗi, Loa Phường chưa có câu trả lời/);
  });

  it('offers numbered suggestions for a likely question and answers the one picked', async () => {
    const chat = 'private-chi';
    const offer = await ask(chat, 'vay von sau cai nghien');
    expect(offer).toMatch(/^Có phải bạn muốn hỏi một trong những điều sau\? Trả lời bằng số:\n1\. .+\n2\. .+/);
    const picked = await ask(chat, '1');
    const { library } = await loadLibrary(shippedContentDir, { t: (await createTranslator('vi')).t('vi') });
    const loans = library.qa.find((e) => e.id === 'vay-von-sau-cai-nghien')!;
    expect(picked).toBe(renderText(loans.answer.vi, placeholderValues(service.config, 'vi', (await createTranslator('vi')).t('vi'))));
    // The same number from someone else, who was offered nothing, is just an unanswerable message.
    expect(await ask('private-dung', '1')).toMatch(/^Xin lỗi/);
  });
});
