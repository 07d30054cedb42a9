import { Router, type Request } from 'express';
import { ROLES } from '../../accounts/schemas.js';
import type { Locale } from '../../platform/config.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { wallClock } from '../../platform/time-zone.js';
import { campaignReport } from '../../reports/campaign-report.js';
import { choosePeriod } from '../../reports/period.js';
import { renderCsv } from '../../reports/render-csv.js';
import { renderHtml } from '../../reports/render-html.js';
import { renderMarkdown } from '../../reports/render-markdown.js';
import type { ReportSources } from '../../reports/sources.js';
import { consoleErrorHandler, consoleHeaders, consolePage, sendPage } from '../auth/console-http.js';
import type { RequireSession } from '../auth/require-session.js';
import { REPORTS_PATH } from '../dashboard/console-areas.js';
import { exportQuerySchema, reportQuerySchema, type ReportQuery } from './report-query.js';
import { EXPORT_PATH, reportPage } from './report-page.js';

export interface ReportConsoleParts {
  sources: ReportSources;
  translator: Translator;
  defaultLocale: Locale;
  logger: Logger;
}

/**
 * The campaign report in the console, for every role: it holds counts and durations only, never a tip's content or
 * anything that tells who wrote one, so ward leaders, staff and police can all read and print it.
 */
export function reportConsole(parts: ReportConsoleParts, requireSession: RequireSession): Router {
  const { sources, translator, defaultLocale, logger } = parts;
  const router = Router();
  const guard = requireSession(ROLES);
  const page = (req: Request) => consolePage(req, translator, defaultLocale);
  const campaigns = sources.library.campaigns.map((c) => c.campaign);
  const queryOf = (req: Request): ReportQuery | undefined => reportQuerySchema.safeParse(req.query).data;
  const chosen = (query: ReportQuery | undefined) => (query ? choosePeriod(query, campaigns, wallClock(sources.now(), sources.timeZone).date) : undefined);

  router.use(REPORTS_PATH, consoleHeaders);

  router.get(REPORTS_PATH, ...guard, async (req, res) => {
    const p = page(req);
    const query = queryOf(req);
    const choice = chosen(query);
    if (!query || !choice?.ok) {
      const problem = p.t(`console:reports.problems.${choice && !choice.ok ? choice.problem : 'period'}`);
      return sendPage(res, 422, reportPage(p, { query: query ?? {}, campaigns, csvNames: [], problem }));
    }
    const report = await campaignReport(sources, choice.period, choice.campaign?.id);
    const csvNames = renderCsv(report, p.t).map((file) => file.name);
    sendPage(res, 200, reportPage(p, { query, campaigns, report, csvNames }));
  });

  router.get(EXPORT_PATH, ...guard, async (req, res) => {
    const p = page(req);
    const query = queryOf(req);
    const choice = chosen(query);
    const wanted = exportQuerySchema.safeParse(req.query);
    if (!choice?.ok || !wanted.success) return sendPage(res, 422, reportPage(p, { query: query ?? {}, campaigns, csvNames: [], problem: p.t('console:reports.problems.export') }));
    const report = await campaignReport(sources, choice.period, choice.campaign?.id);
    const { format, table } = wanted.data;
    if (format === 'html') return res.type('html').send(renderHtml(report, p.t, p.locale));
    const base = `loaphuong-report-${report.period.from}-${report.period.to}`;
    if (format === 'md') return res.attachment(`${base}.md`).type('text/markdown; charset=utf-8').send(renderMarkdown(report, p.t, p.locale));
    const file = renderCsv(report, p.t)[(table ?? 1) - 1];
    if (!file) return sendPage(res, 404, reportPage(p, { query: query ?? {}, campaigns, csvNames: [], problem: p.t('console:reports.problems.export') }));
    res.attachment(file.name).type('text/csv; charset=utf-8').send(file.content);
  });

  router.use(REPORTS_PATH, consoleErrorHandler(logger, page));
  return router;
}
