/**
 * Chart apps in a diff: the Application (chart, version, values) is always compared as an object;
 * when its chart is in the local chart cache or the `--chart-mirror`, the chart is also rendered
 * for both sides (verify/platform's hydrateApplication: `helm template` as Argo CD would) and its
 * objects join the comparison. Only Applications that differ are hydrated; nothing is fetched.
 */
import { hydrateApplication } from '../verify/hydration/index.ts';
import { objectKey, type EnvSnapshot } from '../verify/snapshot/index.ts';
import type { K8sObject } from '../findings.ts';

const KUBE_VERSION = '1.35.0';

const isApp = (o: K8sObject): boolean => o.apiVersion === 'argoproj.io/v1alpha1' && o.kind === 'Application';

/** A tool's reason without this machine's absolute paths (the chart cache, a temp tree): the same on every runner. */
export function withoutLocalPaths(reason: string): string {
  return reason.replace(/(^|[\s('"])\/(?!\/)(?:[^\s;:)'"]+)/g, (_m, pre: string) => `${pre}${'<local path>'}`).replace(/the chart cache <local path>/g, 'the chart cache');
}

/** Add hydrated chart objects of changed chart Applications to both snapshots; returns notes. */
export async function addChartObjects(base: EnvSnapshot | undefined, head: EnvSnapshot | undefined, opts: { mirror?: string; projectRepoURL?: string }): Promise<string[]> {
  const notes: string[] = [];
  const keys = new Set([...(base?.objects.keys() ?? []), ...(head?.objects.keys() ?? [])]);
  for (const key of [...keys].sort()) {
    const b = base?.objects.get(key);
    const h = head?.objects.get(key);
    const any = (h ?? b)!;
    if (!isApp(any.obj) || JSON.stringify(b?.obj) === JSON.stringify(h?.obj)) continue;
    const missing: string[] = [];
    for (const [side, snap] of [[b, base], [h, head]] as const) {
      if (!side || !snap) continue;
      const r = await hydrateApplication(side.obj, { mirror: opts.mirror, fetch: false, kubeVersion: KUBE_VERSION, apiVersions: [], projectRepoURL: opts.projectRepoURL });
      if (r.status === 'hydrated') {
        for (const o of r.objects) {
          snap.objects.set(`chart:${objectKey(o.object)}`, { component: any.component, obj: o.object });
        }
      } else if (r.status === 'not-hydrated') missing.push(r.reason);
    }
    if (missing.length) notes.push(`${any.component}: chart objects not compared (${[...new Set(missing.map(withoutLocalPaths))].join('; ')}); the Application's chart, version and values are compared`);
  }
  return notes;
}
