# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The issue's performance goals, checked against the measured runs (goals, not asserts).

Each goal gives PASS or MISS and by how much; N/A when the runs it needs were not measured or failed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from dataclasses import dataclass

from taskbench.metrics import ratio

PASS, MISS, NOT_AVAILABLE = "PASS", "MISS", "N/A"
DB_SERVICES = ("geminidb", "rds")
CAS_LIKE_SERVICES = ("ddm", "servicestage")
ECS_FAMILY_SERVICES = ("ecs",)
# Per-id job APIs of issue 22 (no batching): the GaussDB family and CCE.
GAUSSDB_FAMILY_SERVICES = ("gaussdb",)
CCE_SERVICES = ("cce",)


@dataclass(frozen=True)
class Goal:
    key: str
    text: str
    kind: str          # wall_slack | wall_net_slack | speedup | request_ratio | median_lag | req_per_task | cpu_pct
    limit: float
    services: tuple
    n: int = 0         # 0: every measured size


GOALS = (
    Goal("wall_200", "N=200: wall <= slowest job + 2 s", "wall_slack", 2.0, DB_SERVICES, 200),
    Goal("speedup_200", "N=200: >= 8x faster than the baseline", "speedup", 8.0, DB_SERVICES, 200),
    Goal("requests_200", "N=200: requests <= 1/5 of the baseline", "request_ratio", 0.2, DB_SERVICES, 200),
    Goal("lag_200", "N=200: median detection lag <= 1 s", "median_lag", 1.0, DB_SERVICES, 200),
    Goal("wall_1000", "N=1000: wall <= slowest job + 5 s", "wall_slack", 5.0, DB_SERVICES, 1000),
    Goal("req_per_task", "DDM/CAS: <= 5 requests per task (jobs of 2-8 s, ~5 s mean)", "req_per_task", 5.0, CAS_LIKE_SERVICES),
    Goal("wall_50", "DDM/CAS N=50: wall <= slowest job + 3 s", "wall_slack", 3.0, CAS_LIKE_SERVICES, 50),
    Goal("ecs_wall_200", "ECS N=200: wall <= slowest job + ansible start-up + 1 s", "wall_net_slack", 1.0,
         ECS_FAMILY_SERVICES, 200),
    Goal("ecs_req_per_task", "ECS N=200: <= 5 requests per task (aim: 3)", "req_per_task", 5.0, ECS_FAMILY_SERVICES, 200),
    Goal("ecs_lag_200", "ECS N=200: median detection lag <= 1 s", "median_lag", 1.0, ECS_FAMILY_SERVICES, 200),
    Goal("gaussdb_wall_200", "GaussDB family N=200: wall <= slowest job + ansible start-up + 1 s", "wall_net_slack", 1.0,
         GAUSSDB_FAMILY_SERVICES, 200),
    Goal("gaussdb_req_per_task", "GaussDB family N=200: <= 5 requests per task (one id per request)", "req_per_task", 5.0,
         GAUSSDB_FAMILY_SERVICES, 200),
    Goal("cce_wall_50", "CCE N=50: wall <= slowest job + ansible start-up + 1 s", "wall_net_slack", 1.0, CCE_SERVICES, 50),
    Goal("cce_req_per_task", "CCE N=50: <= 5 requests per task (one id per request)", "req_per_task", 5.0, CCE_SERVICES, 50),
    Goal("cpu", "controller CPU while waiting <= 5 % of one core on average", "cpu_pct", 5.0,
         ("geminidb", "rds", "ddm", "servicestage", "ecs", "gaussdb", "cce")),
)

# True when a smaller measurement is better (a "<=" goal); speedup is the only ">=" goal.
LOWER_IS_BETTER = {"wall_slack": True, "wall_net_slack": True, "speedup": False, "request_ratio": True, "median_lag": True,
                   "req_per_task": True, "cpu_pct": True}
UNITS = {"wall_slack": " s", "wall_net_slack": " s", "speedup": "x", "request_ratio": "", "median_lag": " s", "req_per_task": "", "cpu_pct": " %"}


def verdict(kind, measured, limit):
    """(status, margin): margin > 0 is headroom for a PASS, the shortfall for a MISS."""
    if measured is None:
        return NOT_AVAILABLE, None
    margin = (limit - measured) if LOWER_IS_BETTER[kind] else (measured - limit)
    return (PASS if margin >= 0 else MISS), abs(margin)


def _fmt(value, unit=""):
    return "n/a" if value is None else "%.2f%s" % (value, unit)


def _row(goal, scope, measured, detail, used="raw"):
    status, margin = verdict(goal.kind, measured, goal.limit)
    unit = UNITS[goal.kind]
    if status == NOT_AVAILABLE:
        summary = NOT_AVAILABLE
    else:
        summary = "%s by %s" % (status, _fmt(margin, unit))
    return {"goal": goal.key, "text": goal.text, "scope": scope, "measured": measured, "limit": goal.limit,
            "unit": unit.strip(), "status": status, "margin": margin, "summary": summary, "detail": detail, "used": used}


def _usable(run):
    return run is not None and run.get("ok")


def _find(runs, service, n, side):
    for run in runs:
        if run["service"] == service and run["n"] == n and run["side"] == side:
            return run
    return None


def _why_missing(run, what):
    if run is None:
        return "%s not measured" % what
    if run.get("skipped"):
        return "%s skipped (%s)" % (what, run["skipped"])
    return "%s failed (%s)" % (what, run.get("error") or "rc=%s" % run.get("rc"))


