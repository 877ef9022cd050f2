# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``expect`` assertions: semantics table, default messages and spec validation."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.expect import (
    evaluate,
    parse_expectations,
    resolve_path,
)

TASK = {
    "id": "4f2c",
    "name": "CreateInstance",
    "status": "Completed",
    "progress": 100,
    "instance": {"id": "inst-1", "name": "prod-db-1", "status": "BUILD"},
    "fail_reason": None,
    "subtasks": [{"name": "prepare", "status": "SUCCEEDED"}, {"name": "build", "status": "FAILED"}],
}

# (entry, holds) - each row is checked against TASK.
SEMANTICS = [
    ({"path": "instance.status", "equals": "BUILD"}, True),
    ({"path": "instance.status", "equals": "ACTIVE"}, False),
    ({"path": "progress", "equals": "100"}, True),        # YAML/API typing forgiven for scalars
    ({"path": "progress", "equals": 99}, False),
    ({"path": "fail_reason", "equals": None}, True),
    ({"path": "instance.status", "in": ["ACTIVE", "BUILD"]}, True),
    ({"path": "instance.status", "in": ["ACTIVE"]}, False),
    ({"path": "progress", "in": ["100", "99"]}, True),
    ({"path": "instance.name", "matches": "^prod-"}, True),
    ({"path": "instance.name", "matches": "db"}, True),     # searched, not anchored
    ({"path": "instance.name", "matches": "^db"}, False),
    ({"path": "progress", "matches": "^10+$"}, True),       # non-strings are matched as text
    ({"path": "fail_reason", "matches": ".*"}, False),      # null never matches
    ({"path": "subtasks.1.status", "equals": "FAILED"}, True),
    ({"path": "subtasks.-1.name", "equals": "build"}, True),
    ({"path": "subtasks.5.status", "equals": "FAILED"}, False),  # out of range = missing
    ({"path": "instance.zone", "equals": None}, False),          # missing is not null
]


@pytest.mark.parametrize("entry, holds", SEMANTICS, ids=[repr(row[0]) for row in SEMANTICS])
def test_semantics(entry, holds):
    failures, warnings = evaluate(TASK, parse_expectations([entry]))
    assert warnings == []
    assert (failures == []) is holds


MESSAGES = [
    ({"path": "instance.status", "equals": "ACTIVE"}, "task 4f2c: instance.status is 'BUILD', expected 'ACTIVE'"),
    ({"path": "instance.status", "in": ["ACTIVE", "FROZEN"]},
     "task 4f2c: instance.status is 'BUILD', expected one of 'ACTIVE', 'FROZEN'"),
    ({"path": "name", "matches": "^Delete"}, "task 4f2c: name is 'CreateInstance', expected to match '^Delete'"),
    ({"path": "instance.zone", "equals": "az1"}, "task 4f2c: instance.zone missing, expected 'az1'"),
    ({"path": "instance.status", "equals": "ACTIVE", "msg": "instance is not up"}, "task 4f2c: instance is not up"),
]


@pytest.mark.parametrize("entry, message", MESSAGES, ids=[row[1] for row in MESSAGES])
def test_failure_messages(entry, message):
    assert evaluate(TASK, parse_expectations([entry])) == ([message], [])


def test_severity_routes_messages_to_failures_or_warnings():
    expectations = parse_expectations([
        {"path": "instance.status", "equals": "ACTIVE", "severity": "warn"},
        {"path": "name", "equals": "DeleteInstance"},
        {"path": "status", "equals": "Completed", "severity": "warn"},  # holds: no message at all
        {"path": "progress", "equals": 50, "severity": "fail"},
    ])
    failures, warnings = evaluate(TASK, expectations)
    assert warnings == ["task 4f2c: instance.status is 'BUILD', expected 'ACTIVE'"]
    assert failures == ["task 4f2c: name is 'CreateInstance', expected 'DeleteInstance'",
                        "task 4f2c: progress is 100, expected 50"]


BAD_SPECS = [
    ("not-a-list", "expect must be a list"),
    (["instance.status"], "expect[0]: each entry must be a dict"),
    ([{"equals": "ACTIVE"}], "expect[0]: 'path' is required"),
    ([{"path": "", "equals": "ACTIVE"}], "'path' is required"),
    ([{"path": "instance..status", "equals": "ACTIVE"}], "'path' is required"),
    ([{"path": "status"}], "exactly one of equals, in, matches is required, got none"),
    ([{"path": "status", "equals": "a", "in": ["a"]}], "exactly one of equals, in, matches is required, got equals, in"),
    ([{"path": "status", "in": "Completed"}], "'in' needs a list"),
    ([{"path": "status", "matches": "("}], "'matches' is not a valid regular expression '('"),
    ([{"path": "status", "matches": 5}], "'matches' needs a regular expression string"),
    ([{"path": "status", "equals": "a", "severity": "error"}], "'severity' must be one of fail, warn, got 'error'"),
    ([{"path": "status", "equals": "a", "msg": 3}], "'msg' must be a string"),
    ([{"path": "status", "equal": "a"}], "unknown key(s) equal; allowed keys: path, equals, in, matches, severity, msg"),
    ([{"path": "status", "equals": "a"}, {"path": "x", "equals": "b", "sevrity": "warn"}], "expect[1]: unknown key(s) sevrity"),
]


@pytest.mark.parametrize("spec, fragment", BAD_SPECS, ids=[row[1] for row in BAD_SPECS])
def test_bad_specs_name_the_option(spec, fragment):
    with pytest.raises(InvalidInput) as info:
        parse_expectations(spec)
    assert info.value.option == "expect"
    assert fragment in str(info.value)


def test_no_expectations():
    assert parse_expectations(None) == []
    assert evaluate(TASK, parse_expectations([])) == ([], [])


def test_resolve_path_walks_dicts_and_lists():
    assert resolve_path(TASK, "instance.name") == "prod-db-1"
    assert resolve_path(TASK, "subtasks.0.name") == "prepare"
    assert resolve_path(TASK, "fail_reason") is None
    assert resolve_path(TASK, "instance.name.first") is not None  # the missing marker, not a value
    assert resolve_path(TASK, "instance.name.first") != resolve_path(TASK, "fail_reason")
