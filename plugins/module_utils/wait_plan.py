# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options of wait_for_task, checked once.

``argument_spec()`` and ``ARGUMENT_CONSTRAINTS`` (service vs a declared api, ids vs filters:
``mutually_exclusive`` and ``required_one_of``, as amazon.aws ec2_instance_info does) are what the module and its action
plugin hand to Ansible. ``plan_wait(params)`` checks every option without I/O and returns a
``WaitPlan``: parsed durations, the completion rules, the ``expect`` list, the deadline. The engine
(``waiter.Waiter``) trusts a plan and checks nothing again. ``run_wait`` is also called with plain
dicts (tests, the bench), so the plan applies ``ARGUMENT_CONSTRAINTS`` itself, through the same Ansible
check functions, with the same words.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.common.validation import check_mutually_exclusive, check_required_one_of

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import per_task_schedule
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.expect import parse_expectations
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import CompletionRules
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import plan_query
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import (
    FILTER_OPTIONS,
    SERVICE_CONSTRAINTS,
    selection_argument_spec,
    service_from_params,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    describe_value,
    epoch_seconds,
    from_epoch_seconds,
    parse_duration,
    parse_user_time,
    plain_number,
)

MODE_CHOICES = ("all", "any")

# Give id (these tasks) or filters (every matching task), not both and not neither.
TARGET_CONSTRAINTS = dict(
    mutually_exclusive=[["id", name] for name in FILTER_OPTIONS],
    required_one_of=[["id"] + list(FILTER_OPTIONS)],
)
# What Ansible checks: a service or a declared api (task_query.SERVICE_CONSTRAINTS), then the target.
ARGUMENT_CONSTRAINTS = dict((kind, SERVICE_CONSTRAINTS[kind] + TARGET_CONSTRAINTS[kind]) for kind in ("mutually_exclusive", "required_one_of"))


def argument_spec():
    """The option spec of wait_for_task (module and action plugin); a fresh dict on every call."""
    spec = selection_argument_spec()  # auth + service + id + the task_info filters
    spec.update(
        timeout=dict(type="raw", default="30m"),
        deadline=dict(type="raw"),
        delay=dict(type="float", default=0),
        poll_interval=dict(type="float", default=1),
        max_poll_interval=dict(type="float", default=10),
        mode=dict(type="str", default="all", choices=list(MODE_CHOICES)),
        fail_fast=dict(type="bool", default=True),
        stable_for=dict(type="int", default=1),
        not_found_grace=dict(type="float", default=30),
        target_states=dict(type="list", elements="str"),
        pending_states=dict(type="list", elements="str"),
        failure_states=dict(type="list", elements="str"),
        progress=dict(type="bool", default=True),
        expect=dict(type="list", elements="dict"),
        # After the jobs succeeded, the state of what they made (resource_wait.run_task_wait).
        resource_state=dict(type="list", elements="str"),
    )
    return spec


# Defaults applied when run_wait is called with a partial dict (tests, other plugins).
_DEFAULTS = dict((name, spec["default"]) for name, spec in argument_spec().items() if "default" in spec)


class WaitPlan(object):
    """A checked wait: what the engine and run_wait need, built by ``plan_wait`` before any request.

    Durations are seconds (floats), ``ids`` a de-duplicated list (None: filter mode, ``filters`` then
    holds the filter options in their documented order), ``rules`` the CompletionRules,
    ``deadline_epoch`` the end of the budget in epoch seconds, ``entry`` the resolved catalog entry
    (``catalog.ServiceEntry``: the task service takes it, no layer looks the name up again), ``query`` the checked QuerySpec of the
    "which tasks?" options (filter mode polls with it). The constructor checks nothing: build
    plans from user input with ``plan_wait`` (tests build them directly).

    The event source's plan (``task_watch.plan_watch``) is a WaitPlan too: ``watch`` set (the engine's
    deadline-free mode), ``timeout`` None, ``ids`` the ids watched from the start (filters add more),
    ``until_terminal`` its end condition. ``noun`` names what is waited for in the wording: "task", or
    "resource" (``resource_wait``).
    """

    def __init__(self, rules, ids=None, filters=None, service=None, expectations=(), timeout=1800.0,
                 deadline_epoch=None, delay=0.0, poll_interval=1.0, max_poll_interval=10.0, mode="all",
                 fail_fast=True, stable_for=1, not_found_grace=30.0, per_task_schedule=False, progress=True,
                 query=None, watch=False, until_terminal=False, entry=None, noun="task"):
        self.rules = rules
        self.ids = ids
        self.filters = filters or {}
        self.service = service or rules.service
        self.expectations = expectations
        self.timeout = timeout
        self.deadline_epoch = deadline_epoch
        self.delay = delay
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.mode = mode
        self.fail_fast = fail_fast
        self.stable_for = stable_for
        self.not_found_grace = not_found_grace
        self.per_task_schedule = per_task_schedule
        self.progress = progress
        self.query = query
        self.watch = watch
        self.entry = entry
        self.until_terminal = until_terminal
        self.noun = noun


