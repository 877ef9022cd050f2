# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the deadline engine: fake clock, fake sleep, scripted refresh; no real waiting."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import random
import sys
import types

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG, SERVICES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import waiter as waiter_module
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    InvalidInput,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import (
    CompletionRules,
    Waiter,
    decode_subtask_message,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "waiter")
# A start value far from zero catches code that mixes absolute clock readings with elapsed seconds.
CLOCK_START = 5000.0


def load_fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


PHASES = load_fixture("phases.json")
SCENARIOS = load_fixture("scenarios.json")["scenarios"]


class FakeTime(object):
    """Monotonic clock that only moves when the engine sleeps (or a fake request takes time)."""

    def __init__(self, start=CLOCK_START):
        self.start = start
        self.now = start
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0, "the engine asked for a sleep of %r" % seconds
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def elapsed(self):
        return self.now - self.start


def phase_of(service, status):
    for phase, statuses in PHASES[service].items():
        if status in statuses:
            return phase
    return "unknown"


def make_task(task_id, status, progress, service="rds"):
    return {
        "id": task_id, "name": "CreateInstance", "service": service, "status": status,
        "phase": phase_of(service, status), "progress": progress,
        "instance": {"id": "inst-1", "name": "db1", "status": None},
        "created_at": None, "ended_at": None, "fail_reason": None, "subtasks": [],
        "request_id": "req-%s" % task_id, "raw": {},
    }


class ScriptedCloud(object):
    """refresh(ids, deadline) driven by per-task timelines [[at, status, progress], ...].

    ``at`` is seconds since the fake clock's start. Before a task's first entry, or while its
    current entry has status None, the task is not listed. ``errors`` maps a call number
    (1-based) to an exception to raise instead of answering; ``latency`` advances the clock
    inside each call like a slow HTTP request would.
    """

    def __init__(self, fake_time, timelines, service="rds", errors=None, latency=0.0, as_dict=False, tasks=None):
        self.time = fake_time
        self.timelines = timelines
        self.service = service
        self.errors = errors or {}
        self.latency = latency
        self.as_dict = as_dict
        self.tasks = tasks or {}
        self.calls = []
        self._made = {}  # the engine must not mutate tasks, so answers can be shared between polls

    def status_at(self, task_id, at):
        current = None
        for entry in self.timelines.get(task_id, ()):
            if entry[0] <= at:
                current = entry
            else:
                break
        return current

    def __call__(self, ids, deadline):
        self.calls.append({"ids": None if ids is None else list(ids), "at": self.time.elapsed, "deadline": deadline})
        error = self.errors.get(len(self.calls))
        if error is not None:
            raise error
        self.time.now += self.latency
        at = self.time.elapsed
        answer = []
        for task_id in (self.timelines if ids is None else ids):
            entry = self.status_at(task_id, at)
            if entry is None or entry[1] is None:
                continue
            if task_id in self.tasks:
                answer.append(self.tasks[task_id](entry))
                continue
            key = (task_id, entry[0])
            if key not in self._made:
                self._made[key] = make_task(task_id, entry[1], entry[2], self.service)
            answer.append(self._made[key])
        if self.as_dict:
            return dict((task["id"], task) for task in answer)
        return answer


def rules_for(service="rds", **overrides):
    return CompletionRules.from_phases(PHASES[service], service=service, **overrides)


def build(timelines, ids=("a",), service="rds", rules=None, cloud_options=None, **options):
    fake_time = FakeTime()
    cloud = ScriptedCloud(fake_time, timelines, service=service, **(cloud_options or {}))
    events = []
    waiter = Waiter(cloud, rules or rules_for(service), ids=None if ids is None else list(ids),
                    clock=fake_time.clock, sleep=fake_time.sleep,
                    on_event=lambda kind, payload: events.append((kind, payload)), **options)
    return waiter, cloud, fake_time, events


# ---------------------------------------------------------------------------
# scenario table


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[scenario["name"] for scenario in SCENARIOS])
def test_scenarios(scenario):
    service = scenario.get("service", "rds")
    waiter, cloud, fake_time, _events = build(
        scenario["timelines"], ids=scenario["ids"], service=service,
        rules=rules_for(service, **scenario.get("rules", {})), **scenario.get("options", {}))
    result = waiter.run()
    expect = scenario["expect"]
    assert result.outcome == expect["outcome"], result.message
    assert result.succeeded == expect["succeeded"]
    assert result.failed == expect["failed"]
    assert result.pending == expect["pending"]
    assert expect["elapsed_min"] <= result.elapsed <= expect["elapsed_max"], result.elapsed
    assert result.elapsed == pytest.approx(fake_time.elapsed)
    assert [task["id"] for task in result.tasks] == scenario["ids"]
    for task_id, text in expect.get("reason_contains", {}).items():
        assert text in result.reasons[task_id]
        assert text in result.message
    assert result.polls == len(cloud.calls)
    json.dumps(result.to_dict())


