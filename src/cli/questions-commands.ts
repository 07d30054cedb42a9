import type { Command } from 'commander';
import type { Actor } from '../accounts/actor.js';
import { AuditLog } from '../audit/audit-log.js';
import { Outbox } from '../channels/outbound/outbox.js';
import { loadKeyring } from '../platform/crypto/keyring.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { createTranslator } from '../platform/i18n.js';
import { wallClock } from '../platform/time-zone.js';
import { assembleQuestions } from '../questions/assemble.js';
import type { Questions } from '../questions/questions.js';
import { QUESTION_STATUSES, questionStatusSchema, type QuestionStatus, type QuestionView } from '../questions/schemas.js';
import { cliActor, cliLogger, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';
import { formatTable } from './table.js';

/** Enough of a question to recognise it in a table row. */
const LISTED_LENGTH = 60;

/** The questions module as the service builds it, acting as the operator at the console (admin). */
function withQuestions(ctx: CliContext, run: (questions: Questions, actor: Actor, timeZone: string) => Promise<void>): Promise<void> {
  return withDatastore(ctx, async (store, config) => {
    const box = new SealedBox(loadKeyring(config.secrets, cliLogger(config)));
    const outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
    const translator = await createTranslator(config.locale.default);
    const questions = assembleQuestions({ datastore: store, box, audit: new AuditLog(store.redis, store.prefix), outbox, translator, timeZone: config.timeZone });
    try {
      await run(questions, { name: cliActor(ctx.env), role: 'admin' }, config.timeZone);
    } finally {
      await questions.shutdown();
      await outbox.close();
    }
  });
}

function statusFrom(ctx: CliContext, value: string): QuestionStatus {
  const status = questionStatusSchema.safeParse(value);
  if (!status.success) throw new CliError(ctx.t('cli:errors.invalidInput', { field: '--status', problem: QUESTION_STATUSES.join(', ') }));
  return status.data;
}

function changed(ctx: CliContext, question: QuestionView): string {
  return ctx.t('questions:cli.changed', { id: question.id, status: ctx.t(`questions:cli.status.${question.status}`) });
}

export function registerQuestionsCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const group = program.command('questions').description(t('questions:cli.description'));

  group
    .command('list')
    .description(t('questions:cli.list.description'))
    .option('-s, --status <status>', t('questions:cli.list.status'))
    .action(async (flags: { status?: string }) => {
      const status = flags.status === undefined ? undefined : statusFrom(ctx, flags.status);
      await withQuestions(ctx, async (questions, actor, timeZone) => {
        const all = await questions.list(actor, status);
        if (all.length === 0) return ctx.out(t('questions:cli.list.empty'));
        const rows = all.map((q) => {
          const asked = wallClock(new Date(q.createdAt), timeZone);
          const text = q.text.replace(/\s+/g, ' ');
          return [q.id, t(`questions:cli.status.${q.status}`), `${asked.date} ${asked.time}`, q.locale, text.length > LISTED_LENGTH ? `${text.slice(0, LISTED_LENGTH)}…` : text];
        });
        for (const line of formatTable(t('questions:cli.list.header').split('|'), rows)) ctx.out(line);
      });
    });

  group
    .command('answer')
    .description(t('questions:cli.answer.description'))
    .argument('<id>', t('questions:cli.id'))
    .argument('<text...>', t('questions:cli.answer.text'))
    .action((id: string, words: string[]) =>
      withQuestions(ctx, async (questions, actor) => {
        ctx.out(changed(ctx, await questions.answer(id, words.join(' '), actor)));
        ctx.out(t('questions:cli.answer.sent'));
      }),
    );

  group
    .command('close')
    .description(t('questions:cli.close.description'))
    .argument('<id>', t('questions:cli.id'))
    .action((id: string) => withQuestions(ctx, async (questions, actor) => ctx.out(changed(ctx, await questions.close(id, actor)))));
}