def with_defaults(params):
    """``params`` without unset (None) values, over the spec's defaults."""
    merged = dict(_DEFAULTS)
    merged.update(dict((key, value) for key, value in params.items() if value is not None))
    return merged


def check_target(params):
    """TARGET_CONSTRAINTS on ``params`` (unset options are None or absent): the check Ansible runs, same words.

    The service rules of ARGUMENT_CONSTRAINTS are checked first, by ``task_query.service_from_params``.
    """
    given = dict((name, value) for name, value in params.items() if value is not None)
    try:
        check_mutually_exclusive(TARGET_CONSTRAINTS["mutually_exclusive"], given)
        check_required_one_of(TARGET_CONSTRAINTS["required_one_of"], given)
    except TypeError as exc:
        raise InvalidInput(str(exc), option="id", allowed=["id"] + list(FILTER_OPTIONS))


def _positive_duration(params, name):
    seconds = parse_duration(params[name], name)
    if seconds <= 0:
        raise InvalidInput("%s must be more than 0, got %r; use seconds or a duration such as 90s, 30m, 1h30m"
                           % (name, params[name]), option=name)
    return seconds


def _check_flag(params, name):
    value = params[name]
    if not isinstance(value, bool):
        raise InvalidInput("%s must be true or false, got %r" % (name, value), option=name, allowed=[True, False])
    return value


def _check_mode(value):
    if value not in MODE_CHOICES:
        raise InvalidInput("mode must be one of %s, got %r" % (", ".join(MODE_CHOICES), value),
                           option="mode", allowed=MODE_CHOICES)
    return value


def _check_stable_for(value):
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidInput("stable_for: expected a whole number of polls >= 1, got %s" % describe_value(value),
                           option="stable_for")
    return value


def _deadline_epoch(params, timeout, wall_now):
    """The earlier of now + timeout and the ``deadline`` option, as epoch seconds."""
    latest = wall_now + timeout
    if params.get("deadline") is None:
        return latest
    return min(latest, epoch_seconds(parse_user_time(params["deadline"], "deadline")))


def plan_wait(params, wall_clock=time.time, entry=None):
    """Check the wait options; returns a WaitPlan or raises InvalidInput naming the option.

    ``entry``: the catalog entry another planning step resolved already (a resource, resource_wait.py);
    ``service`` and ``api`` are not read then.
    """
    params = with_defaults(params)
    # The planning step: the built-in service, or the declared api checked and registered, resolved once.
    if entry is None:
        entry = service_from_params(params)
    check_target(params)
    filters = dict((name, params[name]) for name in FILTER_OPTIONS if params.get(name) is not None)
    # The "which tasks?" options are checked here, once (plan_query cleans the ids); filter mode polls with
    # this plan. An empty list of ids is nothing to wait for, on every service (a loop that created nothing).
    if params.get("id") == []:
        ids, query = [], None
    else:
        query = plan_query(entry, ids=params.get("id"), filters=filters or None,
                           now=lambda: from_epoch_seconds(wall_clock()))
        ids = query.ids
    timeout = _positive_duration(params, "timeout")
    deadline_epoch = _deadline_epoch(params, timeout, wall_clock())
    mode = _check_mode(params["mode"])
    fail_fast = _check_flag(params, "fail_fast")
    progress = _check_flag(params, "progress")
    delay = parse_duration(params["delay"], "delay")
    poll_interval = _positive_duration(params, "poll_interval")
    max_poll_interval = parse_duration(params["max_poll_interval"], "max_poll_interval")
    if max_poll_interval < poll_interval:
        raise InvalidInput("max_poll_interval (%s) must not be smaller than poll_interval (%s)"
                           % (plain_number(max_poll_interval), plain_number(poll_interval)), option="max_poll_interval")
    not_found_grace = parse_duration(params["not_found_grace"], "not_found_grace")
    stable_for = _check_stable_for(params["stable_for"])
    expectations = parse_expectations(params.get("expect"))
    rules = CompletionRules.for_service(entry, target_states=params.get("target_states"),
                                        pending_states=params.get("pending_states"),
                                        failure_states=params.get("failure_states"))
    return WaitPlan(rules, ids=ids, filters=filters, service=entry.name, expectations=expectations, timeout=timeout,
                    deadline_epoch=deadline_epoch, delay=delay, poll_interval=poll_interval,
                    max_poll_interval=max_poll_interval, mode=mode, fail_fast=fail_fast, stable_for=stable_for,
                    not_found_grace=not_found_grace, per_task_schedule=per_task_schedule(entry), progress=progress,
                    query=query, entry=entry)
