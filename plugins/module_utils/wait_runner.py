# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue of wait_for_task, shared by the module and its controller-side action plugin.

``argument_spec()`` is the option spec of both. ``run_wait(params)`` checks every option (no I/O),
builds Client -> TaskService -> CompletionRules -> Waiter, runs the wait, applies ``expect`` and
returns the result dict. ``ProgressReporter`` turns the waiter's events into throttled one-line
progress messages (the action plugin hands them to Display).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    InvalidInput,
    TaskGateError,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.expect import evaluate, parse_expectations
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import per_task_schedule, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.services import TaskService, clean_ids
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import (
    FILTER_OPTIONS,
    selection_argument_spec,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    epoch_seconds,
    format_duration,
    from_epoch_seconds,
    parse_duration,
    parse_user_time,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import (
    OUTCOME_FAILED,
    OUTCOME_SUCCEEDED,
    CompletionRules,
    Waiter,
)

MODE_CHOICES = ("all", "any")
FETCH_CONCURRENCY = 8
OUTCOME_ERROR = "error"
# A shared deadline that already passed still gets one poll: tasks that finished meanwhile pass the gate.
EXPIRED_DEADLINE_BUDGET = 0.001
# Seconds a poll that starts just before the deadline may take to answer (HTTP timeout and retries).
FINAL_POLL_BUDGET = 5.0


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
    )
    return spec


# Defaults applied when run_wait is called with a partial dict (tests, other plugins).
_DEFAULTS = dict((name, spec["default"]) for name, spec in argument_spec().items() if "default" in spec)


# ---------------------------------------------------------------------------
# option checks (no I/O)


class WaitPlan(object):
    """Everything run_wait needs, checked: built by ``plan_wait`` before any request."""

    def __init__(self, service, ids, filters, rules, expectations, timeout, deadline_epoch):
        self.service = service
        self.ids = ids
        self.filters = filters
        self.rules = rules
        self.expectations = expectations
        self.timeout = timeout
        self.deadline_epoch = deadline_epoch

    def subject(self):
        """What the wait is about, for the start line: ``3 rds tasks`` or ``rds tasks matching status=Running``."""
        if self.ids is not None:
            return "%d %s task%s" % (len(self.ids), self.service, "" if len(self.ids) == 1 else "s")
        shown = ", ".join("%s=%s" % (name, self.filters[name]) for name in FILTER_OPTIONS if name in self.filters)
        return "%s tasks matching %s" % (self.service, shown)


def _with_defaults(params):
    merged = dict(_DEFAULTS)
    merged.update(dict((key, value) for key, value in params.items() if value is not None))
    return merged


def _check_target(ids, filters):
    if ids is not None and filters:
        raise InvalidInput("id and %s are mutually exclusive: give either id (wait for these tasks) or filters "
                           "(wait for every matching task)" % ", ".join(sorted(filters)),
                           option="id", allowed=["id"] + list(FILTER_OPTIONS))
    if ids is None and not filters:
        raise InvalidInput("nothing to wait for: give id, or at least one filter of %s" % ", ".join(FILTER_OPTIONS),
                           option="id", allowed=["id"] + list(FILTER_OPTIONS))


def _check_service(service):
    service_entry(service)
    return service


def _check_flag(params, name):
    value = params[name]
    if not isinstance(value, bool):
        raise InvalidInput("%s must be true or false, got %r" % (name, value), option=name, allowed=[True, False])
    return value


def _deadline_epoch(params, timeout, wall_now):
    """The earlier of now + timeout and the ``deadline`` option, as epoch seconds."""
    latest = wall_now + timeout
    if params.get("deadline") is None:
        return latest
    given = parse_user_time(params["deadline"], "deadline")
    return min(latest, epoch_seconds(given))


