/** What hydration returns. */
import type { Finding, K8sObject } from '../../../findings.ts';

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
  /** An input of the source refused before any tool ran (a link, a remote resource, a YAML bomb), each at its file and line. */
  | { status: 'refused'; reason: string; findings: Finding[] }
  /** A source in this project's own repository: the caller renders it (it is under generated/). */
  | { status: 'local'; repoURL: string; path: string };

/** A file of a chart or git source that cannot be read as what it should be: the source fails, with this message (never a crash). */
export class SourceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceInputError';
  }
}
