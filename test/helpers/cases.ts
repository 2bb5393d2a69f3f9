/**
 * Case folders (test/cases/<name>/): input files, a `cmd` file and `expected.txt`, run through
 * the real CLI `main()` in a temp project. See test/cases/README.md for the format.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../scripts/cli.ts';
import { readTree } from '../../scripts/lib/render/write.ts';
import { tempProject, type TempProject } from './project.ts';

export const CASES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');
/** Files of a case folder that are not project inputs. */
const CASE_META = new Set(['cmd', 'expected.txt', 'README.md', 'links']);
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
  private readonly generated: Map<string, string>;

  constructor() {
    this.tp = tempProject({ withGenerated: true });
    this.tp.write('environments/_valid.yaml', this.tp.read('environments/prod.yaml'));
    for (const f of CANARIES) this.tp.write(f, CANARY_TEXT);
    this.generated = readTree(this.tp.paths.generated);
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

/** Summary lines carry timings: `in 12 ms`, `1.2 s` become `<t> ms` / `<t> s`. */
function normalize(text: string, root: string): string {
  return text
    .split(root)
    .join('<root>')
    .replace(/^((?:render|validate|check|graph): .*)$/gm, (line) => line.replace(/\b\d+(?:\.\d+)? (ms|s)\b/g, '<t> $1'));
}

/** expected.txt: the exit code, then stdout and stderr, each after a marker line. */
export function formatResult(r: RunResult, root: string): string {
  const block = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n[no newline at end]\n`);
  return `exit ${r.code}\n--- stdout\n${block(normalize(r.stdout, root))}--- stderr\n${block(normalize(r.stderr, root))}`;
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
