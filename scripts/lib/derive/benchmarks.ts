/**
 * Facts of the benchmarks layer: the runs of `benchmarks:` (one Job per run id), as data —
 * labels, the benchmark container's image, command line and env, the recorder's env. The Job
 * itself is shaped by overlays/_partials/benchmark-job.hbs (apps/benchmarks/overlays/runs.yaml.hbs).
 */
import type { ModelFact } from './models.ts';
import { postgresRoleSecretName } from './platform.ts';
import { mcpEnv, otelEnv, sv, withOwn, type Env } from './workload-env.ts';
import type { BenchmarkRun as BenchmarkRunConfig, BenchmarksSettings, Resources } from '../config/schema-types/index.ts';

/** Shared results volume of every run; each run writes under /results/<run id>. */
export const RESULTS_PVC = 'benchmark-results';
export const RESULTS_MOUNT = '/results';
export { RUNNER_SERVICE_ACCOUNT } from '../config/components.ts';
/** ConfigMap (apps/benchmarks/base, configMapGenerator) with the script that records a run. */
export const SCRIPTS_CONFIGMAP = 'benchmark-scripts';
export const RECORD_SCRIPT = 'record_run.py';

export type BenchmarkKind = BenchmarkRunConfig['kind'];

/** GuideLLM v0.7.2's entrypoint (Containerfile:56-80: ENTRYPOINT /opt/app-root/bin/guidellm). */
export const GUIDELLM_BIN = '/opt/app-root/bin/guidellm';
/** Where the wrapper leaves the benchmark's exit code for the recorder. */
export const EXIT_CODE_FILE = 'exit_code';
/** Where the wrapper notes that it stopped the benchmark at its time budget. */
export const DEADLINE_FILE = 'deadline_exceeded';
/** The exit code the wrapper leaves for a benchmark it stopped at its budget (timeout(1)'s). */
export const DEADLINE_EXIT_CODE = 124;

/**
 * The benchmark runs as an init container; one that exits non-zero fails the pod before the
 * recorder starts, so a failed run was never recorded. The wrapper keeps the exit code in
 * $RESULTS_DIR/exit_code and exits 0; the recorder records the run as FAILED and then exits with
 * that code, so the Job still fails.
 *
 * The Job's activeDeadlineSeconds kills every container of the pod at once (kubernetes
 * pkg/controller/job/job_controller.go: past the deadline (pastActiveDeadline) the Job fails with DeadlineExceeded and its active pods are deleted), the
 * recorder included, so a benchmark that ran into it was never recorded. The wrapper therefore
 * stops the benchmark itself at BENCHMARK_TIMEOUT_SECONDS (the deadline minus the recorder's
 * reserve, benchmarkBudget): TERM, KILL 30 s later, and leaves exit code 124 and the
 * deadline_exceeded marker; the recorder then records the run as timed_out before the deadline.
 * POSIX sh only (no timeout(1) in every image).
 */
export const WRAPPER_SCRIPT = [
  '"$@" & pid=$!',
  // The timer: stopping it stops its sleep too, and it holds none of the container's output open.
  `( trap 'kill "$s" 2>/dev/null; exit 0' TERM; sleep "$BENCHMARK_TIMEOUT_SECONDS" & s=$!; wait "$s"; touch "$RESULTS_DIR/${DEADLINE_FILE}"; kill -TERM "$pid" 2>/dev/null; sleep 30 & s=$!; wait "$s"; kill -KILL "$pid" 2>/dev/null ) >/dev/null 2>&1 & timer=$!`,
  'wait "$pid"; code=$?',
  'kill "$timer" 2>/dev/null',
  `if [ -e "$RESULTS_DIR/${DEADLINE_FILE}" ]; then code=${DEADLINE_EXIT_CODE}; fi`,
  `echo "$code" > "$RESULTS_DIR/${EXIT_CODE_FILE}"; exit 0`,
].join('\n');

/**
 * Seconds the benchmark may run: the Job's deadline minus what the recorder needs after it
 * (a tenth of the deadline, at least 60 s and at most 10 min: MLflow and PostgreSQL writes, the
 * recorder's image pull). The schema's minimum deadline (60 s) leaves the benchmark 30 s.
 */
export function benchmarkBudget(deadlineSeconds: number): number {
  const reserve = Math.min(600, Math.max(60, Math.floor(deadlineSeconds / 10)));
  return Math.max(30, deadlineSeconds - reserve);
}

function wrapped(cmd: string[], args: string[]): string[] {
  return ['/bin/sh', '-c', WRAPPER_SCRIPT, 'benchmark', ...cmd, ...args];
}

/** A2A agent an agentic run talks to (derive/agents.ts, the agents' Services). */
export interface AgentTarget {
  name: string;
  url: string;
  cardUrl: string;
}

