# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the deadline engine's loop: shared fake clock, scripted refresh; no real waiting.

Rules are in test_rules.py, the words of the result in test_report.py, option checks in test_wait_plan.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random

import pytest

from waiter_scripts import ScriptedCloud, TimedJobs, build, load_fixture, rules_for, throttled, waiter_for

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import poll_schedule
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, WaitTimeout

SCENARIOS = load_fixture("scenarios.json")["scenarios"]


# ---------------------------------------------------------------------------
# scenario table


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario["name"] for scenario in SCENARIOS])
def test_scenarios(fake_clock, scenario):
    service = scenario.get("service", "rds")
    waiter, cloud, _events = build(
        fake_clock, scenario["timelines"], ids=scenario["ids"], service=service,
        rules=rules_for(service, **scenario.get("rules", {})), **scenario.get("options", {}))
    result = waiter.run()
    expect = scenario["expect"]
    assert result.outcome == expect["outcome"], result.message
    assert result.succeeded == expect["succeeded"]
    assert result.failed == expect["failed"]
    assert result.pending == expect["pending"]
    assert expect["elapsed_min"] <= result.elapsed <= expect["elapsed_max"], result.elapsed
    assert result.elapsed == pytest.approx(fake_clock.elapsed)
    assert [task["id"] for task in result.tasks] == scenario["ids"]
    for task_id, text in expect.get("reason_contains", {}).items():
        assert text in result.reasons[task_id]
        assert text in result.message
    assert result.polls == len(cloud.calls)
    json.dumps(dict((name, value) for name, value in vars(result).items() if name != "error"))


# ---------------------------------------------------------------------------
# deadline, delay, stability


def test_task_finishing_in_the_poll_exactly_at_the_deadline_counts(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [10, "Completed", None]]}, timeout=10)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.elapsed == 10
    assert cloud.calls[-1]["at"] == 10
    assert sum(fake_clock.sleeps) == 10


def test_task_finishing_just_after_the_deadline_times_out_without_oversleeping(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [10.5, "Completed", None]]}, timeout=10)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert result.elapsed == 10
    assert cloud.calls[-1]["at"] == 10, "a final poll runs right at the deadline"
    assert result.pending == ["a"]


def test_short_remainder_before_the_deadline_still_gets_a_final_poll(fake_clock):
    # Polls every second until 10 s, then only 0.25 s remain: sleep exactly that and poll once more.
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [10.1, "Completed", None]]},
                                   timeout=10.25, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert fake_clock.sleeps[-1] == 0.25
    assert [call["at"] for call in cloud.calls][-2:] == [10, 10.25]


def test_every_refresh_gets_the_same_deadline_object(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", 5], [30, "Completed", None]]}, timeout=100)
    waiter.run()
    deadlines = set(id(call["deadline"]) for call in cloud.calls)
    assert len(cloud.calls) > 1 and len(deadlines) == 1
    assert cloud.calls[0]["deadline"].at == fake_clock.start + 100


def test_slow_refresh_past_the_deadline_still_counts_what_it_saw(fake_clock):
    # The request starts before the deadline and answers after it: its answer is still used.
    # Each poll takes longer than the interval, so the next one is sent as soon as it answers: at 0, 3, 6, 9 s.
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [10.5, "Completed", None]]}, timeout=10,
                                   cloud_options={"latency": 3.0})
    result = waiter.run()
    assert [call["at"] for call in cloud.calls] == [0, 3, 6, 9]
    assert result.outcome == "succeeded"
    assert result.elapsed == 12


def test_delay_is_honoured_before_the_first_poll(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [6, "Completed", None]]}, delay=5)
    result = waiter.run()
    assert fake_clock.sleeps[0] == 5
    assert cloud.calls[0]["at"] == 5
    assert result.outcome == "succeeded"


def test_delay_longer_than_timeout_still_polls_once_at_the_deadline(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [8, "Completed", None]]}, delay=60, timeout=10)
    result = waiter.run()
    assert [call["at"] for call in cloud.calls] == [10]
    assert result.outcome == "succeeded"


