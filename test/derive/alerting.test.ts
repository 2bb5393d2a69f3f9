/**
 * Issue 13 item 10 and the alerts it names: Alertmanager routes alerts to receivers from
 * config, credentials only as files of an ExternalSecret, and every named alert exists in every
 * env where its component runs.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { docs, renderFixture, type Obj } from '../helpers/render.ts';

const values = (env: string): Obj => {
  const app = docs(renderFixture(env), 'apps/kube-prometheus-stack.yaml')[0]!;
  const v = app.spec.source?.helm?.valuesObject ?? app.spec.sources?.find((s: Obj) => s.helm)?.helm.valuesObject;
  return typeof v === 'string' ? (parse(v) as Obj) : (v as Obj);
};

describe('alert routing', () => {
  it('prod routes critical to PagerDuty and critical+warning to Slack, credentials as files', () => {
    const am = values('prod').alertmanager;
    const secret = am.alertmanagerSpec.secrets[0] as string;
    const text = JSON.stringify(am.config);
    expect(text).not.toMatch(/"(api_url|routing_key|service_key)"/);
    const names = (am.config.receivers as Obj[]).map((r) => r.name);
    for (const r of am.config.route.routes as Obj[]) expect(names).toContain(r.receiver);
    const oncall = (am.config.route.routes as Obj[]).find((r) => r.receiver === 'oncall')!;
    expect(oncall.matchers).toEqual(['severity =~ "critical"']);
    const es = docs(renderFixture('prod'), 'grafana-admin/alertmanager-receivers.yaml')[0]!;
    expect(es.kind).toBe('ExternalSecret');
    expect(es.metadata.name).toBe(secret);
    const keys = (es.spec.data as Obj[]).map((d) => d.secretKey);
    for (const r of am.config.receivers as Obj[]) {
      for (const c of [...(r.slack_configs ?? []), ...(r.pagerduty_configs ?? [])] as Obj[]) {
        const file = (c.api_url_file ?? c.routing_key_file) as string;
        expect(file.startsWith(`/etc/alertmanager/secrets/${secret}/`)).toBe(true);
        expect(keys).toContain(file.split('/').pop());
      }
    }
    expect(es.spec.data).toContainEqual({ secretKey: 'oncall-pagerduty-routing-key', remoteRef: { key: 'catalyst/prod/alerting/oncall', property: 'routing_key' } });
  });

  it('dev has no receivers: no config override and no receivers Secret', () => {
    expect(values('dev').alertmanager.config).toBeUndefined();
    expect(renderFixture('dev').files.has('grafana-admin/alertmanager-receivers.yaml')).toBe(false);
  });
});

describe('the alerts issue 13 names exist in every env', () => {
  const NAMED = ['MCPServerRegistrationNotReady', 'AgentNotReady', 'BenchmarkJobFailed', 'PostgresWALArchivingFailing', 'PostgresBackupFailing', 'TraceExportFailing'];
  for (const env of ['dev', 'staging', 'prod']) {
    it(env, () => {
      const rule = docs(renderFixture(env), 'monitoring-rules/rules.yaml')[0]!;
      const alerts = (rule.spec.groups as Obj[]).flatMap((g) => (g.rules as Obj[]).map((r) => r.alert)).filter(Boolean);
      for (const a of NAMED) expect(alerts, a).toContain(a);
      // kube-state-metrics exports the custom-resource conditions those rules read.
      const ksm = values(env)['kube-state-metrics'];
      const kinds = (ksm.customResourceState.config.spec.resources as Obj[]).map((r) => r.groupVersionKind.kind);
      expect(kinds).toEqual(['MCPServerRegistration', 'AgentRuntime']);
      expect(ksm.collectorsExtra).toEqual(['mcpserverregistrations', 'agentruntimes']);
    });
  }
});
