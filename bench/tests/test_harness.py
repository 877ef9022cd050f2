# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure parts of the benchmark harness: plan, metrics, goals, report, budget (no ansible, no network)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from taskbench import agency, cli, hosts, metrics, plan, report, runner, targets


def run(service, n, side, wall, requests, lag_median=0.5, cpu=1.0, slowest=8.0, ok=True, **extra):
    record = {"service": service, "n": n, "side": side, "wall_s": wall, "requests": requests, "req_per_task": requests / n,
              "lag_median_s": lag_median, "lag_max_s": lag_median * 2, "cpu_s": cpu, "cpu_pct": 100.0 * cpu / wall if wall else None,
              "slowest_job_s": slowest, "mean_job_s": 5.0, "ok": ok, "skipped": "", "error": "" if ok else "rc=2", "rc": 0 if ok else 2}
    record.update(extra)
    return record


# ---- plan -------------------------------------------------------------------------------------------

def test_durations_are_seeded_per_case_and_in_range():
    first = plan.job_durations(0, "rds", 50)
    assert first == plan.job_durations(0, "rds", 50)
    assert first != plan.job_durations(1, "rds", 50)
    assert first != plan.job_durations(0, "geminidb", 50)
    assert all(2.0 <= value <= 8.0 for value in first)


@pytest.mark.parametrize("quick, sizes, expected", [
    (False, None, {"geminidb": [1, 10, 50, 200, 1000], "rds": [1, 10, 50, 200, 1000], "ddm": [1, 10, 50], "servicestage": [1, 10, 50],
                   "ecs": [200], "gaussdb": [200], "cce": [50]}),
    (True, None, {"geminidb": [1, 10], "rds": [1, 10], "ddm": [1, 10], "servicestage": [1, 10], "ecs": [1, 10], "gaussdb": [1, 10],
                  "cce": [1, 10]}),
    (False, (5,), {"geminidb": [5], "rds": [5], "ddm": [5], "servicestage": [5], "ecs": [5], "gaussdb": [5], "cce": [5]}),
])
def test_plan_sizes(quick, sizes, expected):
    cases = plan.build_plan(0, sizes=sizes, quick=quick)
    found = {}
    for case in cases:
        found.setdefault(case.service, []).append(case.n)
    assert found == expected


def test_baseline_skipped_only_above_the_limit():
    cases = dict((case.n, case) for case in plan.build_plan(0, services=("rds",), baseline_max_n=200))
    assert cases[200].baseline_skip_reason == ""
    assert "N=1000 > 200" in cases[1000].baseline_skip_reason


@pytest.mark.parametrize("text, error", [
    ("rds,cas", "unknown service(s) cas"),
    ("", "(none given)"),
])
def test_parse_services_names_the_allowed_values(text, error):
    with pytest.raises(ValueError) as raised:
        plan.parse_services(text)
    assert error in str(raised.value)
    assert "geminidb, rds, ddm, servicestage" in str(raised.value)


@pytest.mark.parametrize("text, expected", [("10,1,10", (1, 10)), (" 200 ", (200,))])
def test_parse_sizes(text, expected):
    assert plan.parse_sizes(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", "ten", ","])
def test_parse_sizes_rejects(text):
    with pytest.raises(ValueError):
        plan.parse_sizes(text)


# ---- metrics ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("key, counted", [
    ("GET rds /v3/{project_id}/tasklist", True),
    ("GET geminidb /v3/{project_id}/jobs", False),   # another service
    ("POST iam /v3/auth/tokens", False),
    ("GET - <unknown>", False),
    ("GET /rds/v3/x/tasklist", True),
])
def test_service_endpoint_filter(key, counted):
    assert metrics.is_service_endpoint(key, ("rds",)) is counted


def test_service_requests_sums_only_service_endpoints():
    by_endpoint = {"GET rds /v3/{project_id}/tasklist": 7, "POST iam /v3/auth/tokens": 2, "GET rds /v3/{project_id}/jobs": 1}
    assert metrics.service_requests(by_endpoint, ("rds",)) == 8


def test_detection_lags_and_missing():
    lags, missing = metrics.detection_lags(["a", "b", "c"], {"a": 105.5, "b": 99.0}, {"a": 105.0, "b": 100.0, "c": 101.0})
    assert lags == [0.5, 0.0]      # served before the recorded end cannot be a negative lag
    assert missing == ["c"]
    assert metrics.summarize([1.0, 3.0, 2.0]) == {"median": 2.0, "max": 3.0, "mean": 2.0}
    assert metrics.summarize([])["median"] is None


