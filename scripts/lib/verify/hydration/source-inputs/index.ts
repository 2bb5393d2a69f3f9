/**
 * Inputs of a kustomize build read before kustomize runs, the way the repository's own files are
 * read (fs/safe-read.ts, config/yaml-source.ts): no link followed, files capped, YAML with bounded
 * aliases and nesting. Each problem is a finding at its file and line:
 * - a kustomization that names a remote resource (an `https://` file, a git repository such as
 *   `github.com/org/repo//path?ref=v1`, `git@…`, `git::…`) in `resources`, `components`, `bases`,
 *   `crds`, `configurations`, `generators`, `transformers` or `validators`, or a `helmCharts`
 *   entry with a `repo`: kustomize would fetch it (sigs.k8s.io/kustomize api/internal/loader:
 *   a reference that is not a local file or folder is tried as a remote file, then as a repo spec),
 *   and `check` must decide with no network;
 * - a symbolic link, a file over the size cap, a kustomization that is not valid YAML;
 * - a local reference that leaves the tree (`../` past its root).
 * Local folder references are followed (within the root), so a remote resource two bases away is
 * found too.
 */
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Finding } from '../../../findings.ts';
import { irregularKind, readTextBounded } from '../../../fs/safe-read.ts';
import { parseYamlText } from '../../../config/yaml-source.ts';
import { positionOf } from '../../../config/yaml-source.ts';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const REFERENCE_FIELDS = ['resources', 'components', 'bases', 'crds', 'configurations', 'generators', 'transformers', 'validators'];
/** Largest file read from a chart or git source tree. */
export const MAX_SOURCE_FILE_BYTES = 8 * 1024 * 1024;
/** Most files walked in one tree (a repository is not a file system to enumerate without end). */
const MAX_FILES = 50_000;

/** Does a kustomization entry name something kustomize would fetch (when it is not a local path)? */
export function isRemoteReference(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^git@/.test(entry) || /^git::/.test(entry) || /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?\/./i.test(entry);
}

/** The remote references of one kustomization's text, at their lines; `exists` says whether an entry is a local path. */
export function remoteReferenceFindings(text: string, file: string, exists: (entry: string) => boolean): Finding[] {
  const parsed = parseYamlText(text, file);
  if (!parsed.ok) return parsed.findings;
  const src = parsed.value;
  const data = src.data as Record<string, unknown>;
  const out: Finding[] = [];
  const at = (pointer: string, message: string): void => {
    const p = positionOf(src, pointer);
    out.push({ file, line: p.line, col: p.col, path: pointer, message });
  };
  for (const field of REFERENCE_FIELDS) {
    const list = data[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      if (typeof entry === 'string' && isRemoteReference(entry) && !exists(entry)) {
        at(`/${field}/${i}`, `remote resource "${entry}": kustomize runs with no network here; vendor it into the repository (or a chart/git source of the catalog)`);
      }
    });
  }
  const charts = data.helmCharts;
  if (Array.isArray(charts)) {
    charts.forEach((c: unknown, i) => {
      if (c && typeof c === 'object' && typeof (c as { repo?: unknown }).repo === 'string') {
        at(`/helmCharts/${i}/repo`, `helm chart from "${(c as { repo: string }).repo}": kustomize runs with no network here; make it a chart source in apps/`);
      }
    });
  }
  return out;
}

/**
 * Remote references in the kustomizations of an env's rendered files (in memory, paths relative
 * to generated/<env>/): an entry is local when it names a rendered file or folder or leaves for base/.
 */
export function renderedRemoteFindings(env: string, files: Map<string, string>): Finding[] {
  const names = [...files.keys()];
  return names
    .filter((p) => KUSTOMIZATION_NAMES.includes(posix.basename(p)))
    .flatMap((p) =>
      remoteReferenceFindings(files.get(p)!, `generated/${env}/${p}`, (e) => {
        const target = posix.normalize(posix.join(posix.dirname(p), e));
        return target.startsWith('../') || names.some((n) => n === target || n.startsWith(`${target}/`));
      }),
    );
}

/** Local references of a kustomization (entries that are not remote), for following folders. */
function localReferences(text: string): string[] {
  const parsed = parseYamlText(text, '');
  if (!parsed.ok) return [];
  const data = parsed.value.data as Record<string, unknown>;
  return REFERENCE_FIELDS.flatMap((f) => (Array.isArray(data[f]) ? (data[f] as unknown[]) : [])).filter((e): e is string => typeof e === 'string' && !isRemoteReference(e));
}

const inside = (p: string, root: string): boolean => {
  const r = relative(root, p);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
};

/**
 * Walk `start` (and the folders its kustomizations reference, within `root`): findings for links,
 * oversized files and kustomization problems. `shown(abs)` is how a file is named in a finding.
 */
export function scanSourceTree(start: string, root: string, shown: (abs: string) => string): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const queue = [resolve(start)];
  let files = 0;
  const note = (abs: string, message: string, line = 0): void => {
    out.push({ file: shown(abs), line, col: line ? 1 : 0, path: '', message });
  };
  const walk = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (err) {
      note(dir, `cannot read the folder: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      return;
    }
    for (const name of names) {
      if (++files > MAX_FILES) {
        if (files === MAX_FILES + 1) note(dir, `more than ${MAX_FILES} files: not read further`);
        return;
      }
      const abs = join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (name !== '.git') walk(abs);
        continue;
      }
      const kind = irregularKind(st);
      if (kind) {
        note(abs, `is ${kind}: files of chart and git sources are read only when regular (links are never followed)`);
        continue;
      }
      if (!KUSTOMIZATION_NAMES.includes(name)) {
        if (st.size > MAX_SOURCE_FILE_BYTES) note(abs, `file is ${st.size} bytes, more than the limit of ${MAX_SOURCE_FILE_BYTES}`);
        continue;
      }
      const r = readTextBounded(abs, MAX_SOURCE_FILE_BYTES);
      if (!r.ok) {
        note(abs, r.reason, r.line);
        continue;
      }
      const here = dirname(abs);
      out.push(...remoteReferenceFindings(r.value, shown(abs), (e) => existsSync(resolve(here, e))));
      for (const ref of localReferences(r.value)) {
        const target = resolve(here, ref);
        if (!inside(target, root)) {
          note(abs, `local reference "${ref}" leaves the source's tree`);
          continue;
        }
        let t: Stats | undefined;
        try {
          t = lstatSync(target);
        } catch {
          t = undefined;
        }
        if (t?.isDirectory() && ![...seen].some((s) => inside(target, s))) queue.push(target);
      }
    }
  };
  while (queue.length) walk(queue.shift()!);
  return out;
}