# ---------------------------------------------------------------------------
# completion rules


def test_default_rules_come_from_phases():
    rules = rules_for("servicestage")
    assert rules.target_states == ["SUCCEEDED"]
    assert rules.failure_states == ["FAILED", "CANCELLED", "PARTIALLY_FAILED", "ROLLBACKED"]
    assert rules.pending_states == ["SUBMITTED", "SCHEDULED", "RUNNING", "ROLLBACKING"]
    assert not rules.strict
    expected = {"SUCCEEDED": "target", "CANCELLED": "failure", "SCHEDULED": "pending", "ROLLBACKING": "pending",
                "SOMETHING_NEW": "pending", None: "pending"}
    assert dict((status, rules.classify(status)) for status in expected) == expected


def test_target_override_moves_status_out_of_default_failure_list():
    rules = rules_for("servicestage", target_states=["ROLLBACKED"])
    assert rules.target_states == ["ROLLBACKED"]
    assert "ROLLBACKED" not in rules.failure_states
    # SUCCEEDED is terminal and not a target any more: the task would never reach ROLLBACKED.
    assert rules.classify("SUCCEEDED") == "other_terminal"


def test_explicit_pending_states_make_rules_strict():
    rules = rules_for("rds", pending_states=["Running"])
    assert rules.strict
    assert rules.classify("Pending") == "unexpected"
    assert rules.classify("Whatever") == "unexpected"
    assert rules.classify("Running") == "pending"


@pytest.mark.parametrize("overrides, option, fragment", [
    ({"target_states": ["Done"]}, "target_states", "'Done' is not a status of rds; allowed: Pending, Running, Completed, Failed"),
    ({"failure_states": ["failed"]}, "failure_states", "did you mean 'Failed'?"),
    ({"pending_states": ["running"]}, "pending_states", "statuses are case-sensitive: did you mean 'Running'?"),
    ({"target_states": []}, "target_states", "no target status to wait for"),
    ({"target_states": ["Completed"], "failure_states": ["Completed"]}, "target_states", "both list 'Completed'"),
    ({"target_states": 5}, "target_states", "expected a list of statuses"),
])
def test_override_validation(overrides, option, fragment):
    with pytest.raises(InvalidInput) as caught:
        rules_for("rds", **overrides)
    assert fragment in str(caught.value)
    assert caught.value.option in (option, "failure_states")
    if "allowed:" in fragment or "did you mean" in fragment:
        assert caught.value.option == option
        assert caught.value.allowed == ["Pending", "Running", "Completed", "Failed"]


def test_overlap_error_names_both_options():
    with pytest.raises(InvalidInput) as caught:
        rules_for("rds", target_states=["Completed"], failure_states=["Completed"])
    assert "failure_states and target_states" in str(caught.value)


def test_for_service_reads_the_catalog(monkeypatch):
    monkeypatch.setitem(CATALOG, "fake", {"phases": {"running": ["Busy"], "succeeded": ["Done"], "failed": ["Broken"]}})
    rules = CompletionRules.for_service("fake")
    assert rules.service == "fake" and rules.target_states == ["Done"] and rules.pending_states == ["Busy"]
    with pytest.raises(InvalidInput) as caught:
        CompletionRules.for_service("ecs")
    assert caught.value.option == "service"
    assert caught.value.allowed == list(SERVICES)


# ---------------------------------------------------------------------------
# engine argument validation


@pytest.mark.parametrize("options, option", [
    ({"timeout": 0}, "timeout"),
    ({"timeout": "-5m"}, "timeout"),
    ({"timeout": "soon"}, "timeout"),
    ({"delay": -1}, "delay"),
    ({"poll_interval": 0}, "poll_interval"),
    ({"poll_interval": -2}, "poll_interval"),
    ({"poll_interval": 20, "max_poll_interval": 10}, "max_poll_interval"),
    ({"max_poll_interval": "x"}, "max_poll_interval"),
    ({"not_found_grace": -1}, "not_found_grace"),
    ({"stable_for": 0}, "stable_for"),
    ({"stable_for": 1.5}, "stable_for"),
    ({"stable_for": True}, "stable_for"),
    ({"mode": "some"}, "mode"),
    ({"fail_fast": "yes"}, "fail_fast"),
    ({"ids": "a,b,"}, None),
    ({"ids": ["a", ""]}, "ids"),
    ({"ids": [1]}, "ids"),
    ({"ids": {"a": 1}}, "ids"),
    ({"on_event": "print"}, "on_event"),
])
def test_bad_engine_arguments_are_rejected_before_any_refresh(options, option):
    calls = []
    kwargs = dict(ids=["a"], clock=lambda: 0.0, sleep=lambda seconds: None)
    kwargs.update(options)
    if option is None:
        # A single string is accepted as one id; the commas are part of it.
        waiter = Waiter(lambda ids, deadline: calls.append(ids) or [], rules_for(), **kwargs)
        assert waiter._ids == ["a,b,"]
        return
    with pytest.raises(InvalidInput) as caught:
        Waiter(lambda ids, deadline: calls.append(ids) or [], rules_for(), **kwargs)
    assert caught.value.option == option
    assert option in str(caught.value)
    assert calls == []