# ---- goals ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, measured, limit, status, margin", [
    ("wall_slack", 1.5, 2.0, "PASS", 0.5),
    ("wall_slack", 2.5, 2.0, "MISS", 0.5),
    ("speedup", 10.0, 8.0, "PASS", 2.0),
    ("speedup", 6.0, 8.0, "MISS", 2.0),
    ("request_ratio", None, 0.2, "N/A", None),
])
def test_verdict(kind, measured, limit, status, margin):
    found_status, found_margin = targets.verdict(kind, measured, limit)
    assert found_status == status
    assert found_margin == (pytest.approx(margin) if margin is not None else None)


def goal_rows(rows, key):
    return dict((row["scope"], row) for row in rows if row["goal"] == key)


def test_goals_at_200():
    runs = [
        run("rds", 200, "baseline", 120.0, 400, slowest=7.9),
        run("rds", 200, "wait_for_task", 9.0, 60, lag_median=0.4, slowest=7.9),
        run("geminidb", 200, "baseline", 120.0, 400, slowest=7.9),
        run("geminidb", 200, "wait_for_task", 20.0, 100, lag_median=1.5, slowest=7.9),
    ]
    rows = targets.evaluate(runs, {"wall_s": 1.0, "cpu_s": 0.7})
    assert goal_rows(rows, "wall_200")["rds N=200"]["status"] == "PASS"
    assert goal_rows(rows, "wall_200")["rds N=200"]["measured"] == pytest.approx(1.1)
    assert goal_rows(rows, "wall_200")["geminidb N=200"]["status"] == "MISS"
    assert goal_rows(rows, "speedup_200")["rds N=200"]["measured"] == pytest.approx(120.0 / 9.0)
    assert goal_rows(rows, "speedup_200")["geminidb N=200"]["status"] == "MISS"
    assert goal_rows(rows, "requests_200")["rds N=200"]["measured"] == pytest.approx(0.15)
    assert goal_rows(rows, "requests_200")["geminidb N=200"]["status"] == "MISS"
    assert goal_rows(rows, "lag_200")["geminidb N=200"]["summary"] == "MISS by 0.50 s"
    assert goal_rows(rows, "wall_1000")["rds N=1000"]["status"] == "N/A"


def test_ecs_goals_judge_the_wall_net_of_ansible_start_up():
    runs = [run("ecs", 200, "wait_for_task", 9.3, 700, lag_median=0.6, slowest=7.9),
            run("ecs", 200, "baseline", 140.0, 1400, slowest=7.9)]
    rows = targets.evaluate(runs, {"wall_s": 0.5, "cpu_s": 0.4})
    wall = goal_rows(rows, "ecs_wall_200")["ecs N=200"]
    assert wall["measured"] == pytest.approx(9.3 - 7.9 - 0.5) and wall["status"] == "PASS" and wall["used"] == "net"
    assert goal_rows(rows, "ecs_req_per_task")["ecs N=200"]["measured"] == pytest.approx(3.5)
    assert goal_rows(rows, "ecs_lag_200")["ecs N=200"]["status"] == "PASS"
    slow = targets.evaluate([run("ecs", 200, "wait_for_task", 10.0, 1200, slowest=7.9)], {"wall_s": 0.5, "cpu_s": 0.4})
    assert goal_rows(slow, "ecs_wall_200")["ecs N=200"]["summary"] == "MISS by 0.60 s"
    assert goal_rows(slow, "ecs_req_per_task")["ecs N=200"]["status"] == "MISS"
    assert goal_rows(targets.evaluate(runs, {}), "ecs_wall_200")["ecs N=200"]["status"] == "N/A"


def test_goal_is_not_available_when_a_side_failed_or_was_skipped():
    runs = [run("rds", 200, "baseline", 0, 1, ok=False, skipped="budget"), run("rds", 200, "wait_for_task", 9.0, 60)]
    rows = goal_rows(targets.evaluate(runs, {"wall_s": 1.0, "cpu_s": 0.7}), "speedup_200")
    assert rows["rds N=200"]["status"] == "N/A"
    assert "skipped (budget)" in rows["rds N=200"]["detail"]


def test_requests_per_task_goal_covers_every_measured_size():
    runs = [run("ddm", 1, "wait_for_task", 8.0, 4), run("ddm", 50, "wait_for_task", 10.0, 300)]
    rows = goal_rows(targets.evaluate(runs, {"wall_s": 1.0, "cpu_s": 0.7}), "req_per_task")
    assert rows["ddm N=1"]["status"] == "PASS"
    assert rows["ddm N=50"]["status"] == "MISS"
    assert rows["ddm N=50"]["margin"] == pytest.approx(1.0)


