#!/usr/bin/env node
/**
 * Start the CLI without compiling TypeScript at run time: `npm ci` (the `prepare` hook) builds
 * scripts/ into dist/, and this runs dist/scripts/cli.js. When the sources differ from those dist/
 * was built from (by content: bin/dist-sources.mjs; an edit, a checkout, a `touch -d` alike; or no
 * build at all), it runs the sources through tsx instead and says so once, so a stale dist/ is
 * never what runs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { staleSource } from './dist-sources.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

const stale = process.env.CATALYST_FROM_SOURCE ? 'CATALYST_FROM_SOURCE' : staleSource(root);
let entry = join(root, 'dist', 'scripts', 'cli.js');
if (stale) {
  const json = process.argv.some((a, i) => a === '--format=json' || (a === '--format' && process.argv[i + 1] === 'json'));
  if (!process.env.CATALYST_FROM_SOURCE && !json) {
    process.stderr.write(`catalyst: ${stale}; running from source (npm run build makes it fast again)\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'scripts', 'cli.ts');
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
