# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The long-jobs rows: the provider's cadence computed on the same jobs, the goals, the report section."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from taskbench import cli, long_jobs, report, targets


@pytest.mark.parametrize("duration, requests, lag", [
    (3.0, 1, 2.0),      # finished before the first ask (5 s)
    (5.0, 1, 0.0),      # the first ask, at 5 s, sees it finished
    (5.5, 2, 9.5),      # asks at 5 and 15
    (15.0, 2, 0.0),
    (150.0, 16, 5.0),   # asks at 5, 15, ..., 155: the "about 15 requests, 5 s lag"
    (151.0, 16, 4.0),
    (240.0, 25, 5.0),
])
def test_provider_cadence_asks_5_s_after_the_start_then_every_10_s(duration, requests, lag):
    assert long_jobs.provider_polls(duration) == (requests, pytest.approx(lag))


def test_provider_figures_over_a_set_of_jobs():
    figures = long_jobs.provider_figures([5.0, 14.0, 26.0])
    # 1 ask (lag 0), 2 asks (lag 1), 4 asks at 5/15/25/35 (lag 9)
    assert figures["req_per_job"] == pytest.approx(7 / 3.0)
    assert (figures["lag_median_s"], figures["lag_max_s"]) == (pytest.approx(1.0), pytest.approx(9.0))


def test_cases_are_seeded_and_in_range():
    ddm, ecs = long_jobs.build_cases(0)
    assert (ddm.service, ddm.n, ddm.progress_profile, ddm.judged) == ("ddm", 50, "phased", True)
    assert (ecs.service, ecs.n, ecs.progress_profile, ecs.judged) == ("ecs", 50, "linear", False)
    assert all(60.0 <= d <= 240.0 for d in ddm.durations) and all(60.0 <= d <= 180.0 for d in ecs.durations)
    assert long_jobs.build_cases(0) == long_jobs.build_cases(0)
    assert long_jobs.build_cases(0)[0].durations != long_jobs.build_cases(1)[0].durations


def measured(wall=200.0, req_per_task=4.0, lag_median=1.0, ok=True):
    return {"ok": ok, "error": "" if ok else "rc=2", "wall_s": wall, "req_per_task": req_per_task, "lag_median_s": lag_median,
            "lag_max_s": 2 * lag_median, "slowest_job_s": 198.0}


def test_goals_are_half_the_providers_requests_and_lag_and_the_wall_net_of_start_up():
    case = long_jobs.LongCase("ddm, progress", "ddm", 2, (100.0, 198.0), "phased", True)
    provider = {"req_per_job": 10.0, "lag_median_s": 4.0}
    checks = long_jobs.evaluate(case, measured(), provider, startup_s=2.0)
    assert [status for _check, status, _detail in checks] == ["PASS", "PASS", "PASS"]
    checks = long_jobs.evaluate(case, measured(wall=201.5, req_per_task=5.01, lag_median=2.01), provider, startup_s=2.0)
    assert [status for _check, status, _detail in checks] == ["MISS", "MISS", "MISS"]
    assert checks[0][2] == "5.01 vs 5.00" and checks[1][2] == "2.01 s vs 2.00 s"
    assert checks[2][2].startswith("201.50 s vs 201.00 s")
    # Exactly at the limits: PASS.
    checks = long_jobs.evaluate(case, measured(wall=201.0, req_per_task=5.0, lag_median=2.0), provider, startup_s=2.0)
    assert [status for _check, status, _detail in checks] == ["PASS", "PASS", "PASS"]


def test_a_failed_run_misses_and_the_row_without_progress_has_no_goal():
    judged, unjudged = long_jobs.build_cases(0)
    provider = long_jobs.provider_figures(judged.durations)
    assert long_jobs.evaluate(judged, measured(ok=False), provider, 2.0) == [("succeeds", "MISS", "rc=2")]
    assert long_jobs.evaluate(unjudged, measured(), provider, 2.0) == []


def test_the_rows_are_opt_in_and_their_options_are_checked(capsys):
    assert not cli.parse_args([]).long_jobs and not cli.parse_args([]).long_jobs_only
    assert cli.parse_args(["--long-jobs-only"]).long_jobs_only
    with pytest.raises(SystemExit):
        cli.parse_args(["--long-jobs-only", "--quota-only"])
    assert "--long-jobs-only runs only the long-jobs rows" in capsys.readouterr().err


def test_the_long_jobs_section_of_the_report():
    case = long_jobs.build_cases(0)[0]
    record = dict(measured(), n=case.n, name=case.name, provider=long_jobs.provider_figures(case.durations))
    record["checks"] = [{"check": check, "status": status, "detail": detail}
                        for check, status, detail in long_jobs.evaluate(case, record, record["provider"], 2.0)]
    results = {"date": "2026-01-02", "seed": 0, "quick": False, "job_duration_range": [2.0, 8.0], "total_wall_s": 1.0,
               "environment": {"python": "3.11.7", "ansible_core": "2.19.14", "cpu_count": 2, "platform": "Linux"},
               "startup": {"wall_s": 2.0, "cpu_s": 0.7}, "runs": [], "targets": targets.evaluate([], {"wall_s": 2.0}),
               "long_jobs": {"startup_s": 2.0, "runs": [record]}}
    text = report.render_markdown(results)
    assert "## Long jobs" in text
    assert "| ddm, progress | 50 | 198.00 | 200.00 | 4.00 | 1.00 | 2.00 | %.2f |" % record["provider"]["req_per_job"] in text
    assert "requests/job <= 0.5 x the provider's: **PASS**" in text