def test_stable_for_needs_consecutive_target_polls_and_flapping_resets(fake_clock):
    timeline = [[0, "Running", 10], [2, "Completed", None], [3, "Running", 90], [4, "Completed", None]]
    waiter, cloud, _events = build(fake_clock, {"a": timeline}, stable_for=3, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "succeeded"
    # Completed at 2, flaps back at 3, then Completed at 4, 5, 6: the third consecutive sighting ends the wait.
    assert result.elapsed == 6
    assert [entry["status"] for entry in result.timeline["a"]] == ["Running", "Completed", "Running", "Completed"]
    assert all(call["ids"] == ["a"] for call in cloud.calls), "a task at target keeps being refreshed until stable"


def test_stable_for_timeout_reports_stability_progress(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 1], [8, "Completed", None]]}, stable_for=3,
                                    timeout=9, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert "(at target, 2 of 3 stable polls)" in result.message


# ---------------------------------------------------------------------------
# not found and filter mode


def test_not_found_within_grace_is_pending_with_a_note(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[100, "Running", 0]]}, timeout=10, not_found_grace=30)
    result = waiter.run()
    assert result.outcome == "timeout"
    task = result.tasks[0]
    assert (task["id"], task["phase"], task["status"], task["note"]) == ("a", "pending", None, "not visible yet")
    assert "a not visible yet" in result.message


def test_not_found_after_grace_message_is_exact(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {}, not_found_grace=30, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "failed"
    assert result.elapsed == 30
    assert result.reasons["a"] == "task a was not found 30s after the wait started (not_found_grace=30)."
    assert result.tasks[0]["phase"] == "unknown" and result.tasks[0]["note"] == "not found"


def test_a_resource_wait_names_resources_in_the_not_found_reason_too(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {}, not_found_grace=30, max_poll_interval=1, noun="resource")
    result = waiter.run()
    assert result.reasons["a"] == "resource a was not found 30s after the wait started (not_found_grace=30)."
    assert result.message.startswith("1 of 1 resources failed after 30s: resource a was not found")


def test_zero_grace_fails_a_missing_task_on_the_first_poll(fake_clock):
    waiter, cloud, _events = build(fake_clock, {}, not_found_grace=0)
    result = waiter.run()
    assert result.outcome == "failed" and len(cloud.calls) == 1


def test_filter_mode_with_no_matching_task_succeeds_at_once(fake_clock):
    waiter, cloud, _events = build(fake_clock, {}, ids=None)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.tasks == [] and result.polls == 1
    assert fake_clock.sleeps == []
    assert cloud.calls[0]["ids"] is None
    assert result.message == "nothing to wait for: no matching task"


def test_filter_mode_follows_new_and_vanished_tasks(fake_clock):
    timelines = {
        "a": [[0, "Running", 10], [5, "Completed", None]],
        "b": [[0, "Running", 10], [8, None, None]],
        "c": [[3, "Running", 0], [12, "Completed", None]],
    }
    waiter, cloud, _events = build(fake_clock, timelines, ids=None, max_poll_interval=2)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert [task["id"] for task in result.tasks] == ["a", "b", "c"]
    assert result.succeeded == ["a", "c"] and result.vanished == ["b"]
    assert result.elapsed >= 12
    assert all(call["ids"] is None for call in cloud.calls)
    assert "no longer listed" in result.tasks[1]["note"]


def test_empty_id_list_has_nothing_to_wait_for(fake_clock):
    waiter, cloud, _events = build(fake_clock, {}, ids=[])
    result = waiter.run()
    assert result.outcome == "succeeded" and cloud.calls == []
    assert "nothing to wait for" in result.message


def test_duplicate_ids_are_waited_for_once_and_refresh_gets_only_open_ids(fake_clock):
    timelines = {"a": [[0, "Running", 0], [2, "Completed", None]], "b": [[0, "Running", 0], [6, "Completed", None]]}
    waiter, cloud, _events = build(fake_clock, timelines, ids=["a", "b", "a"])
    result = waiter.run()
    assert [task["id"] for task in result.tasks] == ["a", "b"]
    assert cloud.calls[0]["ids"] == ["a", "b"]
    assert cloud.calls[-1]["ids"] == ["b"]


def test_refresh_may_return_a_dict_keyed_by_id(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 0], [2, "Completed", None]]},
                                    cloud_options={"as_dict": True})
    assert waiter.run().outcome == "succeeded"


