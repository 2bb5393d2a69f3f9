/**
 * Argo CD's directory source rules (argo-cd v3.3.14 reposerver/repository/repository.go
 * `getPotentiallyValidManifests` / `getPotentiallyValidManifestFile`, util/glob/glob.go):
 * walk the app path in lexical order, into subdirectories only with `recurse`; take files named
 * *.yaml, *.yml, *.json (and *.jsonnet, which is refused here); symlinks must stay inside the
 * repository root and point at regular files; `exclude` then `include` are gobwas globs matched
 * against the path relative to the app path, compiled without separators (so `*` also crosses
 * `/`); files containing `+argocd:skip-file-rendering` are skipped.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DirectorySettings } from './app-source.ts';

const MANIFEST = /^.*\.(yaml|yml|json|jsonnet)$/;
const SKIP_MARKER = '+argocd:skip-file-rendering';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** gobwas/glob without separators: `*`/`**` any run, `?` any one char, `[a-z]`/`[!a]`, `{a,b}`, `\x`. */
export function globToRegExp(pattern: string): RegExp {
  let i = 0;
  const parse = (inAlt: boolean): string => {
    let re = '';
    while (i < pattern.length) {
      const c = pattern[i] as string;
      if (inAlt && (c === ',' || c === '}')) return re;
      i++;
      if (c === '\\' && i < pattern.length) re += escapeRe(pattern[i++] as string);
      else if (c === '*') {
        while (pattern[i] === '*') i++;
        re += '[\\s\\S]*';
      } else if (c === '?') re += '[\\s\\S]';
      else if (c === '[') {
        const end = pattern.indexOf(']', i);
        if (end < 0) throw new Error(`glob ${pattern}: unclosed [`);
        let body = pattern.slice(i, end);
        i = end + 1;
        const neg = body.startsWith('!');
        if (neg) body = body.slice(1);
        re += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          const d = pattern[i++];
          if (d === '}') break;
          if (d !== ',') throw new Error(`glob ${pattern}: unclosed {`);
        }
        re += `(?:${alts.join('|')})`;
      } else re += escapeRe(c);
    }
    if (inAlt) throw new Error(`glob ${pattern}: unclosed {`);
    return re;
  };
  return new RegExp(`^${parse(false)}$`);
}

export interface ManifestFile {
  /** Path relative to the app path, with `/`. */
  rel: string;
  text: string;
}

function inside(p: string, root: string): boolean {
  const r = path.relative(root, p);
  return r === '' || (!r.startsWith('..') && !path.isAbsolute(r));
}

/** The files Argo CD would read for a directory source. Throws on a jsonnet file or an escaping symlink. */
export async function directoryManifests(appPath: string, repoRoot: string, d: DirectorySettings): Promise<ManifestFile[]> {
  const include = d.include ? globToRegExp(d.include) : undefined;
  const exclude = d.exclude ? globToRegExp(d.exclude) : undefined;
  const realRoot = await realpath(repoRoot);
  const out: ManifestFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const abs = path.join(dir, name);
      const info = await lstat(abs);
      if (info.isDirectory()) {
        if (d.recurse) await walk(abs);
        continue;
      }
      if (!MANIFEST.test(name)) continue;
      const rel = path.relative(appPath, abs).split(path.sep).join('/');
      if (info.isSymbolicLink()) {
        const real = await realpath(abs).catch(() => undefined);
        if (!real) continue; // dangling: Argo CD logs and skips it
        if (!inside(real, realRoot)) throw new Error(`illegal filepath in symlink at ${rel}`);
        if (!(await stat(real)).isFile()) continue;
      } else if (!info.isFile()) continue;
      if (exclude?.test(rel)) continue;
      if (include && !include.test(rel)) continue;
      const text = await readFile(abs, 'utf8');
      if (text.includes(SKIP_MARKER)) continue;
      if (name.endsWith('.jsonnet')) throw new Error(`${rel}: jsonnet files are not supported`);
      out.push({ rel, text });
    }
  };
  await walk(appPath);
  return out;
}
