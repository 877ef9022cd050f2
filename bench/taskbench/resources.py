# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resources row: wait_for_resource against uri + until, for what jobs make and for deletions.

Two cases, each side on a fresh simulator with the same seeded durations:

* ``rds``: 200 RDS instances made by create jobs of 2-8 s that still show BUILD for ``SETTLE_S`` after their
  job (what Terraform waits for), waited for until ACTIVE. Waiter: ``wait_for_resource`` (the listing,
  100 instances a request); baseline: ``uri`` on ``GET /v3/{project_id}/instances?id=`` per instance, until ACTIVE.
* ``ecs``: 100 ready ECS servers, each deleted by a delete job of 2-8 s, waited for until gone. Waiter:
  ``wait_for_resource`` with ``state: absent``; baseline: ``uri`` on ``GET /v1/{project_id}/cloudservers/{id}``
  until 404 (or DELETED).

Goals: wall <= the slowest resource + ansible start-up + 1 s (judged net of the measured no-op start-up);
requests <= 0.2 x the baseline's (rds) and <= 5 per server (ecs).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from dataclasses import dataclass, field

from taskbench import plan
from taskbench.runner import BENCH_DIR, REPO_ROOT, failure_excerpt

SETTLE_S = 2.0
SLACK_LIMIT_S = 1.0
RDS_REQUEST_SHARE = 0.2
ECS_REQUESTS_PER_SERVER = 5.0
DEFAULT_SIZES = {"rds": 200, "ecs": 100}
QUICK_SIZES = {"rds": 10, "ecs": 10}
PLAYBOOKS = {"wait_for_resource": BENCH_DIR / "playbooks" / "wait_for_resource.yml",
             "baseline": BENCH_DIR / "playbooks" / "baseline_resource_uri.yml"}
SIDES = ("baseline", "wait_for_resource")


@dataclass(frozen=True)
class ResourceCase:
    kind: str            # rds (ready after its create job) or ecs (gone after its delete job)
    n: int
    durations: tuple = field(repr=False)

    @property
    def slowest_s(self):
        """When the last resource gets there, from the launch: its job, plus the settling time for RDS."""
        return max(self.durations) + (SETTLE_S if self.kind == "rds" else 0.0)


def build_cases(seed, sizes=None):
    sizes = dict(DEFAULT_SIZES, **(sizes or {}))
    return [ResourceCase(kind, sizes[kind], plan.job_durations(seed, "resources-" + kind, sizes[kind])) for kind in ("rds", "ecs")]


def _prepare(sim, case):
    """The case's resources on a fresh simulator; returns their ids (the jobs start now)."""
    if case.kind == "rds":
        sim.resources.configure(settle_for=SETTLE_S)
        return [sim.job(sim.create_job("rds", duration=duration, outcome="success"))["instance_id"] for duration in case.durations]
    made = sim.create_job("ecs", duration=0, outcome="success", subjobs=case.n)
    servers = sim.job(made)["entity_ids"]
    now = sim.cloud_time()
    for server, duration in zip(servers, case.durations):
        sim.resources.start_delete("ecs", [server], now, duration=duration)
    return servers


def _run(ctx, simulator_class, case, side):
    with simulator_class(seed=ctx.seed, port=0) as sim:
        ids = _prepare(sim, case)
        sim.reset_stats()
        extra_vars = {"bench_kind": case.kind, "bench_ids": ids, "bench_endpoints": sim.endpoints, "bench_project_id": sim.project_id}
        run = ctx.run("resources-%s-%d-%s" % (case.kind, case.n, side), PLAYBOOKS[side], sim, extra_vars, ctx.timeout_for(case.n))
        stats = sim.stats()
    requests = sum(count for key, count in stats["by_endpoint"].items() if key.split(" ")[1:2] == [case.kind])
    record = {"kind": case.kind, "n": case.n, "side": side, "slowest_s": case.slowest_s, "rc": run.rc, "wall_s": run.wall_s,
              "cpu_s": run.cpu_s, "requests": requests, "ok": run.rc == 0 and not run.timed_out,
              "log": os.path.relpath(run.log_path, REPO_ROOT), "error": ""}
    if run.timed_out:
        record["error"] = "timed out"
    elif run.rc != 0:
        record["error"] = "ansible-playbook rc=%d, see %s" % (run.rc, record["log"])
        record["failure"] = failure_excerpt(run.log_path)
    return record


