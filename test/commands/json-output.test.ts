/** --format json: one JSON document on stdout and nothing on stderr, findings counted as printed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject;
beforeAll(() => {
  tp = tempProject();
});
afterAll(() => tp?.cleanup());

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = process.env.CATALYST_ROOT;
  process.env.CATALYST_ROOT = tp.root;
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(args, { out: (s) => ((stdout += s), true), err: (s) => ((stderr += s), true) });
    return { code, stdout, stderr };
  } finally {
    if (saved === undefined) delete process.env.CATALYST_ROOT;
    else process.env.CATALYST_ROOT = saved;
  }
}

describe('--format json', () => {
  it('a finding in a shared file is printed and counted once for several envs', async () => {
    // Two fixture envs extending one broken base: the base's finding is one finding.
    tp.write('environments/_zz.yaml', 'name: x\ncluster: { domain: 42 }\n');
    tp.write('environments/zz-a.yaml', 'extends: _zz.yaml\nname: zz-a\n');
    tp.write('environments/zz-b.yaml', 'extends: _zz.yaml\nname: zz-b\n');
    const text = await run(['validate', '--env', 'zz-a', '--env', 'zz-b']);
    expect(text.code).toBe(1);
    const printed = text.stderr.trim().split('\n').slice(0, -1).filter((l) => l !== '');
    expect(new Set(printed).size).toBe(printed.length);
    expect(text.stderr.trim().split('\n').pop()).toBe(`validate: 2 environment(s), ${printed.length} finding(s)`);
    const r = await run(['validate', '--env', 'zz-a', '--env', 'zz-b', '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { command: string; ok: boolean; findings: { file: string }[]; summary: { findings: number } };
    expect(doc).toMatchObject({ command: 'validate', ok: false });
    expect(doc.findings).toHaveLength(printed.length);
    expect(doc.summary.findings).toBe(printed.length);
    expect(doc.findings.filter((f) => f.file === 'environments/_zz.yaml').length).toBeGreaterThan(0);
  });

  it('a usage error is a JSON document too', async () => {
    const r = await run(['validate', '--env', 'no-such-env', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'validate', ok: false, findings: [], summary: { findings: 0 }, error: { kind: 'usage', message: expect.stringMatching(/environments\/no-such-env\.yaml does not exist/), hint: 'catalyst help validate' } });
  });

  it('suggests the nearest env name', async () => {
    const r = await run(['validate', '--env', 'zz-c']);
    expect(r.stderr).toMatch(/--env "zz-c": environments\/zz-c\.yaml does not exist \(did you mean "zz-a"\?\)/);
  });
});
