/** Findings and the printed timeline of a simulated bootstrap (codes SIM001…; docs/SIMULATION.md). */
import type { Finding } from '../../findings.ts';
import type { AppRun } from './app-sync.ts';
import type { EnvRun } from './bootstrap.ts';

const APPCONTROLLER = 'argoproj/argo-cd@v3.3.14:controller/appcontroller.go';

export interface SimulateOptions {
  /** A non-final wave that waits on a run-to-completion task longer than this is a finding (seconds). */
  holdLimitSeconds: number;
}

const hours = (s: number): string => (s === Infinity ? 'without limit' : s >= 3600 ? `${+(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);

/** Whether a child's source follows a moving ref: a pinned chart version or tag never changes revision. */
function pinned(run: AppRun): boolean {
  const src = ((run.application.obj.spec ?? {}) as Record<string, unknown>).source as Record<string, unknown> | undefined;
  const rev = typeof src?.targetRevision === 'string' ? src.targetRevision : '';
  if (typeof src?.chart === 'string' || String(src?.repoURL ?? '').startsWith('oci://')) return true;
  return /^v?\d+(\.\d+)*([-+].*)?$/.test(rev) || /^[0-9a-f]{40}$/.test(rev);
}

function where(run: AppRun, f: Partial<Finding>): Finding {
  const t = run.blocked?.task;
  return {
    file: t?.file ?? run.application.file,
    line: t?.line ?? run.application.line,
    col: 0,
    path: '',
    message: '',
    kind: t?.obj.kind ?? 'Application',
    name: t?.obj.metadata.name ?? run.name,
    ...f,
  };
}

export function envFindings(r: EnvRun, opts: SimulateOptions): Finding[] {
  const out: Finding[] = [];
  for (const run of [r.root, ...r.children.values()]) {
    const b = run.blocked;
    const at = b?.task ? ` (${b.task.phase} wave ${b.task.wave})` : '';
    if (run.status === 'waiting' && b) {
      const isRoot = run === r.root;
      out.push(where(run, {
        rule: 'SIM001',
        message: `${r.env}: ${run.name} never finishes: its operation waits forever at ${b.task?.obj.kind}/${b.task?.obj.metadata.name}${at}: ${b.reason} [${b.rule}]; the operation stays Running, so auto-sync skips every new revision ("another operation is in progress", ${APPCONTROLLER} autoSync)${isRoot ? '' : ''}`,
      }));
    } else if (run.status === 'failed' && b) {
      out.push(where(run, {
        rule: 'SIM002',
        message: `${r.env}: ${run.name} fails for good after ${run.retryLimit} retries at ${b.task ? `${b.task.obj.kind}/${b.task.obj.metadata.name}${at}` : 'its start'}: ${b.reason} [${b.rule}]${pinned(run) ? `; its source is pinned, so no new commit retries it (${APPCONTROLLER} alreadyAttemptedSync): run \`argocd app sync ${run.name}\` after fixing the cause` : ''}`,
      }));
    }
    for (const h of run.holds) {
      // A run of unknown length (no activeDeadlineSeconds: a setup hook) is not judged.
      if (h.seconds === Infinity || h.seconds <= opts.holdLimitSeconds) continue;
      out.push({
        file: h.task.file, line: h.task.line, col: 0, path: '', kind: h.task.obj.kind, name: h.task.obj.metadata.name, rule: 'SIM005', severity: 'warning',
        message: `${r.env}: ${run.name} holds its ${h.task.phase} wave ${h.task.wave} (not its last) for up to ${hours(h.seconds)} while ${h.task.obj.kind}/${h.task.obj.metadata.name} runs (limit ${hours(opts.holdLimitSeconds)}): every new revision of ${run.name} waits that long (bounded: a warning; a sync timeout shorter than this terminates it) [argoproj/argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go]`,
      });
    }
  }
  // A property of the Application, not of its objects: judged for every child the root creates,
  // hydrated or not.
  const created = [...r.root.tasks].filter((t) => t.obj.kind === 'Application' && (r.children.has(t.obj.metadata.name ?? '') || r.notHydrated.has(t.obj.metadata.name ?? '')));
  for (const app of created) {
    const spec = (app.obj.spec ?? {}) as Record<string, unknown>;
    const ignored = Array.isArray(spec.ignoreDifferences) ? spec.ignoreDifferences : [];
    const policy = (spec.syncPolicy ?? {}) as Record<string, unknown>;
    const options = Array.isArray(policy.syncOptions) ? policy.syncOptions : [];
    if (!ignored.length || options.includes('RespectIgnoreDifferences=true')) continue;
    const kinds = ignored.map((i) => String((i as Record<string, unknown>).kind ?? '?')).join(', ');
    const name = app.obj.metadata.name ?? '';
    out.push({
      file: app.file, line: app.line, col: 0, path: '', kind: 'Application', name, rule: 'SIM009',
      message: `${r.env}: ${name} fights the cluster: ignoreDifferences (${kinds}) only hides the fields from the diff, every sync applies git's value again without RespectIgnoreDifferences=true [argoproj/argo-cd@v3.3.14:docs/user-guide/sync-options.md, "Respect ignore differences configs"]`,
    });
  }
  const stoppedAt = r.root.status !== 'succeeded' ? r.root.blocked?.task?.wave : undefined;
  const never = [...r.root.tasks].filter((t) => t.obj.kind === 'Application' && !r.children.has(t.obj.metadata.name ?? '') && !r.notHydrated.has(t.obj.metadata.name ?? ''));
  if (never.length && stoppedAt !== undefined) {
    out.push(where(r.root, { rule: 'SIM003', message: `${r.env}: ${never.length} Application(s) are never created because ${r.root.name} stops at wave ${stoppedAt}: ${never.map((t) => t.obj.metadata.name).join(', ')}` }));
  }
  const ungated = [...new Map(r.ungated.map((u) => [u.wave, u])).values()];
  for (const u of ungated) {
    out.push({
      file: r.root.application.file, line: r.root.application.line, col: 0, path: '', kind: 'Application', name: u.root, rule: 'SIM004',
      message: `${r.env}: ${u.root} moves past wave ${u.wave} without waiting for ${u.child}: the instance has no argoproj.io_Application health check yet, so a child Application has no health and counts as done once applied [argoproj/argo-cd@v3.3.14:gitops-engine/pkg/sync/sync_context.go: "some objects (e.g. secret) do not have health"]`,
    });
  }
  // An Application that could not be hydrated is assumed to converge: check reports it (HYD001),
  // the timeline marks it "not simulated".
  for (const e of r.luaErrors) out.push({ file: 'base/argocd-health/argoproj.io_Application.lua', line: 0, col: 0, path: '', rule: 'SIM007', message: `${r.env}: ${e}` });
  return out;
}

