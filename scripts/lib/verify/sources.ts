/**
 * Where a hydrated object came from. kustomize output has no file names, so objects are
 * matched by kind, namespace and name to the rendered overlay files and the base files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isPlainObject } from '../config/merge.ts';
import type { SourcedObject } from '../findings.ts';
import { positionOf, type YamlSource } from '../config/yaml-source.ts';
import { readRepoText } from '../fs/safe-read.ts';

interface Origin {
  file: string;
  src: YamlSource;
}

export class SourceIndex {
  private readonly byId = new Map<string, Origin>();
  private readonly byName = new Map<string, Origin>();

  /** Index every document of a YAML text under a project-relative file name. */
  add(file: string, text: string): void {
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
      const data: unknown = doc.toJS();
      if (!isPlainObject(data)) continue;
      const meta = isPlainObject(data.metadata) ? data.metadata : {};
      const src: YamlSource = { file, doc, lines, data };
      const origin = { file, src };
      const id = key(String(data.kind), meta.namespace as string | undefined, String(meta.name));
      if (!this.byId.has(id)) this.byId.set(id, origin);
      const loose = `${String(data.kind)}//${String(meta.name)}`;
      if (!this.byName.has(loose)) this.byName.set(loose, origin);
    }
  }

  /** Index base/<component>/*.yaml (except kustomization.yaml). */
  addBase(baseDir: string, component: string): void {
    const dir = join(baseDir, component);
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      if (f === 'kustomization.yaml' || !/\.ya?ml$/.test(f)) continue;
      this.add(`base/${component}/${f}`, readRepoText(join(dir, f), join(baseDir, '..')));
    }
  }

  /** The source of an object; `fallback` when it cannot be found. */
  locate(obj: Record<string, unknown>, fallback: string): { file: string; line: number; src?: YamlSource } {
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    const o =
      this.byId.get(key(String(obj.kind), meta.namespace as string | undefined, String(meta.name))) ??
      this.byName.get(`${String(obj.kind)}//${String(meta.name)}`);
    if (!o) return { file: fallback, line: 0 };
    const start = o.src.doc.contents?.range?.[0] ?? 0;
    return { file: o.file, line: o.src.lines.linePos(start).line, src: o.src };
  }
}

function key(kind: string, ns: string | undefined, name: string): string {
  return `${kind}/${ns ?? ''}/${name}`;
}

/** A finding's line made precise: the line of the field the JSON pointer names, when present in the source. */
export function refineLine(o: SourcedObject & { src?: YamlSource }, pointer: string): number {
  if (!o.src || !pointer) return o.line;
  const p = positionOf(o.src, pointer);
  return p.found ? p.line : o.line;
}