def plan_wait(params, wall_clock=time.time):
    """Check the wait options; returns a WaitPlan or raises InvalidInput naming the option."""
    params = _with_defaults(params)
    service = _check_service(params.get("service"))
    ids = clean_ids(params.get("id"), "id")
    filters = dict((name, params[name]) for name in FILTER_OPTIONS if params.get(name) is not None)
    _check_target(ids, filters)
    timeout = parse_duration(params["timeout"], "timeout")
    if timeout <= 0:
        raise InvalidInput("timeout must be more than 0, got %r; use seconds or a duration such as 90s, 30m, 1h30m"
                           % (params["timeout"],), option="timeout")
    deadline_epoch = _deadline_epoch(params, timeout, wall_clock())
    if params["mode"] not in MODE_CHOICES:
        raise InvalidInput("mode must be one of %s, got %r" % (", ".join(MODE_CHOICES), params["mode"]),
                           option="mode", allowed=MODE_CHOICES)
    for name in ("fail_fast", "progress"):
        _check_flag(params, name)
    expectations = parse_expectations(params.get("expect"))
    rules = CompletionRules.for_service(service, target_states=params.get("target_states"),
                                        pending_states=params.get("pending_states"),
                                        failure_states=params.get("failure_states"))
    return WaitPlan(service, ids, filters, rules, expectations, timeout, deadline_epoch)


def _validate_query(task_service, plan):
    """TaskService's own checks, with its option names (filters.status, ids) mapped to ours."""
    try:
        task_service.validate(ids=plan.ids, filters=plan.filters or None)
    except InvalidInput as exc:
        option = exc.option or ""
        if option.startswith("filters."):
            option = option[len("filters."):]
        elif option in ("ids", "filters"):
            option = "id" if option == "ids" else ", ".join(sorted(plan.filters)) or "id"
        raise InvalidInput(exc.message.replace("filters.", ""), option=option, allowed=exc.allowed)


# ---------------------------------------------------------------------------
# progress lines


def short_id(task_id, keep=8):
    text = str(task_id)
    return text if len(text) <= keep + 2 else text[:keep] + u"\u2026"


class ProgressReporter(object):
    """Waiter events -> throttled one-line progress messages handed to ``emit(line)``.

    A task gets a line when its status changes, or when only its progress moved and its last line
    is at least TASK_LINE_INTERVAL old; a heartbeat line at most every HEARTBEAT_INTERVAL. Past
    DETAILED_TASKS tasks, per-task lines would flood the log (200 tasks gave ~500 lines): only
    failures get their own line and a "x/N done" summary comes every SUMMARY_INTERVAL instead.
    Times come from the events (seconds since the wait started), so this is pure. Lines are plain
    text: no carriage returns or colors, they go to CI logs as they are.
    """

    TASK_LINE_INTERVAL = 5.0
    HEARTBEAT_INTERVAL = 15.0
    DETAILED_TASKS = 10
    SUMMARY_INTERVAL = 5.0

    def __init__(self, service, emit, lookup=None, subject=None):
        self.service = service
        self.emit = emit
        self.lookup = lookup or (lambda task_id: None)
        self.subject = subject
        self._last_line_at = {}
        self._last_heartbeat_at = 0.0
        self._last_throttle_at = None
        self._expected = 0
        self._handlers = {"start": self._on_start, "change": self._on_change, "poll": self._on_poll,
                          "throttled": self._on_throttled, "done": self._on_done}

    def __call__(self, kind, payload):
        handler = self._handlers.get(kind)
        if handler is not None:
            handler(payload)

    @property
    def detailed(self):
        """Per-task lines while few tasks are tracked (filter mode finds out as tasks appear)."""
        return max(self._expected, len(self._last_line_at)) <= self.DETAILED_TASKS

    def _on_start(self, payload):
        self._expected = payload.get("count") or 0
        subject = self.subject
        if subject is None:
            count = payload.get("count") or 0
            subject = "%d %s task%s" % (count, self.service, "" if count == 1 else "s")
        self.emit("waiting for %s (timeout %s)" % (subject, format_duration(payload.get("timeout"))))

    def _on_change(self, payload):
        task_id = payload["id"]
        at = payload.get("at") or 0.0
        first_sight = task_id not in self._last_line_at
        status_changed = payload.get("status") != payload.get("old_status") or first_sight
        if first_sight:
            self._last_line_at[task_id] = None
        if not self.detailed:
            task = self.lookup(task_id) or {}
            failed = payload.get("status") is not None and task.get("status") == payload.get("status") \
                and task.get("phase") == "failed"
            if not (status_changed and failed):
                return
        elif not status_changed and at - self._last_line_at[task_id] < self.TASK_LINE_INTERVAL:
            return
        self._last_line_at[task_id] = at
        self.emit(self.task_line(task_id, payload.get("status"), payload.get("progress"), at, payload.get("name")))

    def task_line(self, task_id, status, progress, at, name=None):
        """``rds CreateInstance 4f2c0a4e… running 62% (1m12s)``."""
        task = self.lookup(task_id) or {}
        if status is None:
            state = "not found"
        else:
            phase = task.get("phase") if task.get("status") == status else None
            state = str(status) if not phase or phase == "unknown" else phase
            if phase and phase != "unknown" and str(status).lower() != phase:
                state = "%s [%s]" % (phase, status)
        parts = [self.service, task.get("name") or name, short_id(task_id), state]
        if progress is not None and status is not None:
            parts.append("%d%%" % progress)
        return "%s (%s)" % (" ".join(str(part) for part in parts if part), format_duration(at))

    def _on_poll(self, payload):
        elapsed = payload.get("elapsed") or 0.0
        interval = self.HEARTBEAT_INTERVAL if self.detailed else self.SUMMARY_INTERVAL
        if elapsed - self._last_heartbeat_at < interval:
            return
        self._last_heartbeat_at = elapsed
        done = payload.get("succeeded", 0) + payload.get("failed", 0) + payload.get("vanished", 0)
        text = "%d/%d done" % (done, payload.get("total", 0))
        if payload.get("failed"):
            text += " (%d failed)" % payload["failed"]
        text += ", %d running" % payload.get("running", 0)
        if payload.get("pending"):
            text += ", %d pending" % payload["pending"]
        self.emit("%s (%s)" % (text, format_duration(elapsed)))

    def _on_throttled(self, payload):
        elapsed = payload.get("elapsed") or 0.0
        if self._last_throttle_at is not None and elapsed - self._last_throttle_at < self.HEARTBEAT_INTERVAL:
            return
        self._last_throttle_at = elapsed
        self.emit("%s API throttled the polls (429): backing off to one poll every %s (%s)"
                  % (self.service, format_duration(payload.get("backoff")), format_duration(elapsed)))

    def _on_done(self, payload):
        took = format_duration(payload.get("elapsed"))
        self.emit("wait %s after %s (%d polls)" % (payload.get("outcome"), took, payload.get("polls", 0)))


