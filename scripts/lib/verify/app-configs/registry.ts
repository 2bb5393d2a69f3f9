/**
 * The application configs the platform generates inside Kubernetes objects, each checked
 * against the schema of its pinned version: which ConfigMap holds it, under which key, its
 * JSON Schema ($id under schemas/app-configs/), checks no schema can express, and where in the
 * environment file a value came from. Today: the Llama Stack run config and the OTel collector
 * config; the scheduler config (inline in the LLMInferenceService) joins with a `match` on it.
 */
import type { K8sObject } from '../../findings.ts';
import type { Problem } from '../../findings.ts';
import { llamaStackRunConfigChecks, llamaStackRunConfigOrigin } from './llama-stack.ts';
import { otelCollectorConfigChecks } from './otel-collector.ts';

export interface AppConfigSpec {
  /** Name used in messages (`Llama Stack 0.7.1 run config`). */
  title: string;
  /** The ConfigMap (or other object) that carries the config. */
  match: (obj: K8sObject) => boolean;
  /** Key of the object's `data` holding the config text (YAML or JSON). */
  key: string;
  /** $id of the JSON Schema in schemas/app-configs/. */
  schemaId: string;
  /** Cross-field checks, as issues at JSON pointers into the config. */
  checks?: (config: unknown) => Problem[];
  /** What an unknown key means for this application (default: "is not a key this version reads"). */
  unknownKey?: string;
  /** The env file JSON pointer a config pointer's value comes from, when known. */
  origin?: (pointer: string) => string | undefined;
}

const isConfigMap = (obj: K8sObject, name: string): boolean => obj.apiVersion === 'v1' && obj.kind === 'ConfigMap' && obj.metadata.name === name;

export const APP_CONFIGS: AppConfigSpec[] = [
  {
    title: 'Llama Stack 0.7.1 run config',
    match: (obj) => isConfigMap(obj, 'llama-stack-config'),
    key: 'config.yaml',
    schemaId: 'app-configs/llama-stack-run-config.schema.json',
    checks: llamaStackRunConfigChecks,
    unknownKey: 'is not a key Llama Stack reads (pydantic ignores it silently)',
    origin: llamaStackRunConfigOrigin,
  },
  {
    title: 'OpenTelemetry Collector 0.153.0 config',
    match: (obj) => isConfigMap(obj, 'otel-collector-config'),
    key: 'config.yaml',
    schemaId: 'app-configs/otel-collector-config.schema.json',
    checks: otelCollectorConfigChecks,
    unknownKey: 'is not a key of the collector config (the collector refuses to start)',
  },
];
