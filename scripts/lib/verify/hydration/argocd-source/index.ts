/** Public API of Argo CD's source rendering (see hydrate-app.ts); the runners are in tools/. */
export { hydrateApplication, type HydrateOptions } from './hydrate-app.ts';
export { SourceInputError, type HydrateResult, type HydratedObject } from './hydrated.ts';
export { readAppSource, type ApplicationSource, type HelmSettings } from './app-source.ts';
export { defaultChartCacheDir, fetchChart, locateChart, chartCachePath, type ChartRef } from './chart-cache.ts';
export { isDir, isFile, mirrorChartPath, mirrorGitPath } from './chart-mirror.ts';
export { locateGitTree } from './git-source.ts';
export { guardConnection } from './network-guard.ts';