# ---------------------------------------------------------------------------
# adaptive polling


def test_interval_backs_off_while_nothing_changes_and_stays_in_bounds(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", None]]}, timeout=120)
    waiter.run()
    sleeps = fake_clock.sleeps
    assert sleeps[:5] == [1, 1.5, 2.25, 3.375, 5.0625]
    assert all(1 <= sleep <= 10 for sleep in sleeps[:-1])
    assert 10 in sleeps
    assert sum(sleeps) == 120


def test_interval_resets_to_poll_interval_on_status_change(fake_clock):
    timeline = [[0, "Pending", None], [20, "Running", None], [200, "Completed", None]]
    waiter, cloud, _events = build(fake_clock, {"a": timeline}, timeout=300)
    waiter.run()
    change_poll = next(index for index, call in enumerate(cloud.calls) if call["at"] >= 20)
    assert fake_clock.sleeps[change_poll - 1] > 1, "backed off before the change"
    assert fake_clock.sleeps[change_poll] == 1, "reset right after the change"
    assert fake_clock.sleeps[change_poll + 1] == 1.5


def test_progress_alone_does_not_reset_but_speeds_up_near_the_estimated_end(fake_clock):
    # Progress grows 1% per second; the task completes at 100 s.
    timeline = [[second, "Running", second] for second in range(100)] + [[100, "Completed", None]]
    waiter, cloud, _events = build(fake_clock, {"a": timeline}, timeout=600)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert 10 in fake_clock.sleeps, "far from the end the interval backs off to the maximum"
    for call, sleep in zip(cloud.calls, fake_clock.sleeps):
        remaining = 100 - int(call["at"])
        assert sleep <= max(1, remaining) + 1, (call["at"], sleep)
    # Without the estimate the last poll could land up to 10 s late.
    assert result.elapsed <= 101


def test_overdue_estimate_falls_back_to_back_off(fake_clock):
    # The progress rate promised the end at 10 s; once that is past, the interval backs off again.
    timeline = [[0, "Running", 0], [5, "Running", 50]]
    waiter, _cloud, _events = build(fake_clock, {"a": timeline}, timeout=200)
    waiter.run()
    assert fake_clock.sleeps[-2] == 10


# ---------------------------------------------------------------------------
# throttling and errors


def test_throttling_doubles_a_shared_backoff_then_succeeds(fake_clock):
    errors = dict((call, throttled()) for call in (2, 3, 4))
    waiter, cloud, events = build(fake_clock, {"a": [[0, "Running", None], [5, "Completed", None]]},
                                  cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.throttled == 3
    assert result.polls == len(cloud.calls) - 3
    assert fake_clock.sleeps[:4] == [1, 2, 4, 8]
    # After throttling the floor halves per successful poll instead of snapping back to 1 s.
    assert [payload["backoff"] for kind, payload in events if kind == "throttled"] == [2, 4, 8]


def test_throttle_backoff_is_capped_at_three_max_intervals(fake_clock):
    errors = dict((call, throttled()) for call in range(2, 12))
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [5, "Completed", None]]}, timeout=3600,
                                    cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert max(fake_clock.sleeps) == 30
    assert fake_clock.sleeps[1:7] == [2, 4, 8, 16, 30, 30]


def test_throttle_honours_retry_after_hint(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [5, "Completed", None]]},
                                    cloud_options={"errors": {2: throttled(retry_after=7)}})
    assert waiter.run().outcome == "succeeded"
    assert fake_clock.sleeps[1] == 7


def test_throttled_until_the_deadline_times_out(fake_clock):
    errors = dict((call, throttled()) for call in range(2, 100))
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", None]]}, timeout=20, cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "timeout" and result.elapsed == 20
    assert sum(fake_clock.sleeps) == 20
    assert result.message.endswith("; the API throttled %d polls (HTTP 429), which slowed the polling" % result.throttled)
    assert result.throttled >= 2


