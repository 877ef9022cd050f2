# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_task action plugin: secrets are masked exactly as remove_values would, the deep copy is skipped when none
occurs; ids and filters are checked by Ansible with the module's argument rules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os

import pytest

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.taskgate.huaweicloud.plugins.action.wait_for_task import ActionModule, mask_secrets, merge_environment
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import wait_runner

SECRET = 'tok"en\\with\u00e9-é'


def _task(**raw):
    return {"id": "j1", "status": "Running", "progress": 40, "raw": dict(raw), "subtasks": [{"message": "ok"}]}


FAST = "returned as is"        # no secret can occur: no deep copy
MASKED = "masked"              # remove_values replaced something
CHECKED = "checked"            # unsure (key match, type JSON cannot encode): remove_values ran, found nothing

CASES = [
    ("no secret anywhere", {"tasks": [_task(note="plain")], "timeline": {"j1": [{"at": 0.1, "progress": 3}]}}, [SECRET], FAST),
    ("no secrets given", {"tasks": [_task(note=SECRET)]}, [], FAST),
    ("empty and None secrets are ignored", {"tasks": [_task(note="plain")]}, ["", None], FAST),
    ("secret as a whole value", {"tasks": [_task(note=SECRET)]}, [SECRET], MASKED),
    ("secret inside a longer string", {"msg": "call failed: token=%s; retry" % SECRET}, [SECRET], MASKED),
    ("secret deep in a list of dicts", {"tasks": [_task(items=[{"x": ["a", "pre" + SECRET]}])]}, [SECRET], MASKED),
    ("number equal to a secret", {"tasks": [_task(code=12345)]}, ["12345"], MASKED),
    ("float equal to a secret", {"tasks": [_task(ratio=2.5)]}, ["2.5"], MASKED),
    ("value JSON cannot encode", {"tasks": [_task(when=datetime.datetime(2026, 1, 2, 3, 4, 5))]}, [SECRET], CHECKED),
    ("NaN equal to a secret", {"tasks": [_task(ratio=float("nan"))]}, ["nan"], MASKED),
    ("secret only in a key", {"reasons": {SECRET + "-id": "fine"}}, [SECRET], CHECKED),
]


@pytest.mark.parametrize("name, result, secrets, path", CASES, ids=[case[0] for case in CASES])
def test_mask_secrets_matches_remove_values(name, result, secrets, path):
    expected = remove_values(result, [secret for secret in secrets if secret])
    got = mask_secrets(result, secrets)
    assert repr(got) == repr(expected)  # repr: NaN != NaN
    if path == FAST:
        assert got is result, "without any secret in it the result is returned as is (no deep copy)"
    else:
        assert got is not result, "when a secret may occur, remove_values must build the result"
    # Compared with remove_values without secrets: before ansible-core 2.19 it also turns dates into text.
    assert (repr(got) != repr(remove_values(result, []))) == (path == MASKED)


