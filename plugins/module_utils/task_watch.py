# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``task_events`` event source (ansible-rulebook) on the wait's engine: its arguments and its refresh.

    watch = open_watch(args)          # every argument checked (InvalidInput) before any request
    events = watch.poll()             # one poll: a list of events, one per status change
    watch.next_delay()                # seconds until the next poll
    watch.finished                    # until_terminal and every watched task is terminal
    watch.close()

The polling is ``waiter.Waiter`` in watch mode (no deadline, a ``status`` event per change instead of
an outcome): the same plan type (``WaitPlan``), per-task state, schedule, back-off and throttle hold as
wait_for_task. This file only checks the source's arguments into that plan and gives the engine its
refresh: the filters' listing (``TaskService.query``), then the open ids the listing did not show
(``TaskService.fetch_many``, in listing pages for GeminiDB/RDS). A task found by the filters stays
watched by id until it is terminal, even when it no longer matches (a ``status: Running`` filter
would otherwise never show how a job ended).

An event is ``{"task": <normalized task>, "previous_status": ..., "previous_phase": ..., "service": ...}``;
the first sighting of a task is an event too (``previous_status`` None); an id not found for
``not_found_grace`` seconds gets one event with phase ``unknown`` and is dropped.

The arguments take the module's names (``id``, ``poll_interval``, ``max_poll_interval``); the names
of the first releases (``ids``, ``interval``, ``max_interval``) are aliases. A message names the
argument as the rulebook wrote it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.connection import open_task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import AUTH_ARGUMENT_SPEC
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import check_path_ids, clean_ids, plan_query
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import CompletionRules
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import FILTER_OPTIONS, service_from_params
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import from_epoch_seconds, parse_duration, plain_number
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import WaitPlan
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import Waiter

DEFAULT_POLL_INTERVAL = 5.0
DEFAULT_MAX_POLL_INTERVAL = 60.0
DEFAULT_NOT_FOUND_GRACE = 60.0
# Budget of one poll (its requests and their retries); a poll that runs out of it is retried later.
POLL_BUDGET = 60.0
# The names of the first releases, kept as aliases of the module's names.
ALIASES = {"ids": "id", "interval": "poll_interval", "max_interval": "max_poll_interval"}
WATCH_OPTIONS = ("service", "api", "id") + FILTER_OPTIONS + ("poll_interval", "max_poll_interval", "until_terminal",
                                                             "not_found_grace")
SOURCE_ARGUMENTS = WATCH_OPTIONS + tuple(AUTH_ARGUMENT_SPEC)


def _given(args):
    """The set arguments under the module's names, and the name each was given as (for messages)."""
    values = {}
    written = {}
    for name, value in args.items():
        if value in (None, ""):
            continue
        option = ALIASES.get(name, name)
        if option in written:
            raise InvalidInput("%s and %s are the same argument (%s is the older name): give one of them"
                               % (written[option], name, [old for old, new in ALIASES.items() if new == option][0]),
                               option=name)
        values[option] = value
        written[option] = name
    return values, written


def _seconds(values, written, name, default, positive=False):
    value = values.get(name)
    if value is None:
        return default
    seconds = parse_duration(value, written[name])
    if positive and seconds <= 0:
        raise InvalidInput("%s must be more than 0 seconds, got %r" % (written[name], value), option=written[name])
    return seconds


def _flag(values, name):
    value = values.get(name)
    if value is None:
        return False
    if isinstance(value, str):
        value = value.strip().lower()
    if isinstance(value, (str, int, float)):
        if value in BOOLEANS_TRUE:
            return True
        if value in BOOLEANS_FALSE:
            return False
    raise InvalidInput("%s must be true or false, got %r" % (name, values.get(name)), option=name, allowed=[True, False])


