/**
 * Object names built from config names fit Kubernetes' 63-character DNS-1123 label limit,
 * counting the prefixes and suffixes the tool and the operators add. The schema caps each name;
 * this rule states the real limit per name, from the names derive/ builds:
 * - an MCP server `s`: `mcp-s` (Deployment, Service, HTTPRoute, app.kubernetes.io/name label)
 *   and `mcp-s-credential` / `-jira` / `-brave` (its ExternalSecret), derive/mcp.ts and derive/mcp-servers.ts;
 * - a model `m`: `m-kserve-workload-svc`, the Service KServe v0.20 creates
 *   (kmeta.ChildName, pkg/controller/v1alpha2/llmisvc/workload.go), which the tool names in
 *   Llama Stack's URL (derive/models.ts): past 63 characters KServe hashes the name and the URL
 *   misses; `m-vllm` (PodMonitor, apps/models/overlays/podmonitors.yaml.hbs);
 * - an agent `a`: `a` (Deployment, Service, AgentRuntime, AgentCard), derive/agents.ts;
 * - a benchmark run `r`: the Job `r`, whose name the job-name label holds.
 */
import type { Finding } from '../../findings.ts';
import type { EnvRule } from './types.ts';
import { finding } from './types.ts';
import { isActive } from './walk.ts';

export const DNS_LABEL_MAX = 63;

interface Derived {
  /** JSON pointer of the list, and the key of its items' names. */
  list: string;
  key: string;
  /** Each name built from the item's name, with what it names. */
  names: { make: (n: string) => string; what: string }[];
}

export const DERIVED_NAMES: Derived[] = [
  {
    list: '/mcp/servers',
    key: 'name',
    names: [
      { make: (n) => `mcp-${n}-credential`, what: "the ExternalSecret of the server's credential" },
      { make: (n) => `mcp-${n}`, what: "the server's Deployment, Service and HTTPRoute" },
    ],
  },
  {
    list: '/models',
    key: 'name',
    names: [
      { make: (n) => `${n}-kserve-workload-svc`, what: "the Service KServe creates for the model (longer, KServe hashes it and Llama Stack's URL would miss it)" },
      { make: (n) => `${n}-vllm`, what: "the model's PodMonitor" },
    ],
  },
  { list: '/agents', key: 'name', names: [{ make: (n) => n, what: "the agent's Deployment and Service" }] },
  { list: '/benchmarks', key: 'id', names: [{ make: (n) => n, what: "the run's Job (the job-name label holds it)" }] },
];

function itemsAt(config: unknown, list: string): unknown[] {
  let cur: unknown = config;
  for (const s of list.split('/').slice(1)) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[s] : undefined;
  return Array.isArray(cur) ? cur : [];
}

export const derivedNamesFit: EnvRule = (env) => {
  const out: Finding[] = [];
  for (const d of DERIVED_NAMES) {
    itemsAt(env.config, d.list).forEach((item, i) => {
      const n = (item as Record<string, unknown> | null)?.[d.key];
      const at = `${d.list}/${i}/${d.key}`;
      if (typeof n !== 'string' || !isActive(env, at)) return;
      // The longest name built from it is the one to report.
      const built = d.names.map((x) => ({ ...x, full: x.make(n) })).sort((a, b) => b.full.length - a.full.length)[0]!;
      if (built.full.length <= DNS_LABEL_MAX) return;
      const room = DNS_LABEL_MAX - (built.full.length - n.length);
      out.push(finding(env, at, `"${n}" makes "${built.full}" (${built.full.length} characters), the name of ${built.what}: names are at most ${DNS_LABEL_MAX} characters, so this one can have at most ${room}`));
    });
  }
  return out;
};

export const NAME_LENGTH_RULES: EnvRule[] = [derivedNamesFit];
