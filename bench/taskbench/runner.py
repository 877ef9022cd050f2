# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one side of one case: fresh simulator, N seeded jobs, one ansible-playbook run, counters read back.

The simulator runs in this process (threads on 127.0.0.1); ansible-playbook is a child process, so its CPU
is measured with RUSAGE_CHILDREN and the simulator's CPU never is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from taskbench import metrics
from taskbench.measure import run_playbook

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BENCH_DIR.parent
PLAYBOOKS = {
    "baseline": BENCH_DIR / "playbooks" / "baseline_uri.yml",
    "wait_for_task": BENCH_DIR / "playbooks" / "wait_for_task.yml",
    "noop": BENCH_DIR / "playbooks" / "noop.yml",
}
COLLECTION_SUBDIR = Path("ansible_collections") / "taskgate" / "huaweicloud"
WAITER_FILES = (Path("plugins") / "action" / "wait_for_task.py", Path("plugins") / "modules" / "wait_for_task.py")
# Variables that could send the playbook's traffic elsewhere or load another copy of the collection.
DROPPED_ENV_PREFIXES = ("HW_",)
DROPPED_ENV = ("PYTHONPATH", "ANSIBLE_CONFIG", "ANSIBLE_INVENTORY", "ANSIBLE_COLLECTIONS_PATHS")


def load_simulator_class():
    """The simulator lives in tests/simulator (importable as ``simulator`` with tests/ on sys.path)."""
    tests_dir = str(REPO_ROOT / "tests")
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)
    try:
        from simulator import Simulator  # pylint: disable=import-outside-toplevel
    except ImportError:
        from simulator.server import Simulator  # pylint: disable=import-outside-toplevel
    return Simulator


def find_collection(collections_path):
    """The installed collection directory inside a ':'-separated collections path, or None."""
    for entry in str(collections_path).split(os.pathsep):
        candidate = Path(entry) / COLLECTION_SUBDIR
        if entry and candidate.is_dir():
            return candidate
    return None


def waiter_missing_reason(collections_path):
    """Why the wait_for_task side cannot run ('' when it can): a clear, actionable message."""
    collection = find_collection(collections_path)
    if collection is None:
        return ("taskgate.huaweicloud is not installed under --collections-path %s: run `make build` "
                "(tests/utils/build.sh) or pass --collections-path DIR holding ansible_collections/" % collections_path)
    if not any((collection / name).is_file() for name in WAITER_FILES):
        return ("taskgate.huaweicloud.wait_for_task is not in the collection at %s (no %s): build the collection "
                "again once the waiter has landed" % (collection, " or ".join(str(name) for name in WAITER_FILES)))
    return ""