def test_other_api_errors_end_the_wait_with_the_partial_state(fake_clock):
    # The waiter hands back what it saw (tasks, timeline, polls) instead of raising the error.
    error = ApiError(status=500, error_code="DBS.01", error_msg="boom", service="rds")
    timelines = {"a": [[0, "Running", 10], [1, "Running", 20]], "b": [[0, "Pending", None]], "c": [[1, "Running", 5]]}
    waiter, cloud, events = build(fake_clock, timelines, ids=["a", "b", "c"], cloud_options={"errors": {3: error}},
                                  max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "error"
    assert result.error is error
    assert result.polls == 2 and len(cloud.calls) == 3
    assert result.elapsed == fake_clock.elapsed == 2
    assert result.message == "the wait stopped after 2s: %s" % error
    # Seen tasks only, latest sighting, in the order first seen; every id pending, no verdict.
    assert [(task["id"], task["progress"]) for task in result.tasks] == [("a", 20), ("b", None), ("c", 5)]
    assert result.pending == ["a", "b", "c"]
    assert (result.succeeded, result.failed, result.vanished, result.reasons) == ([], [], [], {})
    assert [entry["progress"] for entry in result.timeline["a"]] == [10, 20]
    assert result.error.to_dict()["type"] == "ApiError"
    assert [kind for kind, _payload in events].count("done") == 0, "the wait did not finish"
    assert waiter.latest_task("a")["progress"] == 20 and waiter.latest_task("zzz") is None


def test_partial_state_lists_the_tasks_in_the_order_first_seen(fake_clock):
    error = ApiError(status=503, error_code="APIGW.0203", error_msg="unavailable", service="rds")
    timelines = {"late": [[1, "Running", 2]], "early": [[0, "Running", 1]]}
    waiter, _cloud, _events = build(fake_clock, timelines, ids=["late", "early"], cloud_options={"errors": {3: error}},
                                    max_poll_interval=1)
    result = waiter.run()
    assert [task["id"] for task in result.tasks] == ["early", "late"]
    assert result.pending == ["late", "early"]


def test_latest_task_is_the_one_of_the_change_event(fake_clock):
    seen = []
    cloud = ScriptedCloud(fake_clock, {"a": [[0, "Running", 10], [1, "Completed", None]]})
    holder = {}

    def on_event(kind, payload):
        if kind == "change":
            seen.append((payload["status"], holder["waiter"].latest_task("a")["status"]))

    holder["waiter"] = waiter_for(fake_clock, cloud, on_event=on_event)
    assert holder["waiter"].latest_task("a") is None
    holder["waiter"].run()
    assert seen == [("Running", "Running"), ("Completed", "Completed")]


def test_wait_timeout_from_the_client_ends_as_timeout(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 40]]},
                                    cloud_options={"errors": {3: WaitTimeout("deadline reached")}})
    result = waiter.run()
    assert result.outcome == "timeout"
    assert "Running 40%" in result.message


def test_timeline_records_changes_only_and_events_are_json_safe(fake_clock):
    timeline = [[0, "Pending", None], [1, "Running", 10], [4, "Running", 50], [9, "Completed", None]]
    waiter, _cloud, events = build(fake_clock, {"a": timeline}, max_poll_interval=1)
    result = waiter.run()
    assert result.polls == 10
    assert result.timeline == {"a": [
        {"at": 0.0, "status": "Pending", "progress": None},
        {"at": 1.0, "status": "Running", "progress": 10},
        {"at": 4.0, "status": "Running", "progress": 50},
        {"at": 9.0, "status": "Completed", "progress": None},
    ]}
    kinds = [kind for kind, _payload in events]
    assert kinds[0] == "start" and kinds[-1] == "done"
    assert kinds.count("poll") == 10 and kinds.count("change") == 4
    changes = [payload for kind, payload in events if kind == "change"]
    assert (changes[1]["old_status"], changes[1]["status"], changes[1]["progress"]) == ("Pending", "Running", 10)
    polls = [payload for kind, payload in events if kind == "poll"]
    assert (polls[0]["pending"], polls[0]["running"]) == (1, 0)
    assert (polls[1]["pending"], polls[1]["running"]) == (0, 1)
    assert (polls[-1]["succeeded"], polls[-1]["pending"], polls[-1]["running"]) == (1, 0, 0)
    json.dumps(events)
    assert events[-1][1]["outcome"] == "succeeded"


