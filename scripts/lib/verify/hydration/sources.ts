/**
 * Where a hydrated object came from. kustomize output has no file names, so objects are
 * matched by kind, namespace and name to the rendered overlay files and the base files.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isPlainObject } from '../../config/merge.ts';
import type { SourcedObject } from '../../findings.ts';
import { positionOf, type YamlSource } from '../../config/yaml-source.ts';
import { readRepoText } from '../../fs/safe-read.ts';
import { componentBase } from '../../paths.ts';

/** Where an object came from; `src` (the parsed document, for field-precise lines) is built on first use. */
export interface Origin {
  file: string;
  line: number;
  readonly src: YamlSource | undefined;
}

/** Each document of a YAML text as its start line and (lazily) its parsed source. */
function parsedDocs(file: string, text: string): { data: unknown; line: number; src: YamlSource }[] {
  const lines = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lines }).map((doc) => {
    const data: unknown = doc.toJS();
    return { data, line: lines.linePos(doc.contents?.range?.[0] ?? 0).line, src: { file, doc, lines, data } };
  });
}

/** Base files are the same for every env: parsed once per process, by file and text. */
const baseDocs = new Map<string, ReturnType<typeof parsedDocs>>();

export class SourceIndex {
  private readonly byId = new Map<string, Origin>();
  private readonly byName = new Map<string, Origin>();

  private index(data: unknown, origin: Origin): void {
    if (!isPlainObject(data)) return;
    const meta = isPlainObject(data.metadata) ? data.metadata : {};
    const id = key(String(data.kind), meta.namespace as string | undefined, String(meta.name));
    if (!this.byId.has(id)) this.byId.set(id, origin);
    const loose = `${String(data.kind)}//${String(meta.name)}`;
    if (!this.byName.has(loose)) this.byName.set(loose, origin);
  }

  /** Index every document of a YAML text under a project-relative file name. */
  add(file: string, text: string): void {
    for (const d of parsedDocs(file, text)) this.index(d.data, { file, line: d.line, src: d.src });
  }

  /**
   * Index a rendered file from the objects render parsed (canonical text: documents joined by
   * `---` lines, each starting on the line after it). The text is parsed only when a finding
   * asks an object's `src`; if its shape is not the canonical one, it is parsed now.
   */
  addRendered(file: string, text: string, objects: readonly unknown[]): void {
    const parts = text.split('\n---\n');
    if (parts.length !== objects.length || text.startsWith('---')) return this.add(file, text);
    let docs: ReturnType<typeof parsedDocs> | undefined;
    let line = 1;
    objects.forEach((data, i) => {
      this.index(data, {
        file,
        line,
        get src() {
          return (docs ??= parsedDocs(file, text))[i]?.src;
        },
      });
      line += (parts[i]!.match(/\n/g)?.length ?? 0) + 2;
    });
  }

  /** Index apps/<component>/base/*.yaml (except kustomization.yaml); `root` is the project root. */
  addBase(root: string, component: string): void {
    const dir = join(root, componentBase(component));
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      if (f === 'kustomization.yaml' || !/\.ya?ml$/.test(f)) continue;
      const file = `${componentBase(component)}/${f}`;
      const text = readRepoText(join(dir, f), root);
      const memo = `${file}\0${text}`;
      let docs = baseDocs.get(memo);
      if (!docs) baseDocs.set(memo, (docs = parsedDocs(file, text)));
      for (const d of docs) this.index(d.data, { file, line: d.line, src: d.src });
    }
  }

  /** The source of an object; `fallback` when it cannot be found. */
  locate(obj: Record<string, unknown>, fallback: string): Origin {
    const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
    const o =
      this.byId.get(key(String(obj.kind), meta.namespace as string | undefined, String(meta.name))) ??
      this.byName.get(`${String(obj.kind)}//${String(meta.name)}`);
    return o ?? { file: fallback, line: 0, src: undefined };
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
