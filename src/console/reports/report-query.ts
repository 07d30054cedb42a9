import { z } from 'zod';
import { isoDateSchema } from '../../content/schemas.js';
import { REPORT_FORMATS } from '../../reports/schemas.js';

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);

/** The report page's form: a campaign's period, or days typed in; both left empty means the default period. */
export const reportQuerySchema = z.object({
  campaign: z.preprocess(blankIsAbsent, z.string().max(100).optional()),
  from: z.preprocess(blankIsAbsent, isoDateSchema.optional()),
  to: z.preprocess(blankIsAbsent, isoDateSchema.optional()),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const exportQuerySchema = z.object({
  format: z.enum(REPORT_FORMATS),
  /** Which CSV table, by its place in the report (1 = the first). */
  table: z.coerce.number().int().min(1).max(100).optional(),
});
