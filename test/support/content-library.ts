import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A campaign file that loads without a problem. */
export const SMALL_CAMPAIGN = `id: c1
organisation: { vi: "Phường A", en: "Ward A" }
name: { vi: "Tháng hành động", en: "Action month" }
theme: { vi: "Chủ đề", en: "Theme" }
period: { from: 2026-06-01, to: 2026-06-30 }
timezone: Asia/Ho_Chi_Minh
audiences: [residents, workers]
key_dates: []
milestones: []
source: { vi: "Kế hoạch", en: "Plan" }
`;

/** Its calendar: two dated entries and a weekly one, sending m-one and m-two. */
export const SMALL_CALENDAR = `default_time: "07:30"
entries:
  - date: 2026-06-01
    message: m-one
  - date: 2026-06-02
    at: "19:30"
    message: m-two
weekly:
  - weekday: monday
    at: "19:00"
    message: m-one
`;

/** A message item of the small campaign. */
export const smallMessage = (id: string) => `---
id: ${id}
topic: campaign
audience: [residents]
tags: [thang-hanh-dong]
valid_from: 2026-06-01
sources:
  - title: "Kế hoạch"
---
## vi
Kính gửi bà con {{ward_name}}!

## en
Dear residents of {{ward_name}}!
`;

/** A question-and-answer entry. */
export const smallAnswer = (id: string) => `---
id: ${id}
topic: bot-usage
questions:
  vi: ["Dùng bot thế nào?", "Có lệnh gì?"]
  en: ["How do I use the bot?", "What commands are there?"]
---
## vi
Gõ /togiac để báo tin.

## en
Type /togiac to send a tip.
`;

/** A small library that loads without a problem: one campaign with two messages and a calendar, one Q&A entry. */
export const SMALL_LIBRARY: Readonly<Record<string, string>> = {
  'c1/campaign.yaml': SMALL_CAMPAIGN,
  'c1/calendar.yaml': SMALL_CALENDAR,
  'c1/messages/m-one.md': smallMessage('m-one'),
  'c1/messages/m-two.md': smallMessage('m-two'),
  'qa/q-one.md': smallAnswer('q-one'),
};

/** Writes `files` (paths relative to the folder) into a fresh temporary folder and returns it; the caller removes it. */
export async function writeContentFolder(files: Readonly<Record<string, string | Uint8Array>>, stem = 'loaphuong-content-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), stem));
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  return dir;
}
