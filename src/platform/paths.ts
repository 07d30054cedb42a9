import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root, the same from `src/platform` (tsx, tests) and from `dist/platform` (built). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const localesDir = join(packageRoot, 'locales');
