/**
 * Issue 13 item 3: CNPG query metrics carry no `cluster` label (cloudnative-pg v1.30.0
 * docs/src/monitoring.md:262-264); only the PodMonitor's relabeling can give them one. Every
 * dashboard query and alert rule that filters a cnpg_ metric by cluster needs that relabeling.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/paths.ts';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

const podMonitor = parse(readFileSync(join(ROOT, 'apps/postgres/base/podmonitor.yaml'), 'utf8')) as Obj;

function exprs(): string[] {
  const dir = join(ROOT, 'apps/grafana-dashboards/base');
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'expr' && typeof x === 'string' ? out.push(x) : walk(x));
  };
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) walk(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  for (const r of docs(renderFixture('prod'), 'monitoring-rules/rules.yaml')) walk(r);
  return out;
}

describe('CNPG metrics carry the cluster label the queries filter on', () => {
  it('the PodMonitor copies the pod\'s cnpg.io/cluster label into `cluster` on every series', () => {
    const ep = podMonitor.spec.podMetricsEndpoints[0];
    expect(ep.relabelings).toContainEqual({ sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' });
    expect(podMonitor.spec.selector.matchLabels['cnpg.io/podRole']).toBe('instance');
  });

  it('some query filters a cnpg_ query metric (not cnpg_collector_up) by cluster', () => {
    const filtered = exprs().filter((e) => /cnpg_(?!collector_up)\w+\{[^}]*cluster=/.test(e));
    expect(filtered.length).toBeGreaterThan(0);
  });
});
