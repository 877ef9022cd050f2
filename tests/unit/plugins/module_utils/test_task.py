# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalized task model: status phases, progress, MESSAGES decoding, and every payload fixture
normalized to the expected dict written by hand in the fixture file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from payloads import load_fixtures

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import match_phase
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import (
    cas_view, decode_messages, normalize, parse_progress,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

NORMALIZED_KEYS = {"id", "name", "service", "status", "phase", "progress", "instance", "created_at", "ended_at",
                   "fail_reason", "subtasks", "request_id", "raw"}


def phase_of(service, status):
    """The phase the model gives a raw status of ``service`` (rules.match_phase on the catalog phases)."""
    return match_phase(CATALOG[service]["phases"], status)


def items_of(fixture):
    """The API items normalize(service_entry()) takes: list entries, DDM's job object, or the whole CAS body."""
    entry = CATALOG[fixture["service"]]
    if entry["list_capable"]:
        return fixture["response"].get(entry["items_key"]) or []
    return [fixture["response"][entry["item_key"]]] if entry["item_key"] else [fixture["response"]]


@pytest.mark.parametrize("service, status, phase", [
    ("geminidb", "Running", "running"),
    ("geminidb", "Completed", "succeeded"),
    ("geminidb", "Failed", "failed"),
    ("geminidb", "running", "running"),
    ("geminidb", " Completed ", "succeeded"),
    ("geminidb", "Queued", "unknown"),
    ("geminidb", "", "unknown"),
    ("geminidb", None, "unknown"),
    ("geminidb", 123, "unknown"),
    ("rds", "Running", "running"),
    ("rds", "Completed", "succeeded"),
    ("rds", "Failed", "failed"),
    ("rds", "FAILED", "failed"),
    ("ddm", "Running", "running"),
    ("ddm", "Completed", "succeeded"),
    ("ddm", "Failed", "failed"),
    ("ddm", "Deleted", "unknown"),
    ("servicestage", "SUBMITTED", "pending"),
    ("servicestage", "SCHEDULED", "pending"),
    ("servicestage", "RUNNING", "running"),
    ("servicestage", "ROLLBACKING", "running"),
    ("servicestage", "SUCCEEDED", "succeeded"),
    ("servicestage", "FAILED", "failed"),
    ("servicestage", "CANCELLED", "failed"),
    ("servicestage", "PARTIALLY_FAILED", "failed"),
    ("servicestage", "ROLLBACKED", "failed"),
    ("servicestage", "UNKNOWN", "failed"),           # issue 12: the engine lost the job; Terraform fails on it too
    ("servicestage", " unknown ", "failed"),
    ("servicestage", "succeeded", "succeeded"),
    ("servicestage", "Completed", "unknown"),
])
def test_phase_of(service, status, phase):
    assert phase_of(service, status) == phase


def test_unknown_service_names_the_allowed_ones():
    with pytest.raises(InvalidInput) as caught:
        normalize(service_entry("dcs"), {"id": "a", "status": "Running"})
    assert caught.value.option == "service"
    assert caught.value.allowed == ["geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms"]


@pytest.mark.parametrize("value, expected", [
    ("14%", 14),
    ("14", 14),
    (" 60 % ", 60),
    ("0", 0),
    ("100%", 100),
    ("99.6%", 99),
    ("150%", 100),
    ("-3", 0),
    (42, 42),
    (42.9, 42),
    ("", None),
    ("%", None),
    (None, None),
    ("abc", None),
    ("12a%", None),
    ("nan", None),
    ("inf", None),
    (True, None),
    ([14], None),
])
def test_parse_progress(value, expected):
    assert parse_progress(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("{ \"Message\" : \"ECC00011\", \"Detail\" : \"Building failed.\" }", "ECC00011: Building failed."),
    ({"Message": "ECC00011", "Detail": "Building failed."}, "ECC00011: Building failed."),
    ("{\"message\": \"lower case\"}", "lower case"),
    ("{\"Detail\": \"detail only\"}", "detail only"),
    ({"detail": "only detail"}, "only detail"),
    ("{\"Message\": \"\", \"Detail\": \"empty code\"}", "empty code"),
    ("{\"other\": 1}", "{\"other\":1}"),
    ("[\"a\", \"b\"]", "[\"a\",\"b\"]"),
    ("\"quoted text\"", "quoted text"),
    ("7", "7"),
    ("{}", None),
    ("[]", None),
    ("", None),
    ("  ", None),
    ("null", None),
    (None, None),
    ("{broken", "{broken"),
    ("Building failed.", "Building failed."),
])
def test_decode_messages(value, expected):
    assert decode_messages(value) == expected


