# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_runner: the glue to TaskService/Waiter, expect post-processing, the result dict, progress lines on.

No HTTP here: TaskService is replaced by a scripted fake and time by the shared fake clock (started at 1000).
Option checks are in test_wait_plan.py, the words of progress lines in test_report.py.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import yaml
import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import connection
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import per_task_schedule, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, AuthError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import run_wait
from ansible_collections.taskgate.huaweicloud.plugins.modules import wait_for_task

NOW = 1767225600.0  # 2026-01-01T00:00:00Z
BASE = {"service": "rds", "id": ["job-1"], "auth_token": "unit-test-token", "region": "ap-southeast-1",
        "project_id": "p" * 32, "endpoints": {"rds": "http://127.0.0.1:9/rds"}}


@pytest.fixture
def clock(fake_clock):
    """The shared fake clock, started at 1000 s (the deadlines below are written from there)."""
    fake_clock.now = fake_clock.start = 1000.0
    return fake_clock


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
# the result keys are what RETURN says


def assert_keys_documented(result):
    undocumented = set(result) - {"changed", "failed"} - set(yaml.safe_load(wait_for_task.RETURN))
    assert not undocumented, "RETURN does not document %s" % sorted(undocumented)


def test_return_documents_every_result_key(clock):
    service = FakeTaskService([{"job-1": task("job-1", "Completed")}])
    assert_keys_documented(run_with(service, clock, params(expect=[{"path": "name", "equals": "Nope", "severity": "warn"}])))


# ---------------------------------------------------------------------------
# bad options fail before anything is sent


# Checked by the plan, TaskService and ClientConfig: run_wait must fail before sending anything.
BAD_LATE_OPTIONS = [
    ("delay", {"delay": -1}),
    ("poll_interval", {"poll_interval": 0}),
    ("max_poll_interval", {"max_poll_interval": 0.5}),   # below poll_interval (1)
    ("not_found_grace", {"not_found_grace": -3}),
    ("stable_for", {"stable_for": 0}),
    ("status", {"id": None, "status": "Paused"}),
    ("status", {"service": "ddm", "id": None, "status": "Running"}),
    ("secret_key", {"auth_token": None, "access_key": "AK"}),
    ("endpoints", {"endpoints": {"rdss": "http://127.0.0.1:9"}}),
]


@pytest.mark.parametrize("option, change", BAD_LATE_OPTIONS, ids=["%s=%r" % row for row in BAD_LATE_OPTIONS])
def test_run_rejects_bad_options_before_any_request(clock, option, change):
    with pytest.raises(InvalidInput) as info:
        run_wait(params(**change), clock=clock, sleep=clock.sleep, wall_clock=lambda: NOW, session=ExplodingSession())
    assert info.value.option == option, str(info.value)
    assert option in str(info.value)
    assert clock.sleeps == []


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
        self.client = client
        self.service = service
        return self

    def plan(self, *args, **kwargs):
        raise AssertionError("run_wait planned the query twice (plan_wait already did)")

    def _next(self):
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(step, Exception):
            raise step
        return step

    def fetch_many(self, ids, deadline=None, concurrency=8):
        self.calls.append(("fetch_many", list(ids), deadline, concurrency))
        found = self._next()
        return dict((task_id, found[task_id]) for task_id in ids if task_id in found)

    def query(self, plan, deadline=None, concurrency=8):
        self.calls.append(("query", dict(plan.filters, **plan.local), deadline))
        return list(self._next().values())


def run_with(service, clock, options, emit=None):
    original = connection.TaskService
    connection.TaskService = service
    try:
        return run_wait(options, clock=clock, sleep=clock.sleep, wall_clock=lambda: NOW + clock.elapsed,
                        emit=emit, session=ExplodingSession())
    finally:
        connection.TaskService = original


