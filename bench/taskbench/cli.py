# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: plan, run every case (baseline first, then wait_for_task), write the report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import datetime
import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

from taskbench import agency, hosts, long_jobs, plan, quota, report, resources, runner, targets

EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE = 0, 1, 2


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="run_bench.py",
        description="Benchmark taskgate.huaweicloud.wait_for_task against the uri + until baseline on the simulator.")
    parser.add_argument("--quick", action="store_true", help="smoke run: N in %s for every service" % (plan.QUICK_SIZES,))
    parser.add_argument("--services", default=",".join(plan.SERVICES), help="comma list of %s (default: all)" % ", ".join(plan.SERVICES))
    parser.add_argument("--sizes", default="", help="comma list of N for every service (default: the issue's matrix)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the job durations and the simulator (default 0)")
    parser.add_argument("--sides", default=",".join(plan.SIDES), help="comma list of %s (default: both)" % ", ".join(plan.SIDES))
    parser.add_argument("--baseline-max-n", type=int, default=plan.DEFAULT_BASELINE_MAX_N,
                        help="skip the baseline above this N (default %d)" % plan.DEFAULT_BASELINE_MAX_N)
    parser.add_argument("--collections-path", default="",
                        help="collections path holding the built collection (default: $ANSIBLE_COLLECTIONS_PATH, else build/collections)")
    parser.add_argument("--out-dir", default=str(runner.BENCH_DIR / "results"), help="where <date>.json/.md/.png go")
    parser.add_argument("--work-dir", default=str(runner.BENCH_DIR / ".work"), help="playbook logs and vars files (git-ignored)")
    parser.add_argument("--budget", type=float, default=plan.DEFAULT_BUDGET_S,
                        help="seconds the whole run may take; baseline runs that would not fit are skipped (default %.0f, 0: no limit)"
                        % plan.DEFAULT_BUDGET_S)
    parser.add_argument("--timeout", type=float, default=0.0, help="per-playbook timeout in s (default 300 + 2*N)")
    parser.add_argument("--report-from", default="", metavar="JSON",
                        help="only rewrite the .md/.png (and latest.*) from a results JSON, without measuring")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG (no matplotlib needed)")
    parser.add_argument("--many-hosts", type=int, default=hosts.DEFAULT_HOSTS, metavar="H",
                        help="hosts of the many-hosts row (one job each, one run_once wait; default %d, 0: skip the row)" % hosts.DEFAULT_HOSTS)
    parser.add_argument("--many-hosts-forks", type=int, default=hosts.DEFAULT_FORKS, metavar="F",
                        help="forks of the many-hosts row (default %d)" % hosts.DEFAULT_FORKS)
    parser.add_argument("--no-agency-row", action="store_true",
                        help="skip the agency row (ECS N=200 with agency keys renewed during the wait; runs when ecs is measured)")
    parser.add_argument("--agency-only", action="store_true",
                        help="run only the agency row (and the startup measurement), not the service matrix")
    parser.add_argument("--many-hosts-only", action="store_true",
                        help="run only the many-hosts row (and the startup measurement), not the service matrix")
    parser.add_argument("--no-quota-rows", action="store_true",
                        help="skip the 'under a quota' rows (ECS jobs behind the simulator's gateway flow control)")
    parser.add_argument("--quota-only", action="store_true",
                        help="run only the 'under a quota' rows (and the startup measurement)")
    parser.add_argument("--quota-sizes", default="200,1000", help="N of the learnt-quota rows (default 200,1000)")
    parser.add_argument("--no-resources", action="store_true",
                        help="skip the resources row (RDS instances ACTIVE after their jobs, ECS servers deleted)")
    parser.add_argument("--resources-only", action="store_true",
                        help="run only the resources row (and the startup measurement)")
    parser.add_argument("--resource-sizes", default="", metavar="rds=N,ecs=N",
                        help="sizes of the resources row (default rds=%d,ecs=%d)" % (resources.DEFAULT_SIZES["rds"], resources.DEFAULT_SIZES["ecs"]))
    parser.add_argument("--long-jobs", action="store_true",
                        help="add the long-jobs rows (DDM jobs of 60-240 s with progress, ECS jobs of 60-180 s without; ~8 min)")
    parser.add_argument("--long-jobs-only", action="store_true",
                        help="run only the long-jobs rows (and the startup measurement)")
    args = parser.parse_args(argv)
    try:
        args.services = plan.parse_services(args.services)
        args.sizes = plan.parse_sizes(args.sizes) if args.sizes else None
        args.sides = tuple(side.strip() for side in args.sides.split(",") if side.strip())
        if not args.sides or any(side not in plan.SIDES for side in args.sides):
            raise ValueError("--sides: allowed values are %s, got %r" % (", ".join(plan.SIDES), ",".join(args.sides)))
        if args.many_hosts < 0 or args.many_hosts_forks < 1:
            raise ValueError("--many-hosts must be >= 0 (0 skips the row) and --many-hosts-forks >= 1, got %d and %d"
                             % (args.many_hosts, args.many_hosts_forks))
        if args.many_hosts_only and not args.many_hosts:
            raise ValueError("--many-hosts-only needs --many-hosts > 0")
        if args.quota_only and args.no_quota_rows:
            raise ValueError("--quota-only and --no-quota-rows exclude each other")
        if args.agency_only and (args.quota_only or args.many_hosts_only):
            raise ValueError("--agency-only runs only the agency row: not with --quota-only or --many-hosts-only")
        args.quota_sizes = plan.parse_sizes(args.quota_sizes)
        if args.resources_only and args.no_resources:
            raise ValueError("--resources-only and --no-resources exclude each other")
        args.resource_sizes = _resource_sizes(args.resource_sizes)
        if args.long_jobs_only and (args.quota_only or args.many_hosts_only or args.resources_only or args.agency_only):
            raise ValueError("--long-jobs-only runs only the long-jobs rows: not with another --*-only option")
    except ValueError as err:
        parser.error(str(err))
    return args


