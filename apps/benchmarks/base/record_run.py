"""Record a finished benchmark run: MLflow (a run named by the run id) and the benchmarks database.

Runs in the MLflow server image (same client version as the server) after the benchmark
container of the Job has written its results to $RESULTS_DIR. Everything it needs comes from
the environment:

  RUN_ID, BENCHMARK_KIND, RESULTS_DIR, RUN_PARAMS (JSON object of the run's parameters),
  MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_NAME, EXIT_CODE_FILE (the benchmark's exit code, left by
  the Job's wrapper), PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE.

A failed benchmark (non-zero or missing exit code) is recorded too, with status FAILED (timed_out
when the wrapper stopped it at its budget, DEADLINE_EXIT_CODE, ahead of the Job's deadline), and the
recorder then exits with that code so the Job fails. Recording is idempotent: the MLflow run is
found by its tag benchmark.run_id and reused (one run per id however often the Job reruns), and a
deleted experiment is restored rather than breaking the recording.

Metrics: for GuideLLM the summary statistics of every benchmark in benchmarks.json; for the
agent benchmarks the numbers of metrics.json (a flat JSON object) when the harness writes one.
Every file under RESULTS_DIR is logged as an artifact. The database gets one row per run in
benchmark_runs (the table the Benchmark MCP server lets agents query), replaced if the run is
recorded again.
"""

import json
import math
import os
import sys

import mlflow
import psycopg2
from psycopg2.extras import Json

RUN_ID = os.environ["RUN_ID"]
KIND = os.environ["BENCHMARK_KIND"]
RESULTS_DIR = os.environ["RESULTS_DIR"]
PARAMS = json.loads(os.environ.get("RUN_PARAMS", "{}"))
EXPERIMENT = os.environ.get("MLFLOW_EXPERIMENT_NAME", "benchmarks")
EXIT_CODE_FILE = os.environ.get("EXIT_CODE_FILE", os.path.join(RESULTS_DIR, "exit_code"))
DEADLINE_EXIT_CODE = int(os.environ.get("DEADLINE_EXIT_CODE", "124"))
RUN_TAG = "benchmark.run_id"

# GuideLLM summary statistics worth a metric (per benchmark, suffixed with its index).
GUIDELLM_METRICS = {
    "requests_per_second": "req_per_sec",
    "output_tokens_per_second": "output_tok_per_sec",
    "tokens_per_second": "tok_per_sec",
    "time_to_first_token_ms": "ttft_ms",
    "inter_token_latency_ms": "itl_ms",
    "time_per_output_token_ms": "tpot_ms",
    "request_latency": "e2e_latency_s",
}
STATS = ("mean", "median", "p95", "p99")


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def find_stats(node, key):
    """The statistics object under `key`, wherever GuideLLM nests it (successful requests first)."""
    v = node.get(key) if isinstance(node, dict) else None
    if isinstance(v, dict):
        for sub in ("successful", "total"):
            if isinstance(v.get(sub), dict):
                return v[sub]
        return v
    return None


def guidellm_metrics(path):
    with open(path) as f:
        report = json.load(f)
    out = {}
    for i, bench in enumerate(report.get("benchmarks", [])):
        metrics = bench.get("metrics", {}) if isinstance(bench, dict) else {}
        for key, short in GUIDELLM_METRICS.items():
            stats = find_stats(metrics, key)
            if not isinstance(stats, dict):
                continue
            for s in STATS:
                v = stats.get(s)
                if v is None and isinstance(stats.get("percentiles"), dict):
                    v = stats["percentiles"].get(s)
                if number(v):
                    out[f"{short}_{s}_{i}"] = float(v)
    return out


def flat_metrics(path):
    with open(path) as f:
        data = json.load(f)
    return {k: float(v) for k, v in data.items() if number(v)} if isinstance(data, dict) else {}


def collect_metrics():
    if KIND == "guidellm":
        path = os.path.join(RESULTS_DIR, "benchmarks.json")
        return guidellm_metrics(path) if os.path.exists(path) else {}
    path = os.path.join(RESULTS_DIR, "metrics.json")
    return flat_metrics(path) if os.path.exists(path) else {}


