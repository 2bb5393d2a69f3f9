/**
 * A temp project whose catalog points two helm components at fixture charts, and a chart mirror
 * holding those charts packaged with the real helm (no network):
 * - lws -> fx-leader 0.1.0: a leader-election Role/RoleBinding in kube-system, a privileged pod,
 *   and a misspelt values key (`replicaCont`, from apps/lws/overlays/values.yaml.hbs);
 * - kagenti-operator -> fx-shared 0.2.0: its own Namespace (the namespaces component renders it
 *   too) and a Gadget that the chart's own CRD rejects. The Gadget kind is declared in the
 *   component's namespacedResources, as a real component would, so the project admits it.
 * Caches go to a temp CATALYST_CACHE_DIR; helm's homes to a sandbox.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderCommand } from '../../../scripts/lib/commands/render.ts';
import { tempProject, type TempProject } from '../../helpers/project.ts';
import { FIXTURES, packageChart, sandbox } from '../hydration/argocd-source/helpers.ts';

export interface PlatformProject {
  tp: TempProject;
  mirror: string;
  cleanup: () => Promise<void>;
}

function retarget(tp: TempProject, app: string, chart: string, version: string): void {
  // the fixture charts' host, allowed like any other (apps/_hosts.yaml)
  if (!tp.read('apps/_hosts.yaml').includes('charts.fixture.example')) tp.edit('apps/_hosts.yaml', /^hosts:\n/m, 'hosts:\n  - charts.fixture.example\n');
  tp.edit(`apps/${app}/app.yaml`, /source:\n(?: {2}.*\n)+/, `source:\n  type: helm\n  repoURL: https://charts.fixture.example\n  chart: ${chart}\n  version: ${version}\n`);
}

export async function platformProject(): Promise<PlatformProject> {
  const box = await sandbox();
  const saved = process.env.CATALYST_CACHE_DIR;
  process.env.CATALYST_CACHE_DIR = path.join(box.dir, 'cache');
  const tp = tempProject();
  retarget(tp, 'lws', 'fx-leader', '0.1.0');
  retarget(tp, 'kagenti-operator', 'fx-shared', '0.2.0');
  tp.edit('apps/kagenti-operator/app.yaml', 'namespacedResources:\n', 'namespacedResources:\n  - { group: fixture.example.com, kind: Gadget }\n');
  mkdirSync(path.join(tp.root, 'apps/lws/overlays'), { recursive: true });
  tp.write('apps/lws/overlays/values.yaml.hbs', 'replicaCount: 1\nreplicaCont: 2\n');
  const quiet = { format: 'text' as const, kubeconform: false, out: () => {}, err: (s: string) => process.stderr.write(s) };
  if (renderCommand({ paths: tp.paths, envs: undefined, ...quiet }) !== 0) throw new Error('render of the fixture project failed');
  const mirror = await mkdtemp(path.join(os.tmpdir(), 'catalyst-mirror-'));
  for (const c of ['fx-leader', 'fx-shared']) await packageChart(path.join(FIXTURES, 'charts', c), mirror);
  return {
    tp,
    mirror,
    cleanup: async () => {
      tp.cleanup();
      await rm(mirror, { recursive: true, force: true });
      if (saved === undefined) delete process.env.CATALYST_CACHE_DIR;
      else process.env.CATALYST_CACHE_DIR = saved;
      await box.restore();
    },
  };
}
