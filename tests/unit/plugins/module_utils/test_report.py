# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words of wait_for_task: outcome messages and failure paragraphs (through scripted waits)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from waiter_scripts import ScriptedCloud, build, load_fixture, waiter_for

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.report import (
    error_message,
    expectations_message,
    more,
    subject,
    task_runtime,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry


# ---------------------------------------------------------------------------
# outcome messages and failure paragraphs


def test_timeout_message_lists_unfinished_tasks_with_last_change(fake_clock):
    timelines = {
        "t1": [[0, "Running", 10], [20, "Completed", None]],
        "t2": [[0, "Running", 50], [48, "Running", 62]],
        "t3": [[0, "Running", 5], [30, "Completed", None]],
    }
    waiter, _cloud, _events = build(fake_clock, timelines, ids=["t1", "t2", "t3"], timeout=120, max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert result.message == ("timed out after 2m0s: 1 of 3 tasks unfinished: "
                              "rds CreateInstance t2 Running 62% (unchanged for 1m12s)")
    assert result.reasons == {"t2": "rds CreateInstance t2 Running 62% (unchanged for 1m12s)"}


def test_timeout_message_without_throttling_does_not_mention_it(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 10]]}, timeout=5)
    result = waiter.run()
    assert result.outcome == "timeout" and result.throttled == 0
    assert "throttled" not in result.message


def test_timeout_message_truncates_long_lists(fake_clock):
    timelines = dict(("t%d" % index, [[0, "Running", index]]) for index in range(8))
    waiter, _cloud, _events = build(fake_clock, timelines, ids=sorted(timelines), timeout=10)
    result = waiter.run()
    assert "8 of 8 tasks unfinished" in result.message
    assert result.message.endswith(", and 3 more")
    assert len(result.reasons) == 8


def cas_job_cloud(clock, job):
    job_id = job["running"]["id"]
    return ScriptedCloud(clock, {job_id: [[0, "RUNNING", 60], [42, "FAILED", None]]}, service="servicestage",
                         tasks={job_id: lambda entry: copy.deepcopy(job["running" if entry[1] == "RUNNING" else "failed"])})


def test_failure_message_has_reason_subtask_message_and_request_id(fake_clock):
    # The fixture's sub-task message is what the task model decoded from CAS MESSAGES.
    job = load_fixture("cas_failed_job.json")
    job_id = job["running"]["id"]
    waiter = waiter_for(fake_clock, cas_job_cloud(fake_clock, job), ids=[job_id], service="servicestage", max_poll_interval=1)
    result = waiter.run()
    assert result.outcome == "failed"
    assert result.message == (
        "1 of 1 tasks failed after 42s: servicestage provision/provMain JOB474362ef-091d-429f-9b3e-c9246b37dee6 "
        "failed with status FAILED at 60% after 42s (ran 35s); reason: Deployment step TN00097 failed; "
        "sub-task TN00097 failed: ECC00011: Building failed; request id 5e1f0a9b7c3d4e2f8a6b1c0d9e8f7a6b.")
    assert result.reasons[job_id] in result.message


def test_failure_paragraph_shows_the_message_the_model_decoded(fake_clock):
    body = {"job": {"JOB_ID": "J1", "JOB_NAME": "deploy", "EXECUTION_STATUS": "FAILED"},
            "tasks": [{"TASK_ID": "T1", "TASK_NAME": "build", "TASK_INDEX": 1, "TASK_STATUS": "FAILED",
                       "MESSAGES": "{\"Message\": \"ECC00011\", \"Detail\": \"Building failed.\"}"}]}
    task = normalize(service_entry("servicestage"), body, request_id="r-1")
    assert task["subtasks"][0]["message"] == "ECC00011: Building failed."
    cloud = ScriptedCloud(fake_clock, {"J1": [[0, "FAILED", None]]}, service="servicestage", tasks={"J1": lambda entry: task})
    result = waiter_for(fake_clock, cloud, ids=["J1"], service="servicestage").run()
    # CAS derives fail_reason from the failed sub-task: said once, with the sub-task's name.
    assert result.reasons["J1"] == ("servicestage deploy J1 failed with status FAILED after 0s; "
                                    "sub-task build failed: ECC00011: Building failed; request id r-1.")