def benchmark_exit_code():
    """The benchmark's exit code; missing (it never finished) counts as a failure."""
    try:
        with open(EXIT_CODE_FILE) as f:
            return int(f.read().strip() or "1")
    except (OSError, ValueError):
        return 1


def experiment_id(client):
    """The experiment by name: restored if someone deleted it, created if it is gone."""
    exp = client.get_experiment_by_name(EXPERIMENT)
    if exp is None:
        return client.create_experiment(EXPERIMENT)
    if exp.lifecycle_stage == "deleted":
        client.restore_experiment(exp.experiment_id)
    return exp.experiment_id


def existing_run(client, exp_id):
    """The MLflow run already recorded for this run id (a rerun of the Job), if any."""
    found = client.search_runs([exp_id], filter_string=f"tags.`{RUN_TAG}` = '{RUN_ID}'", max_results=1)
    return found[0].info.run_id if found else None


def log_mlflow(metrics, status):
    client = mlflow.MlflowClient()
    exp_id = experiment_id(client)
    previous = existing_run(client, exp_id)
    kwargs = {"run_id": previous} if previous else {"experiment_id": exp_id, "run_name": RUN_ID}
    with mlflow.start_run(**kwargs) as run:
        mlflow.set_tags({"benchmark.kind": KIND, RUN_TAG: RUN_ID, "benchmark.status": status})
        if not previous:
            mlflow.log_params({k: ("" if v is None else json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in PARAMS.items()})
        if metrics:
            mlflow.log_metrics(metrics)
        if os.listdir(RESULTS_DIR):
            mlflow.log_artifacts(RESULTS_DIR, artifact_path="results")
        run_id = run.info.run_id
    client.set_terminated(run_id, status="FINISHED" if status == "succeeded" else "FAILED")
    return run_id


def record_db(metrics, mlflow_run_id, status):
    conn = psycopg2.connect("")  # libpq reads PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE
    with conn, conn.cursor() as cur:
        cur.execute(
            """CREATE TABLE IF NOT EXISTS benchmark_runs (
                 run_id text PRIMARY KEY,
                 kind text NOT NULL,
                 model text,
                 params jsonb NOT NULL,
                 metrics jsonb NOT NULL,
                 mlflow_run_id text,
                 results_dir text,
                 recorded_at timestamptz NOT NULL DEFAULT now())"""
        )
        cur.execute("ALTER TABLE benchmark_runs ADD COLUMN IF NOT EXISTS status text")
        cur.execute(
            """INSERT INTO benchmark_runs (run_id, kind, model, params, metrics, mlflow_run_id, results_dir, status)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (run_id) DO UPDATE SET kind = EXCLUDED.kind, model = EXCLUDED.model,
                 params = EXCLUDED.params, metrics = EXCLUDED.metrics,
                 mlflow_run_id = EXCLUDED.mlflow_run_id, results_dir = EXCLUDED.results_dir,
                 status = EXCLUDED.status, recorded_at = now()""",
            (RUN_ID, KIND, PARAMS.get("model"), Json(PARAMS), Json(metrics), mlflow_run_id, RESULTS_DIR, status),
        )
    conn.close()


def main():
    code = benchmark_exit_code()
    # The wrapper stopped the benchmark at its budget, before the Job's activeDeadlineSeconds
    # (derive/benchmarks.ts WRAPPER_SCRIPT): recorded as timed_out, with what it wrote so far.
    status = "succeeded" if code == 0 else "timed_out" if code == DEADLINE_EXIT_CODE else "failed"
    metrics = collect_metrics()
    print(f"run {RUN_ID} ({KIND}): {status} (exit {code}), {len(metrics)} metric(s)", flush=True)
    mlflow_run_id = log_mlflow(metrics, status)
    print(f"logged to MLflow experiment {EXPERIMENT!r} as run {mlflow_run_id}", flush=True)
    record_db(metrics, mlflow_run_id, status)
    print("recorded in benchmark_runs", flush=True)
    # The Job fails when the benchmark did (BenchmarkJobFailed), after the run is recorded.
    return code


if __name__ == "__main__":
    sys.exit(main())