def _resource_sizes(text):
    sizes = {}
    for part in (piece.strip() for piece in text.split(",") if piece.strip()):
        kind, _eq, value = part.partition("=")
        if kind not in resources.DEFAULT_SIZES or not value.isdigit() or int(value) < 1:
            raise ValueError("--resource-sizes: expected rds=N,ecs=N with N >= 1, got %r" % text)
        sizes[kind] = int(value)
    return sizes


def environment(collections_path):
    try:
        ansible_core = metadata.version("ansible-core")
    except metadata.PackageNotFoundError:
        ansible_core = "not installed"
    return {"python": platform.python_version(), "ansible_core": ansible_core, "cpu_count": os.cpu_count(),
            "platform": platform.platform(), "collections_path": str(collections_path), "simulator": "in-process, 127.0.0.1",
            "load_before": list(os.getloadavg())}


def busy_warning(env, runs):
    """Other work on the machine inflates every wall time (CPU seconds much less): say so in the report.

    The harness itself keeps about one core busy (a baseline playbook, the simulator), so only a 1-minute
    load average above the CPU count, before the run or before any playbook, counts as busy.
    """
    samples = [env["load_before"][0]] + [run["load_1min"] for run in runs if run.get("load_1min") is not None]
    worst = max(samples)
    if worst > (env["cpu_count"] or 1):
        return ("the machine was busy during this run (1-min load average up to %.1f, %.1f at the start, %d CPUs): wall "
                "times and lags are inflated by other work; rerun on an idle machine for representative numbers" % (
                    worst, env["load_before"][0], env["cpu_count"]))
    return ""


def default_collections_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or str(runner.REPO_ROOT / "build" / "collections")


def describe(record):
    if record.get("skipped"):
        return "skipped: %s" % record["skipped"]
    if record.get("wall_s") is None:
        return "FAILED: %s" % record["error"]
    text = "wall %.2f s, %d requests (%.2f/task), lag median %s max %s, CPU %.2f s (%.1f %%)" % (
        record["wall_s"], record["requests"], record["req_per_task"], _seconds(record["lag_median_s"]),
        _seconds(record["lag_max_s"]), record["cpu_s"], record["cpu_pct"])
    return text if record["ok"] else "%s -- FAILED: %s" % (text, record["error"])


