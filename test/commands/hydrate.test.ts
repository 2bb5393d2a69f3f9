/**
 * `hydrate --env dev --app NAME`: the full objects an Application stands for, as YAML, headed by
 * the tool that hydrated it: a fixture chart through helm (from a chart mirror), a local
 * component through kustomize; an Application that cannot be hydrated fails with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { hydrateCommand } from '../../scripts/lib/commands/hydrate.ts';
import { UsageError } from '../../scripts/lib/findings.ts';
import { platformProject, type PlatformProject } from '../verify/whole-platform/project.ts';

let p: PlatformProject;
beforeAll(async () => {
  p = await platformProject();
});
afterAll(async () => p?.cleanup());

async function hydrate(apps: string[], chartMirror?: string, format: 'text' | 'json' = 'text'): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await hydrateCommand({
    paths: p.tp.paths,
    envs: ['dev'],
    format,
    kubeconform: false,
    apps,
    chartMirror,
    out: (s) => void (out += s),
    err: (s) => void (err += s),
  });
  return { code, out, err };
}

const kinds = (yaml: string): string[] =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null)
    .filter((o) => o?.kind)
    .map((o) => `${o!.kind}/${o!.metadata?.namespace ? `${o!.metadata.namespace}/` : ''}${o!.metadata?.name}`);

describe('hydrate', () => {
  // Objects as the chart renders them: Argo CD gives the namespaceless ones the destination namespace.
  it('prints what a chart Application installs, saying that helm rendered it', async () => {
    const r = await hydrate(['lws'], p.mirror);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# dev dev-lws \(component lws\): hydrated\n# hydrated by (helm v[34]\.\d+\.\d+ \(|cached helm template)/);
    expect(kinds(r.out).sort()).toEqual(['Deployment/lws', 'Role/kube-system/lws:leaderelection', 'RoleBinding/kube-system/lws:leaderelection', 'ServiceAccount/lws']);
    expect(r.out).toContain('# Source: helm:fx-leader@0.1.0/fx-leader/templates/rbac.yaml');
  });

  it('prints a local component as kustomize builds it', async () => {
    const r = await hydrate(['dev-namespaces']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# dev dev-namespaces \(component namespaces\): local\n# hydrated by kustomize\n/);
    expect(kinds(r.out)).toContain('Namespace/kagenti-system');
  });

  it('--format json prints one JSON document: each Application with its status, tool and objects', async () => {
    const r = await hydrate(['dev-namespaces', 'lws'], undefined, 'json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out) as { command: string; ok: boolean; findings: { name: string }[]; applications: { app: string; status: string; tool: string | null; objects: { object: { kind: string } }[] }[] };
    expect(doc).toMatchObject({ command: 'hydrate', ok: false });
    const ns = doc.applications.find((a) => a.app === 'dev-namespaces')!;
    expect(ns.tool).toMatch(/kustomize/);
    expect(ns.objects.map((o) => o.object.kind)).toContain('Namespace');
    expect(doc.findings.map((f) => f.name)).toEqual(['dev-lws']);
  });

  it('an unknown --app suggests the nearest name before hydrating anything', async () => {
    await expect(hydrate(['postgress'])).rejects.toThrow(/--app postgress: no such Application in dev \(did you mean "postgres"\?\)/);
  });

  it('fails with the reason when a chart is neither in a mirror nor in the cache', async () => {
    const r = await hydrate(['lws']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^hydrate: dev-lws: not hydrated: fx-leader-0\.1\.0\.tgz from https:\/\/charts\.fixture\.example is not in the chart cache/);
  });

  it('rejects an unknown Application name', async () => {
    await expect(hydrate(['nope'])).rejects.toThrow(UsageError);
  });
});
