import type { z } from 'zod';
import type { TFunction } from '../platform/i18n.js';
import type { Problems } from './problems.js';
import { CLOCK_TIME, KEBAB_CASE } from './schemas.js';
import type { YamlSource } from './yaml-source.js';

function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`)).join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

/** Words a schema issue for the operator; zod's own messages are English and name regular expressions. */
function describe(issue: z.core.$ZodIssue, data: unknown, t: TFunction): string {
  const field = fieldName(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.path.length === 0) return t('content:schema.notMapping');
      if (valueAt(data, issue.path) === undefined) return t('content:schema.required', { field });
      return t('content:schema.invalidType', { field, expected: issue.expected });
    case 'invalid_value':
      return t('content:schema.invalidValue', { field, values: issue.values.map(String).join(', ') });
    case 'too_small':
      return issue.origin === 'array' ? t('content:schema.tooFew', { field, minimum: Number(issue.minimum) }) : t('content:schema.empty', { field });
    case 'invalid_format':
      if (issue.format === 'date') return t('content:schema.date', { field });
      if (issue.format === 'url') return t('content:schema.url', { field });
      if (issue.pattern === String(KEBAB_CASE)) return t('content:schema.kebabCase', { field });
      if (issue.pattern === String(CLOCK_TIME)) return t('content:schema.time', { field });
      break;
    case 'custom':
      if (issue.params?.reason === 'timezone') return t('content:schema.timezone', { field });
      if (issue.params?.reason === 'date-order') return t('content:schema.dateOrder', { field, after: String(issue.params.after) });
      break;
  }
  return t('content:schema.other', { field, problem: issue.message });
}

/** Validates parsed YAML, reporting each issue at the line of the key it is about; undefined when invalid. */
export function validate<T>(schema: z.ZodType<T>, source: YamlSource, file: string, problems: Problems, t: TFunction): T | undefined {
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.error(file, source.lineOf([...issue.path, key]), t('content:schema.unknownKey', { field: fieldName([...issue.path, key]) }));
    } else {
      problems.error(file, source.lineOf(issue.path), describe(issue, source.data, t));
    }
  }
  return undefined;
}
