# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status changes of watched jobs: the engine of the ``task_events`` event source (ansible-rulebook).

    watch = open_watch(args)          # every argument checked (InvalidInput) before any request
    events = watch.poll()             # one poll: a list of events, one per status change
    watch.next_delay()                # seconds until the next poll
    watch.finished                    # until_terminal and every watched task is terminal
    watch.close()

An event is ``{"task": <normalized task>, "previous_status": ..., "previous_phase": ..., "service": ...}``;
the first sighting of a task is an event too (``previous_status`` None). No deadline: the watch runs
until the source is stopped, or with ``until_terminal`` until every watched task is terminal.

Which tasks: ``ids`` are watched from the start; the filters (``status``, ``name``, ...) add every
task that matches them at a poll, and a task stays watched by id until it is terminal, even when it
no longer matches (a ``status: Running`` filter would otherwise never show how a job ended). An id
not found for ``not_found_grace`` seconds gets one event with phase ``unknown`` and is dropped.

Polling follows the waiter's ideas with its own small state (no deadline here, so the waiter's
schedules do not fit as they are): only the open tasks are fetched (``TaskService.fetch_many``
batches them into listing pages for GeminiDB/RDS; filters go through ``TaskService.query``); the
interval grows x1.5 per poll without a change up to ``max_interval`` and is back at ``interval`` after
a change; a running task's progress rate can shorten it; a throttled poll (429) doubles a back-off
floor (or takes Retry-After) that halves after each good poll; server errors and dropped connections
back off the same way instead of ending the watch, while bad credentials or a wrong endpoint end it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import TERMINAL_PHASES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.config import ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    ContractError,
    InvalidInput,
    NotFound,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import AUTH_ARGUMENT_SPEC, resolve_params
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.poll_schedule import (
    BACKOFF_FACTOR,
    estimated_finish_at,
    relaxed_throttle,
    throttle_backoff,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import clean_ids, plan_query
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import parse_progress
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import FILTER_OPTIONS, service_from_params
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import from_epoch_seconds, parse_duration, plain_number

DEFAULT_INTERVAL = 5.0
DEFAULT_MAX_INTERVAL = 60.0
DEFAULT_NOT_FOUND_GRACE = 60.0
# Budget of one poll (its requests and their retries); a poll that runs out of it is retried later.
POLL_BUDGET = 60.0
WATCH_OPTIONS = ("service", "api", "ids") + FILTER_OPTIONS + ("interval", "max_interval", "until_terminal", "not_found_grace")
SOURCE_ARGUMENTS = WATCH_OPTIONS + tuple(AUTH_ARGUMENT_SPEC)


class WatchPlan(object):
    """Checked arguments of a watch (built by ``plan_watch``; the constructor checks nothing)."""

    def __init__(self, service, ids=None, query=None, filters=None, interval=DEFAULT_INTERVAL,
                 max_interval=DEFAULT_MAX_INTERVAL, until_terminal=False, not_found_grace=DEFAULT_NOT_FOUND_GRACE):
        self.service = service
        self.ids = ids or []
        self.query = query
        self.filters = filters or {}
        self.interval = interval
        self.max_interval = max_interval
        self.until_terminal = until_terminal
        self.not_found_grace = not_found_grace


def watched_service(args):
    """The catalog name of the watched jobs: ``service``, or the job API that ``api`` declares.

    The same check and the same declaration as the modules' (``task_query.service_from_params``).
    """
    return service_from_params(dict((name, value) for name, value in args.items() if value not in (None, "")))


def _seconds(args, name, default, positive=False):
    value = args.get(name)
    if value in (None, ""):
        return default
    seconds = parse_duration(value, name)
    if positive and seconds <= 0:
        raise InvalidInput("%s must be more than 0 seconds, got %r" % (name, value), option=name)
    return seconds


def _flag(args, name):
    value = args.get(name)
    if value in (None, ""):
        return False
    if isinstance(value, str):
        value = value.strip().lower()
    if isinstance(value, (str, int, float)):
        if value in BOOLEANS_TRUE:
            return True
        if value in BOOLEANS_FALSE:
            return False
    raise InvalidInput("%s must be true or false, got %r" % (name, args.get(name)), option=name, allowed=[True, False])


def plan_watch(args, now=None):
    """Check the source arguments (no I/O); returns a WatchPlan or raises InvalidInput naming the argument.

    ``now``: callable -> datetime for the filters' time window (tests).
    """
    unknown = sorted(name for name in args if name not in SOURCE_ARGUMENTS and not str(name).startswith("eda_"))
    if unknown:
        raise InvalidInput("task_events got unknown argument%s %s; allowed: %s" % (
            "" if len(unknown) == 1 else "s", ", ".join(unknown), ", ".join(SOURCE_ARGUMENTS)),
            option=unknown[0], allowed=list(SOURCE_ARGUMENTS))
    service = watched_service(args)
    ids = clean_ids(args.get("ids") or None, "ids")
    filters = dict((name, args[name]) for name in FILTER_OPTIONS if args.get(name) not in (None, ""))
    if not ids and not filters:
        raise InvalidInput("task_events needs ids or at least one filter (%s)" % ", ".join(FILTER_OPTIONS),
                           option="ids", allowed=["ids"] + list(FILTER_OPTIONS))
    query = plan_query(service, filters=filters, now=now) if filters else None
    interval = _seconds(args, "interval", DEFAULT_INTERVAL, positive=True)
    max_interval = _seconds(args, "max_interval", max(DEFAULT_MAX_INTERVAL, interval))
    if max_interval < interval:
        raise InvalidInput("max_interval (%s) must not be smaller than interval (%s)"
                           % (plain_number(max_interval), plain_number(interval)), option="max_interval")
    return WatchPlan(service, ids=ids, query=query, filters=filters, interval=interval, max_interval=max_interval,
                     until_terminal=_flag(args, "until_terminal"),
                     not_found_grace=_seconds(args, "not_found_grace", DEFAULT_NOT_FOUND_GRACE))


def transient(exc):
    """True for errors a long-running watch outlives: throttling, server errors, dropped connections.

    Rejected credentials, a wrong endpoint (gateway 404), a broken response contract and other 4xx
    answers stay wrong however often they are retried.
    """
    if isinstance(exc, (Throttled, WaitTimeout)):
        return True
    if isinstance(exc, (AuthError, NotFound, ContractError)) or not isinstance(exc, ApiError):
        return False
    return exc.status is None or exc.status >= 500


class _Watched(object):
    """What the watch knows of one task."""

    __slots__ = ("task_id", "task", "status", "phase", "terminal", "missing_since", "first_sample", "last_sample")

    def __init__(self, task_id):
        self.task_id = task_id
        self.task = None
        self.status = None
        self.phase = None
        self.terminal = False
        self.missing_since = None
        self.first_sample = None   # (clock, progress) for the progress-rate estimate
        self.last_sample = None

    def sample(self, now, progress):
        if progress is None:
            return
        if self.first_sample is None or progress < self.last_sample[1]:
            self.first_sample = (now, progress)
        self.last_sample = (now, progress)

    def eta(self, now):
        """Seconds until the progress rate reaches 100 %, or None without rising progress."""
        if self.terminal:
            return None
        finish_at = estimated_finish_at(self.first_sample, self.last_sample)
        return None if finish_at is None else finish_at - now


def _gone_task(state, service, note):
    """The task of a not-found event: the last one seen (status None) or a placeholder."""
    if state.task is not None:
        task = dict(state.task)
        task.update(status=None, phase="unknown", progress=None, note=note)
        return task
    return {"id": state.task_id, "name": None, "service": service, "status": None, "phase": "unknown",
            "progress": None, "instance": {"id": None, "name": None, "status": None}, "created_at": None,
            "ended_at": None, "fail_reason": None, "subtasks": [], "request_id": None, "raw": None, "note": note}


class TaskWatch(object):
    """Polls ``tasks`` (a TaskService: ``fetch_many`` and ``query``) for the tasks of a WatchPlan.

    ``clock`` (monotonic seconds) is injectable; the watch never sleeps: the caller waits
    ``next_delay()`` between polls (the event source with asyncio.sleep). ``warning`` holds why the last
    poll was skipped (a transient error), else None.
    """

    def __init__(self, plan, tasks, clock=time.monotonic, on_close=None):
        self.plan = plan
        self.tasks = tasks
        self.clock = clock
        self.polls = 0
        self.warning = None
        self._on_close = on_close
        self._watched = {}
        self._order = []
        self._unanswered = set()   # ids of the last fetch whose request was refused or unsent
        self._started = None
        self._interval = plan.interval
        self._floor = 0.0
        self._delay = plan.interval
        for task_id in plan.ids:
            self._watch(task_id)

    # -- public -------------------------------------------------------------

    @property
    def finished(self):
        """True once until_terminal holds: a poll succeeded and every watched task is terminal."""
        return self.plan.until_terminal and self.polls > 0 and all(state.terminal for state in self._watched.values())

    def next_delay(self):
        return self._delay

    def poll(self):
        """One poll; returns the events of the status changes it saw (possibly none)."""
        now = self.clock()
        if self._started is None:
            self._started = now
        try:
            found = self._fetch(now + POLL_BUDGET)
        except (ApiError, WaitTimeout) as exc:
            if not transient(exc):
                raise
            self.warning = "poll skipped, retrying in %ss: %s" % (plain_number(round(self._slow_down(exc), 1)), exc)
            return []
        self.warning = None
        self.polls += 1
        now = self.clock()
        events = self._observe(found, now)
        self._schedule(bool(events), now)
        return events

    def close(self):
        if self._on_close is not None:
            self._on_close()

    # -- fetching and observing --------------------------------------------------

    def _watch(self, task_id):
        state = self._watched.get(task_id)
        if state is None:
            state = _Watched(task_id)
            self._watched[task_id] = state
            self._order.append(task_id)
        return state

    def _fetch(self, deadline):
        found = {}
        # Ids whose request was refused (429) or left unsent: no answer, so no evidence of absence.
        self._unanswered = set()
        if self.plan.query is not None:
            for task in self.tasks.query(self.plan.query, deadline=deadline):
                found[task["id"]] = task
                self._watch(task["id"])
        # Terminal tasks are not asked for again; the listing may still show them (and a change).
        open_ids = [task_id for task_id in self._order if not self._watched[task_id].terminal and task_id not in found]
        if open_ids:
            answers = self.tasks.fetch_many(open_ids, deadline=deadline)
            found.update(answers)
            self._unanswered = set(getattr(answers, "refused", ())) | set(getattr(answers, "unsent", ()))
        return found

    def _observe(self, found, now):
        events = []
        for task_id in self._order:
            state = self._watched[task_id]
            task = found.get(task_id)
            if task is not None:
                event = self._seen(state, task, now)
            elif not state.terminal and task_id not in self._unanswered:
                event = self._missing(state, now)
            else:
                event = None
            if event is not None:
                events.append(event)
        return events

    def _event(self, state, task):
        event = {"task": task, "previous_status": state.status, "previous_phase": state.phase, "service": self.plan.service}
        state.status = task.get("status")
        state.phase = task.get("phase")
        return event

    def _seen(self, state, task, now):
        first = state.task is None
        state.task = task
        state.missing_since = None
        state.sample(now, parse_progress(task.get("progress")))
        if not first and task.get("status") == state.status:
            return None
        state.terminal = task.get("phase") in TERMINAL_PHASES
        return self._event(state, task)

    def _missing(self, state, now):
        if state.missing_since is None:
            state.missing_since = now if state.task is not None else self._started
        missing_for = now - state.missing_since
        if missing_for < self.plan.not_found_grace:
            return None
        state.terminal = True
        if state.task is not None:
            note = "not found any more for %ss (last status %s)" % (plain_number(round(missing_for, 1)), state.status)
        else:
            note = "not found %ss after the watch started" % plain_number(round(missing_for, 1))
        return self._event(state, _gone_task(state, self.plan.service, note))

    # -- schedule -----------------------------------------------------------

    def _schedule(self, changed, now):
        plan = self.plan
        if changed:
            self._interval = plan.interval
        elif self.polls > 1:
            self._interval = min(self._interval * BACKOFF_FACTOR, plan.max_interval)
        delay = self._interval
        for state in self._watched.values():
            if state.terminal:
                continue
            if state.missing_since is not None:
                # Not visible yet (or any more): look closely while the grace runs.
                delay = min(delay, plan.interval)
            eta = state.eta(now)
            if eta is not None and eta > 0:
                delay = min(delay, max(plan.interval, eta))
        self._floor = relaxed_throttle(self._floor, plan.interval)
        self._delay = max(delay, self._floor)

    def _slow_down(self, exc):
        """The back-off after a transient error: Retry-After when the server gave one, else doubling."""
        plan = self.plan
        self._floor = throttle_backoff(getattr(exc, "retry_after", None), max(self._floor, self._interval),
                                       plan.interval, plan.max_interval)
        self._delay = self._floor
        return self._delay


def open_watch(args, environ=None, clock=time.monotonic, wall_clock=time.time, session=None):
    """A TaskWatch for the event source's ``args`` (auth options with their ``HW_*`` fallbacks).

    Every argument is checked before the client is built; ``close()`` closes the client.
    """
    def now():
        return from_epoch_seconds(wall_clock())

    plan = plan_watch(args, now=now)
    config = ClientConfig.from_params(resolve_params(args, environ))
    client = Client(config, clock=clock, wall_clock=wall_clock, session=session)
    return TaskWatch(plan, TaskService(client, plan.service, now=now), clock=clock, on_close=client.close)