def test_masked_value_never_contains_the_secret():
    result = {"msg": "x" + SECRET + "y", "tasks": [_task(note=SECRET)]}
    got = mask_secrets(result, [SECRET])
    assert SECRET not in repr(got)
    assert got["tasks"][0]["raw"]["note"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert got["msg"] == "x********y"


# ---------------------------------------------------------------------------
# the ids-vs-filters rules reach Ansible's own validation (validate once, the module's words)


class _Task(object):
    def __init__(self, args, environment=None, async_val=0):
        self.args = args
        self.environment = environment
        self.async_val = async_val


class _Templar(object):
    """Renders "{{ name }}" from its variables, as the task's templar would; records what it was given."""

    def __init__(self, variables=None):
        self.variables = variables or {}
        self.calls = []

    def template(self, value):
        self.calls.append(value)
        if isinstance(value, dict):
            return dict((key, self.template(item)) for key, item in value.items())
        if isinstance(value, str) and value.startswith("{{ ") and value.endswith(" }}"):
            return self.variables[value[3:-3]]
        return value


def _action(monkeypatch, args, environment=None, async_val=0, variables=None):
    monkeypatch.setattr(ActionBase, "run", lambda self, tmp=None, task_vars=None: {})
    action = object.__new__(ActionModule)  # no connection or play context: nothing is sent
    action._task = _Task(args, environment, async_val)
    action._templar = _Templar(variables)
    action._load_name = "taskgate.huaweicloud.wait_for_task"
    return action


@pytest.mark.parametrize("args, message", [
    ({"service": "rds", "id": ["a"], "status": "Running"}, "parameters are mutually exclusive: id|status"),
    ({"service": "rds"}, "one of the following is required: id, status, name, instance_id, order_id, start_time, end_time"),
])
def test_action_validates_ids_and_filters_with_the_argument_rules(monkeypatch, args, message):
    monkeypatch.setattr(wait_runner, "run_wait", lambda *a, **k: pytest.fail("the wait must not start"))
    with pytest.raises(AnsibleActionFail) as caught:
        _action(monkeypatch, args).run(task_vars={})
    assert message in str(caught.value)


# ---------------------------------------------------------------------------
# the task's environment: keyword, as the module would get it


def test_merge_environment_merges_in_order_and_templates():
    templar = _Templar({"token": "from-vars"})
    merged = merge_environment([{"HW_AUTH_TOKEN": "play", "HW_REGION_NAME": "r1"}, None, {},
                                {"HW_AUTH_TOKEN": "{{ token }}", "HW_MAX_RETRIES": 2, "HW_CLOUD": None}], templar.template)
    assert merged == {"HW_AUTH_TOKEN": "from-vars", "HW_REGION_NAME": "r1", "HW_MAX_RETRIES": "2"}


@pytest.mark.parametrize("environment", [None, [], {}])
def test_no_environment_is_empty(environment):
    assert merge_environment(environment, _Templar().template) == {}


def test_an_environment_that_is_no_dict_fails_clearly():
    with pytest.raises(AnsibleActionFail) as caught:
        merge_environment(["HW_AUTH_TOKEN=x"], _Templar().template)
    assert "environment must be a dictionary" in str(caught.value)


TASK_TOKEN = "task-env-token-" + SECRET
CONTROLLER_TOKEN = "controller-token-7"
WAIT_ARGS = {"service": "rds", "id": ["j1"], "region": "ap-southeast-1", "project_id": "p" * 32}


def _captured_wait(monkeypatch, outcome=None):
    seen = {}

    def fake_run_wait(params, emit=None):
        seen.update(params)
        return dict(outcome or {"failed": False, "msg": "ok"})
    monkeypatch.setattr(wait_runner, "run_wait", fake_run_wait)
    return seen


@pytest.mark.parametrize("task_env, explicit, expected", [
    ({"HW_AUTH_TOKEN": TASK_TOKEN}, None, TASK_TOKEN),          # environment: beats the controller's env
    ({}, None, CONTROLLER_TOKEN),                               # without it, the controller's env
    ({"HW_AUTH_TOKEN": TASK_TOKEN}, "explicit-token", "explicit-token"),   # an option given beats both
], ids=["task environment", "controller environment", "explicit option"])
def test_fallbacks_read_the_task_environment_first(monkeypatch, task_env, explicit, expected):
    monkeypatch.setenv("HW_AUTH_TOKEN", CONTROLLER_TOKEN)
    seen = _captured_wait(monkeypatch)
    args = dict(WAIT_ARGS, auth_token=explicit) if explicit else dict(WAIT_ARGS)
    _action(monkeypatch, args, environment=[task_env]).run(task_vars={})
    assert seen["auth_token"] == expected


def test_templated_environment_values_reach_every_fallback(monkeypatch):
    for name in ("HW_AUTH_TOKEN", "HW_REGION_NAME", "HW_PROJECT_ID", "HW_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    seen = _captured_wait(monkeypatch)
    environment = {"HW_AUTH_TOKEN": "{{ vault_token }}", "HW_REGION_NAME": "eu-west-101", "HW_PROJECT_ID": "q" * 32,
                   "HW_MAX_RETRIES": 7}
    _action(monkeypatch, {"service": "rds", "id": ["j1"]}, environment=environment,
            variables={"vault_token": TASK_TOKEN}).run(task_vars={})
    assert (seen["auth_token"], seen["region"], seen["project_id"], seen["max_retries"]) == (TASK_TOKEN, "eu-west-101", "q" * 32, 7)


def test_the_assume_role_and_profile_variables_come_from_the_task_environment(monkeypatch):
    monkeypatch.setenv("HW_ASSUME_ROLE_AGENCY_NAME", "controller-agency")
    monkeypatch.setenv("HW_PROFILE", "controller-profile")
    seen = _captured_wait(monkeypatch)
    environment = {"HW_ASSUME_ROLE_AGENCY_NAME": "task-agency", "HW_ASSUME_ROLE_DOMAIN_NAME": "other-account",
                   "HW_ASSUME_ROLE_DURATION": "3600", "HW_PROFILE": "task-profile"}
    _action(monkeypatch, dict(WAIT_ARGS), environment=environment).run(task_vars={})
    assert seen["assume_role"] == {"agency_name": "task-agency", "domain_name": "other-account", "domain_id": None,
                                   "duration": 3600}
    assert seen["profile"] == "task-profile"


def test_blank_number_variables_of_the_task_environment_count_as_unset(monkeypatch):
    # As AWX injects an empty credential field: an empty HW_ASSUME_ROLE_DURATION must not fail the type check.
    seen = _captured_wait(monkeypatch)
    environment = {"HW_ASSUME_ROLE_DURATION": "", "HW_MAX_REQUEST_RATE": " ", "HW_ASSUME_ROLE_AGENCY_NAME": ""}
    _action(monkeypatch, dict(WAIT_ARGS), environment=environment).run(task_vars={})
    assert seen["assume_role"] == {"agency_name": None, "domain_name": None, "domain_id": None, "duration": None}
    assert seen["max_request_rate"] is None


def test_a_number_variable_of_the_task_environment_is_read(monkeypatch):
    monkeypatch.delenv("HW_MAX_REQUEST_RATE", raising=False)
    seen = _captured_wait(monkeypatch)
    _action(monkeypatch, dict(WAIT_ARGS), environment={"HW_MAX_REQUEST_RATE": "12.5"}).run(task_vars={})
    assert seen["max_request_rate"] == 12.5


def test_a_secret_from_the_task_environment_is_masked(monkeypatch):
    monkeypatch.delenv("HW_AUTH_TOKEN", raising=False)
    _captured_wait(monkeypatch, {"failed": True, "msg": "echoed %s back" % TASK_TOKEN})
    result = _action(monkeypatch, dict(WAIT_ARGS), environment={"HW_AUTH_TOKEN": TASK_TOKEN}).run(task_vars={})
    assert TASK_TOKEN not in repr(result)
    assert result["msg"] == "echoed ******** back"


def test_the_controller_environment_is_left_alone(monkeypatch):
    monkeypatch.delenv("HW_AUTH_TOKEN", raising=False)
    _captured_wait(monkeypatch)
    _action(monkeypatch, dict(WAIT_ARGS), environment={"HW_AUTH_TOKEN": TASK_TOKEN}).run(task_vars={})
    assert "HW_AUTH_TOKEN" not in os.environ


# ---------------------------------------------------------------------------
# async: the module runs under Ansible's async wrapper


def test_async_runs_the_module_under_the_async_wrapper(monkeypatch):
    monkeypatch.setattr(wait_runner, "run_wait", lambda *a, **k: pytest.fail("async must not wait in the action"))
    calls = []

    def fake_execute_module(self, module_name=None, module_args=None, task_vars=None, wrap_async=False, **kwargs):
        calls.append((module_name, module_args, task_vars, wrap_async))
        return {"ansible_job_id": "j-async-1", "started": 1, "finished": 0}
    monkeypatch.setattr(ActionModule, "_execute_module", fake_execute_module)
    args = dict(WAIT_ARGS, auth_token="t")
    result = _action(monkeypatch, args, async_val=3600).run(task_vars={"inventory_hostname": "h1"})
    assert calls == [("taskgate.huaweicloud.wait_for_task", args, {"inventory_hostname": "h1"}, True)]
    assert result == {"ansible_job_id": "j-async-1", "started": 1, "finished": 0}
    assert calls[0][1] is not args, "the task's own args must not be handed over to be changed"


def test_the_action_declares_async_support():
    assert ActionModule._supports_async is True


@pytest.mark.parametrize("insecure, expected", [("true", False), ("false", True)])
def test_hw_insecure_of_the_task_environment_is_read_too(monkeypatch, insecure, expected):
    # Every fallback kind reads the task's environment, the negated one (validate_certs) as well.
    monkeypatch.setenv("HW_INSECURE", "false" if insecure == "true" else "true")
    seen = _captured_wait(monkeypatch)
    _action(monkeypatch, dict(WAIT_ARGS), environment={"HW_INSECURE": insecure}).run(task_vars={})
    assert seen["validate_certs"] is expected


def test_a_task_environment_hw_insecure_that_is_no_boolean_fails_naming_the_variable(monkeypatch):
    monkeypatch.delenv("HW_INSECURE", raising=False)
    _captured_wait(monkeypatch)
    with pytest.raises(AnsibleActionFail) as caught:
        _action(monkeypatch, dict(WAIT_ARGS), environment={"HW_INSECURE": "maybe"}).run(task_vars={})
    assert "validate_certs" in str(caught.value) and "HW_INSECURE=maybe" in str(caught.value)