@dataclass
class Context:
    seed: int
    collections_path: str
    work_dir: Path
    ansible_playbook: str
    timeout_s: float = 0.0   # 0: derived from N

    def playbook_env(self, sim):
        """A clean environment: only the simulator's credentials and endpoints, traffic kept on 127.0.0.1."""
        env = dict((key, value) for key, value in os.environ.items()
                   if not key.startswith(DROPPED_ENV_PREFIXES) and key not in DROPPED_ENV)
        creds = sim.credentials
        env.update({
            "HW_AUTH_TOKEN": creds["auth_token"],
            "HW_PROJECT_ID": sim.project_id,
            "HW_REGION_NAME": sim.region,
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections_path),
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_NOCOLOR": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        })
        env.setdefault("ANSIBLE_PYTHON_INTERPRETER", sys.executable)
        env.setdefault("ANSIBLE_HOME", str(self.work_dir / "ansible-home"))
        return env

    def timeout_for(self, n):
        return self.timeout_s or 300.0 + 2.0 * n

    def run(self, name, playbook, sim, extra_vars, timeout_s, options=()):
        vars_path = self.work_dir / ("%s.vars.json" % name)
        vars_path.write_text(json.dumps(extra_vars))
        command = [self.ansible_playbook, str(playbook), "-e", "@%s" % vars_path] + list(options)
        return run_playbook(command, self.playbook_env(sim), self.work_dir / ("%s.log" % name), timeout_s)


def measure_startup(ctx, simulator_class):
    """Wall and CPU of a no-op playbook: one warm-up run (bytecode caches), then the measured one."""
    results = []
    with simulator_class(seed=ctx.seed, port=0) as sim:
        for attempt in ("warmup", "measured"):
            run = ctx.run("noop-%s" % attempt, PLAYBOOKS["noop"], sim, {}, 120.0)
            if run.rc != 0:
                raise RuntimeError("the no-op playbook failed (rc=%d); see %s" % (run.rc, run.log_path))
            results.append(run)
    warmup, measured = results
    return {"wall_s": measured.wall_s, "cpu_s": measured.cpu_s, "warmup_wall_s": warmup.wall_s, "warmup_cpu_s": warmup.cpu_s}


def measure_waiter_floor(ctx, simulator_class):
    """Fixed cost of one wait_for_task run: startup, collection imports and one poll of an already finished job.

    Subtracting it isolates the CPU spent while actually waiting (reported beside the no-op figure).
    """
    with simulator_class(seed=ctx.seed, port=0) as sim:
        job_id = sim.create_job("rds", duration=0, outcome="success")
        extra_vars = {"bench_service": "rds", "bench_job_ids": [job_id], "bench_endpoints": sim.endpoints}
        run = ctx.run("waiter-floor", PLAYBOOKS["wait_for_task"], sim, extra_vars, 120.0)
    if run.rc != 0:
        return {"error": "wait_for_task on one finished job failed (rc=%d); see %s" % (run.rc, run.log_path)}
    return {"wall_s": run.wall_s, "cpu_s": run.cpu_s}


def failure_excerpt(log_path, limit=400):
    """The first error line of a playbook log, shortened: the report must explain a failure on its own
    (bench/.work/ is not kept). The playbooks never print credentials, so the line carries none."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if line.startswith(("[ERROR]", "fatal:", "failed:", "ERROR!")):
                line = line.strip()
                return line if len(line) <= limit else line[:limit] + "..."
    return ""


def base_record(case, side):
    return {"service": case.service, "n": case.n, "side": side, "slowest_job_s": case.slowest_job_s,
            "mean_job_s": case.mean_job_s, "ok": False, "skipped": "", "error": ""}


def run_side(ctx, simulator_class, case, side, unavailable_reason="", sim_config=None):
    """Measure one side of one case; returns a JSON-ready record (never raises for a failed playbook).

    ``sim_config``: simulator knobs (``configure``) set before the jobs are created."""
    record = base_record(case, side)
    if unavailable_reason:
        record["error"] = unavailable_reason
        return record
    name = "%s-%d-%s" % (case.service, case.n, side)
    # A fresh simulator per side (same seed): neither side sees the other's jobs or counters.
    with simulator_class(seed=ctx.seed, port=0) as sim:
        if sim_config:
            sim.configure(**sim_config)
        job_ids = [sim.create_job(case.service, duration=duration, outcome="success") for duration in case.durations]
        first_created = sim.job(job_ids[0])["created"]
        sim.reset_stats()
        extra_vars = {"bench_service": case.service, "bench_job_ids": job_ids, "bench_endpoints": sim.endpoints,
                      "bench_project_id": sim.project_id}
        run = ctx.run(name, PLAYBOOKS[side], sim, extra_vars, ctx.timeout_for(case.n))
        stats = sim.stats()
    lags, missing = metrics.detection_lags(job_ids, stats["first_terminal_served"], stats["job_end"])
    lag = metrics.summarize(lags)
    requests = metrics.service_requests(stats["by_endpoint"], (case.service,))
    record.update({
        "rc": run.rc, "timed_out": run.timed_out, "wall_s": run.wall_s, "cpu_s": run.cpu_s,
        "cpu_pct": 100.0 * run.cpu_s / run.wall_s if run.wall_s > 0 else None,
        "requests": requests, "req_per_task": requests / case.n, "requests_by_endpoint": stats["by_endpoint"],
        "lag_median_s": lag["median"], "lag_max_s": lag["max"], "lag_mean_s": lag["mean"], "lag_missing": len(missing),
        "creation_lead_s": run.started_epoch - first_created, "log": os.path.relpath(run.log_path, REPO_ROOT),
    })
    if run.timed_out:
        record["error"] = "timed out after %.0f s" % ctx.timeout_for(case.n)
    elif run.rc != 0:
        record["error"] = "ansible-playbook rc=%d, see %s" % (run.rc, record["log"])
        record["failure"] = failure_excerpt(run.log_path)
    elif missing:
        record["error"] = "%d of %d jobs never served in a terminal state" % (len(missing), case.n)
    else:
        record["ok"] = True
    return record
