# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declarative assertions on finished tasks (the ``expect`` option of wait_for_task).

An assertion is ``{path, equals | in | matches, severity, msg}``. ``path`` is a dotted path into
the normalized task (``instance.status``, ``subtasks.0.status``). ``parse_expectations`` checks the
whole list up front (no I/O), ``evaluate`` applies it to one task and returns the failures and the
warnings as readable lines.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import MISSING, lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

OPERATORS = ("equals", "in", "matches")
SEVERITIES = ("fail", "warn")
ALLOWED_KEYS = ("path",) + OPERATORS + ("severity", "msg")
_MISSING = MISSING


class Expectation(object):
    """One validated assertion."""

    def __init__(self, path, operator, expected, severity="fail", msg=None):
        self.path = path
        self.operator = operator
        self.expected = expected
        self.severity = severity
        self.msg = msg
        self._regex = re.compile(expected) if operator == "matches" else None

    def holds_for(self, value):
        if value is _MISSING:
            return False
        if self.operator == "equals":
            return _same(value, self.expected)
        if self.operator == "in":
            return any(_same(value, candidate) for candidate in self.expected)
        if value is None:
            return False
        return self._regex.search(value if isinstance(value, str) else str(value)) is not None

    def describe_expected(self):
        if self.operator == "equals":
            return repr(self.expected)
        if self.operator == "in":
            return "one of %s" % ", ".join(repr(candidate) for candidate in self.expected)
        return "to match %r" % self.expected

    def failure_message(self, task_id, value):
        """The user's msg, or ``task X: instance.status is 'BUILD', expected 'ACTIVE'``."""
        if self.msg:
            return "task %s: %s" % (task_id, self.msg)
        shown = "missing" if value is _MISSING else "is %r" % (value,)
        return "task %s: %s %s, expected %s" % (task_id, self.path, shown, self.describe_expected())


def _same(value, expected):
    """Equality that forgives YAML typing: 100 == "100" (API values are often strings)."""
    if value == expected:
        return True
    scalars = (str, int, float)
    if isinstance(value, bool) or isinstance(expected, bool):
        return False
    return isinstance(value, scalars) and isinstance(expected, scalars) and str(value) == str(expected)


def resolve_path(task, path):
    """Value at a dotted ``path`` in ``task`` (dict keys or list indexes), or the _MISSING marker."""
    return lookup_path(task, path, _MISSING)


def _invalid(index, problem, allowed=None):
    return InvalidInput("expect[%d]: %s" % (index, problem), option="expect", allowed=allowed)


def _parse_one(index, entry):
    if not isinstance(entry, dict):
        raise _invalid(index, "each entry must be a dict like {path: instance.status, equals: ACTIVE}, got %r" % (entry,))
    unknown = sorted(str(key) for key in entry if key not in ALLOWED_KEYS)
    if unknown:
        raise _invalid(index, "unknown key(s) %s; allowed keys: %s" % (", ".join(unknown), ", ".join(ALLOWED_KEYS)),
                       allowed=ALLOWED_KEYS)
    path = entry.get("path")
    if not isinstance(path, str) or not path.strip() or any(not part for part in path.split(".")):
        raise _invalid(index, "'path' is required: a dotted path into the task such as instance.status, got %r" % (path,))
    operators = [name for name in OPERATORS if name in entry]
    if len(operators) != 1:
        raise _invalid(index, "exactly one of %s is required, got %s" % (
            ", ".join(OPERATORS), ", ".join(operators) or "none"), allowed=OPERATORS)
    operator = operators[0]
    expected = entry[operator]
    if operator == "in" and not isinstance(expected, (list, tuple)):
        raise _invalid(index, "'in' needs a list of allowed values, got %r" % (expected,))
    if operator == "in":
        expected = list(expected)
    if operator == "matches":
        if not isinstance(expected, str):
            raise _invalid(index, "'matches' needs a regular expression string, got %r" % (expected,))
        try:
            re.compile(expected)
        except re.error as exc:
            raise _invalid(index, "'matches' is not a valid regular expression %r: %s" % (expected, exc))
    severity = entry.get("severity", "fail")
    if severity is None:
        severity = "fail"
    if severity not in SEVERITIES:
        raise _invalid(index, "'severity' must be one of %s, got %r" % (", ".join(SEVERITIES), severity),
                       allowed=SEVERITIES)
    msg = entry.get("msg")
    if msg is not None and not isinstance(msg, str):
        raise _invalid(index, "'msg' must be a string, got %r" % (msg,))
    return Expectation(path.strip(), operator, expected, severity=severity, msg=msg)


def parse_expectations(entries):
    """Validate the ``expect`` option; returns [Expectation]. Raises InvalidInput(option="expect")."""
    if entries is None:
        return []
    if not isinstance(entries, (list, tuple)):
        raise InvalidInput("expect must be a list of dicts like {path: instance.status, equals: ACTIVE}, got %r" % (entries,),
                           option="expect")
    return [_parse_one(index, entry) for index, entry in enumerate(entries)]


def evaluate(task, expectations):
    """Apply ``expectations`` to one task; returns (failure_messages, warning_messages)."""
    failures = []
    warnings = []
    task_id = task.get("id") if isinstance(task, dict) else None
    for expectation in expectations:
        value = resolve_path(task, expectation.path)
        if expectation.holds_for(value):
            continue
        message = expectation.failure_message(task_id, value)
        (failures if expectation.severity == "fail" else warnings).append(message)
    return failures, warnings
