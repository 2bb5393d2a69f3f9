/**
 * validateAppConfigs: the Llama Stack 0.7.1 run config inside the rendered ConfigMap checked
 * against schemas/app-configs/llama-stack-run-config.schema.json and the store-reference rules,
 * with findings at the line of the bad key in the generated file (and the env line the value
 * came from). The pre-fix shapes of defects 4 and 5 are refused.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/paths.ts';
import type { EnvOutput } from '../../../scripts/lib/render/environment.ts';
import { objectsOfFile } from '../../../scripts/lib/verify/hydration/collect.ts';
import { validateAppConfigs } from '../../../scripts/lib/verify/app-configs/index.ts';
import { formatFinding } from '../../../scripts/lib/findings.ts';
import { FIXTURE_ENV_NAMES, type TempProject } from '../../helpers/project.ts';
import { lineAt, renderFixture } from '../../helpers/render.ts';
import { FIXTURE_ENV, labProject, renderLab } from '../../render/infer-lab.ts';

let tp: TempProject;
let out: EnvOutput;
let text: string;
const FILE = `generated/${FIXTURE_ENV}/llama-stack/config.yaml`;
beforeAll(() => {
  tp = labProject();
  out = renderLab(tp);
  text = out.files.get('llama-stack/config.yaml')!;
});
afterAll(() => tp.cleanup());

const check = (t: string, opts: Parameters<typeof validateAppConfigs>[1] = {}) => validateAppConfigs(objectsOfFile(FILE, t), { root: ROOT, ...opts });
function plant(from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`plant: ${String(from)} not found`);
  return next;
}

describe('the generated app configs validate', () => {
  // The repository's own environments: test/repo/repo.test.ts (a generic check of the real config).
  it('the lab env and every fixture env (Llama Stack and OTel collector)', () => {
    expect(check(text).map(formatFinding)).toEqual([]);
    let seen = 0;
    for (const env of FIXTURE_ENV_NAMES) {
      const r = renderFixture(env);
      for (const path of ['llama-stack/config.yaml', 'otel-collector/config.yaml']) {
        const cm = r.files.get(path);
        if (!cm) continue;
        seen += 1;
        expect(validateAppConfigs(objectsOfFile(`generated/${env}/${path}`, cm), { root: ROOT }).map(formatFinding), `${env} ${path}`).toEqual([]);
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('planted errors are reported at their line in the generated ConfigMap', () => {
  it('defect 4: prompts as a SQL reference (no namespace) fails at prompts', () => {
    const bad = plant(/( +)prompts:\n +namespace: prompts\n +backend: kv_default/, '$1prompts:\n$1  table_name: prompts\n$1  backend: sql_default');
    const found = check(bad);
    const at = lineAt(bad, /^ +prompts:$/, 'prompts');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f).toMatchObject({ file: FILE, kind: 'ConfigMap', name: 'llama-stack-config' });
      expect(f.path.startsWith('/data/config.yaml/storage/stores/prompts')).toBe(true);
    }
    // The reference itself is located at its line (the line after the key).
    expect(found.some((f) => f.line === at.line + 1 && /namespace/.test(f.message))).toBe(true);
    expect(found.some((f) => /KV store reference|needs a kv_\* backend|namespace/.test(f.message))).toBe(true);
  });

  it('defect 4: responses persistence without agent_state fails', () => {
    const bad = plant(/ +agent_state:\n +namespace: agents\n +backend: kv_default\n/, '');
    const found = check(bad);
    expect(found.map((f) => f.message)).toContainEqual(expect.stringMatching(/persistence must have required property 'agent_state'/));
    expect(found).toHaveLength(1);
    expect(found[0]!.line).toBe(lineAt(bad, /provider_type: inline::builtin/).line + 3);
  });

  it('defect 5: registered_resources.tool_groups (emptied by 0.7.1) is refused', () => {
    const bad = plant(/( +)registered_resources:\n/, '$1registered_resources:\n$1  tool_groups:\n$1    - toolgroup_id: builtin::file-search\n$1      provider_id: file-search\n');
    const found = check(bad);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: '/data/config.yaml/registered_resources/tool_groups', line: lineAt(bad, /^ +tool_groups:$/).line + 1 });
  });

  it('a store reference to a backend of the wrong kind, and an unknown backend', () => {
    const bad = plant(/(connectors:\n +namespace: connectors\n +backend:) kv_default/, '$1 sql_default').replace(/(metadata:\n +namespace: registry\n +backend:) kv_default/, '$1 kv_nowhere');
    const msgs = check(bad).map((f) => f.message);
    expect(msgs).toContain('Llama Stack 0.7.1 run config: /storage/stores/connectors/backend a KV store reference (namespace) needs a kv_* backend, but "sql_default" is sql_postgres');
    expect(msgs).toContain('Llama Stack 0.7.1 run config: /storage/stores/metadata/backend backend "kv_nowhere" is not in storage.backends (have: kv_default, sql_default)');
  });

  it('a misspelt key is reported at the key, and a value from the env names its env line', () => {
    const bad = plant(/( +)ef_search: 40/, '$1ef_serach: 40');
    const env = out.plan!.env;
    const found = check(bad, { locateEnv: (p) => env.locate(p, false) });
    expect(found).toHaveLength(1);
    const at = lineAt(bad, /ef_serach/, 'ef_serach');
    const envLine = lineAt(tp.read(`environments/${FIXTURE_ENV}.yaml`), /^    vectorIndex:/).line;
    expect(found[0]).toMatchObject({ file: FILE, line: at.line, col: at.col });
    expect(found[0]!.message).toBe(
      `Llama Stack 0.7.1 run config: /providers/vector_io/0/config/vector_index/ef_serach is not a key Llama Stack reads (pydantic ignores it silently) (value from environments/${FIXTURE_ENV}.yaml:${envLine})`,
    );
  });

  it('objects without their parsed source (hydrated) are located by reading the generated file', () => {
    const bad = plant(/( +)port: 8321/, '$1port: 80');
    const path = join(tp.root, FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bad);
    const objects = objectsOfFile(FILE, bad).map(({ obj, file, line }) => ({ obj, file, line }));
    const found = validateAppConfigs(objects, { root: tp.root });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: '/data/config.yaml/server/port', line: lineAt(bad, /^ +port: 80$/).line });
  });
});
