/** All objects of one environment with their source file and line: Argo CD objects and the hydrated overlays. */
import { LineCounter, parseAllDocuments } from 'yaml';
import { isPlainObject } from '../config/merge.ts';
import type { ProjectPaths } from '../paths.ts';
import type { EnvOutput } from '../render/environment.ts';
import type { K8sObject, SourcedObject } from '../findings.ts';
import type { YamlSource } from '../config/yaml-source.ts';
import { hydrate } from './hydrate.ts';
import { SourceIndex } from './sources.ts';

export type LocatedObject = SourcedObject & { src?: YamlSource };

/** Objects of a multi-document file, each with its line and parsed source. */
export function objectsOfFile(file: string, text: string): LocatedObject[] {
  const lines = new LineCounter();
  const out: LocatedObject[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    const data: unknown = doc.toJS();
    if (!isPlainObject(data)) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    out.push({ obj: data as K8sObject, file, line: lines.linePos(start).line, src: { file, doc, lines, data } });
  }
  return out;
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
    index.addBase(paths.base, c);
    for (const [path, text] of out.files) {
      if (path.startsWith(`${c}/`) && !path.endsWith('/kustomization.yaml') && !path.includes('/patch-')) {
        index.add(`generated/${env}/${path}`, text);
      }
    }
  }
  if (local.length) {
    for (const obj of await hydrate(paths, env, out.files)) {
      const at = index.locate(obj, `generated/${env}/kustomization.yaml`);
      objects.push({ obj, file: at.file, line: at.line, src: at.src });
    }
  }
  return objects;
}