def test_mode_error_lists_allowed_values():
    with pytest.raises(InvalidInput) as caught:
        Waiter(lambda ids, deadline: [], rules_for(), ids=["a"], mode="first")
    assert caught.value.allowed == ["all", "any"]


def test_rules_must_be_completion_rules():
    with pytest.raises(InvalidInput) as caught:
        Waiter(lambda ids, deadline: [], {"target": ["Completed"]}, ids=["a"])
    assert caught.value.option == "rules"


def test_duration_strings_are_accepted_for_engine_options():
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", 0]]}, timeout="1m30s", delay="5s",
                                               poll_interval="2", max_poll_interval="0.5m")
    result = waiter.run()
    assert result.outcome == "timeout"
    assert fake_time.elapsed == 90
    assert fake_time.sleeps[0] == 5
    assert min(fake_time.sleeps[1:]) >= 2 and max(fake_time.sleeps) <= 30


# ---------------------------------------------------------------------------
# deadline, delay, stability


def test_task_finishing_in_the_poll_exactly_at_the_deadline_counts():
    waiter, cloud, fake_time, _events = build({"a": [[0, "Running", None], [10, "Completed", None]]}, timeout=10)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.elapsed == 10
    assert cloud.calls[-1]["at"] == 10
    assert sum(fake_time.sleeps) == 10


def test_task_finishing_just_after_the_deadline_times_out_without_oversleeping():
    waiter, cloud, fake_time, _events = build({"a": [[0, "Running", None], [10.5, "Completed", None]]}, timeout=10)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert result.elapsed == 10
    assert cloud.calls[-1]["at"] == 10, "a final poll runs right at the deadline"
    assert result.pending == ["a"]