def test_result_is_json_safe_and_complete(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 5], [3, "Completed", None]]})
    data = vars(waiter.run())
    assert set(data) == {"outcome", "tasks", "elapsed", "polls", "throttled", "timeline", "succeeded", "failed",
                         "pending", "vanished", "message", "reasons", "error"}
    assert data.pop("error") is None
    assert json.loads(json.dumps(data)) == data


def test_engine_prints_nothing(fake_clock, capsys):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 5], [3, "Failed", None]]})
    waiter.run()
    assert capsys.readouterr() == ("", "")


def test_module_constants_are_what_the_docs_promise():
    assert poll_schedule.BACKOFF_FACTOR == 1.5
    assert poll_schedule.SIBLING_BOUND_FACTOR == 0.5


# ---------------------------------------------------------------------------
# scale


def random_fleet(count, seed, fail_every=0):
    rng = random.Random(seed)
    timelines = {}
    finish = {}
    for index in range(count):
        task_id = "task-%04d" % index
        start = rng.uniform(0, 10)
        end = rng.uniform(20, 300)
        final = "Failed" if fail_every and index % fail_every == fail_every - 1 else "Completed"
        timelines[task_id] = [[0, "Pending", None], [start, "Running", 0], [end, final, None]]
        finish[task_id] = end
    return timelines, finish


def test_thousand_tasks_finish_at_random_times(fake_clock):
    timelines, finish = random_fleet(1000, seed=20260101)
    waiter, cloud, _events = build(fake_clock, timelines, ids=sorted(timelines), timeout=1800)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert len(result.succeeded) == 1000
    last = max(finish.values())
    assert last <= result.elapsed <= last + 10
    # Bounded polling: never more often than poll_interval, and far fewer than one per task.
    assert result.polls <= result.elapsed + 1
    assert all(1 <= sleep <= 10 for sleep in fake_clock.sleeps)
    # Every finish is noticed within max_poll_interval.
    for task_id, end in finish.items():
        noticed = result.timeline[task_id][-1]["at"]
        assert end - 0.1 <= noticed <= end + 10.1
    sizes = [len(call["ids"]) for call in cloud.calls]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 1000


def test_thousand_tasks_fail_fast_stops_early(fake_clock):
    timelines, finish = random_fleet(1000, seed=7, fail_every=250)
    first_failure = min(end for task_id, end in finish.items() if timelines[task_id][-1][1] == "Failed")
    waiter, _cloud, _events = build(fake_clock, timelines, ids=sorted(timelines), timeout=1800)
    result = waiter.run()
    assert result.outcome == "failed"
    assert first_failure <= result.elapsed <= first_failure + 10
    assert 1 <= len(result.failed) <= 4
    assert result.pending
    assert len(result.failed) + len(result.succeeded) + len(result.pending) == 1000


# ---------------------------------------------------------------------------
# per-task schedules (services that fetch one task per request)


