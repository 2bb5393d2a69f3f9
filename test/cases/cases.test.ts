/**
 * Every case folder of test/cases/ through the real CLI `main()` (one temp project, each case's
 * files added for its run and removed after): stdout, stderr and the exit code exactly as in
 * expected.txt; no stack trace, no internal error, no canary read; a failing command leaves
 * generated/ byte-identical. `UPDATE_CASES=1 npx vitest run test/cases` rewrites expected.txt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseBench, caseFocus, caseNames, errorsOnly, formatResult, normalize, withoutComponentList, readExpected, writeExpected } from '../helpers/cases.ts';

const UPDATE = process.env.UPDATE_CASES === '1';

let bench: CaseBench;
beforeAll(() => {
  bench = new CaseBench();
});
afterAll(() => bench?.cleanup());

describe('case folders', () => {
  it('focus: errors keeps the error findings only (sanity)', () => {
    const text = 'a.yaml:1:1 X [R1] warning: w\n  more\n\nb.yaml / is a link\n\nc.yaml:2:1 Y [HYD001] warning: /spec/source not hydrated\nhydrated: 1 of 2\ncheck: 1 environment(s), 9 objects, 1 finding(s), <t> s\n';
    expect(errorsOnly(text)).toBe('b.yaml / is a link\n');
  });

  it('reads an allowed: list of catalog components as the catalog, other lists as written (sanity)', () => {
    const c = new Set(['a', 'b-x', 'c', 'd']);
    expect(withoutComponentList('k (allowed: a, b-x, c, d)', c)).toBe("k (allowed: <the catalog's components>)");
    expect(withoutComponentList('k (allowed: a, b-x, c, d… (9 more characters; --format json has the full text)', c)).toBe("k (allowed: <the catalog's components>)");
    expect(withoutComponentList('k (allowed: a, b-x, zz)', c)).toBe('k (allowed: a, b-x, zz)');
  });

  it('reads counts of files and objects in summaries as <n>, except 0 (sanity)', () => {
    expect(normalize('render: 3 environment(s), 0 changed, 346 unchanged in 12 ms\n', '/r')).toBe('render: 3 environment(s), 0 changed, <n> unchanged in <t> ms\n');
    expect(normalize('check: 1 environment(s), 241 objects, 1 finding(s), 2.5 s\n', '/r')).toBe('check: 1 environment(s), <n> objects, 1 finding(s), <t> s\n');
  });

  it.each(caseNames())('%s', async (name) => {
    const r = await bench.run(name);
    const got = formatResult(r, bench.tp.root, caseFocus(name), bench.components);
    if (UPDATE) writeExpected(name, got);
    else expect(got).toBe(readExpected(name) ?? '(no expected.txt: run UPDATE_CASES=1 npx vitest run test/cases)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr + r.stdout).not.toMatch(/CANARY|this file was read/);
    if (r.code !== 0) expect(r.generatedChanged, 'a failing command writes nothing').toBe(false);
  });
});
