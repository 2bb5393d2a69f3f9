/**
 * generated/<env>/PREREQUISITES.md lists everything the env reads from outside: checked against
 * what kustomize and the Application values actually produce (collected here independently of
 * collect.ts), so a new secret key, host or storage class cannot be missing from it; a config
 * change that adds a key shows up; the command prints the same, and as JSON.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { hydrateFixture, renderFixture, renderOk, type Obj } from '../helpers/render.ts';
import { tempProject } from '../helpers/project.ts';
import { prerequisitesCommand } from '../../scripts/lib/commands/prerequisites.ts';
import { FIXTURE_ENV_NAMES } from '../helpers/project.ts';

/** Secret keys, hosts under the domain and storage classes the env's output uses, found without collect.ts. */
async function used(env: string): Promise<{ keys: string[]; hosts: string[]; classes: string[]; domain: string }> {
  const out = renderFixture(env);
  const domain = out.plan!.env.config.cluster.domain;
  const objects: Obj[] = (await hydrateFixture(env)).map((o) => o.obj as Obj);
  // Applications (with their Helm values) and root.yaml are not part of the kustomize build.
  for (const [path, text] of out.files) if (path.startsWith('apps/') || path === 'root.yaml') objects.push(...parseAllDocuments(text).map((d) => d.toJS() as Obj));
  const keys = new Set<string>();
  const classes = new Set<string>();
  const hosts = new Set<string>();
  const text = JSON.stringify(objects);
  for (const o of objects) {
    if (o?.kind === 'ExternalSecret') for (const d of o.spec?.data ?? []) keys.add(d.remoteRef.key);
    if (o?.kind === 'PersistentVolumeClaim' && o.spec.storageClassName) classes.add(o.spec.storageClassName);
    if (o?.kind === 'Cluster' && o.spec?.storage?.storageClass) classes.add(o.spec.storage.storageClass);
  }
  for (const m of text.matchAll(/"storageClassName":"([^"]+)"/g)) classes.add(m[1]!);
  const esc = domain.replace(/\./g, '\\.');
  for (const m of text.matchAll(new RegExp(`[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.${esc}(?![a-z0-9.-]*[a-z])`, 'g'))) hosts.add(m[0]);
  return { keys: [...keys], hosts: [...hosts], classes: [...classes], domain };
}

describe('PREREQUISITES.md', () => {
  it.each(FIXTURE_ENV_NAMES)('%s: every secret key, host and storage class the output uses is listed', async (env) => {
    const md = renderFixture(env).files.get('PREREQUISITES.md')!;
    expect(md).toMatch(new RegExp(`^# Prerequisites of ${env}\\n`));
    const u = await used(env);
    // The collection finds something to check (it cannot pass on nothing).
    expect(u.keys.length).toBeGreaterThan(3);
    expect(u.hosts.length).toBeGreaterThan(1);
    expect(u.classes.length + (md.includes('(cluster default)') ? 1 : 0)).toBeGreaterThan(0);
    const missing = [...u.keys.map((k) => `key ${k}`), ...u.hosts.map((h) => `host ${h}`), ...u.classes.map((c) => `storage class ${c}`)].filter((item) => !md.includes(`\`${item.split(' ').pop()}\``));
    expect(missing).toEqual([]);
    expect(md).toContain('- version: v3.3.14');
  });

  it('a config change that adds a secret key, a host or a storage class shows in it', () => {
    const tp = tempProject();
    try {
      tp.edit('environments/dev.yaml', 'artifacts: { store: pvc, pvc: { size: 5Gi } }', 'artifacts: { store: s3, s3: { bucket: traces, endpointUrl: "https://s3.example.com", staticCredentials: true } }');
      const before = renderFixture('dev').files.get('PREREQUISITES.md')!;
      const md = renderOk(tp, 'dev').files.get('PREREQUISITES.md')!;
      expect(before).not.toContain('mlflow/s3');
      expect(md).toMatch(/`mlflow\/s3` \| access_key_id, secret_access_key \|/);
    } finally {
      tp.cleanup();
    }
  });

  it('lists the declared cluster prerequisites with the models whose capabilities need them (issue 24)', () => {
    const tp = tempProject();
    try {
      tp.edit('environments/dev.yaml', '    gpuMemoryUtilization: 0.5\n', '    gpuMemoryUtilization: 0.5\n    scaling: { minReplicas: 1, maxReplicas: 1, keda: {} }\n');
      tp.edit('environments/dev.yaml', '  storageClass: local-path\n', '  storageClass: local-path\n  prerequisites: [wva-controller, keda]\n');
      const before = renderFixture('dev').files.get('PREREQUISITES.md')!;
      expect(before).toMatch(/## Cluster capabilities\n\n[^\n]+\n\n\(none\)\n/);
      const md = renderOk(tp, 'dev').files.get('PREREQUISITES.md')!;
      const section = md.slice(md.indexOf('## Cluster capabilities'), md.indexOf('## APIs expected'));
      expect(section.split('\n').filter((l) => l.startsWith('| `'))).toEqual([
        '| `keda` | KEDA (keda.sh ScaledObject) and the autoscaling-wva-controller-config key of inferenceservice-config | model qwen3-8b (scaling) |',
        '| `wva-controller` | the llm-d Workload Variant Autoscaler controller and its llmd.ai CRDs (VariantAutoscaling) | model qwen3-8b (scaling) |',
      ]);
    } finally {
      tp.cleanup();
    }
  });

  it('the prerequisites command prints the file, and its data as JSON', async () => {
    const tp = tempProject();
    try {
      let out = '';
      const opts = { paths: tp.paths, envs: ['staging'], kubeconform: false, out: (s: string) => void (out += s), err: () => undefined };
      expect(prerequisitesCommand({ ...opts, format: 'text' })).toBe(0);
      expect(out).toBe(renderFixture('staging').files.get('PREREQUISITES.md'));
      out = '';
      expect(prerequisitesCommand({ ...opts, format: 'json' })).toBe(0);
      const doc = JSON.parse(out) as { command: string; ok: boolean; prerequisites: { env: string; secretKeys: { key: string; readBy: string[] }[]; argocd: { apply: string[] } }[] };
      expect(doc).toMatchObject({ command: 'prerequisites', ok: true });
      const st = doc.prerequisites[0]!;
      expect(st.env).toBe('staging');
      // staging shares prod's Argo CD: prod's root.yaml (the ApplicationSet) is applied too.
      expect(st.argocd.apply).toEqual(['generated/staging/root.yaml', 'generated/prod/root.yaml']);
      expect(st.secretKeys.find((k) => k.key === 'catalyst/staging/webui/nextauth')!.readBy[0]).toMatch(/^ExternalSecret catalyst-agents\/webui-auth/);
    } finally {
      tp.cleanup();
    }
  });
});
