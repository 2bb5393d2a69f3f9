/**
 * Every Argo CD Application of one environment with the objects it stands for:
 * - the root app (`<env>-root`): the files of generated/<env>/apps/;
 * - local components: the objects of the env's kustomize build labelled with the component;
 * - helm and git sources: hydrateApplication (the mirror, else the chart cache; fetched only
 *   when asked). What cannot be hydrated keeps the reason; a tool that fails keeps its error.
 */
import { availableParallelism } from 'node:os';
import type { Finding, K8sObject } from '../../findings.ts';
import { COMPONENT_LABEL } from '../../render/labels.ts';
import type { LocatedObject } from './collect.ts';
import { hydrateApplication, readAppSource, SourceInputError, type HydrateOptions, type HydratedObject } from './argocd-source/index.ts';
import { ToolError } from '../../tools/run-tool.ts';

export type AppStatus = 'local' | 'hydrated' | 'not-hydrated' | 'failed';

export interface AppHydration {
  /** Application name (`prod-cert-manager`). */
  app: string;
  /** `catalyst.dev/component` of the Application (`root` for the app of apps). */
  component: string;
  application: LocatedObject;
  project: string;
  destination: { server: string; namespace: string; name?: string };
  status: AppStatus;
  /** Which tool hydrated it (`kustomize …`, `helm v4.1.4 (…)`, `cached helm template (…)`). */
  tool?: string;
  /** Why it is not hydrated, or the tool's error. */
  reason?: string;
  /** Inputs of the source refused, each at its own file and line (reported instead of one finding at the Application). */
  inputFindings?: Finding[];
  objects: LocatedObject[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const isApplication = (o: K8sObject): boolean => o.apiVersion === 'argoproj.io/v1alpha1' && o.kind === 'Application';

/** Where a chart/git object is reported: `<source>/<template or file>`, with the file line for git trees. */
export function locate(h: HydratedObject): LocatedObject {
  return { obj: h.object, file: `${h.source}/${h.file}`, line: h.source.startsWith('helm:') ? 0 : h.line };
}

export interface EnvApps {
  env: string;
  /** The env's objects from collectObjects (Argo CD objects and the local kustomize build). */
  located: LocatedObject[];
  hydrate: Omit<HydrateOptions, 'projectRepoURL'>;
  /** This env's `repo.url`: Applications from it are local. */
  projectRepoURL: string;
  /** The local build failed (the local apps then have no objects). */
  localFailed?: boolean;
  /** Hydrate only these Application names or components. */
  only?: string[];
}

export async function hydrateEnvApps(input: EnvApps): Promise<AppHydration[]> {
  const appsDir = `generated/${input.env}/apps/`;
  const apps = input.located.filter((o) => isApplication(o.obj) && (o.file.startsWith(appsDir) || o.file === `generated/${input.env}/root.yaml`));
  const selected = input.only?.length
    ? apps.filter((a) => input.only!.includes(a.obj.metadata.name ?? '') || input.only!.includes(a.obj.metadata.labels?.[COMPONENT_LABEL] ?? ''))
    : apps;
  const local = input.located.filter((o) => !o.file.startsWith(appsDir) && o.file !== `generated/${input.env}/root.yaml`);
  return mapLimit(selected, availableParallelism(), async (a) => {
    const spec = isObj(a.obj.spec) ? a.obj.spec : {};
    const dest = isObj(spec.destination) ? spec.destination : {};
    const component = a.obj.metadata.labels?.[COMPONENT_LABEL] ?? '';
    const base: AppHydration = {
      app: a.obj.metadata.name ?? '',
      component,
      application: a,
      project: str(spec.project),
      destination: { server: str(dest.server), namespace: str(dest.namespace), ...(str(dest.name) ? { name: str(dest.name) } : {}) },
      status: 'not-hydrated',
      objects: [],
    };
    const src = readAppSource(a.obj, { projectRepoURL: input.projectRepoURL });
    if (src.kind === 'local') {
      if (input.localFailed) return { ...base, reason: 'the kustomize build of the environment failed' };
      if (component === 'root') {
        return { ...base, status: 'local', tool: 'generated files', objects: input.located.filter((o) => o.file.startsWith(appsDir)) };
      }
      return { ...base, status: 'local', tool: 'kustomize', objects: local.filter((o) => o.obj.metadata.labels?.[COMPONENT_LABEL] === component) };
    }
    try {
      const r = await hydrateApplication(a.obj, { ...input.hydrate, projectRepoURL: input.projectRepoURL });
      if (r.status === 'hydrated') return { ...base, status: 'hydrated', tool: r.tool, objects: r.objects.map(locate) };
      if (r.status === 'not-hydrated') return { ...base, reason: r.reason };
      if (r.status === 'refused') return { ...base, status: 'failed', reason: r.reason, inputFindings: r.findings };
      return { ...base, reason: `source ${r.repoURL} ${r.path} is in this repository but not rendered here` };
    } catch (err) {
      // A chart or git file that is not what it should be (parseManifests: a YAML error, an alias bomb): its own failure, never a crash.
      if (err instanceof SourceInputError) return { ...base, status: 'failed', reason: err.message };
      if (!(err instanceof ToolError)) throw err;
      const tool = (err.command.split(' ')[0] ?? '').split('/').pop();
      const why = err.stderr.trim().split('\n').slice(-3).join(' ');
      return { ...base, status: 'failed', reason: err.kind === 'exit' && why ? `${tool} failed: ${why}` : err.message };
    }
  });
}

/** Map with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Run at most `n` of the given tasks at a time, in the order they are handed over. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
