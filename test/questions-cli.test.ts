import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { runCli, RUNS_CLI } from './support/cli.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  service = await startTestService({ DEFAULT_LOCALE: 'en' });
  // Warnings about the test Redis's persistence settings are not what these commands are about.
  env = { ...service.env, LOG_LEVEL: 'error' };
});

afterAll(async () => {
  await service?.stop();
});

const resident = { platform: 'sandbox', chatId: 'private-bac-tam', locale: 'vi' } as const;
/** Each command is a process of its own, a second or more apiece, and slower on a busy machine. */
describe('loaphuong questions', RUNS_CLI, () => {
  it('lists waiting questions, answers one into the resident’s chat and closes another', async () => {
    const first = await service.questions.ask('Bao giờ phường sửa đèn đường ngõ 5 Lạch Tray?', resident, 'unanswered');
    const second = await service.questions.ask('Phường có lớp tập huấn cho phụ huynh không?', { ...resident, chatId: 'private-co-mai' }, 'asked');

    const listed = await runCli(['questions', 'list', '--status', 'open'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +STATUS +ASKED +LANGUAGE +QUESTION$/);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/)[0])).toEqual([first.id, second.id]);
    expect(lines[1]).toMatch(/waiting +\d{4}-\d\d-\d\d \d\d:\d\d +vi +Bao giờ phường sửa đèn đường ngõ 5 Lạch Tray\?$/);
    expect(listed.stdout).not.toContain('private-bac-tam');

    const answered = await runCli(['questions', 'answer', first.id, 'Tuần này phường sẽ sửa.'], env);
    expect(answered).toMatchObject({ code: 0, stderr: '', stdout: `${first.id}: answered.\nThe answer is on its way to the resident.\n` });
    const sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
    await expect.poll(async () => (await sandbox.transcript('private-bac-tam')).map((e) => e.text), { timeout: 10_000 }).toEqual([
      'Cán bộ phường trả lời câu hỏi của bạn:\n«Bao giờ phường sửa đèn đường ngõ 5 Lạch Tray?»\n\nTuần này phường sẽ sửa.',
    ]);

    expect(await runCli(['questions', 'close', second.id], env)).toMatchObject({ code: 0, stdout: `${second.id}: closed.\n` });
    expect(await runCli(['questions', 'list', '--status', 'open'], env)).toMatchObject({ code: 0, stdout: 'No questions.\n' });
  });

  it('says clearly what is wrong with a bad status, an unknown question or one already answered', async () => {
    const bad = await runCli(['questions', 'list', '--status', 'pending'], env);
    expect(bad).toMatchObject({ code: 1, stderr: 'Error: --status: open, answered, closed\n' });
    const unknown = await runCli(['questions', 'answer', 'q-0000000000', 'Có.'], env);
    expect(unknown).toMatchObject({ code: 1, stderr: 'Error: There is no question q-0000000000.\n' });

    const { id } = await service.questions.ask('Xe buýt đi Đồ Sơn mấy giờ chạy?', { ...resident, chatId: 'private-anh-duc' }, 'unanswered');
    await service.questions.answer(id, 'Sáu giờ sáng.', { name: 'lan.staff', role: 'staff' });
    expect(await runCli(['questions', 'answer', id, 'Bảy giờ.'], env)).toMatchObject({ code: 1, stderr: `Error: Question ${id} has already been answered.\n` });
  });
});
