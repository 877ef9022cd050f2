# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure deadline engine that waits for a set of asynchronous cloud tasks.

No I/O here: the caller injects ``refresh(ids, deadline)``, ``clock`` and ``sleep``.

Semantics, in short (docs/architecture.md has the contract):

* One monotonic deadline, ``clock() + timeout``, computed once and handed to every
  ``refresh`` so HTTP retries stop at it too. Sleeps never go past it; when a sleep ends
  at the deadline one last poll still runs, and a task seen terminal in that poll counts
  (the observation wins over the clock).
* ``CompletionRules`` maps raw statuses to target / failure / pending. Defaults come from
  the service catalog phases; overrides are checked against the statuses the service knows.
  With explicit ``pending_states`` a status outside all three lists fails the task
  ("unexpected status", Terraform semantics). Without it, unknown statuses count as pending,
  but a *terminal* catalog status that is neither target nor failure fails the task, because
  it will never change again (waiting would only end in a timeout).
* ``stable_for``: consecutive polls at target before a task counts as succeeded.
* Not found: a task missing from ``refresh`` counts as pending for ``not_found_grace``
  seconds (since the wait started, or since it disappeared), then it fails.
* Filter mode (``ids=None``): ``refresh(None, deadline)`` returns every matching task; the
  wait ends when no listed task is left unfinished. Nothing listed means nothing to wait
  for (succeeded at once). A task that drops out of the listing is "vanished": it no longer
  blocks and counts neither as success nor failure.
* Polling: ``delay`` before the first poll, then an adaptive interval within
  [poll_interval, max_poll_interval]: x1.5 while no status changes, back to poll_interval
  on a status change (progress ticking alone is not a change: it only feeds the estimate),
  and never longer than the earliest estimated finish of a running task (from the progress
  rate, else from ``typical_duration``). ``Throttled`` doubles a shared back-off floor
  (capped at 3 x max_poll_interval, or the ``retry_after`` hint) that halves again after
  each successful poll.
* Per-task schedules (``per_task_schedule=True``, for services that fetch one task per
  request): each open task has its own next-poll time and interval: x1.5 per poll without a
  status change of that task (capped at max_poll_interval), starting at the first sighting
  when the task reports progress, one poll later otherwise (a 6 s job without progress is
  polled at 0, 1, 2.5, 4.75, 8.1 s: 5 requests at worst up to 8.1 s), a change of its own status resets it to poll_interval, its own
  estimated finish shortens it (never below poll_interval), and a task that is missing or at
  target awaiting ``stable_for`` is polled every poll_interval. Each cycle sleeps until the
  earliest next poll (at least poll_interval, never past the deadline) and refreshes only
  the due ids; the poll at the deadline asks for every open id. Filter mode ignores it (one
  listing answers for every task).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    InvalidInput,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    describe_value as _describe,
    epoch_seconds,
    format_duration,
    is_number as _is_number,
    parse_duration,
    plain_number as _plain_number,
)

MODES = ("all", "any")
PHASES = ("pending", "running", "succeeded", "failed")
OUTCOME_SUCCEEDED = "succeeded"
OUTCOME_FAILED = "failed"
OUTCOME_TIMEOUT = "timeout"

BACKOFF_FACTOR = 1.5
THROTTLE_FACTOR = 2.0
THROTTLE_CAP_FACTOR = 3.0
REPORT_LIMIT = 5
# Float slack when comparing clock readings with the deadline (fake and real clocks add floats).
_EPSILON = 1e-6

# What CompletionRules.classify returns.
TARGET = "target"
FAILURE = "failure"
PENDING = "pending"
UNEXPECTED = "unexpected"
OTHER_TERMINAL = "other_terminal"

_MESSAGE_KEYS = ("Message", "message", "msg", "error_code", "code")
_DETAIL_KEYS = ("Detail", "detail", "Details", "details", "error_msg", "description")


# ---------------------------------------------------------------------------
# completion rules


def _unique(values):
    seen = set()
    result = []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result


