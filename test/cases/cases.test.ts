/**
 * Every case folder of test/cases/ through the real CLI `main()` (one temp project, each case's
 * files added for its run and removed after): stdout, stderr and the exit code exactly as in
 * expected.txt; no stack trace, no internal error, no canary read; a failing command leaves
 * generated/ byte-identical. `UPDATE_CASES=1 npx vitest run test/cases` rewrites expected.txt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseBench, caseNames, formatResult, readExpected, writeExpected } from '../helpers/cases.ts';

const UPDATE = process.env.UPDATE_CASES === '1';

let bench: CaseBench;
beforeAll(() => {
  bench = new CaseBench();
});
afterAll(() => bench?.cleanup());

describe('case folders', () => {
  it.each(caseNames())('%s', async (name) => {
    const r = await bench.run(name);
    const got = formatResult(r, bench.tp.root);
    if (UPDATE) writeExpected(name, got);
    else expect(got).toBe(readExpected(name) ?? '(no expected.txt: run UPDATE_CASES=1 npx vitest run test/cases)');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr + r.stdout).not.toMatch(/CANARY|this file was read/);
    if (r.code !== 0) expect(r.generatedChanged, 'a failing command writes nothing').toBe(false);
  });
});