def test_short_remainder_before_the_deadline_still_gets_a_final_poll():
    # Polls every second until 10 s, then only 0.25 s remain: sleep exactly that and poll once more.
    waiter, cloud, fake_time, _events = build({"a": [[0, "Running", None], [10.1, "Completed", None]]},
                                              timeout=10.25, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert fake_time.sleeps[-1] == 0.25
    assert [call["at"] for call in cloud.calls][-2:] == [10, 10.25]


def test_every_refresh_gets_the_same_absolute_deadline():
    waiter, cloud, _fake_time, _events = build({"a": [[0, "Running", 5], [30, "Completed", None]]}, timeout=100)
    waiter.run()
    assert set(call["deadline"] for call in cloud.calls) == {CLOCK_START + 100}


def test_slow_refresh_past_the_deadline_still_counts_what_it_saw():
    # The request starts before the deadline and answers after it: its answer is still used.
    waiter, cloud, _fake_time, _events = build({"a": [[0, "Running", None], [9, "Completed", None]]}, timeout=10,
                                               cloud_options={"latency": 3.0})
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.elapsed > 10


def test_delay_is_honoured_before_the_first_poll():
    waiter, cloud, fake_time, _events = build({"a": [[0, "Running", None], [6, "Completed", None]]}, delay=5)
    result = waiter.run()
    assert fake_time.sleeps[0] == 5
    assert cloud.calls[0]["at"] == 5
    assert result.outcome == "succeeded"


def test_delay_longer_than_timeout_still_polls_once_at_the_deadline():
    waiter, cloud, _fake_time, _events = build({"a": [[0, "Running", None], [8, "Completed", None]]}, delay=60, timeout=10)
    result = waiter.run()
    assert [call["at"] for call in cloud.calls] == [10]
    assert result.outcome == "succeeded"


def test_stable_for_needs_consecutive_target_polls_and_flapping_resets():
    timeline = [[0, "Running", 10], [2, "Completed", None], [3, "Running", 90], [4, "Completed", None]]
    waiter, cloud, _fake_time, _events = build({"a": timeline}, stable_for=3, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "succeeded"
    # Completed at 2, flaps back at 3, then Completed at 4, 5, 6: the third consecutive sighting ends the wait.
    assert result.elapsed == 6
    assert [entry["status"] for entry in result.timeline["a"]] == ["Running", "Completed", "Running", "Completed"]
    assert all(call["ids"] == ["a"] for call in cloud.calls), "a task at target keeps being refreshed until stable"


def test_stable_for_timeout_reports_stability_progress():
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", 1], [8, "Completed", None]]}, stable_for=3,
                                                timeout=9, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert "(at target, 2 of 3 stable polls)" in result.message


# ---------------------------------------------------------------------------
# not found and filter mode


def test_not_found_within_grace_is_pending_with_a_note():
    waiter, cloud, _fake_time, _events = build({"a": [[100, "Running", 0]]}, timeout=10, not_found_grace=30)
    result = waiter.run()
    assert result.outcome == "timeout"
    task = result.tasks[0]
    assert (task["id"], task["phase"], task["status"], task["note"]) == ("a", "pending", None, "not visible yet")
    assert "a not visible yet" in result.message


def test_not_found_after_grace_message_is_exact():
    waiter, _cloud, _fake_time, _events = build({}, not_found_grace=30, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "failed"
    assert result.elapsed == 30
    assert result.reasons["a"] == "task a was not found 30s after the wait started (not_found_grace=30)."
    assert result.tasks[0]["phase"] == "unknown" and result.tasks[0]["note"] == "not found"


def test_zero_grace_fails_a_missing_task_on_the_first_poll():
    waiter, cloud, _fake_time, _events = build({}, not_found_grace=0)
    result = waiter.run()
    assert result.outcome == "failed" and len(cloud.calls) == 1


def test_filter_mode_with_no_matching_task_succeeds_at_once():
    waiter, cloud, fake_time, _events = build({}, ids=None)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.tasks == [] and result.polls == 1
    assert fake_time.sleeps == []
    assert cloud.calls[0]["ids"] is None
    assert result.message == "nothing to wait for: no matching task"


def test_filter_mode_follows_new_and_vanished_tasks():
    timelines = {
        "a": [[0, "Running", 10], [5, "Completed", None]],
        "b": [[0, "Running", 10], [8, None, None]],
        "c": [[3, "Running", 0], [12, "Completed", None]],
    }
    waiter, cloud, _fake_time, _events = build(timelines, ids=None, max_poll_interval=2)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert [task["id"] for task in result.tasks] == ["a", "b", "c"]
    assert result.succeeded == ["a", "c"] and result.vanished == ["b"]
    assert result.elapsed >= 12
    assert all(call["ids"] is None for call in cloud.calls)
    assert "no longer listed" in result.tasks[1]["note"]


def test_empty_id_list_has_nothing_to_wait_for():
    waiter, cloud, _fake_time, _events = build({}, ids=[])
    result = waiter.run()
    assert result.outcome == "succeeded" and cloud.calls == []
    assert "nothing to wait for" in result.message


def test_duplicate_ids_are_waited_for_once_and_refresh_gets_only_open_ids():
    timelines = {"a": [[0, "Running", 0], [2, "Completed", None]], "b": [[0, "Running", 0], [6, "Completed", None]]}
    waiter, cloud, _fake_time, _events = build(timelines, ids=["a", "b", "a"])
    result = waiter.run()
    assert [task["id"] for task in result.tasks] == ["a", "b"]
    assert cloud.calls[0]["ids"] == ["a", "b"]
    assert cloud.calls[-1]["ids"] == ["b"]


def test_refresh_may_return_a_dict_keyed_by_id():
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", 0], [2, "Completed", None]]},
                                                cloud_options={"as_dict": True})
    assert waiter.run().outcome == "succeeded"


# ---------------------------------------------------------------------------
# adaptive polling


def test_interval_backs_off_while_nothing_changes_and_stays_in_bounds():
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None]]}, timeout=120)
    waiter.run()
    sleeps = fake_time.sleeps
    assert sleeps[:5] == [1, 1.5, 2.25, 3.375, 5.0625]
    assert all(1 <= sleep <= 10 for sleep in sleeps[:-1])
    assert 10 in sleeps
    assert sum(sleeps) == 120


def test_interval_resets_to_poll_interval_on_status_change():
    timeline = [[0, "Pending", None], [20, "Running", None], [200, "Completed", None]]
    waiter, cloud, fake_time, _events = build({"a": timeline}, timeout=300)
    waiter.run()
    change_poll = next(index for index, call in enumerate(cloud.calls) if call["at"] >= 20)
    assert fake_time.sleeps[change_poll - 1] > 1, "backed off before the change"
    assert fake_time.sleeps[change_poll] == 1, "reset right after the change"
    assert fake_time.sleeps[change_poll + 1] == 1.5


def test_progress_alone_does_not_reset_but_speeds_up_near_the_estimated_end():
    # Progress grows 1% per second; the task completes at 100 s.
    timeline = [[second, "Running", second] for second in range(100)] + [[100, "Completed", None]]
    waiter, cloud, fake_time, _events = build({"a": timeline}, timeout=600)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert 10 in fake_time.sleeps, "far from the end the interval backs off to the maximum"
    for call, sleep in zip(cloud.calls, fake_time.sleeps):
        remaining = 100 - int(call["at"])
        assert sleep <= max(1, remaining) + 1, (call["at"], sleep)
    # Without the estimate the last poll could land up to 10 s late.
    assert result.elapsed <= 101


