/**
 * Inputs of the expansion tests: an env's rendered objects (as check sees them, before
 * kustomize) and KServe's own LLMInferenceServiceConfig presets, read from the pinned
 * kserve-runtime-configs chart in the chart mirror (../shared/charts; the tests that need them
 * are skipped without it). The chart's template includes files/llmisvcconfigs/resources.yaml as is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../../scripts/lib/findings.ts';
import { catalogImages } from '../../../scripts/lib/config/family-versions.ts';
import { ROOT } from '../../../scripts/lib/paths.ts';
import { fixtureProject } from '../../helpers/render.ts';
import type { EnvOutput } from '../../../scripts/lib/render/environment.ts';
import { untarGz } from '../../../scripts/lib/verify/hydration/chart-archive.ts';
import type { SourceObject } from '../../../scripts/lib/verify/expansion/index.ts';

export const PRESETS_CHART = join(ROOT, '..', 'shared', 'charts', 'kserve-runtime-configs-v0.20.0.tgz');
export const HAS_PRESETS = existsSync(PRESETS_CHART);

let images: Record<string, string> | undefined;
/** The catalog's images by role (apps/<name>/app.yaml images, `{version}` resolved): KServe's storage-initializer default. */
export function catalogImagesOf(): Record<string, string> {
  images ??= catalogImages(fixtureProject().project.catalog.values());
  return images;
}

let presets: SourceObject[] | undefined;
/** The presets as the kserve-runtime-configs app renders them (namespace kserve). */
export function upstreamPresets(): SourceObject[] {
  if (presets) return presets;
  const files = untarGz(readFileSync(PRESETS_CHART));
  const text = files.get('kserve-runtime-configs/files/llmisvcconfigs/resources.yaml')!.toString('utf8');
  const file = 'helm:kserve-runtime-configs@v0.20.0/kserve-runtime-configs/templates/llmisvcconfigs/resources.yaml';
  presets = parseAllDocuments(text).map((d) => ({ obj: d.toJS() as K8sObject, file, line: 0 }));
  return presets;
}

function objectsOf(text: string, file: string): SourceObject[] {
  const res: SourceObject[] = [];
  for (const d of parseAllDocuments(text)) {
    const obj = d.toJS() as K8sObject | null;
    if (!obj || typeof obj !== 'object' || !obj.kind) continue;
    res.push({ obj, file, line: text.slice(0, d.range[0]).split('\n').length });
  }
  return res;
}

/**
 * Every object of an env's rendered files (apps/ aside) and of the base/ folders their
 * kustomizations include (one level, as the project writes them), with file and document line.
 */
export function renderedSources(out: EnvOutput): SourceObject[] {
  const res: SourceObject[] = [];
  for (const [path, text] of out.files) {
    if (!path.endsWith('.yaml') || path.startsWith('apps/') || path === 'root.yaml') continue;
    if (!path.endsWith('kustomization.yaml')) {
      res.push(...objectsOf(text, `generated/${out.env}/${path}`));
      continue;
    }
    const k = parse(text) as { resources?: string[] };
    for (const r of k.resources ?? []) {
      const base = /^(?:\.\.\/)+(apps\/[^/]+\/base)$/.exec(r)?.[1];
      if (!base) continue;
      const dir = join(ROOT, base);
      const bk = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
      for (const f of bk.resources ?? []) if (f.endsWith('.yaml')) res.push(...objectsOf(readFileSync(join(dir, f), 'utf8'), `${base}/${f}`));
    }
  }
  return res;
}

export const namespacesOf = (sources: SourceObject[]): K8sObject[] => sources.filter((s) => s.obj.kind === 'Namespace').map((s) => s.obj);