def plan_watch(args, now=None):
    """Check the source arguments (no I/O); returns the watch's WaitPlan or raises InvalidInput naming the argument.

    ``now``: callable -> datetime for the filters' time window (tests).
    """
    accepted = SOURCE_ARGUMENTS + tuple(ALIASES)
    unknown = sorted(name for name in args if name not in accepted and not str(name).startswith("eda_"))
    if unknown:
        raise InvalidInput("task_events got unknown argument%s %s; allowed: %s" % (
            "" if len(unknown) == 1 else "s", ", ".join(unknown), ", ".join(SOURCE_ARGUMENTS)),
            option=unknown[0], allowed=list(SOURCE_ARGUMENTS))
    values, written = _given(dict((name, value) for name, value in args.items() if not str(name).startswith("eda_")))
    entry = service_from_params(values)  # the built-in service, or the declared api checked and registered
    service = entry.name
    ids = clean_ids(values.get("id"), written.get("id", "id")) or []   # cleaned once: the polls trust them
    if not entry["list_capable"]:
        check_path_ids(service, ids)
    filters = dict((name, values[name]) for name in FILTER_OPTIONS if name in values)
    if not ids and not filters:
        raise InvalidInput("task_events needs id (or ids) or at least one filter (%s)" % ", ".join(FILTER_OPTIONS),
                           option="id", allowed=["id"] + list(FILTER_OPTIONS))
    query = plan_query(entry, filters=filters, now=now) if filters else None
    poll_interval = _seconds(values, written, "poll_interval", DEFAULT_POLL_INTERVAL, positive=True)
    max_poll_interval = _seconds(values, written, "max_poll_interval", max(DEFAULT_MAX_POLL_INTERVAL, poll_interval))
    if max_poll_interval < poll_interval:
        raise InvalidInput("%s (%s) must not be smaller than %s (%s)" % (
            written["max_poll_interval"], plain_number(max_poll_interval), written.get("poll_interval", "poll_interval"),
            plain_number(poll_interval)), option=written["max_poll_interval"])
    return WaitPlan(CompletionRules.for_service(entry), ids=ids, filters=filters, service=service, timeout=None,
                    poll_interval=poll_interval, max_poll_interval=max_poll_interval,
                    not_found_grace=_seconds(values, written, "not_found_grace", DEFAULT_NOT_FOUND_GRACE),
                    query=query, watch=True, until_terminal=_flag(values, "until_terminal"), entry=entry)


def watch_refresh(tasks, plan, clock):
    """The engine's refresh(ids, deadline) of a watch: the filters' listing, then the open ids it did not show.

    A watch has no deadline: each poll gets POLL_BUDGET seconds for its requests and their retries.
    """
    def refresh(ids, _deadline):
        budget = clock() + POLL_BUDGET
        found = {}
        if plan.query is not None:
            for task in tasks.query(plan.query, deadline=budget):
                found[task["id"]] = task
        # Terminal tasks are not asked for again (the engine asks for the open ones only).
        rest = [task_id for task_id in ids if task_id not in found]
        if rest:
            # fetch_many's answer keeps the ids whose requests were refused or unsent (no evidence of
            # absence): the engine must see them, so the listing's tasks join it rather than the reverse.
            answers = tasks.fetch_many(rest, deadline=budget)
            answers.update(found)
            return answers
        return found
    return refresh


class TaskWatch(object):
    """The event source's view of a watching engine: ``poll()`` -> events, ``next_delay()``, ``finished``.

    ``tasks`` is a TaskService (``fetch_many`` and ``query``); ``clock`` (monotonic seconds) is
    injectable; the watch never sleeps: the caller waits ``next_delay()`` between polls (the event
    source with asyncio.sleep). ``warning`` holds why the last poll was skipped (a transient error).
    """

    def __init__(self, plan, tasks, clock=time.monotonic, on_close=None):
        self.plan = plan
        self.tasks = tasks
        self.warning = None
        self._on_close = on_close
        self._events = []
        self._engine = Waiter(watch_refresh(tasks, plan, clock), plan, clock=clock, on_event=self._collect)

    @property
    def polls(self):
        return self._engine.polls

    @property
    def finished(self):
        """True once until_terminal holds: a poll succeeded and every watched task is terminal."""
        return self.plan.until_terminal and self._engine.polls > 0 and not self._engine.open_count

    def next_delay(self):
        return self._engine.next_delay

    def poll(self):
        """One poll; returns the events of the status changes it saw (possibly none)."""
        self._events = []
        self._engine.poll()
        skipped = self._engine.skipped
        self.warning = None if skipped is None else "poll skipped, retrying in %ss: %s" % (
            plain_number(round(self._engine.next_delay, 1)), skipped)
        return self._events

    def close(self):
        if self._on_close is not None:
            self._on_close()

    def _collect(self, kind, payload):
        if kind == "status":
            self._events.append(payload)


def open_watch(args, environ=None, clock=time.monotonic, wall_clock=time.time, session=None):
    """A TaskWatch for the event source's ``args`` (auth options with the ``HW_*`` fallbacks of ``environ``,
    the process environment by default).

    Every argument is checked before the client is built; ``close()`` closes the client.
    """
    def now():
        return from_epoch_seconds(wall_clock())

    plan = plan_watch(args, now=now)
    tasks = open_task_service(args, plan.entry, environ=os.environ if environ is None else environ, clock=clock,
                              wall_clock=wall_clock, session=session, now=now)
    return TaskWatch(plan, tasks, clock=clock, on_close=tasks.client.close)
