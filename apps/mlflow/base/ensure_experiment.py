"""Create-or-get an MLflow experiment by name, through the tracking server's REST API.

Idempotent: an existing experiment is reused (a deleted one is restored), a missing one is
created, a concurrent create (RESOURCE_ALREADY_EXISTS) is resolved by reading it again.
Prints the experiment id; with OUTPUT_FILE set, also writes the id there (no newline), for
the OpenTelemetry collector's `${file:...}` config provider. Nothing secret is read or written.

Environment: MLFLOW_URL (http://mlflow.<ns>.svc.cluster.local:5000), EXPERIMENT_NAME,
EXPERIMENT_DESCRIPTION (optional), OUTPUT_FILE (optional), ATTEMPTS (default 60, 5 s apart).

Watch mode (WATCH_SECONDS > 0, the collector's sidecar): resolve again every WATCH_SECONDS; when
the id differs from OUTPUT_FILE (the experiment was deleted for good and recreated), rewrite the
file and send SIGHUP to the process whose command line contains RELOAD_PROCESS: the collector
reloads its config on SIGHUP (opentelemetry-collector v0.153.0 otelcol/collector.go:365-392) and
so reads the new id (the file provider has no watcher). Needs a shared process namespace and the
collector's uid.
Standard library only, so it runs in any Python 3 image (here: the pinned MLflow image).
"""

import json
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["MLFLOW_URL"].rstrip("/")
NAME = os.environ["EXPERIMENT_NAME"]
DESCRIPTION = os.environ.get("EXPERIMENT_DESCRIPTION", "")
OUTPUT_FILE = os.environ.get("OUTPUT_FILE", "")
ATTEMPTS = int(os.environ.get("ATTEMPTS", "60"))
WATCH_SECONDS = int(os.environ.get("WATCH_SECONDS", "0"))
RELOAD_PROCESS = os.environ.get("RELOAD_PROCESS", "")


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(f"HTTP {status} {code}: {message}")
        self.status = status
        self.code = code


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        try:
            payload = json.loads(err.read() or b"{}")
        except ValueError:
            payload = {}
        raise ApiError(err.code, payload.get("error_code", ""), payload.get("message", err.reason)) from None


def get_by_name():
    try:
        query = urllib.parse.urlencode({"experiment_name": NAME})
        return call("GET", f"/api/2.0/mlflow/experiments/get-by-name?{query}")["experiment"]
    except ApiError as err:
        if err.code == "RESOURCE_DOES_NOT_EXIST" or err.status == 404:
            return None
        raise


def ensure():
    exp = get_by_name()
    if exp is None:
        tags = [{"key": "catalyst.dev/managed-by", "value": "catalyst-gitops"}]
        if DESCRIPTION:
            tags.append({"key": "mlflow.note.content", "value": DESCRIPTION})
        try:
            return call("POST", "/api/2.0/mlflow/experiments/create", {"name": NAME, "tags": tags})["experiment_id"]
        except ApiError as err:
            if err.code != "RESOURCE_ALREADY_EXISTS":
                raise
            exp = get_by_name()
            if exp is None:
                raise
    if exp.get("lifecycle_stage") == "deleted":
        call("POST", "/api/2.0/mlflow/experiments/restore", {"experiment_id": exp["experiment_id"]})
    return exp["experiment_id"]


def main():
    for attempt in range(1, ATTEMPTS + 1):
        try:
            experiment_id = str(ensure())
        except (ApiError, OSError, KeyError, ValueError) as err:
            print(f"attempt {attempt}/{ATTEMPTS}: {err}", file=sys.stderr, flush=True)
            time.sleep(5)
            continue
        if OUTPUT_FILE:
            with open(OUTPUT_FILE, "w", encoding="utf-8") as out:
                out.write(experiment_id)
        print(f"experiment {NAME!r} has id {experiment_id}", flush=True)
        return 0
    print(f"gave up: experiment {NAME!r} could not be created or read at {BASE}", file=sys.stderr)
    return 1


def current_file_id():
    try:
        with open(OUTPUT_FILE, encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def reload_collector():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if RELOAD_PROCESS and RELOAD_PROCESS in cmdline and int(pid) != os.getpid():
            os.kill(int(pid), signal.SIGHUP)
            print(f"sent SIGHUP to {pid} ({cmdline.strip()})", flush=True)


def watch():
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            experiment_id = str(ensure())
        except (ApiError, OSError, KeyError, ValueError) as err:
            print(f"watch: {err}", file=sys.stderr, flush=True)
            continue
        if experiment_id != current_file_id():
            with open(OUTPUT_FILE, "w", encoding="utf-8") as out:
                out.write(experiment_id)
            print(f"experiment {NAME!r} now has id {experiment_id}", flush=True)
            reload_collector()


if __name__ == "__main__":
    if WATCH_SECONDS > 0:
        watch()
    sys.exit(main())