def test_cpu_goal_is_net_of_startup_and_averaged_over_waiter_runs():
    runs = [run("rds", 10, "wait_for_task", 11.0, 10, cpu=1.2), run("ddm", 10, "wait_for_task", 6.0, 10, cpu=0.95),
            run("rds", 10, "baseline", 20.0, 20, cpu=9.0)]
    row = goal_rows(targets.evaluate(runs, {"wall_s": 1.0, "cpu_s": 0.7, "waiter_floor": {"wall_s": 1.5, "cpu_s": 0.9}}), "cpu")
    row = row["all wait_for_task runs"]
    assert row["measured"] == pytest.approx(100.0 * (0.5 + 0.25) / (10.0 + 5.0))
    assert row["status"] == "PASS"
    assert row["raw"] == pytest.approx(100.0 * 2.15 / 17.0)
    assert row["net_of_waiter_floor"] == pytest.approx(100.0 * (0.3 + 0.05) / (9.5 + 4.5))


# ---- report -----------------------------------------------------------------------------------------

def results_fixture(runs):
    runs = report.compare_to_baseline(runs)
    startup = {"wall_s": 1.0, "cpu_s": 0.7}
    return {"date": "2026-01-02", "seed": 0, "quick": False, "job_duration_range": [2.0, 8.0], "total_wall_s": 100.0,
            "environment": {"python": "3.11.7", "ansible_core": "2.19.14", "cpu_count": 2, "platform": "Linux"},
            "startup": startup, "runs": runs, "targets": targets.evaluate(runs, startup)}


def test_report_ratios_and_markdown(tmp_path):
    runs = [run("rds", 10, "wait_for_task", 10.0, 20), run("rds", 10, "baseline", 40.0, 100),
            run("rds", 1000, "baseline", 0, 0, ok=False, skipped="N=1000 > 200"), run("geminidb", 50, "wait_for_task", 9.0, 9)]
    results = results_fixture(runs)
    waiter = [r for r in results["runs"] if r["side"] == "wait_for_task"][0]
    assert waiter["speedup"] == pytest.approx(4.0)
    assert waiter["request_ratio"] == pytest.approx(0.2)
    text = report.render_markdown(results)
    assert "| rds | 10 | baseline |" in text
    assert text.index("| geminidb | 50 |") < text.index("| rds | 10 | baseline |") < text.index("| rds | 10 | wait_for_task |")
    assert "| rds | 10 | wait_for_task | 8.00 | 10.00 | 20 | 2.00 |" in text
    assert "4.0x" in text
    assert "- rds N=1000 baseline: N=1000 > 200" in text

    written = report.write_results(results, tmp_path)
    names = sorted(path.name for path in written)
    assert names == ["2026-01-02.json", "2026-01-02.md", "latest.json", "latest.md"]
    assert json.loads((tmp_path / "latest.json").read_text())["runs"][0]["service"] == "rds"
    assert (tmp_path / "latest.md").read_text() == text


# ---- budget -----------------------------------------------------------------------------------------

def test_budget_skips_a_baseline_that_would_not_fit():
    now = {"elapsed": 0.0}
    budget = cli.Budget(300.0, 1.0, elapsed=lambda: now["elapsed"])
    small, large = plan.build_plan(0, services=("rds",), sizes=(10, 200))
    assert budget.baseline_skip_reason(small, reserved_s=20.0) == ""
    # 200 jobs at >= 0.65 s per uri run need > 130 s; only 300 - 200 - 20 = 80 s are left.
    now["elapsed"] = 200.0
    assert "--budget 300 s" in budget.baseline_skip_reason(large, reserved_s=20.0)
    # The per-call estimate learns from slower baseline runs.
    budget.observe({"side": "baseline", "wall_s": 41.0, "requests": 40})
    assert budget.uri_call_s() == pytest.approx(1.0)
    assert cli.Budget(0, 1.0, elapsed=lambda: 1e9).baseline_skip_reason(large, 0.0) == ""


# ---- busy machine, failure excerpt --------------------------------------------------------------------