/** The predicted timeline, wave by wave. */
export function timeline(r: EnvRun): string[] {
  const lines: string[] = [];
  const verdict = (run: AppRun): string =>
    run.status === 'succeeded' ? `converges${run.attempts > 1 ? ` (after ${run.attempts - 1} retr${run.attempts > 2 ? 'ies' : 'y'})` : ''}`
      : run.status === 'waiting' ? `STALLS: ${run.blocked?.reason ?? ''}`
      : run.status === 'failed' ? `FAILS after ${run.retryLimit} retries: ${run.blocked?.reason ?? ''}`
      : run.status;
  lines.push(`${r.env}: health checks when the first root syncs: ${r.healthAtStart.length ? r.healthAtStart.join(', ') : 'none'}`);
  for (const h of r.healthAdded) lines.push(`  ${h.by} registers the health check ${h.key}`);
  lines.push(`  ${r.root.name}: ${verdict(r.root)}`);
  for (const s of r.root.steps) {
    const children = s.applied.map((a) => {
      const name = a.split('/')[1] ?? a;
      const c = r.children.get(name);
      return c ? `${name} (${verdict(c)})` : r.notHydrated.has(name) ? `${name} (not simulated)` : name;
    });
    lines.push(`    wave ${s.wave}: ${children.join('; ')}`);
  }
  for (const c of r.children.values()) {
    if (c.steps.length <= 1 && c.status === 'succeeded') continue;
    lines.push(`  ${c.name} (root wave ${c.wave}): ${verdict(c)}`);
    for (const s of c.steps) lines.push(`    ${s.phase} wave ${s.wave}: ${s.applied.length} object(s): ${s.applied.slice(0, 6).join(', ')}${s.applied.length > 6 ? ', …' : ''}`);
    for (const h of c.holds) lines.push(`    waits ${h.seconds === Infinity ? 'until it completes' : `up to ${hours(h.seconds)}`} for ${h.task.obj.kind}/${h.task.obj.metadata.name} (${h.task.phase} wave ${h.task.wave})`);
  }
  return lines;
}