def test_typical_duration_shortens_the_wait_without_progress():
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None], [60, "Completed", None]]}, timeout=600,
                                               rules=rules_for("rds", typical_duration="1m"))
    result = waiter.run()
    assert result.elapsed <= 61
    assert all(1 <= sleep <= 10 for sleep in fake_time.sleeps)


def test_typical_duration_uses_created_at_with_a_wall_clock():
    def with_created_at(entry):
        task = make_task("a", entry[1], entry[2])
        task["created_at"] = "2026-01-01T00:00:00Z"
        return task

    fake_time = FakeTime()
    cloud = ScriptedCloud(fake_time, {"a": [[0, "Running", None], [10, "Completed", None]]}, tasks={"a": with_created_at})
    created_epoch = 1767225600  # 2026-01-01T00:00:00Z
    waiter = Waiter(cloud, rules_for("rds", typical_duration=60), ids=["a"], clock=fake_time.clock, sleep=fake_time.sleep,
                    wall_clock=lambda: created_epoch + 50 + fake_time.elapsed)
    result = waiter.run()
    # Backs off 1, 1.5, 2.25, 3.375 (t=8.125), then sleeps only until the estimated end at t=10.
    assert fake_time.sleeps == [1, 1.5, 2.25, 3.375, 1.875]
    assert result.elapsed == 10


def test_overdue_estimate_falls_back_to_back_off():
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None]]}, timeout=200,
                                               rules=rules_for("rds", typical_duration=5))
    waiter.run()
    assert fake_time.sleeps[-2] == 10


# ---------------------------------------------------------------------------
# throttling and errors


def throttled(retry_after=None):
    error = Throttled(status=429, error_code="APIGW.0308", error_msg="policy user over ratelimit", service="rds")
    if retry_after is not None:
        error.retry_after = retry_after
    return error


def test_throttling_doubles_a_shared_backoff_then_succeeds():
    errors = dict((call, throttled()) for call in (2, 3, 4))
    waiter, cloud, fake_time, events = build({"a": [[0, "Running", None], [5, "Completed", None]]},
                                             cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert result.throttled == 3
    assert result.polls == len(cloud.calls) - 3
    assert fake_time.sleeps[:4] == [1, 2, 4, 8]
    # After throttling the floor halves per successful poll instead of snapping back to 1 s.
    assert [payload["backoff"] for kind, payload in events if kind == "throttled"] == [2, 4, 8]


def test_throttle_backoff_is_capped_at_three_max_intervals():
    errors = dict((call, throttled()) for call in range(2, 12))
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None], [5, "Completed", None]]}, timeout=3600,
                                               cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert max(fake_time.sleeps) == 30
    assert fake_time.sleeps[1:7] == [2, 4, 8, 16, 30, 30]


def test_throttle_honours_retry_after_hint():
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None], [5, "Completed", None]]},
                                               cloud_options={"errors": {2: throttled(retry_after=7)}})
    assert waiter.run().outcome == "succeeded"
    assert fake_time.sleeps[1] == 7


def test_throttled_until_the_deadline_times_out():
    errors = dict((call, throttled()) for call in range(2, 100))
    waiter, _cloud, fake_time, _events = build({"a": [[0, "Running", None]]}, timeout=20, cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "timeout" and result.elapsed == 20
    assert sum(fake_time.sleeps) == 20


def test_other_api_errors_propagate():
    error = ApiError(status=500, error_code="DBS.01", error_msg="boom", service="rds")
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", None]]}, cloud_options={"errors": {2: error}})
    with pytest.raises(ApiError) as caught:
        waiter.run()
    assert caught.value is error


def test_wait_timeout_from_the_client_ends_as_timeout():
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", 40]]},
                                                cloud_options={"errors": {3: WaitTimeout("deadline reached")}})
    result = waiter.run()
    assert result.outcome == "timeout"
    assert "Running 40%" in result.message


# ---------------------------------------------------------------------------
# reports


