# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_runner: option checks, the glue to TaskService/Waiter, expect post-processing, progress lines.

No HTTP here: TaskService is replaced by a scripted fake and time by a fake clock.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import yaml
import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import wait_runner
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import per_task_schedule
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, AuthError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import (
    ProgressReporter,
    argument_spec,
    plan_wait,
    run_wait,
)
from ansible_collections.taskgate.huaweicloud.plugins.modules import wait_for_task

NOW = 1767225600.0  # 2026-01-01T00:00:00Z
BASE = {"service": "rds", "id": ["job-1"], "auth_token": "unit-test-token", "region": "ap-southeast-1",
        "project_id": "p" * 32, "endpoints": {"rds": "http://127.0.0.1:9/rds"}}


class FakeClock(object):
    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class ExplodingSession(object):
    """A requests.Session stand-in that fails the test if anything is sent."""

    def request(self, *args, **kwargs):
        raise AssertionError("a request was sent: %r %r" % (args, kwargs))

    def close(self):
        pass


def params(**changes):
    merged = dict(BASE)
    merged.update(changes)
    return dict((key, value) for key, value in merged.items() if value is not None)


# ---------------------------------------------------------------------------
# the argument spec is what DOCUMENTATION says (validate-modules checks the same, slower)


def test_argument_spec_matches_documentation():
    documented = yaml.safe_load(wait_for_task.DOCUMENTATION)["options"]
    spec = argument_spec()
    own = dict((name, option) for name, option in spec.items() if name in documented)
    assert sorted(own) == sorted(documented), "every own option is documented, and only those"
    for name, option in own.items():
        doc = documented[name]
        assert doc["type"] == option["type"], name
        assert doc.get("default") == option.get("default"), name
        assert doc.get("choices") == option.get("choices"), name
        assert doc.get("elements") == option.get("elements"), name
        assert bool(doc.get("required")) == bool(option.get("required")), name


def assert_keys_documented(result):
    undocumented = set(result) - {"changed", "failed"} - set(yaml.safe_load(wait_for_task.RETURN))
    assert not undocumented, "RETURN does not document %s" % sorted(undocumented)


def test_return_documents_every_result_key():
    clock = FakeClock()
    service = FakeTaskService([{"job-1": task("job-1", "Completed")}])
    assert_keys_documented(run_with(service, clock, params(expect=[{"path": "name", "equals": "Nope", "severity": "warn"}])))


# ---------------------------------------------------------------------------
# option checks: each bad value names its option, no I/O


BAD_OPTIONS = [
    ("service", {"service": "nosql"}, "geminidb, rds, ddm, servicestage"),
    ("id", {"id": 42}, "task id"),
    ("id", {"id": ["ok", ""]}, "non-empty"),
    ("id", {"status": "Running"}, "mutually exclusive"),
    ("id", {"id": None}, "give id, or at least one filter of status, name, instance_id"),
    ("timeout", {"timeout": "abc"}, "90s, 30m, 1h30m"),
    ("timeout", {"timeout": "-1"}, "negative"),
    ("timeout", {"timeout": "0s"}, "more than 0"),
    ("deadline", {"deadline": "soon"}, "ISO 8601"),
    ("deadline", {"deadline": 1767225600000}, "milliseconds"),
    ("mode", {"mode": "first"}, "all, any"),
    ("fail_fast", {"fail_fast": "yes"}, "true or false"),
    ("progress", {"progress": 1}, "true or false"),
    ("target_states", {"target_states": ["Done"]}, "allowed: Running, Completed, Failed"),
    ("target_states", {"target_states": ["completed"]}, "did you mean 'Completed'"),
    ("target_states", {"failure_states": ["Completed"], "target_states": ["Completed"]}, "only be in one"),
    ("expect", {"expect": [{"path": "status"}]}, "exactly one of equals, in, matches"),
    ("expect", {"expect": {"path": "status", "equals": "x"}}, "must be a list"),
]


@pytest.mark.parametrize("option, change, fragment", BAD_OPTIONS, ids=["%s=%r" % row[:2] for row in BAD_OPTIONS])
def test_plan_rejects_bad_options(option, change, fragment):
    with pytest.raises(InvalidInput) as info:
        plan_wait(params(**change), wall_clock=lambda: NOW)
    assert info.value.option == option
    assert fragment in str(info.value)


