# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Completion rules and the one status normalisation rule shared with the task model."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from waiter_scripts import build, rules_for

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG, SERVICES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import CompletionRules, match_phase, status_key
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry


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
    ({"failure_states": ["Broken"]}, "failure_states", "'Broken' is not a status of rds; allowed: Pending, Running, Completed, Failed"),
    ({"pending_states": [5]}, "pending_states", "5 is not a status of rds; allowed: Pending, Running, Completed, Failed"),
    ({"target_states": []}, "target_states", "no target status to wait for"),
    ({"target_states": ["Completed"], "failure_states": ["Completed"]}, "target_states", "both list 'Completed'"),
    ({"target_states": ["Completed"], "failure_states": ["completed "]}, "target_states", "both list 'Completed'"),
    ({"target_states": 5}, "target_states", "expected a list of statuses"),
])
def test_override_validation(overrides, option, fragment):
    with pytest.raises(InvalidInput) as caught:
        rules_for("rds", **overrides)
    assert fragment in str(caught.value)
    assert caught.value.option in (option, "failure_states")
    if "allowed:" in fragment:
        assert caught.value.option == option
        assert caught.value.allowed == ["Pending", "Running", "Completed", "Failed"]


def test_overlap_error_names_both_options():
    with pytest.raises(InvalidInput) as caught:
        rules_for("rds", target_states=["Completed"], failure_states=["Completed"])
    assert "failure_states and target_states" in str(caught.value)


def test_for_service_reads_the_catalog(monkeypatch):
    monkeypatch.setitem(CATALOG, "fake", {"phases": {"running": ["Busy"], "succeeded": ["Done"], "failed": ["Broken"]}})
    rules = CompletionRules.for_service(service_entry("fake"))
    assert rules.service == "fake" and rules.target_states == ["Done"] and rules.pending_states == ["Busy"]
    with pytest.raises(InvalidInput) as caught:
        CompletionRules.for_service(service_entry("dws"))
    assert caught.value.option == "service"
    assert caught.value.allowed == list(SERVICES)


# ---------------------------------------------------------------------------
# one normalisation rule (behaviour change of issue 10: the model and the rules used to disagree)


@pytest.mark.parametrize("status, key", [
    ("Completed", "completed"), ("COMPLETED", "completed"), ("  Completed\t", "completed"), ("", ""),
    (None, None), (100, None), (True, None),
])
def test_status_key(status, key):
    assert status_key(status) == key


def test_completed_in_capitals_is_succeeded_for_the_model_and_target_for_the_rules():
    # Before: the model said succeeded, CompletionRules.classify said pending (exact comparison).
    assert normalize(service_entry("rds"), {"id": "a", "status": "COMPLETED"})["phase"] == "succeeded"
    rules = CompletionRules.for_service(service_entry("rds"))
    assert rules.classify("COMPLETED") == "target"
    assert rules.classify(" completed ") == "target"
    assert rules.classify("FAILED") == "failure"
    assert rules.classify("running") == "pending"


PHASE_CLASS = {"succeeded": "target", "failed": "failure", "pending": "pending", "running": "pending"}


@pytest.mark.parametrize("service", SERVICES)
def test_model_phase_and_rule_class_agree_on_every_spelling(service):
    rules = CompletionRules.for_service(service_entry(service))
    phases = CATALOG[service]["phases"]
    for phase, class_ in PHASE_CLASS.items():
        for value in phases.get(phase, ()):
            for spelling in (value, value.upper(), value.lower(), " %s " % value):
                assert match_phase(phases, spelling) == phase, spelling
                assert rules.classify(spelling) == class_, spelling


def test_subtask_phases_use_the_same_rule():
    body = {"job": {"JOB_ID": "J", "EXECUTION_STATUS": " running "},
            "tasks": [{"TASK_ID": "T1", "TASK_INDEX": 1, "TASK_STATUS": "succeeded"},
                      {"TASK_ID": "T2", "TASK_INDEX": 2, "TASK_STATUS": "Failed "}]}
    task = normalize(service_entry("servicestage"), body)
    assert task["phase"] == "running"
    assert [sub["phase"] for sub in task["subtasks"]] == ["succeeded", "failed"]


def test_overrides_accept_any_case_and_keep_the_catalog_spelling():
    rules = rules_for("rds", target_states=["completed"], failure_states=[" FAILED"], pending_states=["running", "Running"])
    assert rules.target_states == ["Completed"]
    assert rules.failure_states == ["Failed"]
    assert rules.pending_states == ["Running"]
    assert rules.classify("COMPLETED") == "target" and rules.classify("Pending") == "unexpected"


def test_strict_rules_match_statuses_the_same_way():
    rules = rules_for("rds", pending_states=["Running"])
    assert rules.classify("RUNNING") == "pending"
    assert rules.classify("Queued") == "unexpected"


def test_a_wait_succeeds_on_a_status_in_other_capitals(fake_clock):
    # The engine follows the rules: COMPLETED ends the wait instead of running into the timeout.
    waiter, _cloud, _events = build(fake_clock, {"a": [[0, "Running", 10], [3, "COMPLETED", None]]}, timeout=60)
    result = waiter.run()
    assert result.outcome == "succeeded" and result.elapsed < 10


def test_classify_answers_the_same_for_repeated_and_unhashable_statuses():
    rules = rules_for("rds", pending_states=["Running"])
    assert [rules.classify("COMPLETED") for _attempt in range(3)] == ["target"] * 3
    assert rules.classify(["Running"]) == "unexpected" and rules.classify({"s": 1}) == "unexpected"
    assert rules_for("rds").classify(["Running"]) == "pending"


# ---------------------------------------------------------------------------
# issue 12: CAS UNKNOWN is a failure, and pending_states overrides a default phase


def test_cas_unknown_and_partially_failed_are_failures_by_default():
    rules = CompletionRules.for_service(service_entry("servicestage"))
    assert "UNKNOWN" in rules.failure_states and "PARTIALLY_FAILED" in rules.failure_states
    assert rules.classify("UNKNOWN") == "failure" and rules.classify(" unknown ") == "failure"
    assert rules.classify("PARTIALLY_FAILED") == "failure"


def test_pending_states_can_make_cas_unknown_pending():
    rules = CompletionRules.for_service(service_entry("servicestage"), pending_states=["unknown", "RUNNING"])
    assert rules.pending_states == ["UNKNOWN", "RUNNING"]
    assert "UNKNOWN" not in rules.failure_states
    assert rules.classify("UNKNOWN") == "pending" and rules.classify("FAILED") == "failure"
    assert rules.classify("SUBMITTED") == "unexpected"   # explicit pending_states: strict, as before


def test_an_override_of_one_option_leaves_the_defaults_of_the_others():
    # failure_states [Completed] used to be ignored: Completed stayed a default target and won.
    with pytest.raises(InvalidInput) as caught:
        CompletionRules.for_service(service_entry("rds"), failure_states=["Completed"])
    assert caught.value.option == "target_states"
    assert "rds has no succeeded status that another option does not list" in str(caught.value)
    rules = CompletionRules.for_service(service_entry("rds"), pending_states=["Running", "Failed"])
    assert rules.classify("Failed") == "pending" and rules.failure_states == []
    with pytest.raises(InvalidInput) as caught:
        CompletionRules.for_service(service_entry("rds"), target_states=[])
    assert "(the list is empty)" in str(caught.value)