def run_timed_jobs(fake_clock, durations, with_progress=True, shape=None, timeout=120, **options):
    clock = type(fake_clock)()  # a fresh clock of the shared kind: a test may compare several runs
    cloud = TimedJobs(clock, durations, with_progress, shape)
    waiter = waiter_for(clock, cloud, ids=sorted(durations), timeout=timeout, **options)
    result = waiter.run()
    assert result.outcome == "succeeded", result.message
    lags = sorted(result.timeline[task_id][-1]["at"] - durations[task_id] for task_id in durations)
    return {
        "requests_per_task": sum(cloud.requests.values()) / float(len(durations)),
        "max_requests": max(cloud.requests.values()),
        "median_lag": lags[len(lags) // 2],
        "max_lag": lags[-1],
        "overrun": result.elapsed - max(durations.values()),
        "cloud": cloud,
        "clock": clock,
    }


def uniform_durations(count, low, high, seed):
    rng = random.Random(seed)
    return dict(("job-%03d" % index, rng.uniform(low, high)) for index in range(count))


@pytest.mark.parametrize("count", [10, 50])
def test_per_task_schedule_costs_fewer_requests_for_short_jobs_with_progress(fake_clock, count):
    durations = uniform_durations(count, 2, 8, seed=20261124 + count)
    shared = run_timed_jobs(fake_clock, durations)
    per_task = run_timed_jobs(fake_clock, durations, per_task_schedule=True)
    # One shared interval keeps resetting because some task changes on nearly every poll.
    assert shared["requests_per_task"] > 5
    assert per_task["requests_per_task"] <= 4.5
    assert per_task["max_requests"] <= 6
    assert per_task["median_lag"] <= 0.75
    assert per_task["max_lag"] <= 1.5
    assert per_task["overrun"] <= 1.5
    assert all(lag >= 0 for lag in (per_task["median_lag"], per_task["max_lag"]))


def test_per_task_schedule_polls_a_lone_job_without_progress_on_its_back_off(fake_clock):
    one = run_timed_jobs(fake_clock, {"solo": 6.0}, with_progress=False, per_task_schedule=True)
    assert [call["at"] for call in one["cloud"].calls] == [0, 1.5, 3.75, 7.125]


def test_per_task_schedule_status_change_does_not_restart_the_back_off(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Pending", None], [2, "Running", None], [9, "Completed", None]]},
                                   per_task_schedule=True)
    result = waiter.run()
    assert [call["at"] for call in cloud.calls] == [0, 1.5, 3.75, 7.125, 12.1875]
    assert [entry["status"] for entry in result.timeline["a"]] == ["Pending", "Running", "Completed"]


def test_per_task_schedule_intervals_count_from_when_the_poll_was_sent(fake_clock):
    # Each poll takes 0.4 s: counting from the answers would drift to 0, 1.9, 4.55, 8.325.
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [7, "Completed", None]]},
                                   per_task_schedule=True, cloud_options={"latency": 0.4})
    result = waiter.run()
    assert [call["at"] for call in cloud.calls] == [0, 1.5, 3.75, 7.125]
    assert result.outcome == "succeeded" and result.elapsed == pytest.approx(7.525)


def test_shared_schedule_intervals_count_from_when_the_poll_was_sent(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"a": [[0, "Running", None], [4, "Completed", None]]},
                                   cloud_options={"latency": 0.25})
    waiter.run()
    assert [call["at"] for call in cloud.calls] == [0, 1, 2.5, 4.75]


@pytest.mark.parametrize("count, seed", [(50, 7), (200, 11), (200, 12)])
def test_per_task_schedule_polls_a_draining_batch_closely(fake_clock, count, seed):
    # Jobs without progress: the back-off alone (0, 1.5, 3.75, 7.1, 12.2 s) would notice the last ones up to
    # 4 s late; the rate at which their siblings finish bounds every wait near the end of the batch.
    durations = uniform_durations(count, 2, 8, seed=seed)
    per_task = run_timed_jobs(fake_clock, durations, with_progress=False, per_task_schedule=True)
    shared = run_timed_jobs(fake_clock, durations, with_progress=False)
    assert shared["requests_per_task"] > 5
    assert per_task["requests_per_task"] <= 4.6
    assert per_task["max_requests"] <= 7
    assert per_task["median_lag"] <= 0.8
    assert per_task["max_lag"] <= 2
    assert per_task["overrun"] <= 1   # one poll_interval: the bound never polls a task more often
    assert all(sleep >= 1 for sleep in per_task["clock"].sleeps)