# ---------------------------------------------------------------------------
# the run


class _Recorder(object):
    """Remembers the latest tasks and the timeline, so an error mid-wait still returns the data seen."""

    def __init__(self):
        self.tasks = {}
        self.order = []
        self.timeline = {}
        self.polls = 0
        self.forward = None   # where events go next (the ProgressReporter)

    def seen(self, fetched):
        for task in (fetched.values() if isinstance(fetched, dict) else fetched or ()):
            if isinstance(task, dict) and task.get("id") is not None:
                if task["id"] not in self.tasks:
                    self.order.append(task["id"])
                self.tasks[task["id"]] = task
        return fetched

    def lookup(self, task_id):
        return self.tasks.get(task_id)

    def on_event(self, kind, payload):
        if kind == "change":
            self.timeline.setdefault(payload["id"], []).append(
                {"at": payload["at"], "status": payload["status"], "progress": payload["progress"]})
        elif kind == "poll":
            self.polls = payload.get("poll", self.polls)
        if self.forward is not None:
            self.forward(kind, payload)


def _refresh_function(task_service, plan, recorder, clock):
    """The waiter's refresh(ids, deadline): fetch_many for ids, query for filters.

    A poll started just before the deadline still gets FINAL_POLL_BUDGET seconds to answer (the
    waiter's last poll runs at the deadline), and a request error once the deadline has passed ends
    the wait as a timeout, with the report of what was last seen, rather than as an API error.
    """
    if plan.ids is not None:
        def fetch(ids, deadline):
            return task_service.fetch_many(ids, deadline=deadline, concurrency=FETCH_CONCURRENCY)
    else:
        def fetch(ids, deadline):
            return task_service.query(filters=plan.filters, deadline=deadline)

    def refresh(ids, deadline):
        try:
            return recorder.seen(fetch(ids, max(deadline, clock() + FINAL_POLL_BUDGET)))
        except (ApiError, WaitTimeout) as exc:
            if isinstance(exc, (AuthError, Throttled)) or clock() < deadline:
                raise
            raise WaitTimeout("the last poll at the deadline failed: %s" % exc)
    return refresh