def test_failure_message_mentions_tasks_left_by_fail_fast(fake_clock):
    timelines = {"a": [[0, "Running", 1], [2, "Failed", None]], "b": [[0, "Running", 1]], "c": [[0, "Running", 1]]}
    waiter, _cloud, _events = build(fake_clock, timelines, ids=["a", "b", "c"])
    result = waiter.run()
    assert result.message.startswith("1 of 3 tasks failed after 2.5s: rds CreateInstance a failed with status Failed at 1%")
    assert "request id req-a" in result.message
    assert result.message.endswith("Stopped at the first failure (fail_fast): 2 tasks still unfinished.")


def test_many_failures_are_summarised(fake_clock):
    timelines = dict(("f%d" % index, [[0, "Running", 1], [1, "Failed", None]]) for index in range(7))
    waiter, _cloud, _events = build(fake_clock, timelines, ids=sorted(timelines))
    result = waiter.run()
    assert result.message.startswith("7 of 7 tasks failed")
    assert result.message.endswith("And 2 more failed.")
    assert len(result.reasons) == 7


def test_each_failure_reason_stands_apart_in_the_message(fake_clock):
    """Two "not found" reasons used to run into one: "task a was not found ... . task b was not found ..."."""
    timelines = {"a": [[0, None, None]], "b": [[0, None, None]], "c": [[0, "Running", 5]]}
    waiter, _cloud, _events = build(fake_clock, timelines, ids=["a", "b", "c"], not_found_grace=5, timeout=10,
                                    fail_fast=False)
    result = waiter.run()
    assert result.message == (
        "2 of 3 tasks failed after 10s: (1) task a was not found 5s after the wait started (not_found_grace=5). "
        "(2) task b was not found 5s after the wait started (not_found_grace=5). "
        "Also timed out with 1 unfinished: rds CreateInstance c Running 5% (unchanged for 10s).")
    assert result.reasons["a"] == "task a was not found 5s after the wait started (not_found_grace=5)."


def test_failures_beside_a_timeout_stand_apart_too(fake_clock):
    timelines = {"a": [[0, "Failed", None]], "b": [[0, "Failed", None]], "c": [[0, "Running", 5]]}
    waiter, _cloud, _events = build(fake_clock, timelines, ids=["a", "b", "c"], mode="any", timeout=10)
    result = waiter.run()
    assert result.outcome == "timeout"
    assert result.message.endswith(
        "; 2 failed: (1) rds CreateInstance a failed with status Failed after 0s; the service gave no failure reason; "
        "request id req-a. (2) rds CreateInstance b failed with status Failed after 0s; the service gave no failure "
        "reason; request id req-b.")


def test_failed_task_without_reason_says_so(fake_clock):
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Failed", None]]})
    result = waiter.run()
    assert result.reasons["a"] == ("rds CreateInstance a failed with status Failed after 0s; "
                                   "the service gave no failure reason; request id req-a.")


def test_error_message_and_expectation_messages():
    error = ApiError(status=503, error_code="APIGW.0203", error_msg="unavailable", service="rds")
    assert error_message(72, error) == "the wait stopped after 1m12s: %s" % error
    assert expectations_message("ignored", "succeeded", 1, 2, 5, ["task b: x", "task c: y"]) == (
        "1 of 2 tasks finished but failed expectations after 5s: task b: x; task c: y.")
    assert expectations_message("2 of 3 tasks failed after 5s: ...", "failed", 3, 3, 5, ["task b: x"]) == (
        "2 of 3 tasks failed after 5s: ... Expectations failed too: task b: x.")


@pytest.mark.parametrize("items, total, text", [
    (["a", "b"], 2, "a, b"),
    (["a", "b", "c", "d", "e", "f", "g"], 7, "a, b, c, d, e, and 2 more"),
    ([], 0, ""),
])
def test_more(items, total, text):
    assert more(items, total) == text


@pytest.mark.parametrize("task, runtime", [
    ({"created_at": "2020-02-04T04:01:03Z", "ended_at": "2020-02-04T04:01:38Z"}, 35),
    ({"created_at": "2020-02-04T04:01:03Z", "ended_at": None}, None),
    ({"created_at": "2020-02-04T04:01:38Z", "ended_at": "2020-02-04T04:01:03Z"}, None),
    ({"created_at": "not a time", "ended_at": "2020-02-04T04:01:03Z"}, None),
    ({}, None),
])
def test_task_runtime(task, runtime):
    assert task_runtime(task) == runtime


def test_subject():
    assert subject("rds", ["a", "b", "c"], {}) == "3 rds tasks"
    assert subject("ddm", ["a"], {}) == "1 ddm task"
    assert subject("rds", None, {"status": "Running", "instance_id": "i-1"}) == "rds tasks matching status=Running, instance_id=i-1"