@pytest.mark.parametrize("start_load, run_loads, busy", [
    (0.3, [1.1, 1.9], False),      # the harness's own ~1 core does not count as busy
    (0.3, [1.1, 2.6], True),
    (3.5, [], True),
])
def test_busy_warning(start_load, run_loads, busy):
    env = {"load_before": [start_load, 0, 0], "cpu_count": 2}
    runs = [{"load_1min": load} for load in run_loads]
    assert bool(cli.busy_warning(env, runs)) is busy


def test_failure_excerpt_takes_the_first_error_line(tmp_path):
    log = tmp_path / "run.log"
    log.write_text("PLAY [x]\nTASK [y]\n[ERROR]: Task failed: " + "z" * 500 + "\nfatal: [localhost]: FAILED!\n")
    excerpt = runner.failure_excerpt(str(log), limit=40)
    assert excerpt.startswith("[ERROR]: Task failed: zz") and excerpt.endswith("...") and len(excerpt) == 43
    log.write_text("ok: [localhost]\n")
    assert runner.failure_excerpt(str(log)) == ""


# ---- many hosts row ---------------------------------------------------------------------------------

def test_many_hosts_case_is_seeded_and_names_every_host(tmp_path):
    case = hosts.build_case(0, hosts=20, forks=5)
    assert case == hosts.build_case(0, hosts=20, forks=5) and case.durations != hosts.build_case(1, 20, 5).durations
    assert len(case.durations) == 20 and all(2.0 <= value <= 8.0 for value in case.durations)
    inventory = hosts.write_inventory(tmp_path / "inv.ini", case, python="/py").read_text().splitlines()
    assert inventory[0] == "[fleet]" and inventory[1:21] == ["host%03d" % n for n in range(1, 21)]
    assert "ansible_connection=local" in inventory and "ansible_python_interpreter=/py" in inventory


def hosts_row(run_once_wall, noop_wall=3.0, slowest=7.5, ok=True, per_host_wall=None):
    runs = [{"side": "run_once", "wall_s": run_once_wall, "cpu_s": 2.0, "ok": ok, "error": "" if ok else "rc=2", "requests": 9}]
    if per_host_wall:
        runs.append({"side": "per_host", "wall_s": per_host_wall, "cpu_s": 9.0, "ok": True, "error": "", "requests": 80})
    return {"case": {"hosts": 20, "forks": 5, "service": "rds", "durations": [slowest], "slowest_job_s": slowest},
            "noop": {"side": "noop", "wall_s": noop_wall, "cpu_s": 2.5, "ok": True, "error": ""}, "runs": runs}


@pytest.mark.parametrize("wall, status, margin", [(11.5, "PASS", 1.0), (13.0, "MISS", 0.5)])
def test_many_hosts_goal_is_net_of_the_same_play_over_a_noop(wall, status, margin):
    goal = hosts.evaluate(hosts_row(wall, per_host_wall=40.0))
    assert (goal["status"], goal["margin"]) == (status, pytest.approx(margin))
    assert goal["measured"] == pytest.approx(wall - 7.5 - 3.0)
    assert "one wait per host: 40.00 s wall, 80 requests, 9.00 CPU s (run_once: 9 requests, 2.00 CPU s)" in goal["detail"]


def test_many_hosts_goal_is_not_available_when_the_wait_failed():
    assert hosts.evaluate(hosts_row(9.0, ok=False))["status"] == "N/A"


def test_many_hosts_row_in_the_report_and_the_targets():
    results = results_fixture([run("rds", 10, "wait_for_task", 10.0, 20)])
    results["many_hosts"] = hosts_row(11.0, per_host_wall=40.0)
    results["targets"] = cli.all_targets(results["runs"], results["startup"], results["many_hosts"])
    assert results["targets"][-1]["goal"] == "many_hosts" and results["targets"][-1]["status"] == "PASS"
    text = report.render_markdown(results)
    assert "## Many hosts, one job each" in text
    assert "| run_once | 11.00 | 9 |" in text and "| per_host | 40.00 | 80 |" in text and "| no-op (same play) | 3.00 |" in text
    assert "20 hosts at forks 5, one run_once wait" in text


def test_a_many_hosts_only_run_has_only_the_row_goal():
    row = hosts_row(11.0)
    assert [goal["goal"] for goal in cli.all_targets([], {"wall_s": 1.0, "cpu_s": 0.7}, row)] == ["many_hosts"]