def test_per_task_schedule_straggler_returns_to_its_back_off_once_siblings_stop_finishing(fake_clock):
    durations = dict(("quick-%02d" % index, 3 + index / 100.0) for index in range(50))
    durations["straggler"] = 60.0
    run = run_timed_jobs(fake_clock, durations, with_progress=False, per_task_schedule=True)
    polls = [call["at"] for call in run["cloud"].calls if "straggler" in call["ids"]]
    last_sibling_seen = max(call["at"] for call in run["cloud"].calls if any(i.startswith("quick") for i in call["ids"]))
    gaps = [later - earlier for earlier, later in zip(polls, polls[1:])]
    # Closely while the batch drains (no gap longer than the siblings' bound) ...
    assert max(gap for at, gap in zip(polls[1:], gaps) if last_sibling_seen < at <= last_sibling_seen + 5) < 2.5
    # ... then back on its own back-off, up to max_poll_interval, within one max_poll_interval.
    late_gaps = [gap for at, gap in zip(polls[1:], gaps) if at > last_sibling_seen + 10 + 3.5]
    assert late_gaps and late_gaps == sorted(late_gaps) and late_gaps[-1] == pytest.approx(10)
    assert run["requests_per_task"] < 4 and run["cloud"].requests["straggler"] <= 20


def test_per_task_schedule_ignores_tasks_already_finished_at_their_first_sighting(fake_clock):
    durations = dict(("done-%02d" % index, 0) for index in range(50))
    durations["running"] = 10.0
    run = run_timed_jobs(fake_clock, durations, with_progress=False, per_task_schedule=True)
    assert [call["at"] for call in run["cloud"].calls] == [0, 1.5, 3.75, 7.125, 12.1875]


