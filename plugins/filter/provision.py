# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters behind the ``provision`` role: plan validation, lazy rendering and result bookkeeping.

The planning logic lives in module_utils/provision_plan.py (pure, unit tested); this file adds
Jinja rendering of step templates against ``provision_results`` at issue time and maps errors
to AnsibleFilterError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.errors import AnsibleFilterError
from jinja2 import StrictUndefined, Undefined
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import provision_plan as planning
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import TaskGateError

_RENDER_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined)


def _wrap(func):
    """Run a planning function, turning its InvalidInput into an AnsibleFilterError with the same message."""
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TaskGateError as exc:
            raise AnsibleFilterError(str(exc))
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _render_text(text, results, where):
    stripped = text.strip()
    try:
        # A value that is exactly one expression keeps its type (an id stays an int, a dict a dict).
        if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
            value = _RENDER_ENV.compile_expression(stripped[2:-2], undefined_to_none=False)(provision_results=results)
            if isinstance(value, Undefined):
                value._fail_with_undefined_error()
            return value
        return _RENDER_ENV.from_string(text).render(provision_results=results)
    except TemplateError as exc:
        raise AnsibleFilterError("%s: cannot render %r: %s (results so far: %s)"
                                 % (where, text, exc, ", ".join(sorted(results)) or "none"))


def render(value, results, where="value"):
    """``value`` with every templated string rendered against ``provision_results`` (only that variable)."""
    if isinstance(value, dict):
        return dict((key, render(item, results, "%s.%s" % (where, key))) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [render(item, results, "%s[%d]" % (where, index)) for index, item in enumerate(value)]
    if isinstance(value, str) and ("{{" in value or "{%" in value):
        return _render_text(value, results, where)
    return value


@_wrap
def provision_calls(plan, wave, results, phase):
    """The wave's rendered api_request calls for ``phase`` (``exists`` or ``issue``)."""
    calls = []
    for call in planning.wave_calls(plan, wave, results, phase):
        rendered = dict(call)
        for key in ("path", "query", "body"):
            if key in call:
                rendered[key] = render(call[key], results, "step %s: %s" % (call["name"], key))
        calls.append(rendered)
    return calls


@_wrap
def provision_record(results, plan, phase, loop_results, wave_index):
    """provision_results updated with one phase's loop results (``exists``, ``issue`` or ``gate``) of wave ``wave_index`` (1-based).

    Results of other waves are ignored: a registered variable from an earlier wave must not
    overwrite the state of steps already gated.
    """
    loop_results = loop_results.get("results", []) if isinstance(loop_results, dict) else (loop_results or [])
    wave = plan["waves"][wave_index - 1]
    if phase == "exists":
        return planning.record_exists(results, plan, loop_results, wave_index, wave)
    if phase == "issue":
        return planning.record_issued(results, plan, loop_results, wave_index, wave)
    if phase == "gate":
        return planning.record_gates(results, loop_results, wave)
    raise AnsibleFilterError("provision_record phase must be one of exists, issue, gate; got %r" % (phase,))


@_wrap
def provision_deadline(timeout, now=None):
    """Absolute deadline (epoch seconds) ``timeout`` from now: the shared budget of every gate."""
    return round((time.time() if now is None else now) + planning.parse_duration(timeout, "provision_timeout"), 3)


@_wrap
def provision_remaining(deadline_at, now=None):
    """The time left until ``deadline_at`` (the role's shared deadline) as an api_request ``timeout`` (``"12.5s"``),
    computed when the task runs (module arguments are templated per loop item)."""
    left = planning.remaining_budget(deadline_at, time.time() if now is None else now)
    return "%.3fs" % left


class FilterModule(object):
    def filters(self):
        return {
            "provision_plan": _wrap(planning.build_plan),
            "provision_calls": provision_calls,
            "provision_record": provision_record,
            "provision_gates": _wrap(planning.wave_gates),
            "provision_summary": _wrap(planning.summary),
            "provision_failures": _wrap(planning.failures),
            "provision_deadline": provision_deadline,
            "provision_remaining": provision_remaining,
        }
