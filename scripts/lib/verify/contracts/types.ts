/** What every contract reads: the env's plan (its config and where each value was written) and its objects. */
import type { Plan } from '../../plan/plan.ts';
import type { LocatedObject } from '../hydration/index.ts';

export interface ContractInput {
  plan: Plan;
  /** Every object of the env with its file and line: the rendered overlays and the Argo CD Applications. */
  objects: readonly LocatedObject[];
  /** Objects the env's Applications install from charts and git sources (CRDs, APIServices), when hydrated. */
  installed?: readonly { kind: string; apiVersion: string; metadata: { name?: string }; spec?: unknown }[];
}
