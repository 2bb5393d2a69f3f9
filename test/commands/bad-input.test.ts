/**
 * Bad input through the commands beyond one case at a time: inputs too big to commit (a 50 MB
 * file, 30 000 keys), nesting deeper than the parser's stack, `render` reporting exactly what `validate` reports and writing nothing,
 * `render` of every case at once, and the CLI in a real child process. The cases themselves are
 * the folders of test/cases/.
 */
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../scripts/lib/render/write.ts';
import { CANARIES, CANARY_TEXT, CASES_DIR, caseArgs, caseNames, readExpected, runMain, withoutComponentList, type RunResult } from '../helpers/cases.ts';
import { loadProject } from '../../scripts/lib/render/environment.ts';
import { runCli } from '../helpers/cli.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

const BIG_FILE_BYTES = 50 * 1024 * 1024;
const MANY_KEYS = 30_000;

/** Every case's input files at once in one project (as a user's repo full of mistakes). */
let tp: TempProject;
beforeAll(() => {
  tp = tempProject({ withGenerated: true });
  tp.write('environments/_valid.yaml', tp.read('environments/prod.yaml'));
  for (const f of CANARIES) tp.write(f, CANARY_TEXT);
  for (const name of caseNames()) {
    const dir = join(CASES_DIR, name);
    // Only environments/: cases that replace tool files (apps/, overlays/) or make links act on the whole catalog, one at a time.
    if (existsSync(join(dir, 'environments')) && !existsSync(join(dir, 'links'))) cpSync(join(dir, 'environments'), join(tp.root, 'environments'), { recursive: true });
  }
});
afterAll(() => tp?.cleanup());

/** The finding lines of a run (no blank lines, no summary line). */
const findingLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '' && !/^(validate|render|check): /.test(l));
/** The finding lines a case expects (its expected.txt's stderr). */
const expectedLines = (name: string): string[] => findingLines(readExpected(name)!.split('--- stderr\n')[1]!);

function expectClean(r: RunResult): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr + r.stdout).not.toMatch(/CANARY|this file was read/);
}

describe('inputs too big to commit', () => {
  it('a 50 MB environment file is refused by size, not parsed', async () => {
    const big = Buffer.alloc(BIG_FILE_BYTES, '# padding padding padding\n');
    big.write('extends: _valid.yaml\nname: big-file\n');
    writeFileSync(join(tp.paths.environments, 'big-file.yaml'), big);
    try {
      const r = await runMain(tp.root, ['validate', '--env', 'big-file']);
      expectClean(r);
      expect(r.code).toBe(1);
      expect(findingLines(r.stderr)).toEqual([`environments/big-file.yaml:1:1 / file is ${BIG_FILE_BYTES} bytes, more than the limit of 1048576`]);
    } finally {
      rmSync(join(tp.paths.environments, 'big-file.yaml'));
    }
  });

  it('30 000 unknown keys: one finding each, located through an index (linear, not quadratic)', async () => {
    const text = 'extends: _valid.yaml\nname: many-keys\n' + Array.from({ length: MANY_KEYS }, (_, i) => `k${i}: v\n`).join('');
    writeFileSync(join(tp.paths.environments, 'many-keys.yaml'), text);
    try {
      const r = await runMain(tp.root, ['validate', '--env', 'many-keys']);
      expectClean(r);
      expect(r.code).toBe(1);
      const lines = findingLines(r.stderr);
      expect(lines).toHaveLength(MANY_KEYS);
      const allowed = / \(allowed: [-a-zA-Z, ]+\)$/;
      const wrong = lines.filter((l, i) => !l.startsWith(`environments/many-keys.yaml:${i + 3}:1 /k${i} unknown key "k${i}"`) || !allowed.test(l));
      expect(wrong).toEqual([]);
    } finally {
      rmSync(join(tp.paths.environments, 'many-keys.yaml'));
    }
  });
});

