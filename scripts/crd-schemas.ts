/**
 * npm run schemas:crds: derive the strict schemas in schemas/crds/ from the CRDs the pinned charts
 * and git sources install. Every env is hydrated (`hydrate --format json`, charts from the chart
 * mirror as chartMirror() finds it: --chart-mirror DIR, $CATALYST_CHART_MIRROR or package.json
 * catalyst.chartMirror); each strict file whose kind and version a hydrated CRD serves is aligned
 * with it (scripts/lib/verify/api-server/pinned-schemas.ts deriveStrict: fields, types, enums,
 * patterns, bounds, required; the deliberate differences of schemas/crds/README.md kept), and
 * schemas/crds/pinned-sources.json records, per file, the CRD it was derived from (chart or git
 * source at its pinned version) and the digest of that CRD version's schema. A file no pinned
 * source serves keeps following the shared reference copy (../shared/crds, see its SOURCES.md).
 * `--check`: write nothing, exit 1 when a file or the record would change (CI; `check` reports the
 * same as CEL003 for each env it hydrates).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths.ts';
import { readLock } from './lib/verify/hydration/index.ts';
import { deriveStrict, pinnedReferences, referenceDigest } from './lib/verify/api-server/index.ts';

export const SCHEMA_DIR = 'schemas/crds';
export const PINNED_SOURCES = `${SCHEMA_DIR}/pinned-sources.json`;

interface Hydrated {
  applications: { objects: { source: string; object: unknown }[] }[];
}

function hydrateAll(args: string[]): { obj: unknown; source: string }[] {
  const out = execFileSync(process.execPath, [join(ROOT, 'bin/catalyst.mjs'), 'hydrate', '--format', 'json', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] });
  const doc = JSON.parse(out) as Hydrated;
  return doc.applications.flatMap((a) => a.objects.map((o) => ({ obj: o.object, source: o.source })));
}

const strictFiles = (): string[] =>
  readdirSync(join(ROOT, SCHEMA_DIR), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, SCHEMA_DIR, d.name)).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
    .sort();

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * The charts.lock.yaml digest of the chart or git source a hydrated object came from
 * (`helm:<chart>@<version>/...`, `git:<repoURL>@<revision>/<path>`): a new pin or new bytes
 * behind one change it, and test/verify/api-server/pinned-schemas.test.ts then asks for this
 * script to run again.
 */
export function lockDigestOf(source: string, root = ROOT): string | undefined {
  const lock = readLock(root);
  const helm = /^helm:([^@]+)@([^/]+)\//.exec(source);
  if (helm) return lock?.charts.find((c) => c.chart === helm[1] && c.version === helm[2])?.digest;
  const git = /^git:(.+?)@([^/]+)\/(.*)$/.exec(source);
  if (git) return lock?.git.find((g) => g.repoURL === git[1] && g.revision === git[2] && git[3]!.startsWith(g.path))?.digest;
  return undefined;
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const refs = pinnedReferences(hydrateAll(argv.filter((a) => a !== '--check')));
  const record: Record<string, { source: string; lock: string; sha256: string }> = {};
  const stale: string[] = [];
  for (const file of strictFiles()) {
    const pinned = refs.get(file);
    if (!pinned) continue;
    const path = join(ROOT, SCHEMA_DIR, file);
    const before = readFileSync(path, 'utf8');
    const after = json(deriveStrict(JSON.parse(before) as Record<string, unknown>, pinned.ref));
    record[file] = { source: pinned.source, lock: lockDigestOf(pinned.source) ?? 'not in charts.lock.yaml', sha256: referenceDigest(pinned.ref) };
    if (after === before) continue;
    stale.push(file);
    if (!check) writeFileSync(path, after);
  }
  const recordText = json(record);
  const recordPath = join(ROOT, PINNED_SOURCES);
  let old = '';
  try {
    old = readFileSync(recordPath, 'utf8');
  } catch {
    // first run
  }
  if (old !== recordText) {
    stale.push(PINNED_SOURCES);
    if (!check) writeFileSync(recordPath, recordText);
  }
  const verb = check ? 'differ from the pinned CRDs (run npm run schemas:crds)' : 'derived again from the pinned CRDs';
  process.stdout.write(stale.length ? `schemas:crds: ${stale.length} file(s) ${verb}:\n${stale.map((f) => `  ${f}\n`).join('')}` : `schemas:crds: ${Object.keys(record).length} strict schema(s) match their pinned CRDs\n`);
  return check && stale.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
