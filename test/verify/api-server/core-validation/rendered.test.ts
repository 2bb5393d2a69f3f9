/**
 * Core validation on a real render of a config fixture: an agent description long enough to push
 * the Deployment's annotations over the API server's 256 KiB total is refused (KV001,
 * ValidateAnnotations) at the line of the annotations in the generated file; the fixture as it is
 * renders with none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../../scripts/lib/findings.ts';
import { objectsOfFile } from '../../../../scripts/lib/verify/hydration/collect.ts';
import { coreValidationFindings } from '../../../../scripts/lib/verify/api-server/core-validation/index.ts';
import type { TempProject } from '../../../helpers/project.ts';
import { renderFixture, renderTemp } from '../../../helpers/render.ts';
import type { EnvOutput } from '../../../../scripts/lib/render/environment.ts';
import { append, fixtureProject } from '../../../config/fixture-project.ts';

describe('core validation of a rendered env', () => {
  let t: TempProject;
  beforeAll(() => {
    t = fixtureProject();
  });
  afterAll(() => t.cleanup());

  function check(out: EnvOutput): { findings: Finding[]; files: Map<string, string> } {
    expect(out.findings).toEqual([]);
    const objects = [...out.files].filter(([p]) => p.endsWith('.yaml')).flatMap(([p, text]) => objectsOfFile(`generated/${out.env}/${p}`, text));
    expect(objects.length).toBeGreaterThan(100);
    return { findings: coreValidationFindings(objects), files: out.files };
  }
  const rendered = () => check(renderTemp(t, 'lab'));

  it('finds nothing in the fixture envs as they are', () => {
    for (const env of ['dev', 'staging', 'prod']) expect(check(renderFixture(env)).findings).toEqual([]);
  });

  it('refuses annotations over 256 KiB in total at the annotations of the generated object', () => {
    const original = t.read('environments/lab.yaml');
    append(t, 'environments/lab.yaml', `agents:\n  - name: platform-assistant\n    description: "${'a long description. '.repeat(14000)}"\n`);
    try {
      const { findings, files } = rendered();
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f).toMatchObject({ rule: 'KV001', path: '/metadata/annotations' });
        expect(f.message).toMatch(/^Too long: annotations size \d+ is larger than limit 262144 \(keys and values count; the largest is "catalyst\.dev\/description"\) \(the API server refuses it: ValidateAnnotations, Kubernetes v1\.35\)$/);
        const text = files.get(f.file.slice('generated/lab/'.length))!;
        // The line of the annotations (their first entry): in the generated file of the agent.
        expect(f.file).toMatch(/^generated\/lab\/agents\//);
        expect(text.split('\n')[f.line - 1]).toMatch(/^\s*(annotations:|catalyst\.dev\/description: )/);
      }
    } finally {
      t.write('environments/lab.yaml', original);
    }
  });
});