def run_row(ctx, simulator_class, cases, startup, sides=SIDES, report=print):
    """Measure every case on both sides; returns {"cases": [...], "runs": [...], "goals": [...]}."""
    runs = []
    for case in cases:
        for side in sides:
            record = _run(ctx, simulator_class, case, side)
            report("resources %s N=%d %s: %s" % (case.kind, case.n, side, describe(record)))
            runs.append(record)
    row = {"cases": [{"kind": case.kind, "n": case.n, "durations": list(case.durations), "slowest_s": case.slowest_s}
                     for case in cases], "runs": runs, "startup_wall_s": startup["wall_s"]}
    row["goals"] = evaluate(row)
    return row


def describe(record):
    if not record["ok"]:
        return "FAILED: %s" % (record.get("failure") or record["error"])
    return "wall %.2f s, %d requests (%.2f per resource), CPU %.2f s" % (
        record["wall_s"], record["requests"], record["requests"] / float(record["n"]), record["cpu_s"])


def _run_of(row, kind, side):
    found = [run for run in row["runs"] if run["kind"] == kind and run["side"] == side and run["ok"]]
    return found[0] if found else None


def evaluate(row):
    """Per case: the wall goal (net of start-up) and the request goal, PASS/MISS/N/A."""
    goals = []
    for case in row["cases"]:
        kind, n = case["kind"], case["n"]
        waiter, baseline = _run_of(row, kind, "wait_for_resource"), _run_of(row, kind, "baseline")
        scope = "%s, N=%d" % ("RDS instances ACTIVE" if kind == "rds" else "ECS servers deleted", n)
        wall = {"goal": "resources_wall", "text": "wall <= slowest resource + ansible start-up + %g s" % SLACK_LIMIT_S,
                "scope": scope, "limit": SLACK_LIMIT_S, "unit": "s", "used": "net of start-up"}
        if waiter is None:
            wall.update(measured=None, status="N/A", margin=None, summary="N/A", detail="wait_for_resource run failed or not measured")
        else:
            slack = waiter["wall_s"] - case["slowest_s"] - row["startup_wall_s"]
            margin = SLACK_LIMIT_S - slack
            wall.update(measured=slack, status="PASS" if margin >= 0 else "MISS", margin=abs(margin),
                        summary="%s by %.2f s" % ("PASS" if margin >= 0 else "MISS", abs(margin)),
                        detail="wall %.2f s - slowest %.2f s - start-up %.2f s%s" % (
                            waiter["wall_s"], case["slowest_s"], row["startup_wall_s"],
                            "; uri + until: %.2f s (%.1fx)" % (baseline["wall_s"], baseline["wall_s"] / waiter["wall_s"]) if baseline else ""))
        goals.append(wall)
        if kind == "rds":
            limit = RDS_REQUEST_SHARE
            text = "requests <= %g x the uri + until baseline's" % limit
            measured = None if waiter is None or baseline is None or not baseline["requests"] else waiter["requests"] / float(baseline["requests"])
        else:
            limit = ECS_REQUESTS_PER_SERVER
            text = "requests <= %g per server" % limit
            measured = None if waiter is None else waiter["requests"] / float(n)
        requests = {"goal": "resources_requests", "text": text, "scope": scope, "limit": limit, "unit": "", "used": "raw"}
        if measured is None:
            requests.update(measured=None, status="N/A", margin=None, summary="N/A", detail="a run failed or was not measured")
        else:
            status = "PASS" if measured <= limit else "MISS"
            requests.update(measured=measured, status=status, margin=abs(limit - measured),
                            summary="%s by %.2f" % (status, abs(limit - measured)),
                            detail="%d requests%s" % (waiter["requests"], " vs %d for uri + until" % baseline["requests"] if baseline else ""))
        goals.append(requests)
    return goals


def markdown(row, table):
    def num(value):
        return "" if value is None else "%.2f" % value
    rows = [[run["kind"], str(run["n"]), run["side"], num(run["wall_s"]), str(run["requests"]), num(run["requests"] / float(run["n"])),
             num(run["cpu_s"]), "ok" if run["ok"] else run["error"]] for run in row["runs"]]
    goals = [[goal["scope"], goal["text"], goal["summary"], goal["detail"]] for goal in row["goals"]]
    return "\n".join([
        "## Resources: ready after their jobs, and deleted",
        "",
        "`rds`: RDS instances made by create jobs of 2-8 s, BUILD for %g s more, waited for until ACTIVE (`wait_for_resource` "
        "reads the listing, 100 a request; `uri` + `until` asks `?id=` per instance). `ecs`: ready servers, each deleted by a "
        "delete job of 2-8 s, waited for until gone (`state: absent`; `uri` + `until` until 404). Start-up (no-op playbook) "
        "%.2f s." % (SETTLE_S, row["startup_wall_s"]),
        "",
        table(("resource", "N", "side", "wall s", "requests", "req/resource", "CPU s", "result"), rows),
        "",
        table(("scope", "goal", "status", "detail"), goals),
        "",
    ])
