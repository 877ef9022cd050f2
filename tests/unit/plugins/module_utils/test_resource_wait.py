# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""resource_wait: state -> rules, the "gone" refresh hook, the resource shape, resource_state's checks (no I/O)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import resource_wait
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import FAILURE, PENDING, TARGET

AUTH = {"auth_token": "unit-test-token", "region": "eu-west-101", "project_id": "p" * 32}


def test_default_state_is_ready_errors_and_deleted_fail_the_rest_is_pending():
    target = resource_wait.plan_target({"service": "ecs"})
    rules = target.rules
    assert not target.absent and rules.target_states == ["ACTIVE"]
    assert [rules.classify(status) for status in ("ACTIVE", "active ", "ERROR", "DELETED", "BUILD", "SHUTOFF", "NEW_STATE")] == [
        TARGET, TARGET, FAILURE, FAILURE, PENDING, PENDING, PENDING]


def test_state_absent_targets_gone_and_the_deleted_states_only_delete_errors_fail():
    ecs = resource_wait.plan_target({"service": "ecs", "state": "ABSENT"})
    evs = resource_wait.plan_target({"service": "evs", "state": ["absent"]})
    assert ecs.absent and ecs.rules.target_states == ["DELETED", "SOFT_DELETED", "absent"]
    assert [ecs.rules.classify(status) for status in ("absent", "DELETED", "ACTIVE", "ERROR")] == [TARGET, TARGET, PENDING, PENDING]
    assert [evs.rules.classify(status) for status in ("absent", "deleting", "error_deleting", "error")] == [TARGET, PENDING, FAILURE, PENDING]


def test_a_list_of_states_means_any_in_the_catalog_spelling():
    rules = resource_wait.plan_target({"service": "ecs", "state": ["shutoff", "ACTIVE", "SHUTOFF"]}).rules
    assert rules.target_states == ["SHUTOFF", "ACTIVE"] and rules.classify("ERROR") == FAILURE


@pytest.mark.parametrize("params, option, words", [
    ({"service": "rds", "state": "AVAILABLE"}, "state", "'AVAILABLE' is not a state of this resource; allowed: BUILD"),
    ({"service": "rds", "state": ["absent", "ACTIVE"]}, "state", "absent waits for deletion"),
    ({"service": "rds", "state": []}, "state", "expected a state"),
    ({"service": "rds", "api": {"path": "/x/{id}"}}, "service", "mutually exclusive"),
    ({}, "service", "one of the following is required"),
    ({"api": {"label": "x", "host": "cce", "path": "/c/{id}", "status": "s", "pending": ["a"], "succeeded": ["b"]}, "resource": "c"},
     "resource", "resource goes with service"),
])
def test_bad_options_name_the_option(params, option, words):
    with pytest.raises(InvalidInput) as info:
        resource_wait.plan_target(params)
    assert info.value.option == option and words in str(info.value)


def test_the_gone_hook_turns_a_missing_id_into_absent_and_phases_follow_the_rules():
    target = resource_wait.plan_target({"service": "rds", "state": "absent"})
    names = {}
    answers = [[{"id": "a", "name": "db-a", "status": "ACTIVE"}, {"id": "b", "name": "db-b", "status": "BUILD"}],
               [{"id": "b", "name": "db-b", "status": "ACTIVE"}]]
    refresh = resource_wait._resource_refresh(target, names)(lambda ids, deadline: answers.pop(0), None)

    first = refresh(["a", "b"], 10.0)
    second = refresh(["a", "b"], 10.0)

    assert first["a"]["phase"] == "pending"  # ACTIVE is on its way out while a deletion is awaited
    assert (second["a"]["status"], second["a"]["phase"], second["a"]["name"]) == ("absent", "absent", "db-a")
    assert second["b"]["phase"] == "pending"
    resource = resource_wait.to_resource(second["a"], target)
    assert (resource["id"], resource["status"], resource["phase"], resource["service"]) == ("a", "absent", "absent", "RDS instance")


def test_plan_resource_wait_keeps_the_engine_options_and_uses_the_resource_rules():
    plan, target = resource_wait.plan_resource_wait(dict(AUTH, service="evs", id=["v-1", "v-1", "v-2"], timeout="2m",
                                                         state="in-use"), wall_clock=lambda: 1000.0)
    assert plan.ids == ["v-1", "v-2"] and plan.timeout == 120.0 and plan.deadline_epoch == 1120.0
    assert plan.rules is target.rules and plan.rules.target_states == ["in-use"] and plan.noun == "resource"
    assert plan.per_task_schedule is True


def test_made_by_reads_sub_job_entities_else_the_instance():
    tasks = [{"subtasks": [{"entity_id": "s-1"}, {"entity_id": "s-2"}], "instance": {"id": None}},
             {"subtasks": [], "instance": {"id": "i-1"}}, {"subtasks": [{"entity_id": "s-1"}], "instance": {"id": "x"}}]
    assert resource_wait.made_by(tasks) == ["s-1", "s-2", "i-1"]


@pytest.mark.parametrize("params, words", [
    ({"service": "geminidb"}, "resource_state goes with service ecs, evs, rds (the jobs whose resource is built in); got 'geminidb'"),
    ({"api": {"path": "/x/{id}"}}, "got a declared api"),
    ({"service": "evs", "resource_state": ["ACTIVE"]}, "resource_state: 'ACTIVE' is not a state"),
])
def test_resource_state_is_checked_with_its_own_name(params, words):
    with pytest.raises(InvalidInput) as info:
        resource_wait.plan_resource_phase(dict({"resource_state": ["ACTIVE"]}, **params))
    assert info.value.option == "resource_state" and words in str(info.value)