describe('nesting deeper than the YAML parser can go', () => {
  // The column is where the parser ran out of stack, which varies from run to run (798 to 1630
  // seen), so this case is not a case folder.
  it('is a finding, not a RangeError', async () => {
    tp.write('environments/deep-nesting-parse.yaml', `extends: _valid.yaml\nname: deep-nesting-parse\ndescription: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    try {
      const r = await runMain(tp.root, ['validate', '--env', 'deep-nesting-parse']);
      expectClean(r);
      expect(r.code).toBe(1);
      expect(findingLines(r.stderr)).toEqual([expect.stringMatching(/^environments\/deep-nesting-parse\.yaml:3:\d+ \/ invalid YAML: nested more than 64 levels deep$/)]);
    } finally {
      rmSync(join(tp.paths.environments, 'deep-nesting-parse.yaml'));
    }
  });
});

describe('render of bad input', () => {
  it('reports the same findings as validate and writes nothing', async () => {
    for (const name of ['malformed', 'alias-bomb', 'proto-key', 'inject-key-prefix', 'control-in-keys', 'extends-cycle', 'type-list-for-map']) {
      const before = readTree(tp.paths.generated);
      const r = await runMain(tp.root, ['render', '--env', name]);
      expectClean(r);
      expect(r.code, name).toBe(1);
      expect(r.stderr).toMatch(/nothing written/);
      expect(findingLines(r.stderr), name).toEqual(expectedLines(name));
      expect(readTree(tp.paths.generated)).toEqual(before);
    }
  });

  it('of every environment at once (every case among them) writes nothing and removes nothing', async () => {
    writeFileSync(join(tp.paths.environments, 'Bad_Name.yaml'), 'name: Bad_Name\n');
    try {
      const before = readTree(tp.paths.generated);
      const r = await runMain(tp.root, ['render']);
      expectClean(r);
      expect(r.code).toBe(1);
      // As the cases read them: an allowed: list of the catalog's components is the catalog.
      const components = new Set(loadProject(tp.paths).catalog.keys());
      const lines = findingLines(r.stderr).map((l) => withoutComponentList(l, components));
      for (const name of caseNames()) if (caseArgs(name)[0] === 'validate' && readExpected(name)?.startsWith('exit 1') && existsSync(join(CASES_DIR, name, 'environments')) && !existsSync(join(CASES_DIR, name, 'links'))) for (const l of expectedLines(name)) expect(lines).toContain(l);
      expect(lines).toContain(`environments/Bad_Name.yaml / environment name "Bad_Name" is not a DNS-1123 label (lowercase letters, digits and '-')`);
      expect(readTree(tp.paths.generated)).toEqual(before);
    } finally {
      rmSync(join(tp.paths.environments, 'Bad_Name.yaml'), { force: true });
    }
  });
});

describe('the CLI in a real child process', () => {
  it('exits, prints and writes the same as main()', async () => {
    const picks = ['raw-control-chars', 'cli-env-traversal'];
    const before = readTree(tp.paths.generated);
    const runs = await Promise.all([
      ...picks.map(async (name) => ({ name, args: caseArgs(name), r: await runCli(caseArgs(name), tp.root, { CATALYST_DEBUG: '' }) })),
      runCli(['render', '--env', 'inject-key-prefix'], tp.root, { CATALYST_DEBUG: '' }).then((r) => ({ name: 'inject-key-prefix', args: ['render'], r })),
    ]);
    for (const { name, args, r } of runs) {
      expectClean(r);
      const expected = readExpected(name)!;
      expect(r.code, name).toBe(Number(/^exit (\d+)/.exec(expected)![1]));
      expect(findingLines(r.stderr), name).toEqual(expectedLines(name));
      if (args[0] === 'render') expect(r.stderr).toMatch(/nothing written/);
    }
    expect(readTree(tp.paths.generated)).toEqual(before);
  });
});
