import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { TFunction } from '../platform/i18n.js';
import { checkCalendar } from './calendar-checks.js';
import { splitItemFile } from './item-file.js';
import { Problems, type ContentProblem } from './problems.js';
import { validate } from './schema-problems.js';
import {
  calendarSchema,
  campaignSchema,
  messageFrontMatterSchema,
  qaFrontMatterSchema,
  type Calendar,
  type Campaign,
  type ContentLibrary,
  type Localised,
  type MessageItem,
  type QaEntry,
} from './schemas.js';
import { readSections } from './text-checks.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

export type { ContentProblem } from './problems.js';

export interface LoadLibraryOptions {
  /** Words the problems in the operator's language. */
  t: TFunction;
}

export interface LoadedLibrary {
  /** Only what passed every check: a caller that acts on it should refuse to run while any problem is an error. */
  library: ContentLibrary;
  /** Sorted by file, then line. */
  problems: ContentProblem[];
}

/** A file read as far as it would go: `value` is set only when the file itself has no error. */
interface Parsed<T> {
  file: string;
  value: T | undefined;
  source: YamlSource;
}

/** A message or answer file, with the id it declares even when the rest is broken. */
interface ParsedItem<T> extends Parsed<T> {
  id: string | undefined;
}

interface ParsedCampaign {
  folder: string;
  campaign: Parsed<Campaign> | undefined;
  calendar: Parsed<Calendar> | undefined;
  messages: Array<ParsedItem<MessageItem>>;
}

const QA_FOLDER = 'qa';

class LibraryReader {
  readonly problems = new Problems();

  constructor(
    private readonly dir: string,
    private readonly t: TFunction,
  ) {}

  /** Lists entries of a folder, sorted so that problems and the library come out in a stable order. */
  async list(rel: string, want: 'folders' | 'markdown'): Promise<string[]> {
    const entries = await readdir(join(this.dir, rel), { withFileTypes: true });
    return entries
      .filter((e) => (want === 'folders' ? e.isDirectory() && !e.name.startsWith('.') : e.isFile() && e.name.endsWith('.md')))
      .map((e) => e.name)
      .sort();
  }

