# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The many-hosts row: H hosts that each created one job, at F forks, one run_once wait for all of them.

Three runs of the same play shape on a generated inventory (every host ``ansible_connection=local``):
``noop`` (the wait replaced by a no-op: Ansible's own run time for that shape, after a warm-up, as the
harness does for startup), ``run_once`` (the pattern the README teaches) and ``per_host`` (each host
waits for its own job, forks hosts at a time: what users write today; skipped without the baseline side).
Goal: run_once wall <= slowest job + the no-op run of the same shape + 2 s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
from dataclasses import dataclass, field

from taskbench import metrics, plan
from taskbench.runner import BENCH_DIR, REPO_ROOT, failure_excerpt

SERVICE = "rds"
DEFAULT_HOSTS = 20
DEFAULT_FORKS = 5
SLACK_LIMIT_S = 2.0
PLAYBOOKS = {
    "noop": BENCH_DIR / "playbooks" / "many_hosts_noop.yml",
    "run_once": BENCH_DIR / "playbooks" / "many_hosts_run_once.yml",
    "per_host": BENCH_DIR / "playbooks" / "many_hosts_per_host.yml",
}
SIDES = ("run_once", "per_host")


@dataclass(frozen=True)
class HostsCase:
    hosts: int
    forks: int
    durations: tuple = field(repr=False)

    @property
    def host_names(self):
        return ["host%03d" % number for number in range(1, self.hosts + 1)]

    @property
    def slowest_job_s(self):
        return max(self.durations)


def build_case(seed, hosts=DEFAULT_HOSTS, forks=DEFAULT_FORKS):
    """The row's case: one job per host, durations seeded like the service cases (uniform 2-8 s)."""
    if hosts < 1 or forks < 1:
        raise ValueError("--many-hosts and --many-hosts-forks must be positive, got %d and %d" % (hosts, forks))
    return HostsCase(hosts=hosts, forks=forks, durations=plan.job_durations(seed, "many-hosts-" + SERVICE, hosts))


def write_inventory(path, case, python=sys.executable):
    """An INI inventory: group fleet with the case's hosts, all on the local connection."""
    lines = ["[fleet]"] + case.host_names
    lines += ["", "[fleet:vars]", "ansible_connection=local", "ansible_python_interpreter=%s" % python, ""]
    path.write_text("\n".join(lines))
    return path


