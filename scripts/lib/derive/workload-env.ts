/**
 * Environment variables the agents and the benchmark runs share: OTLP export to the
 * collector, the MCP gateway client settings, and the env's own variables over generated ones.
 */
import { MCP_TOKEN_FILE } from './mcp.ts';

export type Env = Record<string, unknown>;

/** `{ name, value }` with the value as a string. */
export const sv = (name: string, value: string | number): Env => ({ name, value: String(value) });

/** The generated variables, then the env's own (which replace generated ones of the same name). */
export function withOwn(generated: Env[], own: Record<string, string> | undefined): Env[] {
  const mine = Object.entries(own ?? {}).map(([k, v]) => sv(k, v));
  const names = new Set(mine.map((e) => e.name));
  return [...generated.filter((e) => !names.has(e.name)), ...mine];
}

/** OTLP/HTTP export to the collector (facts.otel.http, from derive/observability.ts constants). */
export function otelEnv(otelHttp: string, service: string): Env[] {
  return [
    sv('OTEL_SERVICE_NAME', service),
    sv('OTEL_EXPORTER_OTLP_ENDPOINT', otelHttp),
    sv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'),
    sv('OTEL_TRACES_EXPORTER', 'otlp'),
    sv('OTEL_METRICS_EXPORTER', 'otlp'),
    sv('OTEL_LOGS_EXPORTER', 'none'),
  ];
}

/** The OTel service.name an agent's spans carry: its name, unless its own env sets OTEL_SERVICE_NAME. */
export function agentServiceName(a: { name: string; env?: Record<string, string> }): string {
  return a.env?.OTEL_SERVICE_NAME ?? a.name;
}

/**
 * A PromQL regex (inside a double-quoted PromQL string) matching exactly the service names of the
 * env's agents: the servicegraph connector labels each edge's client with the caller's service.name.
 */
export function agentServicesRegex(agents: { name: string; env?: Record<string, string> }[]): string {
  return agents.map((a) => agentServiceName(a).replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\\\${c}`)).join('|');
}

/** What a workload needs to call the MCP gateway with its own (projected) token. */
export function mcpEnv(url: string, servers: { name: string; prefix: string }[]): Env[] {
  return [
    sv('MCP_URL', url),
    sv('MCP_SERVERS', servers.map((s) => s.name).join(',')),
    sv('MCP_TOOL_PREFIXES', servers.map((s) => s.prefix).join(',')),
    sv('MCP_TOKEN_FILE', MCP_TOKEN_FILE),
  ];
}