def test_cas_view_folds_key_case_without_touching_values():
    body = {"JOB": {"execution_status": "running", "Job_Id": "J"}, "Tasks": [{"task_status": "FAILED"}], "TASK_COUNT": 1}
    view = cas_view(body)
    assert view == {"job": {"EXECUTION_STATUS": "running", "JOB_ID": "J"}, "tasks": [{"TASK_STATUS": "FAILED"}], "task_count": 1}
    assert body["JOB"] == {"execution_status": "running", "Job_Id": "J"}


@pytest.mark.parametrize("fixture", load_fixtures("normalize"))
def test_fixture_normalizes_to_the_hand_written_dict(fixture):
    items = items_of(fixture)
    assert len(items) == len(fixture["expected"])
    for item, expected in zip(items, fixture["expected"]):
        untouched = copy.deepcopy(item)
        task = normalize(service_entry(fixture["service"]), item, request_id=fixture["request_id"])
        assert set(task) == NORMALIZED_KEYS
        assert task["raw"] is item and item == untouched
        assert task["request_id"] == fixture["request_id"]
        comparable = dict((key, value) for key, value in task.items() if key not in ("raw", "request_id"))
        assert comparable == expected


def test_ended_at_waits_for_a_terminal_phase():
    item = {"id": "a", "status": "Running", "start_time": "2023-09-12T06:44:01+0000", "end_time": "2023-09-12T06:44:03+0000"}
    assert normalize(service_entry("geminidb"), item)["ended_at"] is None
    item["status"] = "Completed"
    assert normalize(service_entry("geminidb"), item)["ended_at"] == "2023-09-12T06:44:03Z"
    item["status"] = "Failed"
    assert normalize(service_entry("geminidb"), item)["ended_at"] == "2023-09-12T06:44:03Z"


def test_missing_optional_fields_become_none():
    task = normalize(service_entry("rds"), {"id": "x", "status": "Running"})
    assert task["name"] is None and task["progress"] is None and task["created_at"] is None
    assert task["instance"] == {"id": None, "name": None, "status": None}
    assert task["fail_reason"] is None and task["subtasks"] == []


def test_cas_failed_subtask_without_message_still_gives_a_reason():
    body = {"job": {"JOB_ID": "J", "EXECUTION_STATUS": "FAILED"},
            "tasks": [{"TASK_ID": "T9", "TASK_NAME": "TN9", "TASK_INDEX": 9, "TASK_STATUS": "FAILED", "MESSAGES": "{}"},
                      {"TASK_ID": "T2", "TASK_NAME": "TN2", "TASK_INDEX": 2, "TASK_STATUS": "FAILED", "MESSAGES": "{}"}]}
    assert normalize(service_entry("servicestage"), body)["fail_reason"] == "TN2 failed"


def test_cas_cancelled_without_failed_subtask_has_no_reason():
    body = {"job": {"JOB_ID": "J", "EXECUTION_STATUS": "CANCELLED"},
            "tasks": [{"TASK_ID": "T1", "TASK_INDEX": 1, "TASK_STATUS": "SUCCEEDED"}]}
    task = normalize(service_entry("servicestage"), body)
    assert task["phase"] == "failed" and task["fail_reason"] is None and task["progress"] is None


@pytest.mark.parametrize("service", sorted(CATALOG))
def test_every_catalog_phase_value_maps_back_to_its_phase(service):
    for phase, values in CATALOG[service]["phases"].items():
        for value in values:
            assert phase_of(service, value) == phase


# ---------------------------------------------------------------------------- what the SDK tolerates (issue 21)

def _ecs_body(service, sub_jobs=None, **top):
    body = {"job_id": "job-1", "job_type": "createServer", "status": "FAIL", "error_code": None, "fail_reason": None}
    body.update(top)
    if sub_jobs is not None:
        body["entities"] = {"sub_jobs": sub_jobs}
    return body


def test_bms_sub_job_text_only_in_message_is_the_reason_not_its_code():
    sub = {"job_id": "s-1", "job_type": "baremetalSingleCreate", "status": "FAIL", "error_code": "BMS.0221",
           "fail_reason": None, "message": "The flavor is sold out.", "code": "BMS.0221", "entities": {"server_id": "b-1"}}
    task = normalize(service_entry("bms"), _ecs_body("bms", [sub], error_code="BMS.0221"))
    assert task["subtasks"][0]["message"] == "The flavor is sold out."
    assert task["fail_reason"] == "baremetalSingleCreate: The flavor is sold out."