def estimate_seconds(case, startup_s=plan.ESTIMATED_STARTUP_S, with_per_host=True):
    """Coarse: two no-op runs, one run_once wait, and per host rounds of the slowest job."""
    shape_s = startup_s + 0.15 * case.hosts
    total = 2 * shape_s + shape_s + case.slowest_job_s
    if with_per_host:
        rounds = -(-case.hosts // case.forks)
        total += shape_s + rounds * (case.slowest_job_s + 1.0)
    return total


def _record(case, side, run, stats, host_jobs):
    record = {"side": side, "hosts": case.hosts, "forks": case.forks, "slowest_job_s": case.slowest_job_s,
              "rc": run.rc, "wall_s": run.wall_s, "cpu_s": run.cpu_s, "ok": run.rc == 0 and not run.timed_out,
              "log": os.path.relpath(run.log_path, REPO_ROOT), "error": ""}
    if stats is not None:
        job_ids = list(host_jobs.values())
        lags, missing = metrics.detection_lags(job_ids, stats["first_terminal_served"], stats["job_end"])
        lag = metrics.summarize(lags)
        record.update(requests=metrics.service_requests(stats["by_endpoint"], (SERVICE,)),
                      lag_median_s=lag["median"], lag_max_s=lag["max"], lag_missing=len(missing))
        if missing and record["ok"]:
            record["ok"] = False
            record["error"] = "%d of %d jobs never served in a terminal state" % (len(missing), len(job_ids))
    if run.timed_out:
        record["error"] = "timed out"
    elif run.rc != 0:
        record["error"] = "ansible-playbook rc=%d, see %s" % (run.rc, record["log"])
        record["failure"] = failure_excerpt(run.log_path)
    return record


def _run(ctx, simulator_class, case, side, inventory, timeout_s, name=None):
    """One run of a side on a fresh simulator with one fresh job per host (created right before the launch)."""
    with simulator_class(seed=ctx.seed, port=0) as sim:
        host_jobs = dict((host, sim.create_job(SERVICE, duration=duration, outcome="success"))
                         for host, duration in zip(case.host_names, case.durations))
        sim.reset_stats()
        extra_vars = {"bench_service": SERVICE, "bench_host_jobs": host_jobs, "bench_endpoints": sim.endpoints}
        run = ctx.run(name or "many-hosts-%d-%s" % (case.hosts, side), PLAYBOOKS[side], sim, extra_vars, timeout_s,
                      options=("-i", str(inventory), "-f", str(case.forks)))
        stats = None if side == "noop" else sim.stats()
    return _record(case, side, run, stats, host_jobs)


def run_row(ctx, simulator_class, case, sides=SIDES, report=print):
    """Measure the row; returns {"case", "noop", "runs", "goal"} ready for the results JSON."""
    inventory = write_inventory(ctx.work_dir / ("many-hosts-%d.ini" % case.hosts), case)
    timeout_s = ctx.timeout_s or 300.0 + 2.0 * case.hosts
    _run(ctx, simulator_class, case, "noop", inventory, timeout_s, name="many-hosts-%d-noop-warmup" % case.hosts)
    noop = _run(ctx, simulator_class, case, "noop", inventory, timeout_s)
    report("many hosts (%d hosts, forks %d): the same play over a no-op: %.2f s wall, %.2f CPU s"
           % (case.hosts, case.forks, noop["wall_s"], noop["cpu_s"]))
    runs = []
    for side in sides:
        record = _run(ctx, simulator_class, case, side, inventory, timeout_s)
        report("many hosts (%d hosts, forks %d) %s: %s" % (case.hosts, case.forks, side, describe(record)))
        runs.append(record)
    row = {"case": {"hosts": case.hosts, "forks": case.forks, "service": SERVICE, "durations": list(case.durations),
                    "slowest_job_s": case.slowest_job_s}, "noop": noop, "runs": runs}
    row["goal"] = evaluate(row)
    return row


def describe(record):
    if not record.get("ok"):
        return "FAILED: %s" % (record.get("failure") or record.get("error"))
    return "wall %.2f s, %d requests, lag median %s, CPU %.2f s" % (
        record["wall_s"], record.get("requests", 0), "n/a" if record.get("lag_median_s") is None else "%.2f s" % record["lag_median_s"],
        record["cpu_s"])


def evaluate(row):
    """The goal: run_once wall <= slowest job + the no-op run of the same play shape + 2 s (PASS/MISS/N/A)."""
    text = "%d hosts at forks %d, one run_once wait: wall <= slowest job + the same play over a no-op + %g s" % (
        row["case"]["hosts"], row["case"]["forks"], SLACK_LIMIT_S)
    result = {"goal": "many_hosts", "text": text, "scope": "%s, %d hosts" % (row["case"]["service"], row["case"]["hosts"]),
              "limit": SLACK_LIMIT_S, "unit": "s", "used": "raw"}
    waiter = [run for run in row["runs"] if run["side"] == "run_once"]
    noop = row["noop"]
    if not waiter or not waiter[0]["ok"] or not noop.get("ok"):
        missing = "run_once run" if not waiter or not waiter[0]["ok"] else "no-op run"
        result.update(measured=None, status="N/A", margin=None, summary="N/A", detail="%s failed or not measured" % missing)
        return result
    waiter = waiter[0]
    slack = waiter["wall_s"] - row["case"]["slowest_job_s"] - noop["wall_s"]
    margin = SLACK_LIMIT_S - slack
    status = "PASS" if margin >= 0 else "MISS"
    per_host = [run for run in row["runs"] if run["side"] == "per_host" and run["ok"]]
    compared = "; one wait per host: %.2f s wall, %s requests, %.2f CPU s (run_once: %s requests, %.2f CPU s)" % (
        per_host[0]["wall_s"], per_host[0].get("requests"), per_host[0]["cpu_s"], waiter.get("requests"), waiter["cpu_s"]) if per_host else ""
    result.update(measured=slack, status=status, margin=abs(margin), summary="%s by %.2f s" % (status, abs(margin)),
                  detail="wall %.2f s - slowest job %.2f s - no-op play %.2f s = %.2f s%s" % (
                      waiter["wall_s"], row["case"]["slowest_job_s"], noop["wall_s"], slack, compared))
    return result


def markdown(row, table):
    """The report's section for the row; ``table(header, rows)`` is report.markdown_table."""
    def num(value):
        return "" if value is None else "%.2f" % value
    rows = [["no-op (same play)", num(row["noop"]["wall_s"]), "", "", num(row["noop"]["cpu_s"]), "ok" if row["noop"]["ok"] else row["noop"]["error"]]]
    for run in row["runs"]:
        rows.append([run["side"], num(run["wall_s"]), str(run.get("requests", "")), num(run.get("lag_median_s")), num(run["cpu_s"]),
                     "ok" if run["ok"] else run["error"]])
    case = row["case"]
    return "\n".join([
        "## Many hosts, one job each",
        "",
        "%d hosts (`ansible_connection=local`) at forks %d, each with one %s job of 2-8 s (slowest %.2f s), created right before the "
        "launch. `run_once`: one `wait_for_task` with the ids of every host, each host checks `by_id[job_id]`; `per_host`: each "
        "host waits for its own job. The no-op run is the same play with the wait replaced by `debug` (after a warm-up)." % (
            case["hosts"], case["forks"], case["service"], case["slowest_job_s"]),
        "",
        table(("run", "wall s", "requests", "median lag s", "CPU s", "result"), rows),
        "",
        "Goal: %s: **%s** (%s)." % (row["goal"]["text"], row["goal"]["summary"], row["goal"]["detail"]),
        "",
    ])
