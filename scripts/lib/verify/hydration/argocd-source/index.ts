/** Public API of the platform hydration engine (see hydrate-app.ts). */
export { hydrateApplication, type HydrateOptions } from './hydrate-app.ts';
export { SourceInputError, type HydrateResult, type HydratedObject } from './hydrated.ts';
export { readAppSource, type ApplicationSource, type HelmSettings } from './app-source.ts';
export { findHelm, runHelm, type Helm } from '../../../tools/helm.ts';
export { defaultChartCacheDir, fetchChart, locateChart, chartCachePath, type ChartRef } from './chart-cache.ts';
export { mirrorChartPath, mirrorGitPath } from './chart-mirror.ts';
export { ToolError, runTool, DEFAULT_TIMEOUT_MS, type ToolErrorKind } from '../../../tools/run-tool.ts';