def _wall_slack(goal, scope, waiter, startup_wall):
    raw = waiter["wall_s"] - waiter["slowest_job_s"]
    net = raw - startup_wall if startup_wall is not None else None
    detail = "raw: wall %.2f s - slowest job %.2f s = %s; net of startup (%s): %s; verdict on raw" % (
        waiter["wall_s"], waiter["slowest_job_s"], _fmt(raw, " s"), _fmt(startup_wall, " s"), _fmt(net, " s"))
    row = _row(goal, scope, raw, detail)
    row["net"] = net
    row["net_status"] = verdict(goal.kind, net, goal.limit)[0]
    return row


def _wall_net_slack(goal, scope, waiter, startup_wall):
    """Wall beyond the slowest job and ansible's own start-up (the no-op playbook): what the wait adds."""
    if startup_wall is None:
        return _row(goal, scope, None, "ansible start-up not measured")
    net = waiter["wall_s"] - waiter["slowest_job_s"] - startup_wall
    detail = "wall %.2f s - slowest job %.2f s - ansible start-up %.2f s = %s; verdict net of start-up" % (
        waiter["wall_s"], waiter["slowest_job_s"], startup_wall, _fmt(net, " s"))
    return _row(goal, scope, net, detail, used="net")


def _case_goal(goal, runs, service, n, startup):
    scope = "%s N=%d" % (service, n)
    waiter = _find(runs, service, n, "wait_for_task")
    if not _usable(waiter):
        return _row(goal, scope, None, _why_missing(waiter, "wait_for_task run"))
    if goal.kind == "wall_slack":
        return _wall_slack(goal, scope, waiter, startup.get("wall_s"))
    if goal.kind == "wall_net_slack":
        return _wall_net_slack(goal, scope, waiter, startup.get("wall_s"))
    if goal.kind == "median_lag":
        return _row(goal, scope, waiter["lag_median_s"], "median %s, max %s over %d jobs" % (
            _fmt(waiter["lag_median_s"], " s"), _fmt(waiter["lag_max_s"], " s"), n))
    if goal.kind == "req_per_task":
        return _row(goal, scope, waiter["req_per_task"], "%d requests for %d tasks (mean job %.2f s)" % (
            waiter["requests"], n, waiter["mean_job_s"]))
    baseline = _find(runs, service, n, "baseline")
    if not _usable(baseline):
        return _row(goal, scope, None, _why_missing(baseline, "baseline run"))
    if goal.kind == "speedup":
        measured = ratio(baseline["wall_s"], waiter["wall_s"])
        startup_wall = startup.get("wall_s") or 0.0
        net = ratio(baseline["wall_s"] - startup_wall, waiter["wall_s"] - startup_wall)
        return _row(goal, scope, measured, "baseline %.2f s / wait_for_task %.2f s; net of startup %s; verdict on raw" % (
            baseline["wall_s"], waiter["wall_s"], _fmt(net, "x")))
    measured = ratio(waiter["requests"], baseline["requests"])
    return _row(goal, scope, measured, "%d vs %d baseline requests (limit ratio %.2f)" % (
        waiter["requests"], baseline["requests"], goal.limit))


def _cpu_goal(goal, runs, startup):
    """Average CPU % of one core over every wait_for_task run, net of ansible's startup cost."""
    waiters = [run for run in runs if run["side"] == "wait_for_task" and _usable(run) and run["service"] in goal.services]
    if not waiters:
        return _row(goal, "all wait_for_task runs", None, "no successful wait_for_task run")
    net_pct = net_cpu_pct(waiters, startup)
    raw_pct = net_cpu_pct(waiters, {})
    floor = startup.get("waiter_floor") or {}
    floor_pct = net_cpu_pct(waiters, floor) if "wall_s" in floor else None
    worst = max(waiters, key=lambda run: run["cpu_pct"])
    detail = ("net of the no-op startup (%.2f CPU s, %.2f s per run): %s over %d runs; raw (startup included): %.2f %%; "
              "net of wait_for_task's fixed cost (one finished job: %s CPU s, %s per run): %s; highest raw run: %s N=%d "
              "at %.1f %%; verdict on net of the no-op startup") % (
        startup.get("cpu_s") or 0.0, startup.get("wall_s") or 0.0, _fmt(net_pct, " %"), len(waiters), raw_pct,
        _fmt(floor.get("cpu_s")), _fmt(floor.get("wall_s"), " s"), _fmt(floor_pct, " %"), worst["service"], worst["n"], worst["cpu_pct"])
    row = _row(goal, "all wait_for_task runs", net_pct, detail, used="net")
    row["raw"] = raw_pct
    row["net_of_waiter_floor"] = floor_pct
    return row


def net_cpu_pct(runs, fixed):
    """CPU % of one core over ``runs`` after taking ``fixed`` {"cpu_s", "wall_s"} off every run."""
    fixed_cpu = fixed.get("cpu_s") or 0.0
    fixed_wall = fixed.get("wall_s") or 0.0
    cpu = sum(max(0.0, run["cpu_s"] - fixed_cpu) for run in runs)
    wall = sum(max(0.0, run["wall_s"] - fixed_wall) for run in runs)
    return 100.0 * cpu / wall if wall > 0 else None


def evaluate(runs, startup):
    """Every goal's rows, in GOALS order. ``startup`` is {"wall_s", "cpu_s"} of the no-op playbook."""
    rows = []
    for goal in GOALS:
        if goal.kind == "cpu_pct":
            rows.append(_cpu_goal(goal, runs, startup))
            continue
        for service in goal.services:
            sizes = [goal.n] if goal.n else sorted({run["n"] for run in runs if run["service"] == service and run["side"] == "wait_for_task"})
            if not sizes:
                rows.append(_row(goal, service, None, "no %s run measured" % service))
            for n in sizes:
                rows.append(_case_goal(goal, runs, service, n, startup))
    return rows
