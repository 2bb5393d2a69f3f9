/**
 * Config validation end to end: a bad env file gives every error at once, sorted,
 * each with file:line:col, the JSON path and a plain message; nothing is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject, planOne } from '../../scripts/lib/render/environment.ts';
import { formatFinding } from '../../scripts/lib/findings.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';

let tp: TempProject | undefined;
afterEach(() => tp?.cleanup());

function validate(env: string): string[] {
  const project = loadProject(tp!.paths);
  return planOne(project, env).findings.map(formatFinding);
}

describe('environment validation', () => {
  it('accepts every bundled environment', () => {
    tp = tempProject();
    for (const env of ['dev', 'staging', 'prod']) expect(validate(env)).toEqual([]);
  });

  it('reports a bound violation at the value, with the message of the issue', () => {
    tp = tempProject();
    tp.edit('environments/prod.yaml', 'instances: 3', 'instances: 0');
    const line = tp.read('environments/prod.yaml').split('\n').findIndex((l) => l.includes('instances: 0')) + 1;
    expect(validate('prod')).toEqual([`environments/prod.yaml:${line}:16 /components/postgres/instances must be >= 1`]);
  });

  it('reports every error at once, sorted by position, with unknown keys at the key', () => {
    tp = tempProject();
    tp.edit('environments/staging.yaml', 'instances: 2', 'instancez: 2');
    tp.edit('environments/staging.yaml', 'domain: staging.catalyst.example.com', 'domain: Not A Host');
    tp.edit('environments/staging.yaml', 'gpusPerNode: 4', 'gpusPerNode: four');
    const out = validate('staging');
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^environments\/staging\.yaml:\d+:\d+ \/cluster\/domain "Not A Host" is not valid: must be a DNS name/);
    expect(out[1]).toMatch(/^environments\/staging\.yaml:\d+:\d+ \/cluster\/gpu\/gpusPerNode must be integer, found string$/);
    expect(out[2]).toMatch(/^environments\/staging\.yaml:\d+:5 \/components\/postgres\/instancez unknown key "instancez" \(allowed: enabled, instances,/);
    const lines = out.map((l) => Number(l.split(':')[1]));
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('locates an error set in the shared base file in that file', () => {
    tp = tempProject();
    tp.edit('environments/_base.yaml', 'factor: 2', 'factor: 0');
    const out = validate('dev');
    expect(out).toEqual([expect.stringMatching(/^environments\/_base\.yaml:\d+:\d+ \/sync\/retry\/backoff\/factor must be >= 1$/)]);
  });

  it('names a missing required key at its parent', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /\n {2}domain: dev\.catalyst\.example\.com/, '');
    expect(validate('dev')).toEqual([expect.stringMatching(/^environments\/dev\.yaml:\d+:\d+ \/cluster is missing required key "domain"$/)]);
  });

  it('rejects an image tagged latest and a PostgreSQL image without pgvector', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', 'instances: 1', 'instances: 1\n    imageName: ghcr.io/cloudnative-pg/postgresql:latest');
    expect(validate('dev')).toEqual([expect.stringMatching(/\/components\/postgres\/imageName "ghcr\.io\/cloudnative-pg\/postgresql:latest" is not allowed/)]);
    tp.edit('environments/dev.yaml', 'postgresql:latest', 'postgresql:17.10-minimal-trixie');
    expect(validate('dev')).toEqual([expect.stringMatching(/only those carry pgvector/)]);
  });

  it('rejects a component that needs a disabled one', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', 'components:\n', 'components:\n  cnpg-operator: { enabled: false }\n');
    const out = validate('dev');
    expect(out.some((l) => /"cnpg-operator" is disabled, but the enabled component "postgres" depends on it/.test(l))).toBe(true);
    expect(out.some((l) => /"postgres" uses CRD group postgresql\.cnpg\.io, but no enabled component installs it \(enable cnpg-operator\)/.test(l))).toBe(true);
  });

  it('checks that the name inside the file equals the file name', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', 'name: dev', 'name: develop');
    expect(validate('dev')).toEqual([expect.stringMatching(/^environments\/dev\.yaml:\d+:7 \/name name "develop" must equal the file name "dev"$/)]);
  });

  it('reports an extends cycle and a missing extends target', () => {
    tp = tempProject();
    tp.write('environments/_a.yaml', 'extends: _b.yaml\n');
    tp.write('environments/_b.yaml', 'extends: _a.yaml\n');
    tp.edit('environments/dev.yaml', 'extends: _base.yaml', 'extends: _a.yaml');
    expect(validate('dev')).toEqual([expect.stringMatching(/extends cycle: environments\/dev\.yaml -> environments\/_a\.yaml -> environments\/_b\.yaml -> environments\/_a\.yaml/)]);
    tp.edit('environments/dev.yaml', 'extends: _a.yaml', 'extends: _gone.yaml');
    expect(validate('dev')).toEqual(['environments/dev.yaml:3:10 /extends extends target environments/_gone.yaml does not exist']);
    tp.edit('environments/dev.yaml', 'extends: _gone.yaml', 'extends: ../etc/passwd');
    expect(validate('dev')[0]).toMatch(/extends must name a file in environments\//);
  });
});

describe('credentials in config', () => {
  it('rejects a token-like value and a credential-named key, at their lines', () => {
    tp = tempProject();
    tp.edit('environments/dev.yaml', /description: .*/, 'description: "lab db at postgresql://admin:s3cret@db.example.com:5432/lab"');
    tp.edit('environments/dev.yaml', '    instances: 1\n', '    instances: 1\n    parameters:\n      application_name: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n      password: hunter2\n');
    const out = validate('dev');
    expect(out).toEqual([
      expect.stringMatching(/^environments\/dev\.yaml:\d+:14 \/description this value looks like a credential/),
      expect.stringMatching(/^environments\/dev\.yaml:\d+:25 \/components\/postgres\/parameters\/application_name this value looks like a credential/),
      expect.stringMatching(/^environments\/dev\.yaml:\d+:17 \/components\/postgres\/parameters\/password "password" holds a credential/),
    ]);
  });
});
