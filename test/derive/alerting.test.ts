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

  it('dev routes critical and warning to the lab channel and discards info on purpose (no longer everything to "null")', () => {
    const am = values('dev').alertmanager;
    expect(am.config.route.routes).toEqual([
      { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
      { receiver: 'null', matchers: ['severity =~ "info"'] },
      { receiver: 'lab-slack', matchers: ['severity =~ "critical|warning"'], continue: true },
    ]);
    expect(renderFixture('dev').files.has('grafana-admin/alertmanager-receivers.yaml')).toBe(true);
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

describe('AgentNotReady', () => {
  it('watches the agents\' Deployments, not the WebUI that shares their namespace', () => {
    const out = renderFixture('prod');
    const rule = (docs(out, 'monitoring-rules/rules.yaml')[0]!.spec.groups as Obj[]).flatMap((g) => g.rules as Obj[]).find((r) => r.alert === 'AgentNotReady')!;
    const re = new RegExp(`^(?:${/deployment=~"([^"]+)"/.exec(rule.expr)![1]})$`);
    const agents = docs(out, 'agents/agents.yaml').filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name as string);
    expect(agents.length).toBeGreaterThan(0);
    for (const a of agents) expect(re.test(a), a).toBe(true);
    const webui = docs(out, 'webui/deployment.yaml').find((o) => o.kind === 'Deployment')!;
    expect(webui.metadata.namespace).toBe(docs(out, 'agents/agents.yaml').find((o) => o.kind === 'Deployment')!.metadata.namespace);
    expect(re.test(webui.metadata.name)).toBe(false);
  });
});
