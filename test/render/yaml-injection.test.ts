/**
 * Values that try to inject YAML into rendered output: each case folder of test/cases/ with an
 * `environments/<case>-b.yaml` baseline (the same settings, harmless values) renders to files
 * that parse to the same objects and keys as the baseline's, with no Secret, and every string
 * of the case comes out verbatim.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlainObject } from '../../scripts/lib/config/merge.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { loadProject, renderOne } from '../../scripts/lib/render/environment.ts';
import { CASES_DIR, caseNames } from '../helpers/cases.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

const injectionCases = caseNames().filter((n) => existsSync(join(CASES_DIR, n, 'environments', `${n}-b.yaml`)));

/** Same keys, same list lengths, same scalar types, recursively (string values may differ). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (isPlainObject(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, shape(v[k])]));
  return v === null ? 'null' : typeof v;
}

function strings(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => strings(x, out));
  return out;
}

/** Objects that look like Kubernetes objects of a kind, anywhere in a value. */
function objectsOfKind(v: unknown, kind: string): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => objectsOfKind(x, kind));
  if (!isPlainObject(v)) return [];
  const self = v.kind === kind && typeof v.apiVersion === 'string' ? [v] : [];
  return [...self, ...Object.values(v).flatMap((x) => objectsOfKind(x, kind))];
}

function parseFiles(files: Map<string, string>): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const [f, text] of files) {
    if (!f.endsWith('.yaml')) continue;
    const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) expect(d.errors, f).toEqual([]);
    out.set(f, list.map((d) => d.toJS({ maxAliasCount: 0 }) as unknown));
  }
  return out;
}

const envData = (name: string, file: string): unknown => parseAllDocuments(readFileSync(join(CASES_DIR, name, 'environments', file), 'utf8'))[0]!.toJS() as unknown;

let tp: TempProject;
beforeAll(() => {
  tp = tempProject();
  tp.write('environments/_valid.yaml', tp.read('environments/prod.yaml'));
  for (const name of injectionCases) for (const f of [`${name}.yaml`, `${name}-b.yaml`]) tp.write(`environments/${f}`, readFileSync(join(CASES_DIR, name, 'environments', f), 'utf8'));
});
afterAll(() => tp?.cleanup());

describe('values that try to inject YAML into rendered output', () => {
  it('has injection cases', () => expect(injectionCases.length).toBeGreaterThan(0));

  it.each(injectionCases)('%s renders each as one plain string, with no extra document, object or key', (name) => {
    const project = loadProject(tp.paths);
    const out = renderOne(project, name);
    const baseline = renderOne(project, `${name}-b`);
    expect([...out.findings, ...baseline.findings].map(formatFinding)).toEqual([]);
    const got = parseFiles(out.files);
    const base = parseFiles(baseline.files);
    expect([...got.keys()]).toEqual([...base.keys()]);
    for (const [f, docs] of got) {
      expect(docs.map(shape), f).toEqual(base.get(f)!.map(shape));
      expect(objectsOfKind(docs, 'Secret'), f).toEqual([]);
    }
    // Every string the case sets (and the baseline does not) comes out exactly as written.
    const rendered = strings([...got.values()]);
    const baseStrings = strings(envData(name, `${name}-b.yaml`));
    // The env's own identities (name, domain, server, key prefix, Vault role, SSO issuer) are derived from its name: not payloads.
    const payloads = [...strings(envData(name, `${name}.yaml`))].filter((s) => !baseStrings.has(s) && !s.includes(name));
    expect(payloads.length).toBeGreaterThanOrEqual(5);
    for (const p of payloads) expect(rendered.has(p), JSON.stringify(p)).toBe(true);
  });
});
