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
