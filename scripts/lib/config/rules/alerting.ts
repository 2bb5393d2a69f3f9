/** Rules for Alertmanager routing (components.kube-prometheus-stack.alerting). */
import { componentSettings } from '../environment.ts';
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';

/** Receiver names are unique, and each receiver has exactly one channel (slack or pagerduty). */
export const alertReceivers: EnvRule = (env) => {
  if (!env.components.get('kube-prometheus-stack')?.enabled) return [];
  const receivers = componentSettings(env, 'kube-prometheus-stack')?.alerting?.receivers ?? [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  receivers.forEach((r, i) => {
    const at = `/components/kube-prometheus-stack/alerting/receivers/${i}`;
    if (seen.has(r.name) || r.name === 'null') out.push(finding(env, `${at}/name`, `receiver name "${r.name}" is already taken`));
    seen.add(r.name);
    const channels = [r.slack, r.pagerduty].filter(Boolean).length;
    if (channels !== 1) out.push(finding(env, at, `receiver "${r.name}" needs exactly one of slack or pagerduty (has ${channels})`));
  });
  return out;
};

/** A discarded severity (alerting.discard) is not also sent to a receiver: the two would contradict. */
export const alertDiscard: EnvRule = (env) => {
  if (!env.components.get('kube-prometheus-stack')?.enabled) return [];
  const a = componentSettings(env, 'kube-prometheus-stack')?.alerting;
  const out: Finding[] = [];
  (a?.discard ?? []).forEach((sev, i) => {
    const to = (a?.receivers ?? []).filter((r) => r.severities.includes(sev)).map((r) => r.name);
    if (to.length) out.push(finding(env, `/components/kube-prometheus-stack/alerting/discard/${i}`, `severity "${sev}" is discarded and also routed to ${to.join(', ')}: the discard route comes first, so ${to.join(', ')} would never get it`));
  });
  return out;
};

export const ALERTING_RULES: EnvRule[] = [alertReceivers, alertDiscard];
