import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/platform/paths.js';

let built: Promise<string> | undefined;

/**
 * The `loaphuong` command as installed runs the compiled `dist/cli/main.js`, not the sources through tsx (whose
 * loader adds about 40 MB of RSS), so the benchmarks compile the sources once per run, as `npm run build` does, into
 * a temporary folder laid out like the package (dist, locales, content, package.json, node_modules) so that the
 * package root resolves the same. The folder goes when the bench process exits. Resolves with the path of main.js.
 */
export function builtCli(): Promise<string> {
  return (built ??= build());
}

async function build(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'lpb-build-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  for (const shared of ['locales', 'content', 'node_modules']) symlinkSync(join(packageRoot, shared), join(root, shared));
  copyFileSync(join(packageRoot, 'package.json'), join(root, 'package.json'));

  process.stderr.write('building the service (tsc -p tsconfig.build.json) into a temporary folder\n');
  const tsc = fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
  const child = spawn(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.build.json'), '--outDir', join(root, 'dist'), '--sourceMap', 'false'], {
    cwd: packageRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  const main = join(root, 'dist', 'cli', 'main.js');
  // tsc emits despite type errors; only a missing entry point stops the bench, a type error is worth a warning.
  if (!existsSync(main)) throw new Error(`the build produced no dist/cli/main.js:\n${output}`);
  if (code !== 0) process.stderr.write(`tsc reported type errors (the bench runs what it emitted):\n${output}`);
  return main;
}