/** GuideLLM v0.7 `--profile` value. */
export function guidellmProfile(g: NonNullable<BenchmarkRunConfig['guidellm']>): string {
  switch (g.profile) {
    case 'constant':
    case 'poisson':
      return `kind=${g.profile},rate=${g.rate}`;
    case 'concurrent':
      return `kind=concurrent,streams=${g.rate}`;
    case 'sweep':
      return g.rate !== undefined ? `kind=sweep,sweep_size=${g.rate}` : 'kind=sweep';
    default:
      return `kind=${g.profile}`;
  }
}

/** The GuideLLM v0.7.x command line (`guidellm run`, registry-style options). */
export function guidellmArgs(args: { target: string; model: string; processor: string; g: NonNullable<BenchmarkRunConfig['guidellm']>; dir: string }): string[] {
  const { g } = args;
  const out = [
    'run',
    '--backend',
    `kind=openai_http,target=${args.target},model=${args.model}`,
    '--tokenizer',
    `kind=huggingface_auto,model=${args.processor}`,
    '--profile',
    guidellmProfile(g),
    '--data',
    `kind=synthetic_text,prompt_tokens=${g.promptTokens},output_tokens=${g.outputTokens}`,
    '--constraint',
    `kind=max_duration,seconds=${g.durationSeconds}`,
  ];
  if (g.maxRequests !== undefined) out.push('--constraint', `kind=max_requests,count=${g.maxRequests}`);
  out.push(
    '--output',
    `kind=json,path=${args.dir}/benchmarks.json`,
    '--output',
    `kind=csv,path=${args.dir}/benchmarks.csv`,
    '--output',
    `kind=html,path=${args.dir}/benchmarks.html`,
    '--disable-console-interactive',
  );
  return out;
}

/** Hugging Face repository of a model served from hf://<repo> (the tokenizer GuideLLM loads). */
export function modelRepo(uri: string, fallback: string): string {
  return uri.startsWith('hf://') ? uri.slice('hf://'.length) : fallback;
}

/**
 * Sync wave per run: runs of one model in file order, perModel per wave (waves from 1); null
 * for every run when concurrency is not set.
 */
export function runWaves(runs: { model: string }[], perModel: number | undefined): (number | null)[] {
  if (!perModel) return runs.map(() => null);
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = seen.get(r.model) ?? 0;
    seen.set(r.model, n + 1);
    return Math.floor(n / perModel) + 1;
  });
}

export interface PgFacts {
  host: string;
  port: number;
  database: string;
  role: string;
  secretName: string;
}

/** What a run is wired to: facts of the layers below. */
export interface RunInputs {
  llamaStackUrl: string;
  models: ModelFact[];
  uris: Record<string, string>;
  mcpUrl: string;
  mcpServers: Record<string, { name: string; prefix: string }>;
  otelHttp: string;
  mlflowUrl: string;
  pg: PgFacts;
  recorderImage: string;
  agents: Record<string, AgentTarget>;
}

/** The benchmark container: GuideLLM (args before env) or an agentic harness (command, args after). */
export interface BenchContainer {
  name: string;
  image: string;
  guidellm: boolean;
  /** /bin/sh running the wrapper: the benchmark's command and args follow. */
  command: string[];
  env: Env[];
  resources?: Resources;
}

/** Everything overlays/_partials/benchmark-job.hbs renders for one run. */
export interface BenchmarkRunRender {
  id: string;
  labels: Record<string, string>;
  deadlineSeconds: number;
  /** The run's directory on the results volume. */
  dir: string;
  runAsUser: number;
  recorderImage: string;
  recorderResources?: Resources;
  bench: BenchContainer;
  recordEnv: Env[];
  /** Mount the projected token for the MCP gateway (a run that names MCP servers). */
  mcpToken: boolean;
  /** A ReadWriteOnce results volume: every run on the node that mounts it. */
  sameNode: boolean;
  /** Argo CD sync wave (components.benchmarks.concurrency), or null: all runs at once. */
  syncWave: number | null;
}

