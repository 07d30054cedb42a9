import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;

beforeEach(async () => {
  service = await startTestService({ POLICE_CHAT: 'sandbox:group-cong-an-phuong', DEFAULT_LOCALE: 'vi' });
});

afterEach(async () => {
  await service.stop();
});

async function transcriptOf(chatId: string, count: number) {
  const sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
  for (let waited = 0; waited < 10_000; waited += 50) {
    const entries = await sandbox.transcript(chatId);
    if (entries.length >= count) return entries;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${count} messages in ${chatId}`);
}

describe('the police chat notice', () => {
  it('names the tip and its category, and nothing of what it says or who sent it', async () => {
    const what = 'Có người bán thuốc lắc ở quán cà phê đầu ngõ 12 mỗi tối thứ bảy';
    const { id, code } = await service.tips.submit(
      { category: 'trade', where: 'ngõ 12 Lạch Tray', when: 'tối thứ bảy', what },
      { kind: 'chat', platform: 'sandbox', chatId: 'private-chi-lan', locale: 'vi' },
    );
    await service.tips.addFromTipster(code, 'Bổ sung: có xe máy biển 15B1', { kind: 'chat', platform: 'sandbox', chatId: 'private-chi-lan' });

    const notices = (await transcriptOf('group-cong-an-phuong', 2)).map((e) => e.text);
    expect(notices).toEqual([
      `Có tố giác mới ${id} (mua bán ma túy). Mở bảng điều khiển để xem.`,
      `Người gửi tố giác ${id} (mua bán ma túy) vừa nhắn thêm. Mở bảng điều khiển để xem.`,
    ]);
    for (const notice of notices) {
      for (const secret of [what, 'ngõ 12', 'tối thứ bảy', '15B1', code, 'chi-lan']) expect(notice).not.toContain(secret);
    }
  });
});
