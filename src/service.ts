import type { Worker } from 'bullmq';
import type { Express, Router } from 'express';
import { ApiTokens } from './accounts/api-tokens.js';
import { UserStore } from './accounts/user-store.js';
import { AuditLog } from './audit/audit-log.js';
import { assembleBroadcasts } from './broadcasts/assemble.js';
import { broadcastRoutes } from './broadcasts/broadcast-routes.js';
import type { Broadcasts } from './broadcasts/broadcasts.js';
import { startBroadcastWorker } from './broadcasts/occurrence-worker.js';
import { assembleTips } from './tips/assemble.js';
import { tipChat } from './tips/conversation/tip-commands.js';
import { startTipWorker } from './tips/tip-notices.js';
import { tipRoutes } from './tips/tip-routes.js';
import type { Tips } from './tips/tips.js';
import { tipFormRoutes } from './tips/web/tip-form-routes.js';
import { ChannelLayer } from './channels/channel-layer.js';
import { adminConsole } from './console/admin/admin-console.js';
import { DashboardFigures } from './console/dashboard/dashboard-figures.js';
import { dashboardConsole } from './console/dashboard/dashboard-routes.js';
import { consoleAuthentication } from './console/auth/login-routes.js';
import { policeConsole } from './console/police/police-routes.js';
import { reportConsole } from './console/reports/report-routes.js';
import { staffLibraryConsole } from './console/staff/library-routes.js';
import { staffConsole } from './console/staff/staff-routes.js';
import { platformBundles } from './channels/platform-bundles.js';
import { sandboxRoutes } from './channels/sandbox/sandbox-routes.js';
import { SandboxStore } from './channels/sandbox/sandbox-store.js';
import { loadLibrary } from './content/load-library.js';
import { campaignMilestones } from './milestones/campaign-milestones.js';
import { startMilestoneNotices } from './milestones/start-milestone-notices.js';
import { placeholderValues, tipFormUrl } from './content/placeholder-values.js';
import { QuestionAnswering } from './content/qa/question-answering.js';
import { askStaffCommand, questionHandler, type QuestionHandlerDeps } from './conversations/question-handler.js';
import { assembleQuestions } from './questions/assemble.js';
import { startQuestionWorker } from './questions/question-queue.js';
import { questionRoutes } from './questions/question-routes.js';
import type { Questions } from './questions/questions.js';
import { MessageRouter } from './conversations/router.js';
import { GroupRegistry } from './groups/group-registry.js';
import { RegistrationCodes } from './groups/registration-codes.js';
import { registrationCommand } from './groups/registration-command.js';
import type { Config } from './platform/config.js';
import { loadKeyring } from './platform/crypto/keyring.js';
import { SealedBox } from './platform/crypto/sealed-box.js';
import { apiRouter } from './platform/http/api-router.js';
import { createApp } from './platform/http/app.js';
import { withPlatformRoutes } from './platform/http/platform-routes.js';
import { bearerToken } from './platform/http/authenticate.js';
import { listen, type Listening } from './platform/http/server.js';
import { createTranslator } from './platform/i18n.js';
import { Lifecycle } from './platform/lifecycle.js';
import type { Logger } from './platform/logger.js';
import { metricsRoutes } from './platform/metrics/metrics-routes.js';
import { ServiceMetrics } from './platform/metrics/service-metrics.js';
import { reportSourcesOn } from './reports/sources.js';
import { Readiness, redisProbe, workersProbe, type RunningWorker } from './platform/readiness.js';
import { Datastore } from './platform/redis/datastore.js';

/** `serve`: requests and workers; `web`: requests only, with workers in `worker` processes; `worker`: workers only. */
export type ServiceMode = 'serve' | 'web' | 'worker';

export interface Service {
  config: Config;
  datastore: Datastore;
  lifecycle: Lifecycle;
  readiness: Readiness;
  channels: ChannelLayer;
  groups: GroupRegistry;
  broadcasts: Broadcasts;
  tips: Tips;
  questions: Questions;
  workers: RunningWorker[];
  http: Listening | undefined;
  /** The express app behind `http` (the webhooks are answered ahead of it). */
  app: Express | undefined;
}

/**
 * The composition root: opens the datastore, starts the workers and (in `serve` mode) the pollers and the HTTP
 * server, and registers each for shutdown in reverse order — HTTP stops taking requests first, workers finish
 * their jobs, the datastore closes last.
 */
