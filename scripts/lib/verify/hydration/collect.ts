/** All objects of one environment with their source file and line: Argo CD objects and the hydrated overlays. */
import { LineCounter, parseAllDocuments } from 'yaml';
import { isPlainObject } from '../../config/merge.ts';
import type { ProjectPaths } from '../../paths.ts';
import type { EnvOutput } from '../../render/environment.ts';
import type { K8sObject, SourcedObject } from '../../findings.ts';
import type { YamlSource } from '../../config/yaml-source.ts';
import { cachedFromText, saveFromText } from '../../text-cache.ts';
import { hydrate } from './kustomize-build.ts';
import { KustomizeBuildError } from './kustomize-errors.ts';
import { COMPONENT_LABEL } from '../../render/labels.ts';
import { SourceIndex } from './sources.ts';

export type LocatedObject = SourcedObject & { src?: YamlSource };

/** Each document of a YAML text that holds an object: its index among the documents, its line, its data. */
type DocEntry = { index: number; line: number; data: K8sObject };

function parseDocs(file: string, text: string): { entries: DocEntry[]; sources: YamlSource[] } {
  const lines = new LineCounter();
  const entries: DocEntry[] = [];
  const sources: YamlSource[] = [];
  for (const [index, doc] of parseAllDocuments(text, { lineCounter: lines }).entries()) {
    const data: unknown = doc.toJS();
    sources.push({ file, doc, lines, data });
    if (isPlainObject(data)) entries.push({ index, line: lines.linePos(doc.contents?.range?.[0] ?? 0).line, data: data as K8sObject });
  }
  return { entries, sources };
}

/**
 * Objects of a multi-document file, each with its line and parsed source. The data and lines of
 * a text seen before come from the text cache; its YAML is parsed again only when a finding
 * asks an object's `src`.
 */
export function objectsOfFile(file: string, text: string): LocatedObject[] {
  let parsed: ReturnType<typeof parseDocs> | undefined;
  const full = (): ReturnType<typeof parseDocs> => (parsed ??= parseDocs(file, text));
  let entries = cachedFromText<DocEntry[]>(text, import.meta.url);
  if (!entries) {
    entries = full().entries;
    saveFromText(text, import.meta.url, entries);
  }
  return entries.map((e) => ({
    obj: e.data,
    file,
    line: e.line,
    get src() {
      return full().sources[e.index];
    },
  }));
}

export async function collectObjects(paths: ProjectPaths, out: EnvOutput): Promise<LocatedObject[]> {
  const env = out.env;
  const objects: LocatedObject[] = [];
  for (const [path, text] of out.files) {
    if (path === 'root.yaml' || path.startsWith('apps/')) objects.push(...objectsOfFile(`generated/${env}/${path}`, text));
  }
  const index = new SourceIndex();
  const local = (out.plan?.apps ?? []).filter((a) => a.app.source.type === 'local').map((a) => a.name);
  for (const c of local) {
    index.addBase(paths.root, c);
    for (const [path, text] of out.files) {
      if (path.startsWith(`${c}/`) && !path.endsWith('/kustomization.yaml') && !path.includes('/patch-')) {
        const parsed = out.objects?.get(path);
        if (parsed) index.addRendered(`generated/${env}/${path}`, text, parsed);
        else index.add(`generated/${env}/${path}`, text);
      }
    }
  }
  if (local.length) {
    const built = await hydrate(paths, env, out.files);
    checkBuildOutput(env, built, local, out.files);
    for (const obj of built) {
      const at = index.locate(obj, `generated/${env}/kustomization.yaml`);
      objects.push({
        obj,
        file: at.file,
        line: at.line,
        get src() {
          return at.src;
        },
      });
    }
  }
  return objects;
}

/**
 * kustomize's output is checked before any rule reads it: every object has apiVersion, kind and
 * metadata, and every local component whose kustomization lists resources produced objects
 * (an empty build would leave the component unvalidated).
 */
function checkBuildOutput(env: string, built: K8sObject[], local: string[], files: Map<string, string>): void {
  const at = (file: string, message: string): KustomizeBuildError =>
    new KustomizeBuildError({ file: `generated/${env}/${file}`, line: 0, col: 0, path: '', message });
  const broken = built.find((o) => typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || !isPlainObject(o.metadata));
  if (broken) {
    const name = isPlainObject(broken.metadata) && typeof broken.metadata.name === 'string' ? ` (name ${JSON.stringify(broken.metadata.name)})` : '';
    throw at('kustomization.yaml', `kustomize built an object without apiVersion, kind or metadata${name}: every object needs all three`);
  }
  const seen = new Set(built.map((o) => o.metadata.labels?.[COMPONENT_LABEL]));
  for (const c of local) {
    const k = files.get(`${c}/kustomization.yaml`);
    if (!k || seen.has(c)) continue;
    if (/^resources:\s*\n\s+- /m.test(k)) throw at(`${c}/kustomization.yaml`, `kustomize built no objects for component "${c}" although its kustomization lists resources: its output would never be checked`);
  }
}