# Checked by Waiter/TaskService/ClientConfig: run_wait must still fail before sending anything.
BAD_LATE_OPTIONS = [
    ("delay", {"delay": -1}),
    ("poll_interval", {"poll_interval": 0}),
    ("max_poll_interval", {"max_poll_interval": 0.5}),   # below poll_interval (1)
    ("not_found_grace", {"not_found_grace": -3}),
    ("stable_for", {"stable_for": 0}),
    ("status", {"id": None, "status": "Paused"}),
    ("status", {"service": "ddm", "id": None, "status": "Running"}),
    ("auth_token", {"auth_token": None}),
    ("endpoints", {"endpoints": {"rdss": "http://127.0.0.1:9"}}),
]


@pytest.mark.parametrize("option, change", BAD_LATE_OPTIONS, ids=["%s=%r" % row for row in BAD_LATE_OPTIONS])
def test_run_rejects_bad_options_before_any_request(option, change):
    clock = FakeClock()
    with pytest.raises(InvalidInput) as info:
        run_wait(params(**change), clock=clock, sleep=clock.sleep, wall_clock=lambda: NOW, session=ExplodingSession())
    assert info.value.option == option, str(info.value)
    assert option in str(info.value)
    assert clock.sleeps == []


def test_plan_accepts_a_single_id_string_and_dedups():
    plan = plan_wait(params(id=["a", "b", "a"]), wall_clock=lambda: NOW)
    assert plan.ids == ["a", "b"]
    assert plan_wait(params(id="solo"), wall_clock=lambda: NOW).ids == ["solo"]


@pytest.mark.parametrize("timeout, deadline, expected", [
    ("30m", None, NOW + 1800),
    (90, None, NOW + 90),
    ("1h30m", "2026-01-01T00:10:00Z", NOW + 600),       # the earlier deadline wins
    ("5m", NOW + 3600, NOW + 300),                       # the earlier timeout wins
    ("5m", str(int(NOW + 60)), NOW + 60),                # epoch seconds as text
])
def test_deadline_is_the_earlier_of_timeout_and_deadline(timeout, deadline, expected):
    plan = plan_wait(params(timeout=timeout, deadline=deadline), wall_clock=lambda: NOW)
    assert plan.deadline_epoch == pytest.approx(expected)


# ---------------------------------------------------------------------------
# the glue: TaskService calls, waiter result, expect


def task(task_id, status, progress=None, **extra):
    phase = {"Running": "running", "Completed": "succeeded", "Failed": "failed"}[status]
    base = {"id": task_id, "name": "CreateInstance", "service": "rds", "status": status, "phase": phase,
            "progress": progress, "instance": {"id": "i-1", "name": "db", "status": "ACTIVE"},
            "created_at": None, "ended_at": None, "fail_reason": None, "subtasks": [], "request_id": "req-" + task_id}
    base.update(extra)
    return base


