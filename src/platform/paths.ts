import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root, the same from `src/platform` (tsx, tests) and from `dist/platform` (built). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const localesDir = join(packageRoot, 'locales');
/** The content library shipped with the package, served unless CONTENT_DIR points elsewhere. */
export const shippedContentDir = join(packageRoot, 'content');
