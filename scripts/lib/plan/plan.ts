/**
 * The plan: which components an environment deploys, in which sync wave, and why.
 * wave = length of the longest dependency path below a component (0 for roots), where
 * dependencies are `dependsOn` plus "uses a CRD group that another component installs".
 */
import { LAYERS, type CatalogApp } from '../config/catalog.ts';
import type { ResolvedComponent, ResolvedEnv } from '../config/environment.ts';
import { failed, ok, type Result } from '../findings.ts';
import { positionOf } from '../config/yaml-source.ts';

/** The component that creates every platform namespace; everything else waits for it. */
export const NAMESPACES_APP = 'namespaces';

export interface PlannedApp {
  name: string;
  app: CatalogApp;
  settings: Record<string, unknown>;
  wave: number;
  /** Direct dependencies (declared, CRD providers and the namespaces app), sorted. */
  deps: string[];
  /** Components whose CRDs this one's custom resources need. */
  crdProviders: string[];
  /** True when a CRD it needs comes from another app (SkipDryRunOnMissingResource). */
  skipDryRun: boolean;
}

export interface Plan {
  env: ResolvedEnv;
  /** Enabled components ordered by wave, then layer, then name. */
  apps: PlannedApp[];
  byName: Map<string, PlannedApp>;
  /** Every namespace an enabled component deploys to, sorted. */
  namespaces: string[];
}

export function planEnvironment(env: ResolvedEnv): Result<Plan> {
  const enabled = new Map<string, ResolvedComponent>([...env.components].filter(([, c]) => c.enabled));
  const installers = new Map<string, string>();
  for (const c of [...enabled.values()].sort((a, b) => a.app.name.localeCompare(b.app.name))) {
    for (const g of c.app.crds.installs) if (!installers.has(g)) installers.set(g, c.app.name);
  }
  const deps = new Map<string, Set<string>>();
  const providers = new Map<string, Set<string>>();
  for (const [name, c] of enabled) {
    const d = new Set(c.app.dependsOn.filter((x) => enabled.has(x)));
    const p = new Set<string>();
    for (const g of c.app.crds.uses) {
      const owner = installers.get(g);
      if (owner && owner !== name) {
        d.add(owner);
        p.add(owner);
      }
    }
    if (name !== NAMESPACES_APP && enabled.has(NAMESPACES_APP) && c.app.source.type !== 'git') d.add(NAMESPACES_APP);
    deps.set(name, d);
    providers.set(name, p);
  }
  const cycle = findCycle(deps);
  if (cycle) {
    const first = enabled.get(cycle[0]!)!.app;
    const p = positionOf(first.src, '/dependsOn');
    return failed([{ file: first.src.file, line: p.line, col: p.col, path: '/dependsOn', message: `dependency cycle: ${cycle.join(' -> ')}` }]);
  }
  const wave = new Map<string, number>();
  const depth = (n: string): number => {
    const known = wave.get(n);
    if (known !== undefined) return known;
    let w = 0;
    for (const d of deps.get(n) ?? []) w = Math.max(w, depth(d) + 1);
    wave.set(n, w);
    return w;
  };
  for (const n of enabled.keys()) depth(n);
  const last = [...enabled.values()].filter((c) => c.app.syncLast).map((c) => c.app.name);
  if (last.length) {
    const top = Math.max(...[...wave].filter(([n]) => !last.includes(n)).map(([, w]) => w), -1);
    for (const n of last) wave.set(n, Math.max(wave.get(n)!, top + 1));
  }
  const apps: PlannedApp[] = [...enabled.values()].map((c) => ({
    name: c.app.name,
    app: c.app,
    settings: c.settings,
    wave: wave.get(c.app.name)!,
    deps: [...deps.get(c.app.name)!].sort(),
    crdProviders: [...providers.get(c.app.name)!].sort(),
    skipDryRun: providers.get(c.app.name)!.size > 0,
  }));
  apps.sort((a, b) => a.wave - b.wave || LAYERS.indexOf(a.app.layer) - LAYERS.indexOf(b.app.layer) || a.name.localeCompare(b.name));
  const namespaces = [...new Set(apps.filter((a) => a.app.source.type !== 'git').map((a) => a.app.namespace))].sort();
  return ok({ env, apps, byName: new Map(apps.map((a) => [a.name, a])), namespaces });
}

/** The first cycle found in sorted order, as a closed path `a, b, a` from its smallest name, or undefined. */
export function findCycle(deps: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const d of [...(deps.get(n) ?? [])].sort()) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...deps.keys()].sort()) {
    const c = visit(n);
    if (c) return rotate(c);
  }
  return undefined;
}

/** The same closed path, starting at its alphabetically first member (stable wherever the search entered it). */
function rotate(cycle: string[]): string[] {
  const open = cycle.slice(0, -1);
  const start = open.indexOf([...open].sort()[0]!);
  const turned = [...open.slice(start), ...open.slice(0, start)];
  return [...turned, turned[0]!];
}