def run_wait(params, clock=time.monotonic, sleep=time.sleep, wall_clock=time.time, emit=None, session=None):
    """Run one wait_for_task; returns the result dict (``failed`` set when the gate did not pass).

    ``params`` are module params (env fallbacks applied); ``clock``/``sleep`` drive the waiter and the
    client's retries alike, ``wall_clock`` (epoch seconds) the ``deadline`` option. ``emit(line)``
    receives progress lines when the ``progress`` option is on. Raises InvalidInput for a bad option,
    always before the first request; an error during the wait becomes a failed result instead.
    """
    params = _with_defaults(params)
    plan = plan_wait(params, wall_clock)
    config = ClientConfig.from_params(params)
    client = Client(config, clock=clock, sleep=sleep, wall_clock=wall_clock, session=session)
    try:
        task_service = TaskService(client, plan.service,
                                   now=lambda: from_epoch_seconds(wall_clock()))
        _validate_query(task_service, plan)
        recorder = _Recorder()
        if emit is not None and params["progress"]:
            recorder.forward = ProgressReporter(plan.service, emit, lookup=recorder.lookup, subject=plan.subject())
        remaining = plan.deadline_epoch - wall_clock()
        waiter = Waiter(_refresh_function(task_service, plan, recorder, clock), plan.rules, ids=plan.ids,
                        timeout=max(remaining, EXPIRED_DEADLINE_BUDGET), delay=params["delay"],
                        poll_interval=params["poll_interval"], max_poll_interval=params["max_poll_interval"],
                        mode=params["mode"], fail_fast=params["fail_fast"], stable_for=params["stable_for"],
                        not_found_grace=params["not_found_grace"], clock=clock, sleep=sleep,
                        on_event=recorder.on_event, wall_clock=wall_clock,
                        per_task_schedule=per_task_schedule(plan.service))
        started = clock()
        try:
            outcome = waiter.run()
        except TaskGateError as exc:
            return _error_result(exc, plan, recorder, client.stats, clock() - started)
        return _result(plan, outcome, client.stats)
    finally:
        client.close()


def _base_result(plan, stats):
    return {"changed": False, "requests": dict(stats), "deadline": round(plan.deadline_epoch, 3)}


def _result(plan, wait, stats):
    result = _base_result(plan, stats)
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
    outcome = wait.outcome
    message = wait.message
    if expect_failures:
        if outcome == OUTCOME_SUCCEEDED:
            outcome = OUTCOME_FAILED
            message = "%d of %d tasks finished but failed expectations after %s: %s." % (
                len(failed_ids), len(wait.tasks), format_duration(wait.elapsed), "; ".join(expect_failures))
        else:
            message = "%s Expectations failed too: %s." % (message, "; ".join(expect_failures))
    result.update(
        failed=outcome != OUTCOME_SUCCEEDED,
        outcome=outcome,
        msg=message,
        tasks=wait.tasks,
        elapsed=round(wait.elapsed, 3),
        polls=wait.polls,
        timeline=wait.timeline,
        succeeded=succeeded,
        failed_ids=failed_ids,
        pending=list(wait.pending),
        vanished=list(wait.vanished),
        reasons=reasons,
    )
    if warnings:
        result["warnings"] = warnings
    return result


def _error_result(exc, plan, recorder, stats, elapsed):
    """An API error ended the wait: fail with its message, keep what was seen so far."""
    result = _base_result(plan, stats)
    tasks = [recorder.tasks[task_id] for task_id in recorder.order]
    pending = list(plan.ids) if plan.ids is not None else list(recorder.order)
    result.update(
        failed=True,
        outcome=OUTCOME_ERROR,
        msg="the wait stopped after %s: %s" % (format_duration(elapsed), exc),
        error=exc.to_dict(),
        tasks=tasks,
        elapsed=round(elapsed, 3),
        polls=recorder.polls,
        timeline=recorder.timeline,
        succeeded=[],
        failed_ids=[],
        pending=pending,
        vanished=[],
        reasons={},
    )
    return result
