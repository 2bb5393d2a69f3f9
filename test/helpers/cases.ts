/**
 * Case folders (test/cases/<name>/): input files, a `cmd` file and `expected.txt`, run through
 * the real CLI `main()` in a temp project. See test/cases/README.md for the format.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli.ts';
import { loadProject } from '../../scripts/lib/render/environment.ts';
import { readTree } from '../../scripts/lib/render/write.ts';
import { tempProject, type TempProject } from './project.ts';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');
/** Files of a case folder that are not project inputs. */
const CASE_META = new Set(['cmd', 'expected.txt', 'README.md', 'links', 'focus']);
/** Files that must never be read: targets of `../` in --env and extends (written to every case project). */
export const CANARIES = ['etc.yaml', 'x.yaml'];
export const CANARY_TEXT = 'name: CANARY\ncanary: this file was read\n';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The case folders, sorted. */
export function caseNames(): string[] {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The argv of a case: `cmd` split on blanks, or a JSON array of strings when it starts with `[`. */
export function caseArgs(name: string): string[] {
  const text = readFileSync(join(CASES_DIR, name, 'cmd'), 'utf8').trim();
  return text.startsWith('[') ? (JSON.parse(text) as string[]) : text.split(/\s+/);
}

/**
 * One temp project shared by the cases of a test file: fixture environments and their
 * generated/, environments/_valid.yaml (a copy of the fixture prod.yaml, which most cases
 * extend) and the canaries. `run` adds a case's files, runs the command, then puts the project
 * back as it was (files removed or restored, generated/ rewritten when the command changed it).
 */
export class CaseBench {
  readonly tp: TempProject;
  /** The catalog's components (what an `allowed:` list of every component is read against). */
  readonly components: ReadonlySet<string>;
  private readonly generated: Map<string, string>;

  constructor() {
    this.tp = tempProject({ withGenerated: true });
    this.tp.write('environments/_valid.yaml', this.tp.read('environments/prod.yaml'));
    for (const f of CANARIES) this.tp.write(f, CANARY_TEXT);
    this.generated = readTree(this.tp.paths.generated);
    this.components = new Set(loadProject(this.tp.paths).catalog.keys());
  }

  /** Run a case's command with its files in place; `generatedChanged` tells whether generated/ differs afterwards. */
  async run(name: string, args: string[] = caseArgs(name)): Promise<RunResult & { generatedChanged: boolean }> {
    const dir = join(CASES_DIR, name);
    const added: string[] = [];
    const saved = new Map<string, string>();
    const place = (rel: string): void => {
      const from = join(dir, rel);
      const to = join(this.tp.root, rel);
      if (statSync(from).isDirectory()) {
        if (!existsSync(to)) {
          mkdirSync(to);
          added.push(rel);
        }
        for (const e of readdirSync(from)) place(join(rel, e));
      } else {
        if (existsSync(to)) saved.set(rel, readFileSync(to, 'utf8'));
        else added.push(rel);
        cpSync(from, to);
      }
    };
    for (const entry of readdirSync(dir)) if (!CASE_META.has(entry)) place(entry);
    const links = caseLinks(name);
    for (const [at, target] of links) {
      const abs = join(this.tp.root, at);
      mkdirSync(dirname(abs), { recursive: true });
      symlinkSync(target, abs);
    }
    try {
      const r = await runMain(
        this.tp.root,
        args.map((a) => a.split('<root>').join(this.tp.root)),
      );
      for (const [at] of links) if (isLink(join(this.tp.root, at))) unlinkSync(join(this.tp.root, at));
      links.length = 0;
      const after = readTree(this.tp.paths.generated);
      const generatedChanged = !sameTree(after, this.generated);
      if (generatedChanged) {
        rmSync(this.tp.paths.generated, { recursive: true, force: true });
        for (const [f, text] of this.generated) this.tp.write(`generated/${f}`, text);
      }
      return { ...r, generatedChanged };
    } finally {
      for (const [at] of links) if (isLink(join(this.tp.root, at))) unlinkSync(join(this.tp.root, at));
      for (const rel of added.reverse()) rmSync(join(this.tp.root, rel), { recursive: true, force: true });
      for (const [rel, text] of saved) writeFileSync(join(this.tp.root, rel), text);
    }
  }

  cleanup(): void {
    this.tp.cleanup();
  }
}

/** `links`: one symlink a line, `<project path> -> <target>` (made before the run, removed after it). */
export function caseLinks(name: string): [string, string][] {
  const f = join(CASES_DIR, name, 'links');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split(' -> ') as [string, string]);
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** The CLI in this process (same code, no process start-up) against a project root. */
export async function runMain(root: string, args: string[]): Promise<RunResult> {
  const saved = { root: process.env.CATALYST_ROOT, debug: process.env.CATALYST_DEBUG };
  process.env.CATALYST_ROOT = root;
  delete process.env.CATALYST_DEBUG;
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, {
      out: (s) => ((stdout += s), true),
      err: (s) => ((stderr += s), true),
    });
    return { code, stdout, stderr };
  } finally {
    if (saved.root === undefined) delete process.env.CATALYST_ROOT;
    else process.env.CATALYST_ROOT = saved.root;
    if (saved.debug !== undefined) process.env.CATALYST_DEBUG = saved.debug;
  }
}

