/** What hydration returns. */
import type { K8sObject } from '../../findings.ts';

export interface HydratedObject {
  object: K8sObject;
  /** `helm:<chart>@<version>` or `git:<repoURL>@<revision>/<path>`. */
  source: string;
  /** Chart template (`# Source:` of helm output, e.g. `mychart/templates/cm.yaml`) or file under the git path. */
  file: string;
  /** 1-based line of the document in the rendered stream or file. */
  line: number;
}

export type HydrateResult =
  | { status: 'hydrated'; objects: HydratedObject[]; tool: string }
  | { status: 'not-hydrated'; reason: string }
  /** A source in this project's own repository: the caller renders it (it is under generated/). */
  | { status: 'local'; repoURL: string; path: string };
