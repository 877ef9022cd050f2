# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_task action plugin: secrets are masked exactly as remove_values would, the deep copy is skipped when none
occurs; ids and filters are checked by Ansible with the module's argument rules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import pytest

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.taskgate.huaweicloud.plugins.action.wait_for_task import ActionModule, mask_secrets
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
    assert (repr(got) != repr(result)) == (path == MASKED)


def test_masked_value_never_contains_the_secret():
    result = {"msg": "x" + SECRET + "y", "tasks": [_task(note=SECRET)]}
    got = mask_secrets(result, [SECRET])
    assert SECRET not in repr(got)
    assert got["tasks"][0]["raw"]["note"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert got["msg"] == "x********y"


# ---------------------------------------------------------------------------
# the ids-vs-filters rules reach Ansible's own validation (validate once, the module's words)


class _Task(object):
    def __init__(self, args):
        self.args = args


def _action(monkeypatch, args):
    monkeypatch.setattr(ActionBase, "run", lambda self, tmp=None, task_vars=None: {})
    action = ActionModule.__new__(ActionModule)  # no connection or play context: nothing is sent
    action._task = _Task(args)
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