def _seconds(value):
    return "n/a" if value is None else "%.2f s" % value


class Budget:
    """Keeps the whole run inside --budget: a baseline run that would not fit is skipped, with the reason.

    The cost of a baseline run is predicted from the per-request wall time seen in the baseline runs so far
    (conservative: it includes the first job's own waiting), and the wait_for_task runs still to come are
    reserved first because they are what the benchmark is about.
    """

    def __init__(self, budget_s, startup_s, elapsed):
        self.budget_s = budget_s
        self.startup_s = startup_s
        self.elapsed = elapsed   # seconds since the whole run started
        self.baseline_wall = 0.0
        self.baseline_requests = 0
        self.baseline_runs = 0

    def uri_call_s(self):
        if self.baseline_requests < 10:
            return plan.ESTIMATED_URI_CALL_S
        observed = (self.baseline_wall - self.baseline_runs * self.startup_s) / self.baseline_requests
        return max(plan.ESTIMATED_URI_CALL_S, observed)

    def observe(self, record):
        if record["side"] == "baseline" and record.get("wall_s") is not None:
            self.baseline_wall += record["wall_s"]
            self.baseline_requests += record["requests"]
            self.baseline_runs += 1

    def baseline_skip_reason(self, case, reserved_s):
        if not self.budget_s:
            return ""
        needed = plan.baseline_estimate(case, self.startup_s, self.uri_call_s())
        left = self.budget_s - self.elapsed() - reserved_s
        if needed <= left:
            return ""
        return ("baseline skipped to stay within --budget %.0f s: it would take ~%.0f s (%.2f s per uri run), "
                "%.0f s are left after reserving %.0f s for the wait_for_task runs still to come" % (
                    self.budget_s, needed, self.uri_call_s(), max(0.0, left), reserved_s))


def run_cases(ctx, simulator_class, cases, sides, waiter_reason, budget):
    records = []
    total = len(sides) * len(cases)
    index = 0
    for position, case in enumerate(cases):
        for side in sides:
            index += 1
            reserved = sum(plan.waiter_estimate(later, budget.startup_s) for later in cases[position:]) if "wait_for_task" in sides else 0.0
            skip_reason = case.baseline_skip_reason or (budget.baseline_skip_reason(case, reserved) if side == "baseline" else "")
            load = os.getloadavg()[0]
            if side == "baseline" and skip_reason:
                record = runner.base_record(case, side)
                record["skipped"] = skip_reason
            else:
                record = runner.run_side(ctx, simulator_class, case, side, waiter_reason if side == "wait_for_task" else "")
            record["load_1min"] = load
            budget.observe(record)
            print("[%d/%d] %s N=%d %s: %s" % (index, total, case.service, case.n, side, describe(record)), flush=True)
            records.append(record)
    return records


def all_targets(runs, startup, many_hosts=None, resource_row=None, agency_row=None):
    """The goals of the service matrix, then the many-hosts, resources and agency rows' when they were measured."""
    rows = targets.evaluate(runs, startup) if runs else []
    if many_hosts:
        many_hosts["goal"] = hosts.evaluate(many_hosts)
        rows.append(many_hosts["goal"])
    if resource_row:
        resource_row["goals"] = resources.evaluate(resource_row)
        rows.extend(resource_row["goals"])
    if agency_row:
        agency_row["goals"] = agency.evaluate(agency_row, startup)
        rows.extend(agency_row["goals"])
    return rows