def test_bms_top_level_message_and_code_are_read_when_nothing_more_specific_is():
    assert normalize(service_entry("bms"), _ecs_body("bms", message="Quota exceeded.", code="BMS.0001"))["fail_reason"] == "Quota exceeded."
    assert normalize(service_entry("bms"), _ecs_body("bms", code="BMS.0001"))["fail_reason"] == "BMS.0001"
    sub = {"job_id": "s-1", "job_type": "baremetalSingleCreate", "status": "FAIL", "message": "The flavor is sold out."}
    task = normalize(service_entry("bms"), _ecs_body("bms", [sub], message="Job failed.", code="BMS.0221"))
    assert task["fail_reason"] == "baremetalSingleCreate: The flavor is sold out."
    assert normalize(service_entry("bms"), dict(_ecs_body("bms", message="Job failed."), status="SUCCESS"))["fail_reason"] is None


def test_ecs_errorcode_message_comes_before_the_short_fail_reason():
    sub = {"job_id": "s-1", "job_type": "createSingleServer", "status": "FAIL", "error_code": "Ecs.0319",
           "fail_reason": "Ecs.0319", "entities": {"server_id": "srv-1", "errorcode_message": "Insufficient resources."}}
    task = normalize(service_entry("ecs"), _ecs_body("ecs", [sub]))
    assert task["subtasks"][0]["message"] == "Insufficient resources."


def test_evs_volume_name_is_the_instance_name_at_the_top_or_in_the_only_sub_job():
    single = {"job_id": "j", "status": "SUCCESS", "entities": {"volume_id": "v-1", "name": "data-disk", "size": "10"}}
    assert normalize(service_entry("evs"), single)["instance"] == {"id": "v-1", "name": "data-disk", "status": None}
    one_sub = {"job_id": "j", "status": "SUCCESS", "entities": {"sub_jobs": [
        {"job_id": "s", "status": "SUCCESS", "entities": {"volume_id": "v-2", "name": "log-disk"}}]}}
    assert normalize(service_entry("evs"), one_sub)["instance"]["name"] == "log-disk"


@pytest.mark.parametrize("service, item, field, expected", [
    ("rds", {"id": "t", "status": "Running", "process": 60, "create_time": 1772589600000}, "progress", 60),
    ("rds", {"id": "t", "status": "Running", "process": 60, "create_time": 1772589600000}, "created_at", "2026-03-04T02:00:00Z"),
    ("rds", {"id": "t", "status": "Running", "create_time": "1772589600000"}, "created_at", "2026-03-04T02:00:00Z"),
    ("geminidb", {"id": "j", "status": "Running", "progress": 60}, "progress", 60),
    ("geminidb", {"id": "j", "status": "Running", "progress": "60.9"}, "progress", 60),
    ("geminidb", {"id": "j", "status": "Running", "progress": None, "instance": None, "fail_reason": None}, "instance",
     {"id": None, "name": None, "status": None}),
    ("ddm", {"id": "j", "status": "Running", "process": 45}, "progress", 45),
    ("ddm", {"id": "j", "status": "Running", "instance": {"id": 42, "name": None}}, "instance", {"id": "42", "name": None, "status": None}),
    ("ecs", {"job_id": "j", "status": "RUNNING", "entities": {"sub_jobs_total": "1", "sub_jobs": None}}, "subtasks", []),
    ("ecs", {"job_id": "j", "status": "RUNNING", "entities": None}, "subtasks", []),
])
def test_either_form_of_a_primitive_reads_alike(service, item, field, expected):
    assert normalize(service_entry(service), item)[field] == expected


def test_cas_task_index_as_text_orders_like_a_number():
    body = {"job": {"JOB_ID": "j", "EXECUTION_STATUS": "RUNNING"},
            "tasks": [{"TASK_ID": "b", "TASK_INDEX": "10"}, {"TASK_ID": "a", "TASK_INDEX": "2"}]}
    assert [(sub["id"], sub["index"]) for sub in normalize(service_entry("servicestage"), body)["subtasks"]] == [("a", 2), ("b", 10)]


def test_cas_v3_job_is_named_by_its_job_type():
    body = {"job": {"job_id": "j", "job_type": "deploy", "execution_status": "RUNNING", "rollback_enabled": False}}
    assert normalize(service_entry("servicestage"), body)["name"] == "deploy"


def test_unusable_values_are_ignored_with_a_debug_note(caplog):
    import logging
    caplog.set_level(logging.DEBUG, logger="taskgate.huaweicloud")
    task = normalize(service_entry("geminidb"), {"id": "j", "status": "Running", "progress": "abc", "start_time": "yesterday",
                                                 "name": {"x": 1}, "fail_reason": ["a"]})
    assert (task["progress"], task["created_at"], task["name"], task["fail_reason"]) == (None, None, None, None)
    notes = " | ".join(record.getMessage() for record in caplog.records if record.name == "taskgate.huaweicloud")
    assert "GeminiDB progress='abc'" in notes and "GeminiDB start_time='yesterday'" in notes
    assert "GeminiDB name={'x': 1}" in notes
    assert all(record.levelno == logging.DEBUG for record in caplog.records if record.name == "taskgate.huaweicloud")
