/**
 * PLAT004 for every hydrated chart Application: keys of its Helm values (the Application's
 * `helm.valuesObject`, or the `helm.values` string) that the packaged chart neither declares in
 * its values.yaml nor reads in its templates. Warnings: the heuristic reads Go templates as text.
 * (Helm's own values.schema.json validation runs inside `helm template`; a violation fails the
 * hydration, HYD002.)
 */
import { parse } from 'yaml';
import type { Finding } from '../../findings.ts';
import { readChartFiles, type AppHydration, readAppSource } from '../hydration/index.ts';
import { unknownValuesKeys } from './values-keys.ts';
import { valuesKeyFindings } from './values-key-findings.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The user's values of a chart Application, or undefined when it has none. */
export function userValues(app: AppHydration): Record<string, unknown> | undefined {
  const src = readAppSource(app.application.obj);
  if (src.kind !== 'helm' || !src.helm.valuesYaml) return undefined;
  const v: unknown = parse(src.helm.valuesYaml);
  return isObj(v) ? v : undefined;
}

export async function valuesFindings(apps: AppHydration[], chartOf: (a: AppHydration) => Promise<string | undefined>): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const a of apps) {
    const values = userValues(a);
    if (!values) continue;
    const tgz = await chartOf(a);
    if (!tgz) continue;
    let chart;
    let declared: unknown;
    try {
      chart = await readChartFiles(tgz);
      declared = parse(chart.valuesYaml || '{}');
    } catch (err) {
      // The chart is input like any other: an archive or values.yaml this reader cannot take is said, never a crash.
      out.push({ file: a.application.file, line: a.application.line, col: a.application.line ? 1 : 0, path: '/spec/source', kind: 'Application', name: a.app, rule: 'PLAT004', severity: 'warning', message: `values keys not checked: the chart ${tgz.split('/').pop()} could not be read (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})` });
      continue;
    }
    const keys = unknownValuesKeys(values, isObj(declared) ? declared : {}, chart.templates, { subcharts: chart.subcharts });
    const src = readAppSource(a.application.obj);
    const name = src.kind === 'helm' ? `${src.chart} ${src.version}` : a.app;
    const helm = (a.application.obj.spec as { source?: { helm?: { valuesObject?: unknown } } } | undefined)?.source?.helm;
    const field = isObj(helm?.valuesObject) ? 'valuesObject' : 'values';
    for (const f of valuesKeyFindings(a.app, name, a.application, keys)) {
      out.push({ ...f, path: `/spec/source/helm/${field}${f.path}`, kind: 'Application', name: a.app, col: a.application.line ? 1 : 0, severity: 'warning' });
    }
  }
  return out;
}

export { PLAT004, valuesKeyFindings } from './values-key-findings.ts';
export { unknownValuesKeys, levenshtein, nearestKey, type UnknownValuesKey, type ValuesKeyOptions } from './values-keys.ts';