  async readText(file: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') this.problems.error(file, 1, this.t('content:problems.missingFile'));
      else this.problems.error(file, 1, this.t('content:problems.unreadable', { reason: code ?? String(err) }));
      return undefined;
    }
  }

  parse(file: string, text: string, firstLine = 1): YamlSource | undefined {
    const parsed = parseYaml(text, firstLine);
    if (parsed.ok) return parsed.source;
    this.problems.error(file, parsed.line, this.t('content:problems.yaml', { problem: parsed.problem }));
    return undefined;
  }

  async readYamlFile<T>(file: string, schema: z.ZodType<T>): Promise<Parsed<T> | undefined> {
    const text = await this.readText(file);
    const source = text === undefined ? undefined : this.parse(file, text);
    if (!source) return undefined;
    return { file, source, value: validate(schema, source, file, this.problems, this.t) };
  }

  /** Reads front matter and body; `combine` builds the item once both are valid. */
  async readItem<F extends { id: string }, T>(
    file: string,
    schema: z.ZodType<F>,
    combine: (frontMatter: F, text: Localised) => T,
  ): Promise<ParsedItem<T> | undefined> {
    const text = await this.readText(file);
    if (text === undefined) return undefined;
    const split = splitItemFile(text);
    if (!split.ok) {
      const message = split.reason === 'unclosed' ? this.t('content:problems.frontMatterUnclosed') : this.t('content:problems.frontMatterMissing');
      this.problems.error(file, split.line, message);
      return undefined;
    }
    const source = this.parse(file, split.item.frontMatter, split.item.frontMatterLine);
    if (!source) return undefined;

    const frontMatter = validate(schema, source, file, this.problems, this.t);
    const body = readSections(split.item, file, this.problems, this.t);
    const data = source.data as { id?: unknown } | null;
    const id = typeof data?.id === 'string' ? data.id : undefined;
    const expected = basename(file, '.md');
    if (id !== undefined && id !== expected) {
      this.problems.error(file, source.lineOf(['id']), this.t('content:problems.idNotFileName', { id, expected }));
    }
    const value = frontMatter && body && !this.problems.hasErrorIn(file) ? combine(frontMatter, body) : undefined;
    return { file, id, source, value };
  }

  async readCampaign(folder: string): Promise<ParsedCampaign> {
    const campaign = await this.readYamlFile(`${folder}/campaign.yaml`, campaignSchema);
    if (campaign?.value && campaign.value.id !== folder) {
      this.problems.error(campaign.file, campaign.source.lineOf(['id']), this.t('content:problems.idNotFolderName', { id: campaign.value.id, expected: folder }));
      campaign.value = undefined;
    }
    const calendar = await this.readYamlFile(`${folder}/calendar.yaml`, calendarSchema);
    const names = await this.list(`${folder}/messages`, 'markdown').catch(() => []);
    const messages: Array<ParsedItem<MessageItem>> = [];
    for (const name of names) {
      const item = await this.readItem(`${folder}/messages/${name}`, messageFrontMatterSchema, (front, text): MessageItem => ({ ...front, text }));
      if (item) messages.push(item);
    }
    return { folder, campaign, calendar, messages };
  }

  /** Ids name messages and answers alike (links, statistics), so they are unique across the whole library. */
  rejectDuplicateIds(items: Array<ParsedItem<unknown>>): void {
    const first = new Map<string, string>();
    for (const item of [...items].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      if (item.id === undefined) continue;
      const other = first.get(item.id);
      if (other === undefined) {
        first.set(item.id, item.file);
        continue;
      }
      this.problems.error(item.file, item.source.lineOf(['id']), this.t('content:problems.duplicateId', { id: item.id, other }));
      item.value = undefined;
    }
  }

  /** Checks each message against its campaign: audiences it may address, dates it may be sent on. */
  checkMessage(item: ParsedItem<MessageItem>, campaign: Campaign): void {
    const message = item.value;
    if (!message) return;
    const before = this.problems.list.length;
    message.audience.forEach((audience, i) => {
      if (!campaign.audiences.includes(audience)) {
        this.problems.error(item.file, item.source.lineOf(['audience', i]), this.t('content:problems.audienceNotInCampaign', { audience, audiences: campaign.audiences.join(', ') }));
      }
    });
    const { from, to } = campaign.period;
    for (const field of ['valid_from', 'valid_to'] as const) {
      const date = message[field];
      if (date !== undefined && (date < from || date > to)) {
        this.problems.error(item.file, item.source.lineOf([field]), this.t('content:problems.validOutsidePeriod', { field, date, from, to }));
      }
    }
    if (this.problems.list.length !== before) item.value = undefined;
  }

  assemble(parsed: ParsedCampaign): ContentLibrary['campaigns'][number] | undefined {
    const campaign = parsed.campaign?.value;
    const campaignFile = parsed.campaign?.file;
    if (!campaign || campaignFile === undefined) return undefined;
    for (const item of parsed.messages) this.checkMessage(item, campaign);
    const messages = parsed.messages.flatMap((item) => (item.value ? [item.value] : []));
    const calendar = parsed.calendar;
    if (!calendar?.value) return undefined;
    const checked = checkCalendar(calendar.value, {
      file: calendar.file,
      source: calendar.source,
      campaign,
      declaredIds: new Set(parsed.messages.flatMap((item) => [basename(item.file, '.md'), ...(item.id === undefined ? [] : [item.id])])),
      messages: new Map(messages.map((m) => [m.id, m])),
      problems: this.problems,
      t: this.t,
    });
    if (this.problems.hasErrorIn(campaignFile) || this.problems.hasErrorIn(calendar.file)) return undefined;
    return { campaign, messages, calendar: checked };
  }
}

/** Reads the content folder: campaign folders (campaign.yaml, calendar.yaml, messages/*.md) and the shared qa/*.md. */
export async function loadLibrary(dir: string, options: LoadLibraryOptions): Promise<LoadedLibrary> {
  const reader = new LibraryReader(dir, options.t);
  let folders: string[];
  try {
    folders = await reader.list('.', 'folders');
  } catch (err) {
    reader.problems.error('.', 1, options.t('content:problems.unreadable', { reason: (err as NodeJS.ErrnoException).code ?? String(err) }));
    return { library: { campaigns: [], qa: [] }, problems: reader.problems.sorted() };
  }

  const campaigns: ParsedCampaign[] = [];
  for (const folder of folders.filter((f) => f !== QA_FOLDER)) campaigns.push(await reader.readCampaign(folder));
  const qa: Array<ParsedItem<QaEntry>> = [];
  const qaNames = folders.includes(QA_FOLDER) ? await reader.list(QA_FOLDER, 'markdown') : [];
  for (const name of qaNames) {
    const item = await reader.readItem(`${QA_FOLDER}/${name}`, qaFrontMatterSchema, (front, answer): QaEntry => ({ ...front, answer }));
    if (item) qa.push(item);
  }

  reader.rejectDuplicateIds([...campaigns.flatMap((c) => c.messages), ...qa]);
  const library: ContentLibrary = {
    campaigns: campaigns.flatMap((c) => {
      const assembled = reader.assemble(c);
      return assembled ? [assembled] : [];
    }),
    qa: qa.flatMap((item) => (item.value ? [item.value] : [])),
  };
  return { library, problems: reader.problems.sorted() };
}
