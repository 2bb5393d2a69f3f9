/**
 * Hydration: every object an environment's Applications stand for, as Argo CD would produce them.
 * - local components: the env's kustomize build (kustomize-build.ts, its errors in
 *   kustomize-errors.ts), each object traced to its file and line (collect.ts, sources.ts);
 * - Helm and git sources as Argo CD 3.3 renders them (argocd-source/), for the cluster helm
 *   would see (kube-target.ts), every Application of an env at once (env-apps.ts);
 * - what kustomize and helm may read, read before they run (source-inputs/);
 * - the bytes behind each pin (chart-archive.ts, chart-lock.ts, HYD003);
 * - the committed generated/ against what the config produces (drift.ts).
 * The rest of scripts/ imports hydration through this file.
 */
export * from './argocd-source/index.ts';
export { readChartFiles, type ChartFiles } from './chart-archive.ts';
export { chartDigest, chartKey, gitDigest, gitKey, HYD003, keepNotes, LOCK_FILE, readLock, verdict, writeLock, type ChartLock } from './chart-lock.ts';
export { collectObjects, objectsOfFile, type LocatedObject } from './collect.ts';
export { driftFindings } from './drift.ts';
export { hydrateEnvApps, isApplication, limiter, mapLimit, type AppHydration, type AppStatus } from './env-apps.ts';
export { kubeTarget, type KubeTarget } from './kube-target.ts';
export { KustomizeBuildError } from './kustomize-errors.ts';
export { refineLine } from './sources.ts';
