/**
 * CON003: every severity an alert can carry reaches a receiver that notifies someone, in every
 * env, unless the env discards that severity on purpose (components.kube-prometheus-stack.
 * alerting.discard). Read from the rendered kube-prometheus-stack Application: its Helm values
 * over the chart's default Alertmanager config, routed as Alertmanager routes
 * (alertmanager-routing.ts).
 */
import { isPlainObject } from '../../config/merge.ts';
import type { KubePrometheusStackSettings } from '../../config/schema-types/index.ts';
import { settingsOf } from '../../derive/common.ts';
import type { Finding } from '../../findings.ts';
import type { LocatedObject } from '../hydration/index.ts';
import { effectiveAlertmanagerConfig, notifies, receiversFor } from './alertmanager-routing.ts';
import type { ContractInput } from './types.ts';

/** The severities the platform's alerts carry (the alerting schema's enum; derive/alert-rules*.ts use them). */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;

const COMPONENT = 'kube-prometheus-stack';

/** The kube-prometheus-stack Application of the env, when it renders one. */
export function alertmanagerApp(objects: readonly LocatedObject[]): LocatedObject | undefined {
  return objects.find((o) => o.obj.kind === 'Application' && o.obj.metadata.labels?.['catalyst.dev/component'] === COMPONENT);
}

/** The Helm values of an Application (valuesObject; a `values` string is not read here). */
export function helmValues(app: LocatedObject): unknown {
  const helm = (app.obj.spec as { source?: { helm?: { valuesObject?: unknown } } } | undefined)?.source?.helm;
  return isPlainObject(helm) ? helm.valuesObject : undefined;
}

/** Where each severity goes: the receivers Alertmanager picks for an ordinary alert of that severity. */
export function severityRoutes(values: unknown): { severity: string; receivers: string[]; notified: string[] }[] {
  const config = effectiveAlertmanagerConfig(values);
  const route = isPlainObject(config.route) ? config.route : {};
  return SEVERITIES.map((severity) => {
    // Any alert name but the chart's Watchdog (routed to "null" on purpose), in a platform namespace.
    const receivers = receiversFor(route, { alertname: 'CatalystRouteProbe', severity, namespace: 'catalyst' });
    return { severity, receivers, notified: receivers.filter((r) => notifies(config, r)) };
  });
}

export function alertRouteFindings(input: ContractInput): Finding[] {
  const app = alertmanagerApp(input.objects);
  if (!app) return [];
  const alerting = (settingsOf(input.plan, COMPONENT as never) as KubePrometheusStackSettings).alerting;
  const discard = new Set<string>(alerting?.discard ?? []);
  const out: Finding[] = [];
  for (const r of severityRoutes(helmValues(app))) {
    if (r.notified.length || discard.has(r.severity)) continue;
    const pointer = alerting?.receivers ? `/components/${COMPONENT}/alerting/receivers` : `/components/${COMPONENT}/alerting`;
    const at = input.plan.env.locate(pointer, false);
    out.push({
      file: at.file, line: at.line, col: at.col, path: pointer, rule: 'CON003',
      message:
        `alerts of severity "${r.severity}" reach no one: Alertmanager routes them to ${r.receivers.map((x) => `"${x}"`).join(', ')} ` +
        `(no notifier; from ${app.file}); add a receiver with this severity to components.${COMPONENT}.alerting.receivers, ` +
        `or list it in alerting.discard to drop it on purpose`,
    });
  }
  return out;
}