def test_per_task_schedule_refreshes_only_the_due_ids(fake_clock):
    timelines = {
        "fast": [[0, "Running", 0], [1.5, "Running", 50], [3, "Completed", None]],
        "slow": [[0, "Running", None], [40, "Completed", None]],
        "late": [[2, "Running", None], [40, "Completed", None]],
    }
    waiter, cloud, _events = build(fake_clock, timelines, ids=["fast", "slow", "late"], timeout=60, per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "succeeded"
    asked = [(call["at"], call["ids"]) for call in cloud.calls]
    # After fast's finish (seen at 4.5 s, its poll before at 2 s) two tasks are open and one sibling finished
    # in 2.5 s: about 5 s left each, so no task waits longer than sqrt(0.5 x 1 s x 5 s) = 1.58 s from its last poll.
    assert asked[:7] == [
        (0, ["fast", "slow", "late"]),
        (1, ["late"]),                 # fast and slow seen: back-off from the first sighting; late not visible yet
        (2, ["fast", "slow", "late"]),  # due at 1.5, but cycles are >= 1 s apart
        (3.5, ["late"]),               # late first seen at 2; fast at 50% after 2 s: estimated end at 4 s
        (4.5, ["fast", "slow"]),       # fast due at 4, slow at 4.25
        (5.5, ["late"]),               # due at 3.5 + 1.58 instead of 5.75
        (6.5, ["slow"]),               # due at 4.5 + 1.58 instead of 7.875
    ]
    assert result.timeline["fast"][-1] == {"at": 4.5, "status": "Completed", "progress": None}
    assert all(sleep >= 1 for sleep in fake_clock.sleeps)
    # Never asked for a finished task, and every id is asked for at most once per cycle.
    assert all("fast" not in ids for at, ids in asked[5:])
    assert all(len(ids) == len(set(ids)) for at, ids in asked)


def test_per_task_schedule_polls_every_open_id_at_the_deadline(fake_clock):
    timelines = {"a": [[0, "Running", None], [9.9, "Completed", None]], "b": [[0, "Running", None]]}
    waiter, cloud, _events = build(fake_clock, timelines, ids=["a", "b"], timeout=10, per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert (cloud.calls[-1]["ids"], cloud.calls[-1]["at"], cloud.calls[-1]["deadline"].at) == (["a", "b"], 10, fake_clock.start + 10)
    assert result.succeeded == ["a"] and result.pending == ["b"]


def test_per_task_schedule_missing_task_fails_after_grace_at_poll_interval(fake_clock):
    waiter, cloud, _events = build(fake_clock, {"b": [[0, "Running", None]]}, ids=["a", "b"], not_found_grace=5,
                                   per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "failed" and result.elapsed == 5
    assert [call["at"] for call in cloud.calls if "a" in call["ids"]] == [0, 1, 2, 3, 4, 5]
    assert "not found 5s after the wait started" in result.reasons["a"]


def test_per_task_schedule_shares_the_throttle_backoff(fake_clock):
    errors = dict((call, throttled()) for call in (2, 3))
    waiter, _cloud, events = build(fake_clock, {"a": [[0, "Running", None], [9, "Completed", None]]}, timeout=60,
                                   per_task_schedule=True, cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded" and result.throttled == 2
    assert fake_clock.sleeps[:3] == [1.5, 2, 4]
    assert [payload["backoff"] for kind, payload in events if kind == "throttled"] == [2, 4]


@pytest.mark.parametrize("ids", [["a", "b"], None])
def test_list_capable_mode_refreshes_every_open_id_together(fake_clock, ids):
    durations = {"a": 2.5, "b": 6.0}
    cloud = TimedJobs(fake_clock, durations)
    # Filter mode ignores per_task_schedule: one listing answers for every task.
    options = {} if ids is not None else {"per_task_schedule": True}
    waiter = waiter_for(fake_clock, cloud, ids=ids, **options)
    result = waiter.run()
    assert result.outcome == "succeeded"
    noticed = dict((task_id, result.timeline[task_id][-1]["at"]) for task_id in durations)
    assert len(cloud.calls) > 4
    for call in cloud.calls:
        if ids is None:
            assert call["ids"] is None
        else:
            assert call["ids"] == [task_id for task_id in ids if noticed[task_id] >= call["at"] - 0.05]


# ---------------------------------------------------------------------------
# long jobs with uneven progress (per-task schedule)


def uneven_progress(task_id, fraction):
    """Progress as real job APIs report it: phases of different speeds, a plateau ending in a jump, done
    from the nineties. The phase boundaries differ per job (seeded by the id)."""
    rng = random.Random(task_id)
    slow_until, plateau_until, top = rng.uniform(0.15, 0.35), rng.uniform(0.45, 0.65), rng.randint(90, 98)
    if fraction < slow_until:
        return int(10 * fraction / slow_until)                  # a slow start
    if fraction < plateau_until:
        return 10                                               # holds, then jumps
    return int(45 + (top - 45) * (fraction - plateau_until) / (1 - plateau_until))


def provider_cadence(duration):
    """Requests and lag of the Terraform provider's StateChangeConf (Delay 5 s, PollInterval 10 s)."""
    polls = 1 + max(0, -int(-(duration - 5) // 10))
    return polls, 5 + 10 * (polls - 1) - duration


def test_long_jobs_with_uneven_progress_need_half_the_providers_requests_and_lag(fake_clock):
    durations = uniform_durations(40, 60, 240, seed=20261207)
    run = run_timed_jobs(fake_clock, durations, shape=uneven_progress, timeout=600, per_task_schedule=True)
    provider = [provider_cadence(duration) for duration in durations.values()]
    provider_requests = sum(requests for requests, _lag in provider) / float(len(provider))
    provider_lags = sorted(lag for _requests, lag in provider)
    assert run["requests_per_task"] <= 0.5 * provider_requests
    assert run["median_lag"] <= 0.5 * provider_lags[len(provider_lags) // 2]
    # Waits stretched by progress stay bounded, and the last job is seen soon after it ends.
    assert run["max_lag"] <= poll_schedule.STRETCH_FACTOR * 10
    assert run["overrun"] <= 1
    assert all(sleep >= 1 - 1e-9 for sleep in run["clock"].sleeps)


def test_long_jobs_without_progress_are_never_stretched(fake_clock):
    durations = uniform_durations(20, 60, 180, seed=20261207)
    run = run_timed_jobs(fake_clock, durations, with_progress=False, timeout=600, per_task_schedule=True)
    assert run["max_lag"] <= 10 + 1e-6
    assert all(sleep <= 10 + 1e-6 for sleep in run["clock"].sleeps)
