/**
 * Alertmanager routing as data (components.kube-prometheus-stack.alerting): receivers whose
 * credentials are files from one ExternalSecret, and one route per receiver by severity.
 * The chart mounts each Secret of alertmanagerSpec.secrets at /etc/alertmanager/secrets/<name>/
 * (prometheus-community/helm-charts kube-prometheus-stack values.yaml, alertmanagerSpec.secrets);
 * Alertmanager reads slack_configs.api_url_file and pagerduty_configs.routing_key_file, so no
 * credential is ever in the values.
 */
import type { KubePrometheusStackSettings } from '../config/schema-types/index.ts';

export const RECEIVERS_SECRET = 'alertmanager-receivers';
const MOUNT = `/etc/alertmanager/secrets/${RECEIVERS_SECRET}`;

type Alerting = NonNullable<KubePrometheusStackSettings['alerting']>;

export function deriveAlerting(a: Alerting | undefined, keyPrefix: string) {
  const receivers = a?.receivers ?? [];
  const secretData: { secretKey: string; remoteKey: string; property: string }[] = [];
  const amReceivers: Record<string, unknown>[] = [{ name: 'null' }];
  for (const r of receivers) {
    const remoteKey = `${keyPrefix}alerting/${r.name}`;
    const rec: Record<string, unknown> = { name: r.name };
    if (r.slack) {
      const key = `${r.name}-slack-webhook-url`;
      secretData.push({ secretKey: key, remoteKey, property: 'webhook_url' });
      rec.slack_configs = [{ api_url_file: `${MOUNT}/${key}`, channel: r.slack.channel, send_resolved: true }];
    }
    if (r.pagerduty) {
      const key = `${r.name}-pagerduty-routing-key`;
      secretData.push({ secretKey: key, remoteKey, property: 'routing_key' });
      rec.pagerduty_configs = [{ routing_key_file: `${MOUNT}/${key}`, send_resolved: true }];
    }
    amReceivers.push(rec);
  }
  const discard = a?.discard ?? [];
  const routes: Record<string, unknown>[] = [
    // The chart's always-firing Watchdog alert proves the pipeline; it goes nowhere.
    { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
    // Severities the env discards on purpose (alerting.discard): said once, here, not by omission.
    ...(discard.length ? [{ receiver: 'null', matchers: [`severity =~ "${discard.join('|')}"`] }] : []),
    ...receivers.map((r) => ({ receiver: r.name, matchers: [`severity =~ "${r.severities.join('|')}"`], continue: true })),
  ];
  return {
    enabled: receivers.length > 0 || discard.length > 0,
    secret: RECEIVERS_SECRET,
    secretData,
    config: {
      route: {
        receiver: 'null',
        group_by: a?.groupBy ?? ['namespace', 'alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: a?.repeatInterval ?? '4h',
        routes,
      },
      receivers: amReceivers,
    },
  };
}