/**
 * Summary lines carry timings: `in 12 ms`, `1.2 s` become `<t> ms` / `<t> s`. The number of files
 * and objects in them depends on how many components the fixture project has: a count other
 * than 0 reads `<n>` (0 stays: "0 changed" is what a case may be about).
 */
export function normalize(text: string, root: string): string {
  return text
    .split(root)
    .join('<root>')
    .replace(/^((?:render|validate|check|graph): .*)$/gm, (line) =>
      line.replace(/\b\d+(?:\.\d+)? (ms|s)\b/g, '<t> $1').replace(/\b[1-9]\d* (changed|unchanged|objects)\b/g, '<n> $1'),
    );
}

/**
 * `focus: errors` (a case's `focus` file): only the error findings are compared. Warnings and the
 * summary lines (`hydrated: …`, `check: …`) are left out, so a case about one error does not list
 * every component, chart version or object count of the fixture project and does not break when
 * a component is added or bumped.
 */
export type Focus = 'all' | 'errors';

export function caseFocus(name: string): Focus {
  const f = join(CASES_DIR, name, 'focus');
  if (!existsSync(f)) return 'all';
  const text = readFileSync(f, 'utf8').trim();
  if (text !== 'errors') throw new Error(`${f}: "${text}" is not a focus (only "errors")`);
  return text;
}

const SUMMARY = /^(?:hydrated|not hydrated|render|validate|check|graph): /;

/** The output without warnings and summary lines: blocks are separated by a blank line, a warning block's first line says `] warning:`. */
export function errorsOnly(text: string): string {
  const blocks = text.split('\n\n').map((b) => b.split('\n').filter((l) => !SUMMARY.test(l)).join('\n'));
  const kept = blocks.filter((b) => b.trim() !== '' && !/^[^\n]*\] warning: /.test(b));
  return kept.length ? `${kept.join('\n\n')}\n` : '';
}

/**
 * An `allowed:` list that names only components of the catalog (the message may be cut inside the
 * list: its last name then is partial, followed by the count of characters left out) reads `(allowed: <the catalog's components>)`: the list is the
 * catalog's, and a case must not change when a component is added. Other lists stay as they are.
 */
export function withoutComponentList(text: string, components: ReadonlySet<string>): string {
  return text.replace(/\(allowed: ([\w, -]+?)(\)|… \(\d+ more characters; --format json has the full text\))/g, (m, list: string, end: string) => {
    const names = list.split(', ');
    const whole = end === ')' ? names : names.slice(0, -1);
    return whole.length >= 3 && whole.every((n) => components.has(n)) ? "(allowed: <the catalog's components>)" : m;
  });
}

/** expected.txt: the exit code, then stdout and stderr, each after a marker line. */
export function formatResult(r: RunResult, root: string, focus: Focus = 'all', components: ReadonlySet<string> = new Set()): string {
  const block = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n[no newline at end]\n`);
  const out = (s: string): string => {
    const text = withoutComponentList(normalize(s, root), components);
    return focus === 'errors' ? errorsOnly(text) : text;
  };
  return `exit ${r.code}\n--- stdout\n${block(out(r.stdout))}--- stderr\n${block(out(r.stderr))}`;
}

export function readExpected(name: string): string | undefined {
  const f = join(CASES_DIR, name, 'expected.txt');
  try {
    return statSync(f).isFile() ? readFileSync(f, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function writeExpected(name: string, text: string): void {
  mkdirSync(join(CASES_DIR, name), { recursive: true });
  writeFileSync(join(CASES_DIR, name, 'expected.txt'), text);
}