export async function startService(config: Config, logger: Logger, mode: ServiceMode): Promise<Service> {
  const lifecycle = new Lifecycle(logger);
  const datastore = await Datastore.open(config, logger);
  lifecycle.onShutdown('datastore', () => datastore.close());
  try {
    return await assemble(config, logger, mode, datastore, lifecycle);
  } catch (err) {
    await lifecycle.shutdown('start-up failed');
    throw err;
  }
}

async function assemble(config: Config, logger: Logger, mode: ServiceMode, datastore: Datastore, lifecycle: Lifecycle): Promise<Service> {
  const { redis, prefix } = datastore;
  const box = new SealedBox(loadKeyring(config.secrets, logger));
  const translator = await createTranslator(config.locale.default);
  const t = translator.t(config.locale.default);
  const audit = new AuditLog(redis, prefix);
  const sandbox = new SandboxStore(redis, prefix);
  const metrics = new ServiceMetrics(logger);

  const channels = new ChannelLayer(datastore, box, await platformBundles(config, { sandbox, redis, prefix, logger }), logger, config.workerStallMs, metrics);
  lifecycle.onShutdown('channels', () => channels.close());
  const { library, problems } = await loadLibrary(config.contentDir, { t });
  const errors = problems.filter((p) => p.severity === 'error');
  // Broken items are left out and the rest is served; `loaphuong content check` says what to fix.
  if (errors.length > 0) logger.error({ errors: errors.length, first: `${errors[0]!.file}:${errors[0]!.line}` }, 'content library has errors');
  const qa = new QuestionAnswering(library.qa);

  const groups = new GroupRegistry(redis, prefix, audit);
  const tips = assembleTips({ datastore, box, audit, outbox: channels.outbox, translator });
  const tipChats = tipChat({ tips, redis, prefix, box, timeZone: config.timeZone, formUrl: tipFormUrl(config) });
  const questions = assembleQuestions({ datastore, box, audit, outbox: channels.outbox, translator, timeZone: config.timeZone });
  const questionDeps: QuestionHandlerDeps = { qa, redis, prefix, box, questions, placeholders: (locale) => placeholderValues(config, locale, translator.t(locale)) };
  const router = new MessageRouter(channels.outbox, translator, config.locale.default)
    .command('dangky', registrationCommand(new RegistrationCodes(redis, prefix), groups, channels.chatStatus))
    .command('togiac', tipChats.start)
    .command('huy', tipChats.cancel)
    .command('ma', tipChats.code)
    .command('hoi', askStaffCommand(questionDeps))
    .onPrivateText(tipChats.before(questionHandler(questionDeps)));
  const runWorkers = mode !== 'web';
  const workers: Worker[] = runWorkers ? channels.startWorkers(router.handle, (platform, chatId, reason) => groups.markUnreachable(platform, chatId, reason)) : [];
  /** Keeps a worker that was started where the readiness probe and the metrics look for it. */
  const started = <W extends Worker>(worker: W | undefined): W | undefined => {
    if (worker) workers.push(worker);
    return worker;
  };
  const broadcasts = assembleBroadcasts({ datastore, outbox: channels.outbox, groups, audit, library, config, translator, logger, platforms: channels.platforms });
  const broadcastWorker = started(runWorkers ? startBroadcastWorker({ broadcasts, connection: datastore.connect('worker'), prefix, stallMs: config.workerStallMs, logger }) : undefined);
  lifecycle.onShutdown('broadcasts', async () => {
    await broadcastWorker?.close();
    await broadcasts.close();
  });
  const policeChat = config.tips.policeChat && { ...config.tips.policeChat, locale: config.locale.default };
  const tipWorker = started(runWorkers ? startTipWorker({ tips, policeChat, retentionDays: config.tips.retentionDays, connection: datastore.connect('worker'), prefix, stallMs: config.workerStallMs, logger }) : undefined);
  await tips.deps.queue.scheduleRetention();
  lifecycle.onShutdown('tips', async () => {
    await tipWorker?.close();
    await tips.close();
  });
  const staffChat = config.staffChat && { ...config.staffChat, locale: config.locale.default };
  const questionWorker = started(runWorkers ? startQuestionWorker({ store: questions.deps.store, outbox: channels.outbox, translator, staffChat, connection: datastore.connect('worker'), prefix, stallMs: config.workerStallMs, logger }) : undefined);
  lifecycle.onShutdown('questions', async () => {
    await questionWorker?.close();
    await questions.shutdown();
  });
  const milestones = campaignMilestones(library);
  const milestoneNotices = await startMilestoneNotices({ datastore, milestones, outbox: channels.outbox, translator, staffChat, timeZone: config.timeZone, quietHours: config.quietHours, stallMs: config.workerStallMs, logger, runWorker: runWorkers });
  started(milestoneNotices.worker);
  lifecycle.onShutdown('milestones', async () => {
    await milestoneNotices.worker?.close();
    await milestoneNotices.queue.close();
  });
  metrics.queues.watchWorkers(workers);

  const readiness = new Readiness();
  readiness.add('redis', redisProbe(redis));
  readiness.add('workers', workersProbe(() => workers));

  let http: Listening | undefined;
  let app: Express | undefined;
  if (mode !== 'worker') {
    channels.startPollers();
    const routers: Router[] = [];
    if (config.channels.sandbox.enabled) routers.push(sandboxRoutes(sandbox, channels.inbox, t, config.locale.default, config.timeZone));
    routers.push(tipFormRoutes({ tips, box, translator, defaultLocale: config.locale.default, timeZone: config.timeZone, logger }));
    const users = new UserStore(redis, prefix, audit, undefined, box);
    const secureCookies = config.publicUrl?.startsWith('https://') ?? false;
    const consoleAuth = consoleAuthentication({ redis, prefix, box, users, audit, translator, defaultLocale: config.locale.default, secureCookies, logger });
    routers.push(consoleAuth.routes);
    const reportSources = reportSourcesOn(datastore, { box, audit, library, config });
    routers.push(dashboardConsole({ figures: new DashboardFigures(reportSources), translator, defaultLocale: config.locale.default, logger }, consoleAuth.requireSession));
    routers.push(reportConsole({ sources: reportSources, translator, defaultLocale: config.locale.default, logger }, consoleAuth.requireSession));
    // Console pages, each behind `consoleAuth.requireSession(roles)`:
    routers.push(staffConsole({ broadcasts, groups, translator, defaultLocale: config.locale.default, timeZone: config.timeZone, platforms: channels.platforms, logger }, consoleAuth.requireSession));
    routers.push(staffLibraryConsole({ library, broadcasts, placeholders: questionDeps.placeholders, translator, defaultLocale: config.locale.default, timeZone: config.timeZone, logger }, consoleAuth.requireSession));
    routers.push(policeConsole({ tips, audit, translator, defaultLocale: config.locale.default, timeZone: config.timeZone, logger }, consoleAuth.requireSession));
    const queues = [...channels.platforms.map((p) => channels.outbox.queue(p)), channels.inbox.queue, broadcasts.deps.triggers.queue, tips.deps.queue.queue, questions.deps.queue.queue, milestoneNotices.queue.queue];
    metrics.queues.watchQueues(queues);
    routers.push(metricsRoutes({ metrics, token: config.metrics.token, translator, defaultLocale: config.locale.default }));
    routers.push(adminConsole({ users, audit, queues, translator, defaultLocale: config.locale.default, timeZone: config.timeZone, logger }, consoleAuth.requireSession));

    const tokens = new ApiTokens(redis, prefix, box, users, audit);
    routers.push(
      apiRouter({
        authenticators: [bearerToken(tokens)],
        translator,
        defaultLocale: config.locale.default,
        logger,
        resources: { broadcasts: broadcastRoutes(broadcasts, config.timeZone), tips: tipRoutes(tips, config.timeZone), questions: questionRoutes(questions) },
      }),
    );
    app = createApp({ readiness, logger, routers, trustedProxies: config.http.trustedProxies });
    http = await listen(withPlatformRoutes(app, [channels.webhookRoute()]), config.http.host, config.http.port);
    const server = http;
    lifecycle.onShutdown('http', () => server.close());
    logger.info({ url: `http://${config.http.host}:${http.port}`, platforms: channels.platforms }, 'listening');
  }
  if (runWorkers) logger.info({ workers: workers.map((w) => w.name) }, 'workers started');
  return { config, datastore, lifecycle, readiness, channels, groups, broadcasts, tips, questions, workers, http, app };
}