class CompletionRules(object):
    """Which raw statuses mean done, failed or still going, for one service.

    Build with ``from_phases`` (pure) or ``for_service`` (reads the services catalog).
    """

    def __init__(self, target_states, failure_states, pending_states, terminal_states=(),
                 strict=False, service=None, typical_duration=None):
        self.target_states = list(target_states)
        self.failure_states = list(failure_states)
        self.pending_states = list(pending_states)
        self.strict = bool(strict)
        self.service = service
        self.typical_duration = typical_duration
        self._target = frozenset(self.target_states)
        self._failure = frozenset(self.failure_states)
        self._pending = frozenset(self.pending_states)
        self._terminal = frozenset(terminal_states) - self._target - self._failure - self._pending

    @classmethod
    def from_phases(cls, phases, target_states=None, pending_states=None, failure_states=None,
                    service=None, typical_duration=None):
        """Rules from a catalog ``phases`` dict ({"pending": [...], "running": [...], ...}).

        Defaults: target = succeeded, failure = failed, pending = pending + running.
        Overrides are raw statuses the service knows (case-sensitive); unknown values,
        empty target lists and a status in two lists raise InvalidInput.
        """
        by_phase = dict((phase, list((phases or {}).get(phase) or [])) for phase in PHASES)
        known = _unique(by_phase["pending"] + by_phase["running"] + by_phase["succeeded"] + by_phase["failed"])
        where = service or "this service"
        explicit = {}
        for option, values in (("target_states", target_states), ("failure_states", failure_states),
                               ("pending_states", pending_states)):
            if values is not None:
                explicit[option] = _check_states(option, values, known, where)
        _check_disjoint(explicit)

        target = explicit.get("target_states", by_phase["succeeded"])
        if not target:
            raise InvalidInput("target_states: no target status to wait for (%s has no succeeded statuses); "
                               "set target_states" % where, option="target_states", allowed=known)
        failure = explicit.get("failure_states")
        if failure is None:
            failure = [status for status in by_phase["failed"] if status not in target]
        pending = explicit.get("pending_states")
        if pending is None:
            pending = [status for status in by_phase["pending"] + by_phase["running"]
                       if status not in target and status not in failure]
        if typical_duration is not None:
            typical_duration = parse_duration(typical_duration, "typical_duration") or None
        return cls(target, failure, _unique(pending), terminal_states=by_phase["succeeded"] + by_phase["failed"],
                   strict="pending_states" in explicit, service=service, typical_duration=typical_duration)

    @classmethod
    def for_service(cls, service, target_states=None, pending_states=None, failure_states=None,
                    typical_duration=None):
        """Rules for a service of the catalog in services.py (imported lazily to keep this module pure)."""
        return cls.from_phases(service_entry(service)["phases"], target_states=target_states,
                               pending_states=pending_states, failure_states=failure_states,
                               service=service, typical_duration=typical_duration)

    def classify(self, status):
        """TARGET, FAILURE, PENDING, UNEXPECTED (strict rules) or OTHER_TERMINAL."""
        if status in self._target:
            return TARGET
        if status in self._failure:
            return FAILURE
        if status is None or status in self._pending:
            return PENDING
        if self.strict:
            return UNEXPECTED
        if status in self._terminal:
            return OTHER_TERMINAL
        return PENDING

    def to_dict(self):
        return {
            "service": self.service,
            "target_states": list(self.target_states),
            "failure_states": list(self.failure_states),
            "pending_states": list(self.pending_states),
            "strict": self.strict,
            "typical_duration": self.typical_duration,
        }


def _check_states(option, values, known, where):
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise InvalidInput("%s: expected a list of statuses, got %s" % (option, _describe(values)),
                           option=option, allowed=known)
    folded = dict((status.lower(), status) for status in known)
    for value in values:
        if value in known:
            continue
        hint = ""
        if isinstance(value, str) and value.lower() in folded:
            hint = " (statuses are case-sensitive: did you mean %r?)" % folded[value.lower()]
        raise InvalidInput("%s: %r is not a status of %s%s; allowed: %s" % (option, value, where, hint, ", ".join(known)),
                           option=option, allowed=known)
    return _unique(values)


def _check_disjoint(explicit):
    options = sorted(explicit)
    for index, first in enumerate(options):
        for second in options[index + 1:]:
            both = [status for status in explicit[first] if status in explicit[second]]
            if both:
                raise InvalidInput("%s and %s both list %s; a status can only be in one of them"
                                   % (first, second, ", ".join(repr(status) for status in both)),
                                   option=second, allowed=None)


# ---------------------------------------------------------------------------
# reporting helpers


