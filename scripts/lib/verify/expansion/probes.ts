/**
 * FLOW003: a probe must reach the container where it listens. The kubelet sends httpGet,
 * tcpSocket and grpc probes to the pod IP (kubernetes/kubernetes@v1.35.0
 * pkg/kubelet/prober/prober.go: `host` defaults to status.podIP), so:
 *  - a container that binds its server to a loopback address (an argument such as
 *    `--listen-host=127.0.0.1`) never answers a probe without `host`;
 *  - a probe's named port must be one of the container's ports;
 *  - when the container lists its ports, the probe's port must be one of them (a probe on a
 *    sidecar's port checks the sidecar, not this container).
 * Checked on every pod the project renders and every pod an operator creates from it.
 */
import type { Finding } from '../../findings.ts';
import { isMap, str, type JsonMap } from './types.ts';

export const FLOW003 = 'FLOW003';
const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;
/** An argument binding a server to loopback: --host / --listen-host / --sse-host / --bind / --address … = 127.x, localhost, ::1. */
const LOOPBACK_ARG = /^--?[\w-]*(?:host|listen|bind|addr|address)[\w-]*[= ](?:127(?:\.\d{1,3}){3}|localhost|\[?::1\]?)(?::\d+)?$/i;

export interface ProbeProblem {
  container: string;
  probe: string;
  message: string;
}

function probePort(probe: JsonMap): { port: unknown; host: string } | undefined {
  for (const k of ['httpGet', 'tcpSocket', 'grpc']) {
    const h = probe[k];
    if (isMap(h)) return { port: h.port, host: str(h.host) };
  }
  return undefined;
}

/** The probe problems of one pod spec. */
export function probeProblems(spec: JsonMap): ProbeProblem[] {
  const out: ProbeProblem[] = [];
  const containers = [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), ...(Array.isArray(spec.containers) ? spec.containers : [])] as JsonMap[];
  for (const c of containers) {
    const name = str(c.name);
    const ports = (Array.isArray(c.ports) ? c.ports : []).filter(isMap);
    const byName = new Map(ports.filter((p) => str(p.name)).map((p) => [str(p.name), Number(p.containerPort)]));
    const numbers = new Set(ports.map((p) => Number(p.containerPort)));
    const args = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String);
    const loopback = args.find((a) => LOOPBACK_ARG.test(a));
    for (const k of PROBES) {
      if (!isMap(c[k])) continue;
      const target = probePort(c[k] as JsonMap);
      if (!target || target.host) continue;
      const port = typeof target.port === 'string' && !/^\d+$/.test(target.port) ? byName.get(target.port) : Number(target.port);
      if (port === undefined) {
        out.push({ container: name, probe: k, message: `${k} of container "${name}" names port "${String(target.port)}", which the container does not declare` });
      } else if (loopback) {
        out.push({ container: name, probe: k, message: `${k} of container "${name}" targets port ${port} on the pod IP, but the container binds to loopback (${loopback}): the probe can never succeed` });
      } else if (numbers.size && !numbers.has(port)) {
        out.push({ container: name, probe: k, message: `${k} of container "${name}" targets port ${port}, but the container listens on ${[...numbers].join(', ')}` });
      }
    }
  }
  return out;
}

export type ProbeFinding = (problem: ProbeProblem) => Finding;
