/**
 * Optional cross-check with the real `kubeconform`, when one is on PATH (CI can install it; the
 * build machines cannot). The YAML stream goes on stdin; `-output json` results become findings,
 * located by matching (apiVersion, kind, name) back to the documents of the stream.
 *
 * Note: `-schema-location default` fetches the core schemas over the network.
 */
import { spawn } from 'node:child_process';
import { LineCounter, parseAllDocuments } from 'yaml';
import { whichSync } from '../../tools/kustomize.ts';
import { compareFindings, type Finding } from '../../findings.ts';

export interface KubeconformOptions {
  /** CRD schema directory in kubeconform layout. */
  schemaDir: string;
  /** File name the stream is reported under (default `stdin`). */
  file?: string;
  /** kubeconform executable (default: the one on PATH). */
  cmd?: string;
}

interface KubeconformValidationError {
  path?: string;
  msg?: string;
}
interface KubeconformResource {
  filename?: string;
  kind?: string;
  name?: string;
  version?: string;
  status?: string;
  msg?: string;
  validationErrors?: KubeconformValidationError[];
}

export async function hasKubeconform(): Promise<boolean> {
  return whichSync('kubeconform') !== undefined;
}

export function kubeconformArgs(schemaDir: string): string[] {
  return [
    '-strict',
    '-output',
    'json',
    '-schema-location',
    'default',
    '-schema-location',
    `${schemaDir}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
  ];
}

interface DocRef {
  version: string;
  kind: string;
  name: string;
  line: number;
  used: boolean;
}

function documentIndex(yamlText: string): DocRef[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(yamlText, { lineCounter: lc });
  const out: DocRef[] = [];
  for (const d of Array.isArray(docs) ? docs : []) {
    const js = d.toJS() as Record<string, unknown> | null;
    if (!js || typeof js !== 'object') continue;
    const meta = js.metadata as Record<string, unknown> | undefined;
    const start = d.contents?.range[0] ?? d.range[0];
    out.push({
      version: String(js.apiVersion ?? ''),
      kind: String(js.kind ?? ''),
      name: String(meta?.name ?? ''),
      line: lc.linePos(start).line,
      used: false,
    });
  }
  return out;
}

const FAILED = new Set(['statusInvalid', 'statusError', 'INVALID', 'ERROR']);

/** Convert kubeconform `-output json` into findings (pure; exported for tests). */
export function kubeconformResultsToFindings(output: string, yamlText: string, file = 'stdin'): Finding[] {
  let parsed: { resources?: KubeconformResource[] };
  try {
    parsed = JSON.parse(output) as { resources?: KubeconformResource[] };
  } catch {
    throw new Error(`kubeconform printed something that is not JSON: ${output.slice(0, 200)}`);
  }
  const docs = documentIndex(yamlText);
  const findings: Finding[] = [];
  for (const r of parsed.resources ?? []) {
    if (!FAILED.has(r.status ?? '')) continue;
    const doc =
      docs.find((d) => !d.used && d.version === r.version && d.kind === r.kind && d.name === (r.name ?? '')) ??
      docs.find((d) => d.version === r.version && d.kind === r.kind && d.name === (r.name ?? ''));
    if (doc) doc.used = true;
    const base: Omit<Finding, 'path' | 'message'> = { file, line: doc?.line ?? 0, col: doc ? 1 : 0 };
    if (r.kind) base.kind = r.kind;
    if (r.name) base.name = r.name;
    const errors = r.validationErrors ?? [];
    if (errors.length > 0) {
      for (const e of errors) findings.push({ ...base, path: e.path ?? '', message: `kubeconform: ${e.msg ?? r.msg ?? ''}` });
    } else {
      findings.push({ ...base, path: '', message: `kubeconform: ${r.msg || r.status}` });
    }
  }
  return findings.sort(compareFindings);
}

function runWithStdin(cmd: string, args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // A hung kubeconform never hangs check: killed at the timeout, reported as its failure.
    const timeoutMs = Number(process.env.CATALYST_KUBECONFORM_TIMEOUT_MS) > 0 ? Number(process.env.CATALYST_KUBECONFORM_TIMEOUT_MS) : 120_000;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') reject(new Error(`kubeconform timed out after ${timeoutMs} ms and was stopped`));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a child that exits early closes the pipe
    child.stdin.end(input);
  });
}

/** Run kubeconform over a multi-document YAML string; findings for invalid or failed resources. */
export async function runKubeconform(yamlText: string, opts: KubeconformOptions): Promise<Finding[]> {
  const cmd = opts.cmd ?? whichSync('kubeconform');
  if (!cmd) throw new Error('kubeconform is not on PATH');
  const { code, stdout, stderr } = await runWithStdin(cmd, kubeconformArgs(opts.schemaDir), yamlText);
  if (code !== 0 && code !== 1) throw new Error(`kubeconform exited with ${code}: ${stderr.trim() || stdout.trim()}`);
  return kubeconformResultsToFindings(stdout, yamlText, opts.file);
}
