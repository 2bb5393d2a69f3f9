/**
 * Facts of the inference layer: the models an environment serves (`models:`), where each one
 * is reached, the Gateway KServe's managed routes attach to, and the Llama Stack server (its URL
 * and its rendered run config). Agents, benchmarks and UIs read `facts.models` and
 * `facts.llamaStack.url`; they never copy a model name or a service URL.
 */
import type { Plan } from '../plan/plan.ts';
import { INFERENCE_GATEWAY_APP, LLAMA_STACK_APP, MODELS_APP, modelsOf } from '../config/components.ts';
import { callerNamespaces, component, serviceHost } from './common.ts';
import { FILES_MOUNT, LLAMA_STACK_NAME, LLAMA_STACK_PORT, llamaStackRunConfig, mcpServers, pickModel, type LlamaStackSettings } from './llama-stack.ts';
import type { McpFacts } from './mcp.ts';
import { modelFact, type ModelsSettings } from './models.ts';
import { fillJob, priorityClassName } from './model-workload.ts';
import { migParted } from './mig-layout.ts';
import type { PlatformFacts } from './platform.ts';
import { catalogImage } from '../config/family-versions.ts';
import { FILL_IMAGE_ROLE } from './model-workload.ts';


/** The Gateway the kserve chart names as its ingress gateway (apps/kserve/overlays/values.yaml.hbs). */
export const INFERENCE_GATEWAY_NAME = 'kserve-ingress-gateway';
export const INFERENCE_GATEWAY_CLASS = 'istio';
export const INFERENCE_GATEWAY_PORT = 80;
/** ServiceAccounts fixed in apps/models/base and apps/llama-stack/overlays/serviceaccount.yaml.hbs. */
export const MODEL_SERVICE_ACCOUNT = 'model-server';
export const LLAMA_STACK_SERVICE_ACCOUNT = 'llama-stack';
/** The user ConfigMap (key config.yaml, operator >= v0.6.0). */
export const LLAMA_STACK_CONFIGMAP = 'llama-stack-config';

