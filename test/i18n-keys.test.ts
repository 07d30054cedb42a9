import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../src/platform/config.js';
import { readLocaleResources } from '../src/platform/i18n.js';
import { packageRoot } from '../src/platform/paths.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, path: string[] = []): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[...path, key].join('.')] : flatten(value, [...path, key]),
  );
}

function keysOf(lng: string): Set<string> {
  const resources = readLocaleResources()[lng] ?? {};
  return new Set(Object.entries(resources).flatMap(([ns, tree]) => flatten(tree as Tree).map((k) => `${ns}:${k}`)));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Keys are written out in full where they are used: `t('ns:key')`, or with a template whose variable part is one
 * segment (`t(\`cli:users.status.${status}\`)`), which must then match at least one existing key.
 */
const KEY_USE = /\bt\(\s*(['"`])([a-z][\w-]*:[\w.${}-]+)\1/g;
/** Domain errors and problems name their keys for the edge that words them: `new DomainError(kind, 'ns:key')`, `key: 'ns:key'`. */
const DOMAIN_KEY_USE = /(?:\bkey:\s*|DomainError\(\s*'[a-z-]+',\s*)(['"`])([a-z][\w-]*:[\w.${}-]+)\1/g;

function usedKeys(): Array<{ key: string; where: string }> {
  return sourceFiles(join(packageRoot, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(KEY_USE), ...text.matchAll(DOMAIN_KEY_USE)].map((m) => ({
      key: m[2]!,
      where: `${relative(packageRoot, file)}:${text.slice(0, m.index).split('\n').length}`,
    }));
  });
}

function exists(keys: Set<string>, used: string): boolean {
  if (used.includes('${')) {
    const pattern = new RegExp(`^${used.replace(/\./g, '\\.').replace(/\$\{[^}]+\}/g, '[\\w-]+')}$`);
    return [...keys].some((k) => pattern.test(k));
  }
  // Vietnamese has one plural form, so a counted key exists as `key_other`.
  return keys.has(used) || keys.has(`${used}_other`);
}

describe('locales', () => {
  const [first, ...others] = SUPPORTED_LOCALES;
  const reference = keysOf(first);

  it.each(others)('%s has exactly the keys of vi', (lng) => {
    const keys = keysOf(lng);
    expect([...reference].filter((k) => !keys.has(k)), `missing in ${lng}`).toEqual([]);
    expect([...keys].filter((k) => !reference.has(k)), `only in ${lng}`).toEqual([]);
  });

  it('has every key the code uses, in every language', () => {
    const used = usedKeys();
    expect(used.length).toBeGreaterThan(10);
    for (const lng of SUPPORTED_LOCALES) {
      const keys = keysOf(lng);
      const missing = used.filter(({ key }) => !exists(keys, key)).map(({ key, where }) => `${key} (${where})`);
      expect(missing, `missing in ${lng}`).toEqual([]);
    }
  });

  it('keeps interpolation variables the same across languages', () => {
    const resources = readLocaleResources();
    const variables = (lng: string, key: string) => {
      const [ns, path] = key.split(':') as [string, string];
      const value = path.split('.').reduce<unknown>((node, part) => (node as Tree)?.[part], resources[lng]?.[ns]);
      return [...String(value).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    };
    for (const key of reference) {
      for (const lng of others) expect(variables(lng, key), `${lng} ${key}`).toEqual(variables(first, key));
    }
  });
});
