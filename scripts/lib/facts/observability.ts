/**
 * Where telemetry goes. Every producer (Llama Stack, vLLM/llm-d, agents, MCP servers)
 * takes its OTLP endpoint from these facts, never from a copied string.
 */
import { addFactContributor } from '../context.ts';

/** Name of the collector's Service (and Deployment). */
export const OTEL_COLLECTOR = 'otel-collector';

addFactContributor((plan) => {
  const collector = plan.env.components.get(OTEL_COLLECTOR);
  const ns = collector?.app.namespace ?? 'catalyst-observability';
  const host = `${OTEL_COLLECTOR}.${ns}.svc.cluster.local`;
  return {
    otel: {
      enabled: collector?.enabled ?? false,
      namespace: ns,
      host,
      /** OTLP/gRPC, e.g. for vLLM --otlp-traces-endpoint and KServe tracing. */
      grpc: `http://${host}:4317`,
      /** OTLP/HTTP, e.g. OTEL_EXPORTER_OTLP_ENDPOINT with http/protobuf. */
      http: `http://${host}:4318`,
    },
  };
});