def test_id_mode_polls_fetch_many_with_deadline_and_concurrency(clock):
    service = FakeTaskService([{"a": task("a", "Running", 10), "b": task("b", "Running", 50)},
                               {"a": task("a", "Running", 60), "b": task("b", "Completed")},
                               {"a": task("a", "Completed"), "b": task("b", "Completed")}])

    result = run_with(service, clock, params(id=["a", "b"], timeout="10m"))

    fetches = [call for call in service.calls if call[0] == "fetch_many"]
    assert fetches[0] == ("fetch_many", ["a", "b"], 1000.0 + 600, 8)
    assert fetches[1][1] == ["a", "b"] and fetches[2][1] == ["a"]      # b finished: no longer asked for
    assert service.calls[0][0] == "fetch_many"   # the query was planned by plan_wait, before any call
    assert result["outcome"] == "succeeded" and result["failed"] is False
    assert result["succeeded"] == ["a", "b"]
    assert [entry["progress"] for entry in result["timeline"]["a"]] == [10, 60, None]
    assert result["polls"] == 3
    assert result["deadline"] == pytest.approx(NOW + 600)
    assert result["requests"] == {"requests": 0, "retries": 0, "throttled": 0, "auth_refreshes": 0}


@pytest.mark.parametrize("service, per_task", [("rds", False), ("geminidb", False), ("ddm", True), ("servicestage", True)])
def test_per_id_services_refresh_only_the_due_tasks(clock, service, per_task):
    only_a = {"a": task("a", "Running", 10)}
    running = {"a": task("a", "Running", 10), "b": task("b", "Running")}
    done = {"a": task("a", "Completed"), "b": task("b", "Completed")}
    fake = FakeTaskService([only_a, running, running, done])

    result = run_with(fake, clock, params(service=service, id=["a", "b"], timeout="1m"))

    assert per_task_schedule(service_entry(service)) is per_task
    asked = [call[1] for call in fake.calls if call[0] == "fetch_many"]
    assert asked[0] == ["a", "b"]
    # a was seen, so its back-off starts at once; b, not visible yet, is asked again after poll_interval.
    assert asked[1] == (["b"] if per_task else ["a", "b"])
    # The rds-style statuses of the fake tasks are not CAS statuses: a ServiceStage wait runs to its timeout.
    assert result["outcome"] == ("timeout" if service == "servicestage" else "succeeded")
    assert result["polls"] == len(asked)


def test_filter_mode_polls_query_with_the_filters(clock):
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Completed")}])

    result = run_with(service, clock, params(id=None, instance_id="i-1", status="Running"))

    queries = [call for call in service.calls if call[0] == "query"]
    assert queries[0] == ("query", {"instance_id": "i-1", "status": "Running"}, 1000.0 + 1800)
    assert service.calls[0][0] == "query"   # planned once, by plan_wait
    assert result["succeeded"] == ["a"]


def test_failed_expectation_fails_a_succeeded_task_and_warnings_are_kept(clock):
    service = FakeTaskService([{"a": task("a", "Completed"), "b": task("b", "Completed", instance={"status": "BUILD"})}])
    expect = [{"path": "instance.status", "equals": "ACTIVE"},
              {"path": "name", "equals": "DeleteInstance", "severity": "warn", "msg": "unexpected task name"}]

    result = run_with(service, clock, params(id=["a", "b"], expect=expect))

    assert result["failed"] is True and result["outcome"] == "failed"
    assert result["succeeded"] == ["a"] and result["failed_ids"] == ["b"]
    assert "task b: instance.status is 'BUILD', expected 'ACTIVE'" in result["msg"]
    assert result["reasons"]["b"] == "task b: instance.status is 'BUILD', expected 'ACTIVE'"
    assert result["warnings"] == ["task a: unexpected task name", "task b: unexpected task name"]


def test_expectations_are_not_checked_on_failed_tasks(clock):
    service = FakeTaskService([{"a": task("a", "Failed", fail_reason="disk full")}])

    result = run_with(service, clock, params(id=["a"], expect=[{"path": "instance.status", "equals": "GONE"}]))

    assert result["failed_ids"] == ["a"]
    assert "disk full" in result["msg"]
    assert "expected 'GONE'" not in result["msg"]


def test_api_error_mid_wait_returns_the_data_seen_so_far(clock):
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