def publish(results, out_dir, plot=True):
    """Write <date>.json/.md/.png and the latest.* copies, print the paths and the Markdown."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png_path = None
    # The figures first: a plotting error must not lose a run that took minutes.
    for path in report.write_results(results, out_dir, None):
        print("wrote %s" % path)
    if plot and results["runs"]:
        from taskbench.plot import write_plot  # pylint: disable=import-outside-toplevel
        png_path = write_plot(results, out_dir / ("%s.png" % results["date"]))
        print("wrote %s" % png_path)
        for path in report.write_results(results, out_dir, png_path):
            print("wrote %s" % path)
    print()
    print(report.render_markdown(results))


def rerender(json_path, out_dir, plot):
    """--report-from: recompute the ratios and goals from the raw runs and write the report again."""
    results = json.loads(Path(json_path).read_text())
    for run in results["runs"]:
        log = runner.REPO_ROOT / run.get("log", "")
        if run.get("rc") and not run.get("failure") and log.is_file():
            run["failure"] = runner.failure_excerpt(log)
    results["runs"] = report.compare_to_baseline(results["runs"])
    results["targets"] = all_targets(results["runs"], results["startup"], results.get("many_hosts"), results.get("resources"),
                                     results.get("agency"))
    publish(results, out_dir, plot)
    return EXIT_OK


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.report_from:
        return rerender(args.report_from, args.out_dir, not args.no_plot)
    started = time.monotonic()
    today = datetime.date.today().isoformat()
    collections_path = args.collections_path or default_collections_path()
    env = environment(collections_path)
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    ansible_playbook = str(Path(sys.executable).parent / "ansible-playbook")
    if not os.access(ansible_playbook, os.X_OK):
        print("ERROR: no ansible-playbook next to %s: run the harness with the venv's python (make venv; .venv/bin/python)" % sys.executable,
              file=sys.stderr)
        return EXIT_USAGE

    only_a_row = args.many_hosts_only or args.quota_only or args.resources_only or args.agency_only or args.long_jobs_only
    cases = [] if only_a_row else plan.build_plan(args.seed, args.services, args.sizes, args.quick, args.baseline_max_n)
    hosts_case = (hosts.build_case(args.seed, args.many_hosts, args.many_hosts_forks)
                  if args.many_hosts and not (args.quota_only or args.resources_only or args.agency_only or args.long_jobs_only)
                  else None)
    quota_cases = ([] if args.no_quota_rows or args.many_hosts_only or args.resources_only or args.agency_only or args.quick
                   or args.long_jobs_only else quota.build_cases(args.seed, args.quota_sizes))
    resource_sizes = dict(resources.QUICK_SIZES, **args.resource_sizes) if args.quick else args.resource_sizes
    resource_cases = (resources.build_cases(args.seed, resource_sizes)
                      if not (args.no_resources or args.many_hosts_only or args.quota_only or args.agency_only
                              or args.long_jobs_only) else [])
    resource_sides = tuple(side for side, needs in (("baseline", "baseline"), ("wait_for_resource", "wait_for_task"))
                           if needs in args.sides)
    agency_case = (agency.build_case(args.seed) if args.agency_only or (
        "ecs" in args.services and not args.quick and not args.no_agency_row and not args.many_hosts_only
        and not args.quota_only and not args.resources_only and not args.long_jobs_only and "wait_for_task" in args.sides)
        else None)
    long_cases = (long_jobs.build_cases(args.seed) if (args.long_jobs or args.long_jobs_only) and "wait_for_task" in args.sides
                  else [])
    hosts_sides = tuple(side for side, needs in (("run_once", "wait_for_task"), ("per_host", "baseline")) if needs in args.sides)
    waiter_reason = runner.waiter_missing_reason(collections_path) if "wait_for_task" in args.sides or hosts_case else ""
    estimate = plan.estimate_seconds(cases, args.sides) + (hosts.estimate_seconds(hosts_case, with_per_host="per_host" in hosts_sides)
                                                           if hosts_case else 0.0) + quota.estimate_seconds(quota_cases) \
        + long_jobs.estimate_seconds(long_cases)
    print("taskbench: %d cases x %s%s, seed %d, collections %s; estimated %.0f s" % (
        len(cases), "/".join(args.sides), ", many hosts: %d at forks %d" % (hosts_case.hosts, hosts_case.forks) if hosts_case else "",
        args.seed, collections_path, estimate), flush=True)
    for case in cases:
        if case.baseline_skip_reason and "baseline" in args.sides:
            print("  %s N=%d %s" % (case.service, case.n, case.baseline_skip_reason), flush=True)
    if waiter_reason:
        print("ERROR (wait_for_task side): %s" % waiter_reason, file=sys.stderr, flush=True)

    ctx = runner.Context(seed=args.seed, collections_path=collections_path, work_dir=work_dir,
                         ansible_playbook=ansible_playbook, timeout_s=args.timeout)
    simulator_class = runner.load_simulator_class()
    startup = runner.measure_startup(ctx, simulator_class)
    print("startup overhead (no-op playbook): %.2f s wall, %.2f CPU s" % (startup["wall_s"], startup["cpu_s"]), flush=True)
    if "wait_for_task" in args.sides and not waiter_reason and cases:
        startup["waiter_floor"] = runner.measure_waiter_floor(ctx, simulator_class)
        print("wait_for_task fixed cost (one already finished job): %s" % startup["waiter_floor"], flush=True)

    # The row runs before the matrix, so the budget that skips baseline runs already counts its time.
    many_hosts = None
    if hosts_case and not waiter_reason:
        many_hosts = hosts.run_row(ctx, simulator_class, hosts_case, hosts_sides, report=lambda line: print(line, flush=True))
    resource_row = None
    if resource_cases and not waiter_reason:
        resource_row = resources.run_row(ctx, simulator_class, resource_cases, startup, resource_sides,
                                         report=lambda line: print(line, flush=True))

    quota_row = None
    if quota_cases and not waiter_reason:
        quota_row = quota.run_rows(ctx, simulator_class, quota_cases, startup["wall_s"], report=lambda line: print(line, flush=True))

    agency_row = None
    if agency_case and not waiter_reason:
        agency_row = agency.run_row(ctx, simulator_class, agency_case, report=lambda line: print(line, flush=True))

    long_row = None
    if long_cases and not waiter_reason:
        long_row = long_jobs.run_rows(ctx, simulator_class, long_cases, startup["wall_s"], report=lambda line: print(line, flush=True))

    budget = Budget(args.budget, startup["wall_s"], elapsed=lambda: time.monotonic() - started)
    runs = report.compare_to_baseline(run_cases(ctx, simulator_class, cases, args.sides, waiter_reason, budget))
    env["load_after"] = list(os.getloadavg())
    results = {
        "date": today, "seed": args.seed, "quick": args.quick, "sides": list(args.sides),
        "plan": [{"service": case.service, "n": case.n, "durations": list(case.durations)} for case in cases],
        "job_duration_range": list(plan.JOB_DURATION_RANGE), "environment": env,
        "startup": startup, "runs": runs, "many_hosts": many_hosts, "quota": quota_row, "resources": resource_row,
        "agency": agency_row, "long_jobs": long_row, "targets": all_targets(runs, startup, many_hosts, resource_row, agency_row),
        "estimate_s": estimate, "budget_s": args.budget,
        "total_wall_s": time.monotonic() - started, "warning": busy_warning(env, runs),
    }
    if results["warning"]:
        print("WARNING: %s" % results["warning"], file=sys.stderr, flush=True)
    publish(results, args.out_dir, not args.no_plot)
    failed = [run for run in runs if not run["ok"] and not run["skipped"]]
    if many_hosts:
        failed += [run for run in [many_hosts["noop"]] + many_hosts["runs"] if not run["ok"]]
    if quota_row:
        failed += [run for run in quota_row["runs"] if not run["ok"]]
    if resource_row:
        failed += [run for run in resource_row["runs"] if not run["ok"]]
    if long_row:
        failed += [run for run in long_row["runs"] if not run["ok"]]
    if agency_row and not agency_row["run"]["ok"]:
        failed.append(agency_row["run"])
    return EXIT_RUN_FAILED if failed or (hosts_case and waiter_reason) else EXIT_OK