export function deriveInference(plan: Plan, platform: PlatformFacts, mcp: McpFacts) {
  const env = plan.env;
  const comp = (name: string) => component(plan, name);
  const ns = comp(MODELS_APP).app.namespace;
  const gwNs = comp(INFERENCE_GATEWAY_APP).app.namespace;
  const gatewayService = `${INFERENCE_GATEWAY_NAME}-${INFERENCE_GATEWAY_CLASS}`;
  const gatewayHost = serviceHost(gatewayService, gwNs);
  const gatewayUrl = `http://${gatewayHost}`;
  const settings = comp(MODELS_APP).settings as ModelsSettings;
  // Only served models are facts: with the models component off, nothing points at them.
  const served = comp(MODELS_APP).enabled ? modelsOf(env.config) : [];
  const flows = comp(MODELS_APP).app.podFlows;
  // The fill Job's default image: KServe's storage initializer as the catalog pins it.
  const fillImage = served.some((m) => m.cache) ? catalogImage([...env.components.values()].map((c) => c.app), FILL_IMAGE_ROLE) : '';
  const models = served.map((m) => {
    const fact = modelFact(m, settings, ns, gatewayUrl, env.config.cluster.gpu, MODEL_SERVICE_ACCOUNT, fillImage);
    const uses = { multiNode: m.multiNode !== undefined, prefill: m.prefill !== undefined };
    fact.podFlows = flows.filter((f) => uses[f.when]).map((f) => ({ name: f.name, ports: f.ports, description: f.description }));
    return fact;
  });

  const ls = comp(LLAMA_STACK_APP);
  const lsNs = ls.app.namespace;
  const prefix = platform.secretStore.keyPrefix;
  // Who may call Llama Stack: the namespaces of enabled components that declare talksTo llama-stack.
  const allowedNamespaces = callerNamespaces(plan, LLAMA_STACK_APP);
  const lsSettings = ls.settings as LlamaStackSettings;
  const hf = settings.hfToken ?? { secretName: 'hf-token', remoteKey: 'huggingface', property: 'token' };
  return {
    inference: {
      namespace: ns,
      serviceAccount: MODEL_SERVICE_ACCOUNT,
      gateway: {
        name: INFERENCE_GATEWAY_NAME,
        namespace: gwNs,
        className: INFERENCE_GATEWAY_CLASS,
        port: INFERENCE_GATEWAY_PORT,
        service: gatewayService,
        url: gatewayUrl,
        /** The kserve chart's `namespace/name` reference. */
        ref: `${gwNs}/${INFERENCE_GATEWAY_NAME}`,
      },
      /** The Hugging Face token: Secret <secretName>, key HF_TOKEN, from <remoteKey>/<property>. */
      hfToken: { secretName: hf.secretName, remoteKey: `${prefix}${hf.remoteKey}`, property: hf.property },
      /** The model cache PVC (null without components.models.cache) and the models filled into it. */
      cache: settings.cache
        ? {
            claimName: settings.cache.claimName,
            size: settings.cache.size,
            storageClass: settings.cache.storageClass ?? env.config.cluster.storageClass ?? null,
            accessMode: settings.cache.accessMode ?? 'ReadWriteMany',
            fills: models.flatMap((m) => (m.serving.cache ? [fillJob(m.serving.cache, { serviceAccount: MODEL_SERVICE_ACCOUNT, hfSecret: hf.secretName })] : [])),
          }
        : null,
      /** The MIG manager's config for cluster.gpu.mig (null without a layout). */
      migParted: migParted(env.config.cluster.gpu),
      /** PriorityClass catalyst-<class> per components.models.priorityClasses entry. */
      priorityClasses: Object.entries(settings.priorityClasses ?? {}).map(([cls, pc]) => ({
        name: priorityClassName(cls),
        value: pc.value,
        description: pc.description ?? `catalyst model priority ${cls}`,
        preemptionPolicy: pc.preemptionPolicy ?? 'PreemptLowerPriority',
      })),
    },
    models,
    llamaStack: {
      enabled: ls.enabled,
      name: LLAMA_STACK_NAME,
      namespace: lsNs,
      serviceName: `${LLAMA_STACK_NAME}-service`,
      serviceAccount: LLAMA_STACK_SERVICE_ACCOUNT,
      port: LLAMA_STACK_PORT,
      /** In-cluster base URL of the Llama Stack API (OpenAI-compatible under /v1). */
      url: `http://${serviceHost(`${LLAMA_STACK_NAME}-service`, lsNs)}:${LLAMA_STACK_PORT}`,
      configMapName: LLAMA_STACK_CONFIGMAP,
      /** The files volume (the catalog's default `files` sets one for every env; null only when an env removes it). */
      files: lsSettings.files
        ? {
            claimName: `${LLAMA_STACK_NAME}-files`,
            mountPath: FILES_MOUNT,
            size: lsSettings.files.size ?? '20Gi',
            storageClass: lsSettings.files.storageClass ?? env.config.cluster.storageClass ?? null,
            // Several replicas share it: ReadWriteMany; one pod: ReadWriteOnce, which any class offers.
            accessMode: lsSettings.files.accessMode ?? ((lsSettings.replicas ?? 1) > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'),
          }
        : null,
      allowedNamespaces,
      defaultModel: pickModel(models, 'llm', lsSettings.defaultModel)?.modelId ?? null,
      defaultEmbeddingModel: pickModel(models, 'embedding', lsSettings.defaultEmbeddingModel)?.modelId ?? null,
      runConfig: llamaStackRunConfig({
        models,
        settings: lsSettings,
        postgres: { host: platform.postgres.host, port: platform.postgres.port, databases: platform.postgres.databases },
        mcp: mcpServers(mcp.mcp),
      }),
    },
  };
}

export type InferenceFacts = ReturnType<typeof deriveInference>;
