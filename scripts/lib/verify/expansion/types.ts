/**
 * Shapes of the expansion: the objects an operator creates from one custom resource, and where
 * that resource was rendered (its file and line, so a finding points at what the user controls).
 */
import type { K8sObject } from '../../findings.ts';

export type JsonMap = Record<string, unknown>;

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A custom resource as rendered, with its location. */
export interface SourceObject {
  obj: K8sObject;
  file: string;
  line: number;
}

/** One object an operator creates, and what created it. */
export interface ExpandedObject {
  obj: K8sObject;
  /** The custom resource it comes from (its rendered file and line). */
  from: SourceObject;
  /** `owner/repo@tag` of the operator whose code this follows. */
  operator: string;
}

/** What kept a resource from being expanded (a preset missing, an unsupported field). */
export interface ExpansionProblem {
  from: SourceObject;
  message: string;
}

export interface Expansion {
  objects: ExpandedObject[];
  problems: ExpansionProblem[];
  /** Resources left unexpanded because the operator's hydrated chart (its presets, its values) is not among the objects. */
  skipped?: SourceObject[];
}

/** `Kind namespace/name` of a rendered object. */
export function label(o: K8sObject): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`;
}

/** The value of env var `name` in the first hydrated Deployment that sets it (an operator's image of its operands). */
export function deploymentEnv(objects: K8sObject[], name: string): string {
  for (const o of objects) {
    if (o.kind !== 'Deployment') continue;
    const spec = isMap(o.spec) && isMap(o.spec.template) && isMap(o.spec.template.spec) ? o.spec.template.spec : {};
    for (const c of (Array.isArray(spec.containers) ? spec.containers : []) as JsonMap[]) {
      for (const e of (Array.isArray(c.env) ? c.env : []) as JsonMap[]) if (e.name === name && str(e.value)) return str(e.value);
    }
  }
  return '';
}