@pytest.mark.parametrize("argv, error", [
    (["--many-hosts", "-1"], "--many-hosts must be >= 0"),
    (["--many-hosts-forks", "0"], "--many-hosts-forks >= 1"),
    (["--many-hosts", "0", "--many-hosts-only"], "--many-hosts-only needs --many-hosts > 0"),
])
def test_many_hosts_options_are_checked(argv, error, capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(argv)
    assert error in capsys.readouterr().err


def test_many_hosts_defaults():
    args = cli.parse_args([])
    assert (args.many_hosts, args.many_hosts_forks, args.many_hosts_only) == (20, 5, False)


def test_every_benchmarked_service_has_a_plot_colour():
    from taskbench.plot import SERVICE_COLOR  # pylint: disable=import-outside-toplevel
    assert set(plan.SERVICES) <= set(SERVICE_COLOR)


def test_the_informed_floor_paces_one_request_per_job_after_its_end():
    from taskbench.quota import informed_floor
    assert informed_floor([2.0, 2.0, 2.0], 10) == pytest.approx(2.2)       # three ends together: 0.1 s apart
    assert informed_floor([5.0, 1.0, 9.0], 1) == pytest.approx(9.0)        # spread out: each at its end
    assert informed_floor([1.0] * 21, 20) == pytest.approx(2.0)            # 21 requests at 20/s take 1 s
    assert informed_floor([3.0, 7.5], 0) == 7.5                            # no quota: the slowest job


# ---- resources row -----------------------------------------------------------------------------------

def _resource_run(kind, side, wall, requests, n, ok=True):
    return {"kind": kind, "n": n, "side": side, "wall_s": wall, "requests": requests, "cpu_s": 1.0, "ok": ok, "error": ""}


def test_resources_row_goals_judge_wall_net_of_startup_and_requests_per_kind():
    from taskbench import resources
    cases = resources.build_cases(0)
    row = {"cases": [{"kind": case.kind, "n": case.n, "durations": list(case.durations), "slowest_s": case.slowest_s} for case in cases],
           "startup_wall_s": 2.0, "runs": []}
    rds, ecs = row["cases"]
    row["runs"] = [_resource_run("rds", "baseline", 120.0, 400, 200), _resource_run("rds", "wait_for_resource", rds["slowest_s"] + 2.5, 60, 200),
                   _resource_run("ecs", "baseline", 60.0, 300, 100), _resource_run("ecs", "wait_for_resource", ecs["slowest_s"] + 4.0, 600, 100)]

    goals = resources.evaluate(row)

    by = dict(((goal["scope"].split(",")[0], goal["goal"]), goal) for goal in goals)
    assert by[("RDS instances ACTIVE", "resources_wall")]["status"] == "PASS"      # 0.5 s over start-up, limit 1 s
    assert by[("RDS instances ACTIVE", "resources_requests")]["status"] == "PASS"  # 60 / 400 = 0.15
    assert by[("ECS servers deleted", "resources_wall")]["status"] == "MISS"       # 2 s over start-up
    assert by[("ECS servers deleted", "resources_requests")]["status"] == "MISS"   # 6 per server
    assert rds["n"] == 200 and ecs["n"] == 100 and rds["slowest_s"] == max(rds["durations"]) + resources.SETTLE_S


def test_resource_sizes_option():
    assert cli.parse_args(["--resource-sizes", "rds=20"]).resource_sizes == {"rds": 20}
    with pytest.raises(SystemExit):
        cli.parse_args(["--resource-sizes", "ecs=0"])
    with pytest.raises(SystemExit):
        cli.parse_args(["--resources-only", "--no-resources"])


def test_the_agency_row_is_held_to_the_ecs_goals_and_to_renewing_its_keys():
    row = {"run": run("ecs", 200, "wait_for_task", 9.3, 400, lag_median=0.6, slowest=7.9), "sts_calls": 3, "project_calls": 1}
    goals = dict((goal["goal"], goal) for goal in agency.evaluate(row, {"wall_s": 0.5, "cpu_s": 0.4}))
    assert sorted(goals) == ["agency_renewed", "ecs_lag_200", "ecs_req_per_task", "ecs_wall_200"]
    assert goals["ecs_req_per_task"]["measured"] == pytest.approx(2.0) and goals["agency_renewed"]["status"] == "PASS"
    assert goals["ecs_wall_200"]["scope"] == "ecs N=200, agency keys of 3 s"
    never_renewed = agency.evaluate(dict(row, sts_calls=1), {"wall_s": 0.5, "cpu_s": 0.4})
    assert [goal["status"] for goal in never_renewed if goal["goal"] == "agency_renewed"] == ["MISS"]
    assert "| 9.30 | 400 | 2.00 | 0.60 | 3 | 1 | ok |" in agency.markdown(row, report.markdown_table)