def decode_subtask_message(message):
    """Readable text of a sub-task message.

    CAS sends a JSON-encoded string such as ``{"Message":"ECC00011","Detail":"Building failed."}``
    -> ``"ECC00011: Building failed."``; ``"{}"`` and empty values give ``""``.
    """
    if message is None:
        return ""
    if isinstance(message, str):
        text = message.strip()
        if not text.startswith(("{", "[")):
            return text
        try:
            message = json.loads(text)
        except ValueError:
            return text
    if isinstance(message, dict):
        head = _first_text(message, _MESSAGE_KEYS)
        detail = _first_text(message, _DETAIL_KEYS)
        parts = [part for part in (head, detail) if part]
        if parts:
            return ": ".join(parts)
        rest = ["%s=%s" % (key, value) for key, value in sorted(message.items()) if value not in (None, "", {}, [])]
        return ", ".join(rest)
    if isinstance(message, list):
        return "; ".join(part for part in (decode_subtask_message(item) for item in message) if part)
    return str(message)


def _first_text(mapping, keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _as_progress(value):
    if _is_number(value):
        return int(value)
    if isinstance(value, str) and value.strip().rstrip("%").strip().isdigit():
        return int(value.strip().rstrip("%"))
    return None


def _strip_end(text):
    return text.strip().rstrip(".;").strip()


def _task_label(task, task_id, default_service):
    parts = [task.get("service") or default_service, task.get("name"), task_id]
    return " ".join(str(part) for part in parts if part)


def _more(items, total):
    """First REPORT_LIMIT items joined, then "and N more"."""
    text = ", ".join(items[:REPORT_LIMIT])
    if total > REPORT_LIMIT:
        text += ", and %d more" % (total - REPORT_LIMIT)
    return text


# ---------------------------------------------------------------------------
# result


class WaitResult(object):
    """Outcome of one wait; ``to_dict()`` is what modules return."""

    def __init__(self, outcome, tasks, elapsed, polls, throttled, timeline, succeeded, failed, pending,
                 vanished, message, reasons):
        self.outcome = outcome
        self.tasks = tasks
        self.elapsed = elapsed
        self.polls = polls
        self.throttled = throttled
        self.timeline = timeline
        self.succeeded = succeeded
        self.failed = failed
        self.pending = pending
        self.vanished = vanished
        self.message = message
        self.reasons = reasons

    @property
    def ok(self):
        return self.outcome == OUTCOME_SUCCEEDED

    def to_dict(self):
        return {
            "outcome": self.outcome,
            "tasks": self.tasks,
            "elapsed": round(self.elapsed, 3),
            "polls": self.polls,
            "throttled": self.throttled,
            "timeline": self.timeline,
            "succeeded": list(self.succeeded),
            "failed": list(self.failed),
            "pending": list(self.pending),
            "vanished": list(self.vanished),
            "message": self.message,
            "reasons": dict(self.reasons),
        }


# ---------------------------------------------------------------------------
# engine


class _Tracked(object):
    """Per-task bookkeeping; slots because a wait can track a thousand of these."""

    __slots__ = ("task_id", "task", "seen", "status", "last_status", "progress", "last_progress", "first_seen_at",
                 "last_change_at", "missing_since", "streak", "verdict", "reason", "decided_at",
                 "rate_start", "rate_end", "interval", "next_poll_at", "status_changed_at")

    def __init__(self, task_id):
        self.task_id = task_id
        self.task = None
        self.seen = False
        self.status = None
        self.last_status = None
        self.progress = None
        self.last_progress = None
        self.first_seen_at = None
        self.last_change_at = None
        self.missing_since = None
        self.streak = 0
        self.verdict = None          # None (open), "succeeded", "failed", "vanished"
        self.reason = None
        self.decided_at = None
        self.rate_start = None       # (at, progress) samples for the progress-rate estimate
        self.rate_end = None
        self.interval = None         # per-task schedule: current back-off and when the task is due
        self.next_poll_at = None
        self.status_changed_at = None


class Waiter(object):
    """Poll ``refresh`` until the tasks are done, failed, or the deadline passes.

    Durations accept numbers of seconds or strings understood by ``parse_duration``.
    Everything is validated here, before the first refresh. ``wall_clock`` (optional,
    e.g. ``time.time``) lets ``typical_duration`` estimates use the tasks' ``created_at``.
    ``per_task_schedule`` gives every task its own polling schedule and refreshes only the due
    ids (for services without a listing, where each id costs a request); ignored in filter mode.
    """

    def __init__(self, refresh, rules, ids=None, timeout=1800, delay=0, poll_interval=1, max_poll_interval=10,
                 mode="all", fail_fast=True, stable_for=1, not_found_grace=30, clock=time.monotonic,
                 sleep=time.sleep, on_event=None, wall_clock=None, per_task_schedule=False):
        if not callable(refresh):
            raise InvalidInput("refresh: expected a callable refresh(ids, deadline)", option="refresh")
        if not isinstance(rules, CompletionRules):
            raise InvalidInput("rules: expected CompletionRules, got %s" % _describe(rules), option="rules")
        self._refresh = refresh
        self._rules = rules
        self._ids = _check_ids(ids)
        self._timeout = parse_duration(timeout, "timeout")
        if self._timeout <= 0:
            raise InvalidInput("timeout: must be greater than 0, got %r" % (timeout,), option="timeout")
        self._delay = parse_duration(delay, "delay")
        self._poll_interval = parse_duration(poll_interval, "poll_interval")
        if self._poll_interval <= 0:
            raise InvalidInput("poll_interval: must be greater than 0, got %r" % (poll_interval,), option="poll_interval")
        self._max_poll_interval = parse_duration(max_poll_interval, "max_poll_interval")
        if self._max_poll_interval < self._poll_interval:
            raise InvalidInput("max_poll_interval (%s) must not be smaller than poll_interval (%s)"
                               % (_plain_number(self._max_poll_interval), _plain_number(self._poll_interval)),
                               option="max_poll_interval")
        self._not_found_grace = parse_duration(not_found_grace, "not_found_grace")
        if mode not in MODES:
            raise InvalidInput("mode: %r is not allowed; allowed: %s" % (mode, ", ".join(MODES)), option="mode", allowed=MODES)
        self._mode = mode
        if not isinstance(fail_fast, bool):
            raise InvalidInput("fail_fast: expected true or false, got %s" % _describe(fail_fast),
                               option="fail_fast", allowed=[True, False])
        self._fail_fast = fail_fast
        if not isinstance(stable_for, int) or isinstance(stable_for, bool) or stable_for < 1:
            raise InvalidInput("stable_for: expected a whole number of polls >= 1, got %s" % _describe(stable_for),
                               option="stable_for")
        self._stable_for = stable_for
        if not isinstance(per_task_schedule, bool):
            raise InvalidInput("per_task_schedule: expected true or false, got %s" % _describe(per_task_schedule),
                               option="per_task_schedule", allowed=[True, False])
        self._per_task = per_task_schedule and self._ids is not None
        for name, func in (("clock", clock), ("sleep", sleep)):
            if not callable(func):
                raise InvalidInput("%s: expected a callable" % name, option=name)
        if on_event is not None and not callable(on_event):
            raise InvalidInput("on_event: expected a callable on_event(kind, payload) or None", option="on_event")
        self._clock = clock
        self._sleep = sleep
        self._on_event = on_event
        self._wall_clock = wall_clock

    # -- public -----------------------------------------------------------

    def run(self):
        """Wait; returns a WaitResult. Errors from refresh other than Throttled/WaitTimeout propagate."""
        self._start = self._clock()
        self._deadline = self._start + self._timeout
        self._polls = 0
        self._throttled = 0
        self._timeline = {}
        self._tracked = {}
        self._order = []
        self._open = []
        self._counts = {"succeeded": 0, "failed": 0, "vanished": 0}
        for task_id in self._ids or ():
            self._track(task_id)
        self._emit("start", {"ids": list(self._ids) if self._ids is not None else None,
                             "count": len(self._order), "timeout": self._timeout, "mode": self._mode,
                             "rules": self._rules.to_dict()})
        if self._ids is not None and not self._ids:
            return self._finish(OUTCOME_SUCCEEDED, self._clock())
        outcome, now = self._loop()
        return self._finish(outcome, now)

    # -- loop -------------------------------------------------------------

    def _loop(self):
        clock = self._clock
        now = self._start
        if self._delay > 0:
            now = self._nap(self._delay, now)
        interval = self._poll_interval
        throttle_floor = 0.0
        while True:
            due = self._due_states(now)
            asked = None if self._ids is None else [state.task_id for state in due]
            try:
                fetched = self._refresh(asked, self._deadline)
            except Throttled as exc:
                self._throttled += 1
                throttle_floor = self._throttle_backoff(exc, max(interval, throttle_floor))
                now = clock()
                self._emit("throttled", {"count": self._throttled, "backoff": round(throttle_floor, 3),
                                         "elapsed": self._since_start(now)})
                if self._past_deadline(now):
                    return OUTCOME_TIMEOUT, now
                now = self._nap(throttle_floor, now)
                continue
            except WaitTimeout:
                # The client ran out of our deadline mid-request: same as reaching it ourselves.
                return OUTCOME_TIMEOUT, clock()
            self._polls += 1
            now = clock()
            first_sights = set(state.task_id for state in due if not state.seen)
            status_changed = self._observe(fetched, now, due)
            outcome = self._decide()
            self._emit("poll", self._poll_payload(now))
            if outcome is not None:
                return outcome, now
            if self._past_deadline(now):
                return OUTCOME_TIMEOUT, now
            throttle_floor = throttle_floor / 2.0 if throttle_floor >= 2 * self._poll_interval else 0.0
            if self._per_task:
                wait = self._schedule(due, first_sights, now)
            else:
                interval = self._poll_interval if status_changed else min(interval * BACKOFF_FACTOR, self._max_poll_interval)
                wait = self._estimated_wait(interval, now)
            now = self._nap(max(wait, throttle_floor), now)

    def _due_states(self, now):
        """Open tasks to refresh now: all of them, or with per-task schedules the due ones (all at the deadline)."""
        if not self._per_task or self._past_deadline(now):
            return list(self._open)
        due = [state for state in self._open if state.next_poll_at is None or state.next_poll_at <= now + _EPSILON]
        if not due:
            # Only reachable if the clock moved backwards: poll the earliest rather than nothing.
            earliest = min(state.next_poll_at for state in self._open)
            due = [state for state in self._open if state.next_poll_at <= earliest + _EPSILON]
        return due

    def _schedule(self, polled, first_sights, now):
        """Next poll of every task just polled; returns the sleep until the earliest due task."""
        wall_now = self._wall_clock() if (self._wall_clock is not None and self._rules.typical_duration) else None
        for state in polled:
            if state.verdict is not None:
                continue
            if not state.seen or state.missing_since is not None or state.streak:
                # Not visible (grace clock running) or at target awaiting stable_for: keep looking closely.
                state.interval = self._poll_interval
            elif state.task_id in first_sights and state.progress is not None:
                # The progress rate will pin the finish, so the back-off can start at the first poll;
                # without progress it starts one poll later (0, 1, 2.5, 4.75, 8.1 s) to keep the lag low.
                state.interval = min(self._poll_interval * BACKOFF_FACTOR, self._max_poll_interval)
            elif state.task_id in first_sights or state.status_changed_at == now:
                state.interval = self._poll_interval
            else:
                state.interval = min(state.interval * BACKOFF_FACTOR, self._max_poll_interval)
            wait = state.interval
            if state.seen and state.missing_since is None:
                eta = self._eta(state, now, wall_now)
                if eta is not None and eta > 0:
                    wait = min(wait, max(self._poll_interval, eta))
            state.next_poll_at = now + wait
        earliest = min(state.next_poll_at for state in self._open)
        return max(earliest - now, self._poll_interval)

    def _nap(self, seconds, now):
        """Sleep ``seconds`` but never past the deadline; returns the clock afterwards."""
        seconds = min(seconds, self._deadline - now)
        if seconds > 0:
            self._sleep(seconds)
            return self._clock()
        return now

    def _past_deadline(self, now):
        return now >= self._deadline - _EPSILON

    def _throttle_backoff(self, exc, current):
        hint = getattr(exc, "retry_after", None)
        if hint is None:
            hint = (getattr(exc, "details", None) or {}).get("retry_after")
        if _is_number(hint) and hint > 0:
            return max(float(hint), self._poll_interval)
        return min(current * THROTTLE_FACTOR, self._max_poll_interval * THROTTLE_CAP_FACTOR)

    def _estimated_wait(self, interval, now):
        """Backed-off interval, shortened to the earliest estimated finish (never below poll_interval)."""
        earliest = None
        wall_now = self._wall_clock() if (self._wall_clock is not None and self._rules.typical_duration) else None
        for state in self._open:
            if state.seen:
                eta = self._eta(state, now, wall_now)
                if eta is not None and eta > 0 and (earliest is None or eta < earliest):
                    earliest = eta
        if earliest is None:
            return interval
        return min(interval, max(self._poll_interval, earliest))

    def _eta(self, state, now, wall_now):
        if state.rate_start is not None and state.rate_end is not None:
            (start_at, start_progress), (end_at, end_progress) = state.rate_start, state.rate_end
            if end_progress > start_progress and end_at > start_at:
                rate = (end_progress - start_progress) / (end_at - start_at)
                return (100 - end_progress) / rate - (now - end_at)
        typical = self._rules.typical_duration
        if typical:
            ran = now - state.first_seen_at
            created = epoch_seconds(state.task.get("created_at")) if wall_now is not None else None
            if created is not None:
                ran = max(ran, wall_now - created)
            return typical - ran
        return None

    # -- observation ------------------------------------------------------

    def _track(self, task_id):
        state = self._tracked.get(task_id)
        if state is None:
            state = _Tracked(task_id)
            self._tracked[task_id] = state
            self._order.append(task_id)
            self._open.append(state)
        return state

    def _observe(self, fetched, now, asked):
        """Apply one refresh of the ``asked`` states; returns True when any status changed (drives the back-off reset)."""
        by_id = _index_tasks(fetched)
        # Filter mode observes every tracked task: the listing answers for all of them.
        asked_ids = None if self._ids is None else set(state.task_id for state in asked)
        if self._ids is None:
            for task_id in by_id:
                if task_id not in self._tracked:
                    self._track(task_id)
        changed = False
        still_open = []
        for state in self._open:
            if asked_ids is not None and state.task_id not in asked_ids:
                still_open.append(state)
                continue
            task = by_id.get(state.task_id)
            if task is None:
                changed = self._missing(state, now) or changed
            else:
                changed = self._seen(state, task, now) or changed
            if state.verdict is None:
                still_open.append(state)
        self._open = still_open
        return changed

    def _seen(self, state, task, now):
        status = task.get("status")
        progress = _as_progress(task.get("progress"))
        first = not state.seen
        status_changed = first or status != state.status
        if status_changed:
            state.status_changed_at = now
        if status_changed or progress != state.progress:
            self._record(state, now, status, progress, task.get("name"))
            state.last_change_at = now
        if first:
            state.first_seen_at = now
        state.seen = True
        state.task = task
        state.status = status
        state.last_status = status
        state.progress = progress
        state.missing_since = None
        if progress is not None:
            state.last_progress = progress
            if state.rate_start is None or (state.rate_end is not None and progress < state.rate_end[1]):
                state.rate_start = (now, progress)
                state.rate_end = (now, progress)
            elif progress > state.rate_end[1]:
                state.rate_end = (now, progress)

        verdict = self._rules.classify(status)
        if verdict == TARGET:
            state.streak += 1
            if state.streak >= self._stable_for:
                self._decide_task(state, "succeeded", now, None)
                return True
            return status_changed
        state.streak = 0
        if verdict == FAILURE:
            self._decide_task(state, "failed", now, None)
        elif verdict == UNEXPECTED:
            self._decide_task(state, "failed", now, "reached unexpected status %r (target_states: %s; pending_states: %s; failure_states: %s)"
                              % (status, self._rules.target_states, self._rules.pending_states, self._rules.failure_states))
        elif verdict == OTHER_TERMINAL:
            self._decide_task(state, "failed", now, "ended with status %r, which is not one of target_states %s"
                              % (status, self._rules.target_states))
        return status_changed or state.verdict is not None

    def _missing(self, state, now):
        if self._ids is None:
            # Filter mode: it no longer matches the filter, so it no longer blocks the wait.
            self._record(state, now, None, None, state.task.get("name"))
            self._decide_task(state, "vanished", now, "no longer listed by the service (last status %s)" % _last_status(state))
            return True
        changed = False
        if state.missing_since is None:
            state.missing_since = now if state.seen else self._start
            if state.seen:
                self._record(state, now, None, None, state.task.get("name"))
                state.status = None
                state.progress = None
                state.streak = 0
                state.last_change_at = now
                changed = True
        missing_for = now - state.missing_since
        if missing_for + _EPSILON < self._not_found_grace:
            return changed
        grace = _plain_number(self._not_found_grace)
        if state.seen:
            reason = "task %s disappeared: not found for %s (last status %s; not_found_grace=%s)" % (
                state.task_id, format_duration(missing_for), _last_status(state), grace)
        else:
            reason = "task %s was not found %s after the wait started (not_found_grace=%s)" % (
                state.task_id, format_duration(missing_for), grace)
        self._decide_task(state, "failed", now, reason)
        return True

    def _record(self, state, now, status, progress, name):
        old_status, old_progress = (state.status, state.progress) if state.seen else (None, None)
        at = self._since_start(now)
        self._timeline.setdefault(state.task_id, []).append({"at": at, "status": status, "progress": progress})
        self._emit("change", {"id": state.task_id, "name": name,
                              "old_status": old_status, "status": status,
                              "old_progress": old_progress, "progress": progress, "at": at})

    def _decide_task(self, state, verdict, now, reason):
        state.verdict = verdict
        state.reason = reason
        state.decided_at = now
        self._counts[verdict] += 1

    def _decide(self):
        """Outcome after a poll, or None to keep waiting."""
        counts = self._counts
        if self._mode == "any":
            if counts["succeeded"]:
                return OUTCOME_SUCCEEDED
            if not self._open:
                return OUTCOME_FAILED if counts["failed"] else OUTCOME_SUCCEEDED
            return None
        if counts["failed"] and self._fail_fast:
            return OUTCOME_FAILED
        if not self._open:
            return OUTCOME_FAILED if counts["failed"] else OUTCOME_SUCCEEDED
        return None

    # -- events and result ------------------------------------------------

    def _emit(self, kind, payload):
        if self._on_event is not None:
            self._on_event(kind, payload)

    def _since_start(self, now):
        return round(now - self._start, 1)

    def _poll_payload(self, now):
        running = 0
        for state in self._open:
            if state.task is not None and (state.task.get("phase") == "running" or state.streak):
                running += 1
        return {"poll": self._polls, "elapsed": self._since_start(now), "pending": len(self._open) - running,
                "running": running, "succeeded": self._counts["succeeded"], "failed": self._counts["failed"],
                "vanished": self._counts["vanished"], "total": len(self._order)}

    def _finish(self, outcome, now):
        if outcome == OUTCOME_TIMEOUT and self._mode == "all" and self._counts["failed"]:
            # A definite failure is more useful than "timeout": the wait could not have succeeded.
            outcome = OUTCOME_FAILED
        lists = {"succeeded": [], "failed": [], "pending": [], "vanished": []}
        tasks = []
        for task_id in self._order:
            state = self._tracked[task_id]
            lists[state.verdict or "pending"].append(task_id)
            tasks.append(self._final_task(state))
        elapsed = now - self._start
        reasons = {}
        for task_id in lists["failed"]:
            reasons[task_id] = self._failure_text(self._tracked[task_id])
        if outcome != OUTCOME_SUCCEEDED:
            for task_id in lists["pending"]:
                reasons[task_id] = self._pending_text(self._tracked[task_id], now)
        message = self._message(outcome, lists, reasons, elapsed)
        result = WaitResult(outcome, tasks, elapsed, self._polls, self._throttled, self._timeline,
                            lists["succeeded"], lists["failed"], lists["pending"], lists["vanished"], message, reasons)
        self._emit("done", {"outcome": outcome, "elapsed": round(elapsed, 3), "polls": self._polls,
                            "throttled": self._throttled, "succeeded": len(lists["succeeded"]),
                            "failed": len(lists["failed"]), "pending": len(lists["pending"]),
                            "vanished": len(lists["vanished"]), "message": message})
        return result

    def _fail_fast_stop(self):
        return self._mode == "all" and self._fail_fast

    def _final_task(self, state):
        if state.task is None:
            note = "not found" if state.verdict == "failed" else "not visible yet"
            return {"id": state.task_id, "name": None, "service": self._rules.service, "status": None,
                    "phase": "unknown" if state.verdict == "failed" else "pending", "progress": None,
                    "instance": {"id": None, "name": None, "status": None}, "created_at": None, "ended_at": None,
                    "fail_reason": None, "subtasks": [], "request_id": None, "raw": None, "note": note}
        if state.missing_since is not None or state.verdict == "vanished":
            task = dict(state.task)
            task["note"] = state.reason or "not found since %s into the wait" % format_duration(state.missing_since - self._start)
            return task
        return state.task

    def _failure_text(self, state):
        """One sentence about a failed task: what, where it stopped, why, and the request id."""
        task = state.task or {}
        label = _task_label(task, state.task_id, self._rules.service)
        if state.task is None or state.missing_since is not None:
            return _strip_end(state.reason) + "."
        head = "%s failed with status %s" % (label, state.status)
        if state.last_progress is not None:
            head += " at %d%%" % state.last_progress
        head += " after %s" % format_duration(state.decided_at - self._start)
        ran = _task_runtime(task)
        if ran is not None:
            head += " (ran %s)" % format_duration(ran)
        parts = [head]
        if state.reason:
            parts.append(state.reason)
        reason = str(task.get("fail_reason") or "")
        subtask_lines = []
        for subtask in task.get("subtasks") or ():
            if subtask.get("phase") == "failed" or subtask.get("status") in ("FAILED", "Failed"):
                detail = _strip_end(decode_subtask_message(subtask.get("message")) or "")
                what = "sub-task %s failed" % (subtask.get("name") or subtask.get("id"))
                subtask_lines.append("%s: %s" % (what, detail) if detail else what)
                # CAS derives fail_reason from this very sub-task: say it once, with the sub-task's name.
                if detail and detail in reason:
                    reason = ""
        if reason:
            parts.append("reason: %s" % _strip_end(reason))
        elif not subtask_lines and state.reason is None:
            parts.append("the service gave no failure reason")
        parts.extend(subtask_lines)
        if task.get("request_id"):
            parts.append("request id %s" % task["request_id"])
        return "; ".join(_strip_end(part) for part in parts) + "."

    def _pending_text(self, state, now):
        if state.task is None:
            return "%s not visible yet" % state.task_id
        label = _task_label(state.task, state.task_id, self._rules.service)
        if state.missing_since is not None:
            return "%s not found for %s (last status %s)" % (label, format_duration(now - state.missing_since), _last_status(state))
        where = str(state.status)
        if state.progress is not None:
            where += " %d%%" % state.progress
        if state.streak:
            where += " (at target, %d of %d stable polls)" % (state.streak, self._stable_for)
        return "%s %s (unchanged for %s)" % (label, where, format_duration(now - state.last_change_at))

    def _message(self, outcome, lists, reasons, elapsed):
        total = len(self._order)
        took = format_duration(elapsed)
        if outcome == OUTCOME_SUCCEEDED:
            if not total:
                return "nothing to wait for: no matching task" if self._ids is None else "nothing to wait for: no task ids given"
            if self._mode == "any":
                return "task %s succeeded after %s (%d polls)" % (lists["succeeded"][0], took, self._polls)
            text = "%d of %d tasks succeeded after %s (%d polls)" % (len(lists["succeeded"]), total, took, self._polls)
            if lists["vanished"]:
                text += "; %d no longer listed" % len(lists["vanished"])
            return text
        if outcome == OUTCOME_TIMEOUT:
            unfinished = [reasons[task_id] for task_id in lists["pending"]]
            if self._mode == "any":
                head = "timed out after %s: none of %d tasks reached %s" % (took, total, "/".join(self._rules.target_states))
            else:
                head = "timed out after %s: %d of %d tasks unfinished" % (took, len(unfinished), total)
            text = "%s: %s" % (head, _more(unfinished, len(unfinished)))
            if lists["failed"]:
                text += "; %d failed: %s" % (len(lists["failed"]), _more([reasons[task_id] for task_id in lists["failed"]], len(lists["failed"])))
            return text
        failures = [reasons[task_id] for task_id in lists["failed"]]
        head = "%d of %d tasks failed after %s" % (len(failures), total, took)
        text = "%s: %s" % (head, " ".join(failures[:REPORT_LIMIT]))
        if len(failures) > REPORT_LIMIT:
            text += " And %d more failed." % (len(failures) - REPORT_LIMIT)
        pending = lists["pending"]
        if pending:
            if self._fail_fast_stop():
                text += " Stopped at the first failure (fail_fast): %d task%s still unfinished." % (
                    len(pending), "" if len(pending) == 1 else "s")
            else:
                text += " Also timed out with %d unfinished: %s." % (
                    len(pending), _strip_end(_more([reasons[task_id] for task_id in pending], len(pending))))
        return text


def _last_status(state):
    text = str(state.last_status)
    if state.last_progress is not None:
        text += " %d%%" % state.last_progress
    return text


def _task_runtime(task):
    created = epoch_seconds(task.get("created_at"))
    ended = epoch_seconds(task.get("ended_at"))
    if created is None or ended is None or ended < created:
        return None
    return ended - created


def _index_tasks(fetched):
    """{id: task} from a list of tasks or a {id: task} dict; tasks without an id are ignored."""
    if fetched is None:
        return {}
    if isinstance(fetched, dict):
        fetched = fetched.values()
    by_id = {}
    for task in fetched:
        if isinstance(task, dict) and task.get("id") is not None:
            by_id[task["id"]] = task
    return by_id


def _check_ids(ids):
    if ids is None:
        return None
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, (list, tuple)):
        raise InvalidInput("ids: expected a list of task ids, got %s" % _describe(ids), option="ids")
    for task_id in ids:
        if not isinstance(task_id, str) or not task_id.strip():
            raise InvalidInput("ids: every id must be a non-empty string, got %s" % _describe(task_id), option="ids")
    return _unique(ids)