def test_timeout_message_lists_unfinished_tasks_with_last_change():
    timelines = {
        "t1": [[0, "Running", 10], [20, "Completed", None]],
        "t2": [[0, "Running", 50], [48, "Running", 62]],
        "t3": [[0, "Running", 5], [30, "Completed", None]],
    }
    waiter, _cloud, _fake_time, _events = build(timelines, ids=["t1", "t2", "t3"], timeout=120, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert result.message == ("timed out after 2m0s: 1 of 3 tasks unfinished: "
                              "rds CreateInstance t2 Running 62% (unchanged for 1m12s)")
    assert result.reasons == {"t2": "rds CreateInstance t2 Running 62% (unchanged for 1m12s)"}


def test_timeout_message_truncates_long_lists():
    timelines = dict(("t%d" % index, [[0, "Running", index]]) for index in range(8))
    waiter, _cloud, _fake_time, _events = build(timelines, ids=sorted(timelines), timeout=10)
    result = waiter.run()
    assert "8 of 8 tasks unfinished" in result.message
    assert result.message.endswith(", and 3 more")
    assert len(result.reasons) == 8


def test_failure_message_has_reason_subtask_message_and_request_id():
    job = load_fixture("cas_failed_job.json")
    job_id = job["running"]["id"]
    fake_time = FakeTime()
    cloud = ScriptedCloud(fake_time, {job_id: [[0, "RUNNING", 60], [42, "FAILED", None]]}, service="servicestage",
                          tasks={job_id: lambda entry: copy.deepcopy(job["running" if entry[1] == "RUNNING" else "failed"])})
    waiter = Waiter(cloud, rules_for("servicestage"), ids=[job_id], clock=fake_time.clock, sleep=fake_time.sleep,
                    max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "failed"
    assert result.message == (
        "1 of 1 tasks failed after 42s: servicestage provision/provMain JOB474362ef-091d-429f-9b3e-c9246b37dee6 "
        "failed with status FAILED at 60% after 42s (ran 35s); reason: Deployment step TN00097 failed; "
        "sub-task TN00097 failed: ECC00011: Building failed; request id 5e1f0a9b7c3d4e2f8a6b1c0d9e8f7a6b.")
    assert result.reasons[job_id] in result.message


def test_failure_message_mentions_tasks_left_by_fail_fast():
    timelines = {"a": [[0, "Running", 1], [2, "Failed", None]], "b": [[0, "Running", 1]], "c": [[0, "Running", 1]]}
    waiter, _cloud, _fake_time, _events = build(timelines, ids=["a", "b", "c"])
    result = waiter.run()
    assert result.message.startswith("1 of 3 tasks failed after 2.5s: rds CreateInstance a failed with status Failed at 1%")
    assert "request id req-a" in result.message
    assert result.message.endswith("Stopped at the first failure (fail_fast): 2 tasks still unfinished.")


def test_many_failures_are_summarised():
    timelines = dict(("f%d" % index, [[0, "Running", 1], [1, "Failed", None]]) for index in range(7))
    waiter, _cloud, _fake_time, _events = build(timelines, ids=sorted(timelines))
    result = waiter.run()
    assert result.message.startswith("7 of 7 tasks failed")
    assert result.message.endswith("And 2 more failed.")
    assert len(result.reasons) == 7


@pytest.mark.parametrize("message, expected", [
    ('{ "Message" : "ECC00011", "Detail" : "Building failed." }', "ECC00011: Building failed."),
    ({"Message": "ECC00011", "Detail": "Building failed."}, "ECC00011: Building failed."),
    ("{}", ""),
    ("", ""),
    (None, ""),
    ("plain text", "plain text"),
    ("{not json", "{not json"),
    ({"detail": "only detail"}, "only detail"),
    ({"foo": "bar"}, "foo=bar"),
    ([{"Message": "A"}, {"Message": "B"}], "A; B"),
])
def test_decode_subtask_message(message, expected):
    assert decode_subtask_message(message) == expected


def test_timeline_records_changes_only_and_events_are_json_safe():
    timeline = [[0, "Pending", None], [1, "Running", 10], [4, "Running", 50], [9, "Completed", None]]
    waiter, _cloud, _fake_time, events = build({"a": timeline}, max_poll_interval=1)
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


def test_result_to_dict_is_json_safe_and_complete():
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", 5], [3, "Completed", None]]})
    data = waiter.run().to_dict()
    assert set(data) == {"outcome", "tasks", "elapsed", "polls", "throttled", "timeline", "succeeded", "failed",
                         "pending", "vanished", "message", "reasons"}
    assert json.loads(json.dumps(data)) == data


def test_engine_prints_nothing(capsys):
    waiter, _cloud, _fake_time, _events = build({"a": [[0, "Running", 5], [3, "Failed", None]]})
    waiter.run()
    assert capsys.readouterr() == ("", "")


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


def test_thousand_tasks_finish_at_random_times():
    timelines, finish = random_fleet(1000, seed=20260101)
    waiter, cloud, fake_time, _events = build(timelines, ids=sorted(timelines), timeout=1800)
    result = waiter.run()
    assert result.outcome == "succeeded"
    assert len(result.succeeded) == 1000
    last = max(finish.values())
    assert last <= result.elapsed <= last + 10
    # Bounded polling: never more often than poll_interval, and far fewer than one per task.
    assert result.polls <= result.elapsed + 1
    assert all(1 <= sleep <= 10 for sleep in fake_time.sleeps)
    # Every finish is noticed within max_poll_interval.
    for task_id, end in finish.items():
        noticed = result.timeline[task_id][-1]["at"]
        assert end - 0.1 <= noticed <= end + 10.1
    sizes = [len(call["ids"]) for call in cloud.calls]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 1000


def test_thousand_tasks_fail_fast_stops_early():
    timelines, finish = random_fleet(1000, seed=7, fail_every=250)
    first_failure = min(end for task_id, end in finish.items() if timelines[task_id][-1][1] == "Failed")
    waiter, _cloud, _fake_time, _events = build(timelines, ids=sorted(timelines), timeout=1800)
    result = waiter.run()
    assert result.outcome == "failed"
    assert first_failure <= result.elapsed <= first_failure + 10
    assert 1 <= len(result.failed) <= 4
    assert result.pending
    assert len(result.failed) + len(result.succeeded) + len(result.pending) == 1000


def test_module_constants_are_what_the_docs_promise():
    assert waiter_module.MODES == ("all", "any")
    assert waiter_module.BACKOFF_FACTOR == 1.5


# ---------------------------------------------------------------------------
# per-task schedules (services that fetch one task per request)


class TimedJobs(object):
    """refresh(ids, deadline) for jobs that run from t=0 to their duration; counts the requests per id.

    ``with_progress`` reports progress rising linearly (whole percents, like the APIs); otherwise
    progress is None, as ServiceStage CAS reports it.
    """

    def __init__(self, fake_time, durations, with_progress=True):
        self.time = fake_time
        self.durations = durations
        self.with_progress = with_progress
        self.calls = []
        self.requests = dict((task_id, 0) for task_id in durations)

    def __call__(self, ids, deadline):
        self.calls.append({"ids": None if ids is None else list(ids), "at": self.time.elapsed})
        at = self.time.elapsed
        answer = []
        for task_id in (sorted(self.durations) if ids is None else ids):
            self.requests[task_id] += 1
            duration = self.durations[task_id]
            if at >= duration:
                answer.append(make_task(task_id, "Completed", 100))
            else:
                answer.append(make_task(task_id, "Running", int(100 * at / duration) if self.with_progress else None))
        return answer


def run_timed_jobs(durations, with_progress=True, **options):
    fake_time = FakeTime()
    cloud = TimedJobs(fake_time, durations, with_progress)
    waiter = Waiter(cloud, rules_for("rds"), ids=sorted(durations), clock=fake_time.clock, sleep=fake_time.sleep,
                    timeout=120, **options)
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
        "fake_time": fake_time,
    }


def uniform_durations(count, low, high, seed):
    rng = random.Random(seed)
    return dict(("job-%03d" % index, rng.uniform(low, high)) for index in range(count))


@pytest.mark.parametrize("count", [10, 50])
def test_per_task_schedule_costs_fewer_requests_for_short_jobs_with_progress(count):
    durations = uniform_durations(count, 2, 8, seed=20261124 + count)
    shared = run_timed_jobs(durations)
    per_task = run_timed_jobs(durations, per_task_schedule=True)
    # One shared interval keeps resetting because some task changes on nearly every poll.
    assert shared["requests_per_task"] > 5
    assert per_task["requests_per_task"] <= 4.5
    assert per_task["max_requests"] <= 6
    assert per_task["median_lag"] <= 0.75
    assert per_task["max_lag"] <= 1.5
    assert per_task["overrun"] <= 1.5
    assert all(lag >= 0 for lag in (per_task["median_lag"], per_task["max_lag"]))


def test_per_task_schedule_without_progress_is_a_pure_back_off():
    durations = uniform_durations(50, 2, 8, seed=7)
    shared = run_timed_jobs(durations, with_progress=False)
    per_task = run_timed_jobs(durations, with_progress=False, per_task_schedule=True)
    # Each job is polled at 0, 1, 2.5, 4.75, 8.125 s: a 2-8 s job costs 3 to 5 requests.
    assert shared["requests_per_task"] > 5
    assert per_task["max_requests"] <= 5
    assert per_task["requests_per_task"] <= 4.6
    # Worst gap 4.75 -> 8.125 s, plus up to one poll_interval when the due time falls between cycles.
    assert per_task["max_lag"] <= 8.125 - 4.75 + 1
    assert per_task["overrun"] <= 1
    one = run_timed_jobs({"solo": 6.0}, with_progress=False, per_task_schedule=True)
    assert [call["at"] for call in one["cloud"].calls] == [0, 1, 2.5, 4.75, 8.125]


def test_per_task_schedule_without_progress_uses_typical_duration():
    fake_time = FakeTime()
    cloud = TimedJobs(fake_time, {"solo": 6.0}, with_progress=False)
    waiter = Waiter(cloud, rules_for("rds", typical_duration=6), ids=["solo"], clock=fake_time.clock,
                    sleep=fake_time.sleep, per_task_schedule=True)
    assert waiter.run().outcome == "succeeded"
    # The back-off would poll at 8.125; the expected finish brings the last poll to 6 s.
    assert [call["at"] for call in cloud.calls] == [0, 1, 2.5, 4.75, 6]


def test_per_task_schedule_refreshes_only_the_due_ids():
    timelines = {
        "fast": [[0, "Running", 0], [1.5, "Running", 50], [3, "Completed", None]],
        "slow": [[0, "Running", None], [40, "Completed", None]],
        "late": [[2, "Running", None], [40, "Completed", None]],
    }
    waiter, cloud, fake_time, _events = build(timelines, ids=["fast", "slow", "late"], timeout=60, per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "succeeded"
    asked = [(call["at"], call["ids"]) for call in cloud.calls]
    assert asked[:9] == [
        (0, ["fast", "slow", "late"]),
        (1, ["slow", "late"]),     # slow has no progress: its back-off starts a poll later; late is not visible yet
        (2, ["fast", "late"]),     # fast was due at 1.5 (back-off from its first poll), cycles are >= 1 s apart
        (3, ["slow", "late"]),     # fast at 50% after 2 s: estimated end at 4 s; late first seen at 2
        (4, ["fast"]),
        (5, ["late"]),             # due at 4.5
        (6, ["slow"]),             # due at 5.25
        (7.25, ["late"]),
        (9.375, ["slow"]),
    ]
    assert result.timeline["fast"][-1] == {"at": 4.0, "status": "Completed", "progress": None}
    assert all(sleep >= 1 for sleep in fake_time.sleeps)
    # Never asked for a finished task, and every id is asked for at most once per cycle.
    assert all("fast" not in ids for at, ids in asked[5:])
    assert all(len(ids) == len(set(ids)) for at, ids in asked)


def test_per_task_schedule_polls_every_open_id_at_the_deadline():
    timelines = {"a": [[0, "Running", None], [9.9, "Completed", None]], "b": [[0, "Running", None]]}
    waiter, cloud, _fake_time, _events = build(timelines, ids=["a", "b"], timeout=10, per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert cloud.calls[-1] == {"ids": ["a", "b"], "at": 10, "deadline": CLOCK_START + 10}
    assert result.succeeded == ["a"] and result.pending == ["b"]


def test_per_task_schedule_missing_task_fails_after_grace_at_poll_interval():
    waiter, cloud, _fake_time, _events = build({"b": [[0, "Running", None]]}, ids=["a", "b"], not_found_grace=5,
                                               per_task_schedule=True)
    result = waiter.run()
    assert result.outcome == "failed" and result.elapsed == 5
    assert [call["at"] for call in cloud.calls if "a" in call["ids"]] == [0, 1, 2, 3, 4, 5]
    assert "not found 5s after the wait started" in result.reasons["a"]


def test_per_task_schedule_shares_the_throttle_backoff():
    errors = dict((call, throttled()) for call in (2, 3))
    waiter, _cloud, fake_time, events = build({"a": [[0, "Running", None], [9, "Completed", None]]}, timeout=60,
                                              per_task_schedule=True, cloud_options={"errors": errors})
    result = waiter.run()
    assert result.outcome == "succeeded" and result.throttled == 2
    assert fake_time.sleeps[:3] == [1, 2, 4]
    assert [payload["backoff"] for kind, payload in events if kind == "throttled"] == [2, 4]


@pytest.mark.parametrize("ids", [["a", "b"], None])
def test_list_capable_mode_refreshes_every_open_id_together(ids):
    durations = {"a": 2.5, "b": 6.0}
    fake_time = FakeTime()
    cloud = TimedJobs(fake_time, durations)
    # Filter mode ignores per_task_schedule: one listing answers for every task.
    options = {} if ids is not None else {"per_task_schedule": True}
    waiter = Waiter(cloud, rules_for("rds"), ids=ids, clock=fake_time.clock, sleep=fake_time.sleep, **options)
    result = waiter.run()
    assert result.outcome == "succeeded"
    noticed = dict((task_id, result.timeline[task_id][-1]["at"]) for task_id in durations)
    assert len(cloud.calls) > 4
    for call in cloud.calls:
        if ids is None:
            assert call["ids"] is None
        else:
            assert call["ids"] == [task_id for task_id in ids if noticed[task_id] >= call["at"] - 0.05]


def test_per_task_schedule_must_be_a_boolean():
    with pytest.raises(InvalidInput) as caught:
        Waiter(lambda ids, deadline: [], rules_for(), ids=["a"], per_task_schedule="yes")
    assert caught.value.option == "per_task_schedule"
    assert caught.value.allowed == [True, False]