class FakeTaskService(object):
    """Answers fetch_many/query from a script: one {id: task} per poll (the last repeats)."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []

    def __call__(self, client, service, now=None):
        self.service = service
        return self

    def validate(self, ids=None, filters=None, limit=None, page_size=None):
        self.calls.append(("validate", ids, filters))
        return {}

    def _next(self):
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step

    def fetch_many(self, ids, deadline=None, concurrency=8):
        self.calls.append(("fetch_many", list(ids), deadline, concurrency))
        found = self._next()
        return dict((task_id, found[task_id]) for task_id in ids if task_id in found)

    def query(self, ids=None, filters=None, limit=None, page_size=None, deadline=None, concurrency=8):
        self.calls.append(("query", filters, deadline))
        return list(self._next().values())


def run_with(service, clock, options, emit=None):
    original = wait_runner.TaskService
    wait_runner.TaskService = service
    try:
        return run_wait(options, clock=clock, sleep=clock.sleep, wall_clock=lambda: NOW + clock.now - 1000.0,
                        emit=emit, session=ExplodingSession())
    finally:
        wait_runner.TaskService = original


def test_id_mode_polls_fetch_many_with_deadline_and_concurrency():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 10), "b": task("b", "Running", 50)},
                               {"a": task("a", "Running", 60), "b": task("b", "Completed")},
                               {"a": task("a", "Completed"), "b": task("b", "Completed")}])

    result = run_with(service, clock, params(id=["a", "b"], timeout="10m"))

    fetches = [call for call in service.calls if call[0] == "fetch_many"]
    assert fetches[0] == ("fetch_many", ["a", "b"], 1000.0 + 600, 8)
    assert fetches[1][1] == ["a", "b"] and fetches[2][1] == ["a"]      # b finished: no longer asked for
    assert service.calls[0] == ("validate", ["a", "b"], None)
    assert result["outcome"] == "succeeded" and result["failed"] is False
    assert result["succeeded"] == ["a", "b"]
    assert [entry["progress"] for entry in result["timeline"]["a"]] == [10, 60, None]
    assert result["polls"] == 3
    assert result["deadline"] == pytest.approx(NOW + 600)
    assert result["requests"] == {"requests": 0, "retries": 0, "throttled": 0, "auth_refreshes": 0}


@pytest.mark.parametrize("service, per_task", [("rds", False), ("geminidb", False), ("ddm", True), ("servicestage", True)])
def test_per_id_services_refresh_only_the_due_tasks(service, per_task):
    clock = FakeClock()
    running = {"a": task("a", "Running", 10), "b": task("b", "Running")}
    done = {"a": task("a", "Completed"), "b": task("b", "Completed")}
    fake = FakeTaskService([running, running, running, done])

    result = run_with(fake, clock, params(service=service, id=["a", "b"], timeout="1m"))

    assert per_task_schedule(service) is per_task
    asked = [call[1] for call in fake.calls if call[0] == "fetch_many"]
    assert asked[0] == ["a", "b"]
    # a reports progress, so its back-off starts at once; b without progress is due again after poll_interval.
    assert asked[1] == (["b"] if per_task else ["a", "b"])
    # The rds-style statuses of the fake tasks are not CAS statuses: a ServiceStage wait runs to its timeout.
    assert result["outcome"] == ("timeout" if service == "servicestage" else "succeeded")
    assert result["polls"] == len(asked)


def test_filter_mode_polls_query_with_the_filters():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Completed")}])

    result = run_with(service, clock, params(id=None, instance_id="i-1", status="Running"))

    queries = [call for call in service.calls if call[0] == "query"]
    assert queries[0] == ("query", {"instance_id": "i-1", "status": "Running"}, 1000.0 + 1800)
    assert service.calls[0] == ("validate", None, {"instance_id": "i-1", "status": "Running"})
    assert result["succeeded"] == ["a"]


def test_failed_expectation_fails_a_succeeded_task_and_warnings_are_kept():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Completed"), "b": task("b", "Completed", instance={"status": "BUILD"})}])
    expect = [{"path": "instance.status", "equals": "ACTIVE"},
              {"path": "name", "equals": "DeleteInstance", "severity": "warn", "msg": "unexpected task name"}]

    result = run_with(service, clock, params(id=["a", "b"], expect=expect))

    assert result["failed"] is True and result["outcome"] == "failed"
    assert result["succeeded"] == ["a"] and result["failed_ids"] == ["b"]
    assert "task b: instance.status is 'BUILD', expected 'ACTIVE'" in result["msg"]
    assert result["reasons"]["b"] == "task b: instance.status is 'BUILD', expected 'ACTIVE'"
    assert result["warnings"] == ["task a: unexpected task name", "task b: unexpected task name"]


def test_expectations_are_not_checked_on_failed_tasks():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Failed", fail_reason="disk full")}])

    result = run_with(service, clock, params(id=["a"], expect=[{"path": "instance.status", "equals": "GONE"}]))

    assert result["failed_ids"] == ["a"]
    assert "disk full" in result["msg"]
    assert "expected 'GONE'" not in result["msg"]


def test_api_error_mid_wait_returns_the_data_seen_so_far():
    clock = FakeClock()
    denied = AuthError(status=403, error_code="APIGW.0302", error_msg="denied", service="rds", method="GET",
                       path="/v3/{project_id}/tasklist", request_id="r-9")
    service = FakeTaskService([{"a": task("a", "Running", 20)}, denied])

    result = run_with(service, clock, params(id=["a"]))

    assert result["failed"] is True and result["outcome"] == "error"
    assert "HTTP 403 APIGW.0302 denied (request id r-9)" in result["msg"]
    assert result["error"]["type"] == "AuthError"
    assert result["tasks"][0]["progress"] == 20
    assert result["timeline"]["a"][0]["status"] == "Running"
    assert result["pending"] == ["a"] and result["polls"] == 1
    assert_keys_documented(result)


def unavailable():
    return ApiError(status=503, error_code="APIGW.0203", error_msg="unavailable", service="rds", method="GET",
                    path="/v3/{project_id}/tasklist", request_id="r-5")


def test_a_poll_near_the_deadline_still_gets_time_to_answer():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 10)}])

    result = run_with(service, clock, params(id=["a"], timeout="3s", poll_interval=1, max_poll_interval=1))

    fetches = [(call[2]) for call in service.calls if call[0] == "fetch_many"]
    assert fetches == [1005.0, 1006.0, 1007.0, 1008.0]  # each poll: now + FINAL_POLL_BUDGET, past the 1003 deadline
    assert result["outcome"] == "timeout"


def test_far_deadline_is_passed_as_is():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Completed")}])
    run_with(service, clock, params(id=["a"], timeout="1h"))
    assert [call[2] for call in service.calls if call[0] == "fetch_many"] == [4600.0, 4600.0]


def test_request_error_at_the_deadline_ends_as_a_timeout_report():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 30)}, unavailable()])

    result = run_with(service, clock, params(id=["a"], timeout="1s", poll_interval=1, max_poll_interval=1))

    assert result["outcome"] == "timeout"
    assert result["msg"].startswith("timed out after 1s: 1 of 1 tasks unfinished: rds CreateInstance a Running 30%")
    assert result["pending"] == ["a"]


def test_request_error_before_the_deadline_ends_the_wait_as_an_error():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 30)}, unavailable()])

    result = run_with(service, clock, params(id=["a"], timeout="1h"))

    assert result["outcome"] == "error"
    assert "HTTP 503 APIGW.0203 unavailable" in result["msg"]


def test_secrets_never_reach_the_result():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Completed")}])
    result = run_with(service, clock, params(id=["a"], auth_token="very-secret-token-value"))
    assert "very-secret-token-value" not in repr(result)


# ---------------------------------------------------------------------------
# progress lines


def change(task_id, at, status, progress, old_status=None, old_progress=None):
    return ("change", {"id": task_id, "name": None, "old_status": old_status, "status": status,
                       "old_progress": old_progress, "progress": progress, "at": at})


def poll(at, **counts):
    payload = {"poll": 1, "elapsed": at, "pending": 0, "running": 0, "succeeded": 0, "failed": 0, "vanished": 0, "total": 0}
    payload.update(counts)
    return ("poll", payload)


def report(events, lookup=None, subject=None):
    lines = []
    reporter = ProgressReporter("rds", lines.append, lookup=lookup, subject=subject)
    for kind, payload in events:
        reporter(kind, payload)
    return lines


LONG_ID = "4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77"


def test_start_line_and_task_line_format():
    known = {LONG_ID: task(LONG_ID, "Running", 62)}
    lines = report([("start", {"ids": [LONG_ID], "count": 3, "timeout": 1800, "mode": "all"}),
                    change(LONG_ID, 72.0, "Running", 62)], lookup=known.get)
    assert lines == [u"waiting for 3 rds tasks (timeout 30m0s)",
                     u"rds CreateInstance 4f2c0a4e\u2026 running 62% (1m12s)"]


def test_task_lines_are_throttled_unless_the_status_changes():
    events = [change("a", 0.0, "Running", 1),
              change("a", 1.0, "Running", 5, "Running", 1),     # 1 s later, progress only: dropped
              change("a", 4.9, "Running", 9, "Running", 5),     # still within 5 s: dropped
              change("a", 5.0, "Running", 12, "Running", 9),    # 5 s after the last line: shown
              change("b", 5.5, "Running", 3),                   # another task has its own budget
              change("a", 6.0, "Completed", None, "Running", 12)]  # status change: always shown
    lines = report(events)
    assert lines == ["rds a Running 1% (0s)", "rds a Running 12% (5s)", "rds b Running 3% (5.5s)", "rds a Completed (6s)"]


def test_task_line_shows_phase_and_raw_status_when_they_differ():
    known = {"j": dict(task("j", "Completed"), service="rds")}
    assert report([change("j", 3.0, "Completed", None)], lookup=known.get) == ["rds CreateInstance j succeeded [Completed] (3s)"]
    assert report([change("j", 3.0, None, None, "Running")]) == ["rds j not found (3s)"]


def test_heartbeat_at_most_every_15_seconds():
    events = [poll(1.0, total=12, running=12), poll(15.0, total=12, succeeded=3, running=9),
              poll(20.0, total=12, succeeded=4, running=8), poll(30.0, total=12, succeeded=4, failed=1, running=6, pending=1),
              poll(130.0, total=12, succeeded=3, running=9)]
    assert report(events) == ["3/12 done, 9 running (15s)", "5/12 done (1 failed), 6 running, 1 pending (30s)",
                              "3/12 done, 9 running (2m10s)"]


def test_filter_mode_start_line_and_throttle_notice():
    lines = report([("start", {"ids": None, "count": 0, "timeout": 600, "mode": "all"}),
                    ("throttled", {"count": 1, "backoff": 4.0, "elapsed": 2.0}),
                    ("throttled", {"count": 2, "backoff": 8.0, "elapsed": 6.0}),
                    ("done", {"outcome": "succeeded", "elapsed": 61.0, "polls": 7})],
                   subject="rds tasks matching status=Running")
    assert lines == ["waiting for rds tasks matching status=Running (timeout 10m0s)",
                     "rds API throttled the polls (429): backing off to one poll every 4s (2s)",
                     "wait succeeded after 1m1s (7 polls)"]


def test_progress_lines_are_plain_text():
    clock = FakeClock()
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Running", 40)}, {"a": task("a", "Completed")}])
    lines = []
    run_with(service, clock, params(id=["a"]), emit=lines.append)
    assert len(lines) >= 3
    assert not [line for line in lines if "\r" in line or "\x1b" in line or "\n" in line]
    assert not [line for line in lines if "unit-test-token" in line]


def test_many_tasks_give_summaries_and_failure_lines_only():
    ids = ["t%02d" % number for number in range(30)]
    known = dict((task_id, task(task_id, "Running", 10)) for task_id in ids)
    known["t07"] = task("t07", "Failed")
    known["t08"] = task("t08", "Completed")
    events = [("start", {"ids": ids, "count": 30, "timeout": 600, "mode": "all"})]
    events += [change(task_id, 0.5, "Running", 10) for task_id in ids]
    events += [poll(0.5, total=30, running=30),
               change("t08", 3.0, "Completed", None, "Running", 10),
               change("t07", 4.0, "Failed", None, "Running", 10),
               change("t09", 4.5, "Running", 40, "Running", 10),
               poll(4.0, total=30, running=28, succeeded=1, failed=1),
               poll(6.0, total=30, running=28, succeeded=1, failed=1)]
    lines = report(events, lookup=known.get)
    assert lines == ["waiting for 30 rds tasks (timeout 10m0s)",
                     "rds CreateInstance t07 failed (4s)",
                     "2/30 done (1 failed), 28 running (6s)"]


def test_filter_mode_switches_to_summaries_once_many_tasks_appear():
    ids = ["t%02d" % number for number in range(12)]
    known = dict((task_id, task(task_id, "Running", 10)) for task_id in ids)
    events = [("start", {"ids": None, "count": 0, "timeout": 600, "mode": "all"})]
    events += [change(task_id, 0.5, "Running", 10) for task_id in ids]
    lines = report(events, lookup=known.get, subject="rds tasks of instance i-1")
    assert len(lines) == 1 + ProgressReporter.DETAILED_TASKS
