/**
 * Posture rules over the rendered objects of one environment. Each rule has an id, a
 * one-line doc and a check; a workload may waive a waivable rule with the annotation
 * `policy.catalyst.dev/<ID>: "<reason>"` (the reason is required and shows in reviews).
 */
import type { LocatedObject } from '../hydration/index.ts';
import type { Problem } from '../../findings.ts';
import type { Plan } from '../../plan/plan.ts';

export interface PolicyContext {
  plan: Plan;
  objects: LocatedObject[];
}

/** A problem of one located object, before the rule's id and waivers are applied. */
export type PolicyHit = Problem & { object: LocatedObject; severity?: 'warning' };

export interface PolicyRule {
  id: string;
  title: string;
  /** One line: what the rule demands and why. */
  doc: string;
  /** Whether an object may waive it with a reasoned annotation. */
  waivable: boolean;
  check(ctx: PolicyContext): PolicyHit[];
}

export const WAIVER_PREFIX = 'policy.catalyst.dev/';
/** Shortest reason accepted in a waiver annotation. */
export const MIN_REASON = 10;

export function hit(object: LocatedObject, path: string, message: string): PolicyHit {
  return { object, path, message };
}
