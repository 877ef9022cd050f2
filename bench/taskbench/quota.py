# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "under a quota" rows: ECS-style per-id jobs behind the simulator's gateway flow control.

Each case gets a fresh simulator whose gateway admits ``quota`` requests/s per service (burst: one
second's worth, 429 ``APIGW.0308`` beyond) and answers every admitted request after ``latency`` seconds;
N ECS jobs of 2-8 s (seeded) start right before ``ansible-playbook``. Figures: wall, requests per job,
the throttled share (refused / requests) and the median detection lag.

The informed floor is what a client that knew every job's end and the quota could not beat: one
request per job after it ends, at the quota's pace: ``t_1 = e_1``, ``t_k = max(e_k, t_(k-1) + 1/R)``
over the sorted ends ``e_k``, plus Ansible start-up. Without a quota the floor is the slowest job.
Goals (issue 26), judged on the raw wall with the measured no-op start-up:

- quota 20/s, latency 0.1 s: N=1000 wall <= 1.15 x t_N + start-up + 2 s, <= 5 % throttled, <= 1.6
  requests/job; N=200 wall <= 1.25 x t_N + start-up + 1 s, <= 5 % throttled;
- the same with ``max_request_rate`` = the quota (N=200): at most one throttled answer;
- four hosts (forks 4), 50 jobs each, one quota: all succeed, <= 15 % throttled,
  wall <= 1.3 x t_200 + start-up + 3 s;
- no quota, latency 0.2 s: ECS N=200 wall <= slowest job + start-up + 1 s, median lag <= 1 s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
from dataclasses import dataclass, field

from taskbench import metrics, plan
from taskbench.runner import BENCH_DIR, REPO_ROOT, failure_excerpt

SERVICE = "ecs"
QUOTA = 20.0
LATENCY = 0.1
PLAYBOOKS = {"single": BENCH_DIR / "playbooks" / "quota_wait.yml", "hosts": BENCH_DIR / "playbooks" / "quota_hosts.yml"}


@dataclass(frozen=True)
class QuotaCase:
    name: str
    n: int
    quota: float            # requests/s of the gateway per service; 0: no quota
    latency: float
    durations: tuple = field(repr=False)
    hosts: int = 1
    forks: int = 1
    max_request_rate: float = 0.0
    wall_factor: float = 1.0
    slack_s: float = 1.0
    max_throttled_share: float = None
    max_throttled: int = None
    max_req_per_job: float = None
    max_median_lag_s: float = None

    @property
    def slowest_job_s(self):
        return max(self.durations)


def informed_floor(ends, rate):
    """t_N of ``t_1 = e_1, t_k = max(e_k, t_(k-1) + 1/R)`` over the sorted ends (no quota: the last end)."""
    ends = sorted(ends)
    if not ends:
        return 0.0
    if not rate:
        return ends[-1]
    at = ends[0]
    for end in ends[1:]:
        at = max(end, at + 1.0 / rate)
    return at


def build_cases(seed, sizes=(200, 1000)):
    """The issue's rows, durations seeded per row like the service cases."""
    def durations(tag, n):
        return plan.job_durations(seed, "quota-%s-%s" % (tag, SERVICE), n)
    cases = []
    for n in sizes:
        cases.append(QuotaCase("quota %g/s, %g s latency" % (QUOTA, LATENCY), n, QUOTA, LATENCY, durations("learnt", n),
                               wall_factor=1.15 if n >= 1000 else 1.25, slack_s=2.0 if n >= 1000 else 1.0,
                               max_throttled_share=0.05, max_req_per_job=1.6 if n >= 1000 else None))
    cases.append(QuotaCase("quota %g/s, max_request_rate=%g" % (QUOTA, QUOTA), 200, QUOTA, LATENCY, durations("ceiling", 200),
                           max_request_rate=QUOTA, wall_factor=1.25, slack_s=1.0, max_throttled=1))
    cases.append(QuotaCase("quota %g/s shared by 4 hosts (forks 4)" % QUOTA, 200, QUOTA, LATENCY, durations("shared", 200),
                           hosts=4, forks=4, wall_factor=1.3, slack_s=3.0, max_throttled_share=0.15))
    cases.append(QuotaCase("no quota, 0.2 s latency", 200, 0.0, 0.2, durations("latency", 200),
                           wall_factor=1.0, slack_s=1.0, max_median_lag_s=1.0))
    return cases


def estimate_seconds(cases, startup_s=plan.ESTIMATED_STARTUP_S):
    return sum(startup_s + 1.2 * informed_floor(case.durations, case.quota) + 2.0 for case in cases)


def _inventory(path, hosts):
    names = ["host%d" % number for number in range(1, hosts + 1)]
    lines = ["[fleet]"] + names + ["", "[fleet:vars]", "ansible_connection=local",
                                   "ansible_python_interpreter=%s" % sys.executable, ""]
    path.write_text("\n".join(lines))
    return names


def run_case(ctx, simulator_class, case):
    """One case on a fresh simulator; returns its JSON-ready record (never raises for a failed playbook)."""
    name = "quota-%s-%d-%s" % (SERVICE, case.n, "".join(ch if ch.isalnum() else "-" for ch in case.name))
    with simulator_class(seed=ctx.seed, port=0) as sim:
        sim.configure(latency=case.latency)
        if case.quota:
            sim.set_quota(rate=case.quota, services=[SERVICE])
        job_ids = [sim.create_job(SERVICE, duration=duration, outcome="success") for duration in case.durations]
        sim.reset_stats()
        sim.gateway.reset_counts()
        extra_vars = {"bench_service": SERVICE, "bench_endpoints": sim.endpoints}
        options = ()
        if case.hosts > 1:
            names = _inventory(ctx.work_dir / ("%s.ini" % name), case.hosts)
            share = -(-case.n // case.hosts)
            extra_vars["bench_host_jobs"] = dict((host, job_ids[index * share:(index + 1) * share])
                                                 for index, host in enumerate(names))
            playbook = PLAYBOOKS["hosts"]
            options = ("-i", str(ctx.work_dir / ("%s.ini" % name)), "-f", str(case.forks))
        else:
            extra_vars["bench_job_ids"] = job_ids
            if case.max_request_rate:
                extra_vars["bench_max_request_rate"] = case.max_request_rate
            playbook = PLAYBOOKS["single"]
        run = ctx.run(name, playbook, sim, extra_vars, ctx.timeout_for(case.n), options=options)
        stats = sim.stats()
        refused = sim.gateway.snapshot()["refused"].get(SERVICE, 0)
    lags, missing = metrics.detection_lags(job_ids, stats["first_terminal_served"], stats["job_end"])
    lag = metrics.summarize(lags)
    requests = metrics.service_requests(stats["by_endpoint"], (SERVICE,))
    record = {"name": case.name, "n": case.n, "quota": case.quota, "latency": case.latency, "hosts": case.hosts,
              "forks": case.forks, "max_request_rate": case.max_request_rate or None,
              "slowest_job_s": case.slowest_job_s, "floor_s": informed_floor(case.durations, case.quota),
              "rc": run.rc, "wall_s": run.wall_s, "cpu_s": run.cpu_s, "requests": requests, "refused": refused,
              "req_per_job": requests / float(case.n), "throttled_share": refused / float(requests) if requests else None,
              "lag_median_s": lag["median"], "lag_max_s": lag["max"], "lag_missing": len(missing),
              "log": os.path.relpath(run.log_path, REPO_ROOT), "ok": False, "error": ""}
    if run.timed_out:
        record["error"] = "timed out"
    elif run.rc != 0:
        record["error"] = "ansible-playbook rc=%d, see %s" % (run.rc, record["log"])
        record["failure"] = failure_excerpt(run.log_path)
    elif missing:
        record["error"] = "%d of %d jobs never served in a terminal state" % (len(missing), case.n)
    else:
        record["ok"] = True
    return record


def evaluate(case, record, startup_s):
    """[(check, PASS/MISS, detail)] of a measured case."""
    checks = []
    if not record["ok"]:
        return [("succeeds", "MISS", record["error"])]
    limit = case.wall_factor * record["floor_s"] + startup_s + case.slack_s
    checks.append(("wall <= %g x floor + start-up + %g s" % (case.wall_factor, case.slack_s),
                   "PASS" if record["wall_s"] <= limit else "MISS",
                   "%.2f s vs %.2f s (floor %.2f s, start-up %.2f s)" % (record["wall_s"], limit, record["floor_s"], startup_s)))
    if case.max_throttled_share is not None:
        share = record["throttled_share"] or 0.0
        checks.append(("throttled <= %d %%" % round(100 * case.max_throttled_share),
                       "PASS" if share <= case.max_throttled_share else "MISS", "%.1f %% (%d of %d)" % (
                           100 * share, record["refused"], record["requests"])))
    if case.max_throttled is not None:
        checks.append(("throttled answers <= %d" % case.max_throttled,
                       "PASS" if record["refused"] <= case.max_throttled else "MISS", "%d" % record["refused"]))
    if case.max_req_per_job is not None:
        checks.append(("requests/job <= %g" % case.max_req_per_job,
                       "PASS" if record["req_per_job"] <= case.max_req_per_job else "MISS", "%.2f" % record["req_per_job"]))
    if case.max_median_lag_s is not None:
        lag = record["lag_median_s"]
        checks.append(("median lag <= %g s" % case.max_median_lag_s,
                       "PASS" if lag is not None and lag <= case.max_median_lag_s else "MISS",
                       "n/a" if lag is None else "%.2f s" % lag))
    return checks


def run_rows(ctx, simulator_class, cases, startup_s, report=print):
    records = []
    for case in cases:
        record = run_case(ctx, simulator_class, case)
        record["checks"] = [{"check": check, "status": status, "detail": detail}
                            for check, status, detail in evaluate(case, record, startup_s)]
        report("under a quota: %s N=%d: %s" % (case.name, case.n, describe(record)))
        records.append(record)
    return {"startup_s": startup_s, "runs": records}


def describe(record):
    if not record["ok"]:
        return "FAILED: %s" % (record.get("failure") or record["error"])
    checks = "; ".join("%s %s (%s)" % (item["check"], item["status"], item["detail"]) for item in record.get("checks", ()))
    return "wall %.2f s (floor %.2f s), %.2f requests/job, %d throttled (%.1f %%), lag median %s; %s" % (
        record["wall_s"], record["floor_s"], record["req_per_job"], record["refused"], 100 * (record["throttled_share"] or 0),
        "n/a" if record["lag_median_s"] is None else "%.2f s" % record["lag_median_s"], checks)


def markdown(row, table):
    def num(value, fmt="%.2f"):
        return "" if value is None else fmt % value
    rows = []
    for run in row["runs"]:
        rows.append([run["name"], str(run["n"]), num(run["wall_s"]), num(run["floor_s"]), num(run["req_per_job"]),
                     num(100 * run["throttled_share"] if run["throttled_share"] is not None else None, "%.1f %%"),
                     num(run["lag_median_s"]),
                     "ok" if run["ok"] else run["error"],
                     "; ".join("%s: **%s** (%s)" % (item["check"], item["status"], item["detail"]) for item in run["checks"])])
    return "\n".join([
        "## Under a quota",
        "",
        "ECS-style per-id jobs of 2-8 s behind the simulator's gateway flow control (a token bucket per service, burst one "
        "second's worth, 429 `APIGW.0308` beyond it; every admitted answer takes the given latency). Floor: one request "
        "per job after it ends at the quota's pace (`t_1 = e_1, t_k = max(e_k, t_(k-1) + 1/R)`), start-up not included; "
        "the limits add the measured no-op start-up (%.2f s). Throttled = refused / requests." % row["startup_s"],
        "",
        table(("case", "N", "wall s", "floor s", "requests/job", "throttled", "median lag s", "result", "goals"), rows),
        "",
    ])
