# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue of wait_for_task, shared by the module and its controller-side action plugin.

``run_wait(params)`` plans the wait (``wait_plan.plan_wait``: every option checked, no I/O), builds
Client -> TaskService -> Waiter, runs the wait, applies ``expect`` and returns the result dict; an
API error mid-wait becomes outcome ``error`` with what the waiter saw until then. Progress lines
come from ``progress_lines.ProgressReporter``. ``argument_spec``, ``ARGUMENT_CONSTRAINTS`` and ``plan_wait`` are
re-exported from wait_plan: the module and the action plugin take their spec from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.connection import open_task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.deadline import Deadline
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    TaskGateError,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.expect import evaluate
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.progress_lines import ProgressReporter
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.report import expectations_message, subject
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import OUTCOME_ERROR, OUTCOME_FAILED, OUTCOME_SUCCEEDED
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import from_epoch_seconds
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import (
    ARGUMENT_CONSTRAINTS,
    argument_spec,
    plan_wait,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import Waiter

__all__ = ["ARGUMENT_CONSTRAINTS", "argument_spec", "plan_wait", "run_wait"]

# A rate-bound refresh asks for what the pace sends in this many seconds (at least one poll_interval): long
# enough that the pipe draining at the end of a refresh costs little, short enough that
# the waiter soon decides again, with the answers in hand.
REFRESH_SPAN = 2.0


# ---------------------------------------------------------------------------
# the run


def _refresh_function(task_service, plan):
    """The waiter's refresh(ids, deadline): fetch_many for ids, query for filters.

    The requests of a poll stop at ``deadline.request_limit()`` (the poll at the deadline still gets
    its final budget to answer), and a request error once the deadline has passed ends the wait as a
    timeout, with the report of what was last seen, rather than as an API error.
    """
    if plan.ids is not None:
        def fetch(ids, deadline):
            return task_service.fetch_many(ids, deadline=deadline)
    else:
        def fetch(ids, deadline):
            return task_service.query(plan.query, deadline=deadline)

    def refresh(ids, deadline):
        try:
            return fetch(ids, deadline.request_limit())
        except (ApiError, WaitTimeout) as exc:
            if isinstance(exc, (AuthError, Throttled)) or not deadline.passed():
                raise
            raise WaitTimeout("the last poll at the deadline failed: %s" % exc)
    return refresh


def _capacity_function(client, plan):
    """Per-id services: how many ids one refresh may ask for, i.e. what the endpoint's pace sends before
    the waiter decides again (None while unpaced). A listing answers every id in one request: no limit."""
    if not plan.per_task_schedule:
        return None
    span = max(REFRESH_SPAN, plan.poll_interval)
    return lambda: client.limiter(plan.entry).budget(span)


def _pace(client, plan):
    """``{rate, refused}`` of the result: requests per second the endpoint's pace settled at (None: never
    paced, no 429 and no max_request_rate) and the requests the API refused with 429, retries included."""
    try:
        limiter = client.limiter(plan.entry)
    except TaskGateError:
        return {"rate": None, "refused": client.stats.get("throttled", 0)}
    return {"rate": round(limiter.rate, 2) if limiter.rate is not None else None,
            "refused": client.stats.get("throttled", 0)}


def run_wait(params, clock=time.monotonic, sleep=time.sleep, wall_clock=time.time, emit=None, session=None,
             plan=None, wrap_refresh=None, subject_text=None):
    """Run one wait_for_task; returns the result dict (``failed`` set when the gate did not pass).

    ``params`` are module params (env fallbacks applied); ``clock``/``sleep`` drive the waiter and the
    client's retries alike, ``wall_clock`` (epoch seconds) the ``deadline`` option. ``emit(line)``
    receives progress lines when the ``progress`` option is on. Raises InvalidInput for a bad option,
    always before the first request; an error during the wait becomes a failed result instead.

    Hooks of other waits on the same engine (resource_wait.py): ``plan`` a WaitPlan checked already,
    ``wrap_refresh(refresh, task_service)`` -> the refresh the waiter polls, ``subject_text`` the start line's subject.
    """
    if plan is None:
        plan = plan_wait(params, wall_clock)
    task_service = open_task_service(params, plan.entry, clock=clock, sleep=sleep, wall_clock=wall_clock,
                                     session=session, now=lambda: from_epoch_seconds(wall_clock()))
    client = task_service.client
    try:
        reporter = None
        if emit is not None and plan.progress:
            reporter = ProgressReporter(plan.service, emit,
                                        subject=subject_text or subject(plan.service, plan.ids, plan.filters))
        # The one deadline of the wait, read once from the plan's epoch deadline now that it starts.
        deadline = Deadline.from_epoch(plan.deadline_epoch, wall_clock=wall_clock, clock=clock)
        refresh = _refresh_function(task_service, plan)
        if wrap_refresh is not None:
            refresh = wrap_refresh(refresh, task_service)
        waiter = Waiter(refresh, plan, clock=clock, sleep=sleep, on_event=reporter, deadline=deadline,
                        capacity=_capacity_function(client, plan))
        if reporter is not None:
            reporter.lookup = waiter.latest_task
        result = _result(plan, waiter.run(), client.stats)
        result["pace"] = _pace(client, plan)
        if client.config.warnings:
            # The module turns these into module.warn(); from the action plugin Ansible shows them as they are.
            result["warnings"] = list(client.config.warnings) + result.get("warnings", [])
        return result
    finally:
        client.close()


def _check_expectations(plan, wait):
    """``expect`` on the tasks that succeeded: (succeeded, failed_ids, reasons, failure lines, warnings)."""
    tasks_by_id = dict((task.get("id"), task) for task in wait.tasks)
    succeeded = []
    failed_ids = list(wait.failed)
    reasons = dict(wait.reasons)
    expect_failures = []
    warnings = []
    for task_id in wait.succeeded:
        failures, task_warnings = evaluate(tasks_by_id.get(task_id) or {"id": task_id}, plan.expectations)
        warnings.extend(task_warnings)
        if failures:
            expect_failures.extend(failures)
            failed_ids.append(task_id)
            reasons[task_id] = "; ".join(failures)
        else:
            succeeded.append(task_id)
    return succeeded, failed_ids, reasons, expect_failures, warnings


def _result(plan, wait, stats):
    """The module result of a WaitResult; an API error (outcome error) keeps what was seen so far."""
    result = {"changed": False, "requests": dict(stats), "deadline": round(plan.deadline_epoch, 3)}
    succeeded, failed_ids, reasons, expect_failures, warnings = _check_expectations(plan, wait)
    outcome = wait.outcome
    message = wait.message
    if expect_failures:
        message = expectations_message(message, outcome, len(failed_ids), len(wait.tasks), wait.elapsed, expect_failures)
        if outcome == OUTCOME_SUCCEEDED:
            outcome = OUTCOME_FAILED
    result.update(
        failed=outcome != OUTCOME_SUCCEEDED,
        outcome=outcome,
        msg=message,
        tasks=wait.tasks,
        # One run_once wait can serve many hosts: each looks its own job up by id.
        by_id=dict((task.get("id"), task) for task in wait.tasks),
        elapsed=round(wait.elapsed, 3),
        polls=wait.polls,
        timeline=wait.timeline,
        succeeded=succeeded,
        failed_ids=failed_ids,
        pending=list(wait.pending),
        vanished=list(wait.vanished),
        reasons=reasons,
    )
    if outcome == OUTCOME_ERROR:
        result["error"] = wait.error.to_dict()
    if warnings:
        result["warnings"] = warnings
    return result
