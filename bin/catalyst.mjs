#!/usr/bin/env node
/**
 * Start the CLI without compiling TypeScript at run time: `npm ci` (the `prepare` hook) builds
 * scripts/ into dist/, and this runs dist/scripts/cli.js. When any source is newer than its
 * compiled file (an edit or a checkout since the last build; or no build at all), it runs the
 * sources through tsx instead and says so once, so a stale dist/ is never what runs.
 * The check stats each scripts/**.ts and its .js (about 100 files, ~2 ms).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The first source whose compiled file is missing or older, or undefined when dist/ is current. */
function staleSource(dir, rel) {
  for (const e of readdirSync(join(root, dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      const s = staleSource(dir, r);
      if (s) return s;
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
      const js = join(root, 'dist', dir, r.replace(/\.ts$/, '.js'));
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(join(root, dir, r)).mtimeMs) return `${dir}/${r}`;
    }
  }
  return undefined;
}

const stale = process.env.CATALYST_FROM_SOURCE ? 'CATALYST_FROM_SOURCE' : staleSource('scripts', '');
let entry = join(root, 'dist', 'scripts', 'cli.js');
if (stale) {
  const json = process.argv.some((a, i) => a === '--format=json' || (a === '--format' && process.argv[i + 1] === 'json'));
  if (!process.env.CATALYST_FROM_SOURCE && !json) {
    const why = existsSync(join(root, 'dist', 'scripts', 'cli.js')) ? `dist/ is older than ${stale}` : 'dist/ is not built';
    process.stderr.write(`catalyst: ${why}; running from source (npm run build makes it fast again)\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'scripts', 'cli.ts');
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