def test_api_error_in_filter_mode_keeps_every_listed_task_pending(clock):
    denied = AuthError(status=403, error_code="APIGW.0302", error_msg="denied", service="rds", method="GET",
                       path="/v3/{project_id}/tasklist", request_id="r-9")
    service = FakeTaskService([{"a": task("a", "Running", 20), "b": task("b", "Completed")},
                               {"a": task("a", "Running", 30), "c": task("c", "Running", 1)}, denied])
    lines = []

    result = run_with(service, clock, params(id=None, status="Running"), emit=lines.append)

    assert result["outcome"] == "error" and result["polls"] == 2
    assert result["msg"].startswith("the wait stopped after 2s: ")
    assert [(entry["id"], entry["progress"]) for entry in result["tasks"]] == [("a", 30), ("b", None), ("c", 1)]
    assert result["pending"] == ["a", "b", "c"]
    assert (result["succeeded"], result["failed_ids"], result["vanished"], result["reasons"]) == ([], [], [], {})
    assert [entry["progress"] for entry in result["timeline"]["a"]] == [20, 30]
    assert_keys_documented(result)
    # Progress lines looked the tasks up in the waiter; no "wait ... after" line: the wait did not finish.
    assert "rds CreateInstance a running 20% (0s)" in lines
    assert not [line for line in lines if line.startswith("wait ")]


def unavailable():
    return ApiError(status=503, error_code="APIGW.0203", error_msg="unavailable", service="rds", method="GET",
                    path="/v3/{project_id}/tasklist", request_id="r-5")


def test_a_poll_near_the_deadline_still_gets_time_to_answer(clock):
    service = FakeTaskService([{"a": task("a", "Running", 10)}])

    result = run_with(service, clock, params(id=["a"], timeout="3s", poll_interval=1, max_poll_interval=1))

    fetches = [(call[2]) for call in service.calls if call[0] == "fetch_many"]
    assert fetches == [1005.0, 1006.0, 1007.0, 1008.0]  # each poll: now + FINAL_POLL_BUDGET, past the 1003 deadline
    assert result["outcome"] == "timeout"


def test_far_deadline_is_passed_as_is(clock):
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Completed")}])
    run_with(service, clock, params(id=["a"], timeout="1h"))
    assert [call[2] for call in service.calls if call[0] == "fetch_many"] == [4600.0, 4600.0]


def test_request_error_at_the_deadline_ends_as_a_timeout_report(clock):
    service = FakeTaskService([{"a": task("a", "Running", 30)}, unavailable()])

    result = run_with(service, clock, params(id=["a"], timeout="1s", poll_interval=1, max_poll_interval=1))

    assert result["outcome"] == "timeout"
    assert result["msg"].startswith("timed out after 1s: 1 of 1 tasks unfinished: rds CreateInstance a Running 30%")
    assert result["pending"] == ["a"]


def test_request_error_before_the_deadline_ends_the_wait_as_an_error(clock):
    service = FakeTaskService([{"a": task("a", "Running", 30)}, unavailable()])

    result = run_with(service, clock, params(id=["a"], timeout="1h"))

    assert result["outcome"] == "error"
    assert "HTTP 503 APIGW.0203 unavailable" in result["msg"]


def test_secrets_never_reach_the_result(clock):
    service = FakeTaskService([{"a": task("a", "Completed")}])
    result = run_with(service, clock, params(id=["a"], auth_token="very-secret-token-value"))
    assert "very-secret-token-value" not in repr(result)


# ---------------------------------------------------------------------------
# progress lines


def test_progress_lines_are_plain_text(clock):
    service = FakeTaskService([{"a": task("a", "Running", 10)}, {"a": task("a", "Running", 40)}, {"a": task("a", "Completed")}])
    lines = []
    run_with(service, clock, params(id=["a"]), emit=lines.append)
    assert len(lines) >= 3
    assert not [line for line in lines if "\r" in line or "\x1b" in line or "\n" in line]
    assert not [line for line in lines if "unit-test-token" in line]


# ---------------------------------------------------------------------------
# by_id: one wait for many hosts, each host finds its own job


def test_by_id_maps_every_task_id_to_its_task(clock):
    service = FakeTaskService([{"a": task("a", "Completed"), "b": task("b", "Failed", fail_reason="no disk")}])
    result = run_with(service, clock, params(id=["a", "b"], fail_fast=False))
    assert sorted(result["by_id"]) == ["a", "b"]
    assert result["by_id"]["b"]["fail_reason"] == "no disk" and result["by_id"]["a"]["phase"] == "succeeded"
    assert [result["by_id"][t["id"]] for t in result["tasks"]] == result["tasks"]


def test_by_id_in_filter_mode(clock):
    service = FakeTaskService([{"a": task("a", "Completed"), "c": task("c", "Completed")}])
    result = run_with(service, clock, params(id=None, status="Running"))
    assert sorted(result["by_id"]) == sorted(t["id"] for t in result["tasks"]) == ["a", "c"]
