# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_plan: the argument spec, the ids-vs-filters rules, and every option check (no I/O) before the engine runs."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from waiter_scripts import ScriptedCloud

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import wait_plan
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import SERVICES, per_task_schedule, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import FILTER_OPTIONS
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import (
    ARGUMENT_CONSTRAINTS,
    argument_spec,
    plan_wait,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import Waiter
from ansible_collections.taskgate.huaweicloud.plugins.modules import wait_for_task

NOW = 1767225600.0  # 2026-01-01T00:00:00Z
BASE = {"service": "rds", "id": ["job-1"], "auth_token": "unit-test-token", "region": "ap-southeast-1",
        "project_id": "p" * 32, "endpoints": {"rds": "http://127.0.0.1:9/rds"}}


def without_id(**given):
    """BASE with ``given`` as the only task selection."""
    merged = dict((key, value) for key, value in BASE.items() if key != "id")
    merged.update(given)
    return merged


def params(**changes):
    merged = dict(BASE)
    merged.update(changes)
    return dict((key, value) for key, value in merged.items() if value is not None)


def plan(**changes):
    return plan_wait(params(**changes), wall_clock=lambda: NOW)


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


def test_argument_rules_name_only_spec_options():
    spec = argument_spec()
    for kind in ("mutually_exclusive", "required_one_of"):
        for terms in ARGUMENT_CONSTRAINTS[kind]:
            assert set(terms) <= set(spec), (kind, terms)
    assert ARGUMENT_CONSTRAINTS["mutually_exclusive"] == [["service", "api"]] + [["id", name] for name in FILTER_OPTIONS]
    assert ARGUMENT_CONSTRAINTS["required_one_of"] == [["service", "api"], ["id"] + list(FILTER_OPTIONS)]


@pytest.mark.parametrize("given, message", [
    ({"service": "rds", "id": ["a"], "status": "Running"}, "parameters are mutually exclusive: id|status"),
    ({"service": "rds", "id": ["a"], "name": "x", "order_id": "o"}, "parameters are mutually exclusive: id|name, id|order_id"),
    ({"service": "rds"}, "one of the following is required: id, status, name, instance_id, order_id, start_time, end_time"),
])
def test_plan_and_ansible_say_the_same_about_ids_and_filters(given, message):
    # Ansible's check (module and action plugin) ...
    validation = ArgumentSpecValidator(argument_spec(), **ARGUMENT_CONSTRAINTS).validate(dict(given))
    assert validation.error_messages == [message]
    # ... and the plan's own, for run_wait called with a dict: one check, one wording.
    with pytest.raises(InvalidInput) as info:
        plan_wait(without_id(**given), wall_clock=lambda: NOW)
    assert str(info.value) == message
    assert info.value.option == "id"
    assert info.value.allowed == ["id"] + list(FILTER_OPTIONS)


def test_ids_or_filters_alone_pass_both_checks():
    for given in ({"id": ["a"]}, {"status": "Running", "instance_id": "i-1"}):
        validation = ArgumentSpecValidator(argument_spec(), **ARGUMENT_CONSTRAINTS).validate(dict(given, service="rds"))
        assert validation.error_messages == []
        plan_wait(without_id(**given), wall_clock=lambda: NOW)


def test_the_module_hands_the_rules_to_ansible(monkeypatch):
    seen = {}

    class Stop(Exception):
        pass

    def fake_module(**kwargs):
        seen.update(kwargs)
        raise Stop()

    monkeypatch.setattr(wait_for_task, "AnsibleModule", fake_module)
    with pytest.raises(Stop):
        wait_for_task.main()
    assert seen["mutually_exclusive"] == ARGUMENT_CONSTRAINTS["mutually_exclusive"]
    assert seen["required_one_of"] == ARGUMENT_CONSTRAINTS["required_one_of"]


# ---------------------------------------------------------------------------
# option checks: each bad value names its option, no I/O


BAD_OPTIONS = [
    ("service", {"service": "nosql"}, "geminidb, rds, ddm, servicestage"),
    ("id", {"id": 42}, "task id"),
    ("id", {"id": ["ok", ""]}, "non-empty"),
    ("id", {"id": [1]}, "non-empty"),
    ("id", {"id": {"a": 1}}, "task id"),
    ("id", {"status": "Running"}, "mutually exclusive"),
    ("id", {"id": None}, "one of the following is required: id, status, name, instance_id"),
    ("timeout", {"timeout": "abc"}, "90s, 30m, 1h30m"),
    ("timeout", {"timeout": "-1"}, "negative"),
    ("timeout", {"timeout": "0s"}, "more than 0"),
    ("timeout", {"timeout": 0}, "more than 0"),
    ("timeout", {"timeout": "-5m"}, "invalid duration"),
    ("timeout", {"timeout": "soon"}, "invalid duration"),
    ("deadline", {"deadline": "soon"}, "ISO 8601"),
    ("deadline", {"deadline": 1767225600000}, "milliseconds"),
    ("mode", {"mode": "first"}, "all, any"),
    ("mode", {"mode": "some"}, "all, any"),
    ("fail_fast", {"fail_fast": "yes"}, "true or false"),
    ("progress", {"progress": 1}, "true or false"),
    ("delay", {"delay": -1}, "negative"),
    ("poll_interval", {"poll_interval": 0}, "more than 0"),
    ("poll_interval", {"poll_interval": -2}, "negative"),
    ("max_poll_interval", {"poll_interval": 20, "max_poll_interval": 10}, "must not be smaller than poll_interval (20)"),
    ("max_poll_interval", {"max_poll_interval": "x"}, "invalid duration"),
    ("not_found_grace", {"not_found_grace": -1}, "negative"),
    ("stable_for", {"stable_for": 0}, "whole number of polls >= 1"),
    ("stable_for", {"stable_for": 1.5}, "whole number of polls >= 1"),
    ("stable_for", {"stable_for": True}, "whole number of polls >= 1"),
    ("target_states", {"target_states": ["Done"]}, "allowed: Running, Completed, Failed"),
    ("target_states", {"failure_states": ["Completed"], "target_states": ["Completed"]}, "only be in one"),
    ("expect", {"expect": [{"path": "status"}]}, "exactly one of equals, in, matches"),
    ("expect", {"expect": {"path": "status", "equals": "x"}}, "must be a list"),
]


@pytest.mark.parametrize("option, change, fragment", BAD_OPTIONS, ids=["%s=%r" % row[:2] for row in BAD_OPTIONS])
def test_plan_rejects_bad_options(option, change, fragment):
    with pytest.raises(InvalidInput) as info:
        plan(**change)
    assert info.value.option == option
    assert option in str(info.value)
    assert fragment in str(info.value)


def test_mode_error_lists_allowed_values():
    with pytest.raises(InvalidInput) as caught:
        plan(mode="first")
    assert caught.value.allowed == ["all", "any"]
    assert wait_plan.MODE_CHOICES == ("all", "any")


def test_plan_accepts_a_single_id_string_and_dedups():
    assert plan(id=["a", "b", "a"]).ids == ["a", "b"]
    assert plan(id="solo").ids == ["solo"]
    # A single string is one id: the commas are part of it.
    assert plan(id="a,b,").ids == ["a,b,"]


def test_target_states_match_like_the_task_model():
    # Issue 10: statuses are matched ignoring case and blanks, and kept in the catalog's spelling.
    rules = plan(target_states=["completed"], failure_states=["FAILED "]).rules
    assert rules.target_states == ["Completed"] and rules.failure_states == ["Failed"]


@pytest.mark.parametrize("timeout, deadline, expected", [
    ("30m", None, NOW + 1800),
    (90, None, NOW + 90),
    ("1h30m", "2026-01-01T00:10:00Z", NOW + 600),       # the earlier deadline wins
    ("5m", NOW + 3600, NOW + 300),                       # the earlier timeout wins
    ("5m", str(int(NOW + 60)), NOW + 60),                # epoch seconds as text
])
def test_deadline_is_the_earlier_of_timeout_and_deadline(timeout, deadline, expected):
    assert plan(timeout=timeout, deadline=deadline).deadline_epoch == pytest.approx(expected)


def test_plan_holds_parsed_values_and_the_catalog_schedule():
    checked = plan(timeout="1m30s", delay="5s", poll_interval="2", max_poll_interval="0.5m", not_found_grace="1m",
                   stable_for=2, mode="any", fail_fast=False, progress=False)
    assert (checked.timeout, checked.delay, checked.poll_interval, checked.max_poll_interval, checked.not_found_grace) == (
        90.0, 5.0, 2.0, 30.0, 60.0)
    assert (checked.stable_for, checked.mode, checked.fail_fast, checked.progress) == (2, "any", False, False)
    assert checked.service == "rds" and checked.rules.service == "rds"
    assert checked.filters == {}
    for service in SERVICES:
        assert plan(service=service).per_task_schedule is per_task_schedule(service_entry(service))


def test_filters_keep_their_documented_order():
    checked = plan(id=None, instance_id="i-1", status="Running")
    assert checked.ids is None
    assert list(checked.filters) == ["status", "instance_id"]


def test_duration_strings_are_accepted_for_engine_options(fake_clock):
    # The plan parses the durations; the engine runs on the parsed plan.
    checked = plan(id=["a"], timeout="1m30s", delay="5s", poll_interval="2", max_poll_interval="0.5m")
    cloud = ScriptedCloud(fake_clock, {"a": [[0, "Running", 0]]})
    result = Waiter(cloud, checked, clock=fake_clock.clock, sleep=fake_clock.sleep).run()
    assert result.outcome == "timeout"
    assert fake_clock.elapsed == 90
    assert fake_clock.sleeps[0] == 5
    assert min(fake_clock.sleeps[1:]) >= 2 and max(fake_clock.sleeps) <= 30


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_an_empty_id_list_is_nothing_to_wait_for_on_every_service(service, fake_clock):
    # A loop that created nothing hands an empty list: the wait succeeds at once, whatever the API.
    plan = plan_wait(params(service=service, id=[]), wall_clock=lambda: NOW)
    assert plan.ids == []
    result = Waiter(lambda ids, deadline: [], plan, clock=fake_clock, sleep=fake_clock.sleep).run()
    assert (result.outcome, result.polls) == ("succeeded", 0)