export function benchmarkRun(run: BenchmarkRunConfig, sh: RunInputs, s: BenchmarksSettings, syncWave: number | null = null): BenchmarkRunRender {
  const model = sh.models.find((m) => m.name === run.model);
  const target = run.target ?? 'llama-stack';
  // Through Llama Stack: its registered id (<provider_id>/<provider_model_id>); straight to vLLM:
  // the served name, the only model vLLM knows.
  const modelId = (target === 'model' ? model?.servedName : model?.modelId) ?? run.model;
  const dir = `${RESULTS_MOUNT}/${run.id}`;
  const deadlineSeconds = run.deadlineSeconds ?? s.deadlineSeconds ?? 7200;
  const common = [
    sv('RUN_ID', run.id),
    sv('RESULTS_DIR', dir),
    sv('BENCHMARK_TIMEOUT_SECONDS', benchmarkBudget(deadlineSeconds)),
    sv('HOME', '/tmp'),
    sv('HF_HOME', '/tmp/hf'),
  ];
  const params: Record<string, unknown> = { kind: run.kind, model: run.model, model_id: modelId, target };
  let bench: BenchContainer;
  let mcpToken = false;
  if (run.kind === 'guidellm' && run.guidellm) {
    const g = run.guidellm;
    // GuideLLM appends /v1/chat/completions to the target: the base without /v1.
    const base = target === 'model' ? (model?.endpoint ?? '').replace(/\/v1$/, '') : sh.llamaStackUrl;
    const processor = g.processor ?? modelRepo(sh.uris[run.model] ?? '', model?.servedName ?? run.model);
    Object.assign(params, {
      target_url: base,
      profile: g.profile,
      rate: g.rate ?? null,
      duration_seconds: g.durationSeconds,
      max_requests: g.maxRequests ?? null,
      prompt_tokens: g.promptTokens,
      output_tokens: g.outputTokens,
      processor,
    });
    bench = {
      name: 'guidellm',
      image: run.image ?? s.guidellmImage ?? '',
      guidellm: true,
      command: wrapped([GUIDELLM_BIN], guidellmArgs({ target: base, model: modelId, processor, g, dir })),
      env: withOwn([...common, sv('GUIDELLM__DEFAULT_RESULTS_DIR', dir)], run.env),
      resources: run.resources ?? s.resources?.guidellm,
    };
  } else {
    const servers = (run.mcpServers ?? []).map((n) => sh.mcpServers[n]).filter((x): x is { name: string; prefix: string } => x !== undefined);
    // The seed's agentic path: harness -> agent over A2A (A2A v0.3 message/send, card at
    // /.well-known/agent-card.json: a2aproject/A2A v0.3.0 docs/specification.md:292-293,660-700).
    // The agent reaches the model through Llama Stack and its tools through the MCP gateway.
    const agent = run.agent ? sh.agents[run.agent] : undefined;
    Object.assign(params, { agent: run.agent ?? null, agent_url: agent?.url ?? null, mcp_servers: servers.map((x) => x.name), image: run.image ?? null });
    const env = withOwn([
      ...common,
      sv('AGENT_NAME', run.agent ?? ''),
      sv('A2A_AGENT_URL', agent?.url ?? ''),
      sv('A2A_AGENT_CARD_URL', agent?.cardUrl ?? ''),
      sv('MODEL', modelId),
      sv('MLFLOW_TRACKING_URI', sh.mlflowUrl),
      ...(servers.length ? mcpEnv(sh.mcpUrl, servers) : []),
      ...otelEnv(sh.otelHttp, `benchmark-${run.kind}`),
    ], run.env);
    bench = { name: run.kind, image: run.image ?? '', guidellm: false, env, resources: run.resources ?? s.resources?.agent, command: wrapped(run.command ?? [], run.args ?? []) };
    mcpToken = servers.length > 0;
  }
  const pg = sh.pg;
  const recordEnv: Env[] = [
    sv('RUN_ID', run.id),
    sv('BENCHMARK_KIND', run.kind),
    sv('RESULTS_DIR', dir),
    sv('RUN_PARAMS', JSON.stringify(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null)))),
    sv('MLFLOW_TRACKING_URI', sh.mlflowUrl),
    sv('MLFLOW_EXPERIMENT_NAME', s.experiment ?? 'benchmarks'),
    sv('EXIT_CODE_FILE', `${dir}/${EXIT_CODE_FILE}`),
    sv('DEADLINE_EXIT_CODE', DEADLINE_EXIT_CODE),
    sv('PGHOST', pg.host),
    sv('PGPORT', pg.port),
    sv('PGDATABASE', pg.database),
    { name: 'PGUSER', valueFrom: { secretKeyRef: { name: pg.secretName, key: 'username' } } },
    { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: pg.secretName, key: 'password' } } },
    sv('PGSSLMODE', 'require'),
    sv('HOME', '/tmp'),
    sv('PYTHONDONTWRITEBYTECODE', '1'),
  ];
  return {
    id: run.id,
    labels: {
      'app.kubernetes.io/name': 'benchmark',
      'app.kubernetes.io/component': run.kind,
      'catalyst.dev/benchmark-run': run.id,
      'catalyst.dev/benchmark-kind': run.kind,
      'catalyst.dev/benchmark-results': RESULTS_PVC,
    },
    deadlineSeconds,
    dir,
    runAsUser: s.runAsUser ?? 1001,
    recorderImage: sh.recorderImage,
    recorderResources: s.resources?.recorder,
    bench,
    recordEnv,
    mcpToken,
    sameNode: (s.results?.accessMode ?? 'ReadWriteOnce') === 'ReadWriteOnce',
    syncWave,
  };
}

/** The database the runs record into, and its owner role's Secret. */
export function resultsDatabase(pg: { host: string; port: number; databases: Record<string, { name: string; owner: string }> }): PgFacts {
  const db = pg.databases.benchmarks ?? { name: 'benchmarks', owner: 'benchmarks' };
  return { host: pg.host, port: pg.port, database: db.name, role: db.owner, secretName: postgresRoleSecretName(db.owner) };
}
