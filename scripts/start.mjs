// `npm start`, `npm run emulator`, `npm run sync`: the compiled entry in this very process, so
// that SIGTERM and SIGINT reach its drain, with dist/ compiled first when it is missing or older
// than what it is compiled from. Plain Node on purpose: it runs before anything is built.
//
//   node scripts/start.mjs [gateway|emulator|sync] [entry arguments…]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const entries = { gateway: 'main.js', emulator: 'emulator/main.js', sync: 'sync/main.js' };
/** What changes every compiled file when it changes. */
const buildInputs = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'].map((file) => join(root, file));

const name = process.argv[2] ?? 'gateway';
const entry = Object.hasOwn(entries, name) ? entries[name] : null;
if (entry === null) {
  process.stderr.write(`usage: node scripts/start.mjs [${Object.keys(entries).join('|')}]\n`);
  process.exit(2);
}

const stale = staleOutput();
if (stale !== null) {
  process.stderr.write(`compiling src/ into dist/ (${stale})\n`);
  // The type check is `npm run typecheck` and CI's business; starting needs the JavaScript only,
  // which every file yields on its own (isolatedModules), in half the time.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write(`tsc failed (${build.signal ?? `exit ${build.status}`}): not starting\n`);
    process.exit(1);
  }
}

// Stack traces in the logs name src/ lines, through the maps the build writes beside dist/.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(join(dist, entry)).href);

/**
 * Why dist/ must be compiled again, or null when it is current: every source file has its
 * JavaScript, at least as new as the file and as the lock file and compiler settings. Checking
 * file by file also catches a build that was stopped halfway.
 */
function staleOutput() {
  const inputsChanged = Math.max(...buildInputs.map(modified));
  for (const file of sourceFiles(src)) {
    const output = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
    const built = modified(output);
    if (built === -Infinity) return `${relative(root, output)} is missing`;
    if (built < modified(file)) return `${relative(root, file)} changed`;
    if (built < inputsChanged) return 'package-lock.json or tsconfig changed';
  }
  return null;
}

function* sourceFiles(dir) {
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) yield* sourceFiles(path);
    else if (item.name.endsWith('.ts') && !item.name.endsWith('.d.ts')) yield path;
  }
}

function modified(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -Infinity;
  }
}
