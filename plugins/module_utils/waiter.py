# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure deadline engine that waits for a set of asynchronous cloud tasks.

No I/O here: the caller injects ``refresh(ids, deadline)``, ``clock`` and ``sleep``, and a checked
``WaitPlan`` (``wait_plan.plan_wait``) that the engine trusts: it checks no option again. Status
verdicts come from the plan's ``CompletionRules`` (``rules.py``), the words of the result from
``report.py``.

Semantics, in short (docs/architecture.md has the contract):

* One monotonic deadline, ``clock() + timeout``, computed once and handed to every
  ``refresh`` so HTTP retries stop at it too. Sleeps never go past it; when a sleep ends
  at the deadline one last poll still runs, and a task seen terminal in that poll counts
  (the observation wins over the clock).
* ``stable_for``: consecutive polls at target before a task counts as succeeded.
* Not found: a task missing from ``refresh`` counts as pending for ``not_found_grace``
  seconds (since the wait started, or since it disappeared), then it fails.
* Filter mode (``ids=None``): ``refresh(None, deadline)`` returns every matching task; the
  wait ends when no listed task is left unfinished. Nothing listed means nothing to wait
  for (succeeded at once). A task that drops out of the listing is "vanished": it no longer
  blocks and counts neither as success nor failure.
* Polling: ``delay`` before the first poll, then a schedule (``poll_schedule.py``) chosen once
  per wait: ``SharedSchedule`` (a listing, or one batch of ids for list-capable services) or
  ``PerTaskSchedule`` (services that fetch one task per request; ignored in filter mode, where
  one listing answers for every task). Intervals count from when a poll was sent. ``Throttled`` doubles a shared back-off floor (capped at
  3 x max_poll_interval, or the ``retry_after`` hint) that halves again after each successful poll.
* No answer lost: ``refresh`` may return a mapping with ``refused`` (429 after every retry) and
  ``unsent`` (the deadline came first) id lists (``fetch_each.Answers``). Every other answer counts;
  those ids stay due, are no evidence of absence (``not_found_grace`` never runs out on them) and
  are counted in ``throttled``; a timeout names them as "could not be asked". ``capacity()`` (None:
  unbounded) caps how many due ids one refresh asks for, those waiting longest for an answer first.
* Errors: ``Throttled`` slows the loop, ``WaitTimeout`` ends it as a timeout, any other
  ``TaskGateError`` from refresh ends it with outcome ``error`` and the data seen so far.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.deadline import Deadline
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    ContractError,
    NotFound,
    TaskGateError,
    Throttled,
    WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.poll_schedule import (
    PerTaskSchedule,
    SharedSchedule,
    relaxed_throttle,
    throttle_backoff,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.report import (
    error_message,
    failure_text,
    missing_note,
    not_found_reason,
    other_terminal_reason,
    outcome_message,
    pending_text,
    unexpected_status_reason,
    unseen_note,
    vanished_reason,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import (
    FAILURE,
    OTHER_TERMINAL,
    OUTCOME_ERROR,
    OUTCOME_FAILED,
    OUTCOME_SUCCEEDED,
    OUTCOME_TIMEOUT,
    TARGET,
    UNEXPECTED,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import parse_progress
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_state import (
    FAILED,
    SUCCEEDED,
    VANISHED,
    TaskState,
    placeholder_task,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import plain_number

# Float slack when comparing clock readings with the deadline (fake and real clocks add floats).
_EPSILON = 1e-6


def transient(exc):
    """True for errors a long-running watch outlives: throttling, server errors, dropped connections,
    a poll that ran out of its budget.

    Rejected credentials, a wrong endpoint (gateway 404), a broken response contract and other 4xx
    answers stay wrong however often they are retried.
    """
    if isinstance(exc, (Throttled, WaitTimeout)):
        return True
    if isinstance(exc, (AuthError, NotFound, ContractError)) or not isinstance(exc, ApiError):
        return False
    return exc.status is None or exc.status >= 500


def gone_task(state, service, missing_for):
    """The task of a watch's not-found event: the last one seen (status None) or a placeholder."""
    if state.task is None:
        return placeholder_task(state.task_id, service, "not found %ss after the watch started" % plain_number(
            round(missing_for, 1)))
    task = dict(state.task)
    task.update(status=None, phase="unknown", progress=None, note="not found any more for %ss (last status %s)" % (
        plain_number(round(missing_for, 1)), state.last_status))
    return task


# ---------------------------------------------------------------------------
# result


class WaitResult(object):
    """Outcome of one wait (wait_runner turns it into the module result).

    ``outcome`` is succeeded, failed, timeout or error. With ``error`` (an API error stopped the
    wait, kept in ``error``) no verdict is final: ``succeeded``/``failed``/``vanished`` are empty,
    ``pending`` holds every task id, ``tasks`` the tasks seen so far (latest sighting, in the order
    first seen), and ``timeline``/``polls`` what was observed until then.
    """

    def __init__(self, outcome, tasks, elapsed, polls, throttled, timeline, succeeded, failed, pending,
                 vanished, message, reasons, error=None):
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
        self.error = error


# ---------------------------------------------------------------------------
# bookkeeping


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


# ---------------------------------------------------------------------------
# engine


class Waiter(object):
    """Poll ``refresh`` until the tasks of a checked ``plan`` are done, failed, or the deadline passes.

    ``deadline`` is the wait's one monotonic ``Deadline`` (``deadline.py``), made once by the caller
    and handed to every ``refresh`` unchanged; without one the plan's ``timeout`` counts from ``run()``.
    ``on_event(kind, payload)`` gets JSON-safe events (start, poll, change, throttled, done, and
    ``status`` in watch mode); ``latest_task(task_id)`` is the last task seen of an id.

    Watch mode (``plan.watch``, the task_events event source): no deadline and no outcome. The caller
    runs one ``poll()`` at a time and waits ``next_delay`` in between; each status change (the first
    sighting too, and an id not found for ``not_found_grace``) is a ``status`` event
    ``{task, previous_status, previous_phase, service}``. A task is done once its phase is terminal.
    Tasks that ``refresh`` returns beyond the ids asked (a filter's listing) are watched from then on,
    by id, until they end. Errors a long watch outlives (``transient``) skip the poll and back off
    like throttling (``skipped`` holds the error); any other error propagates.
    """

    def __init__(self, refresh, plan, clock=time.monotonic, sleep=time.sleep, on_event=None, deadline=None,
                 capacity=None):
        self._refresh = refresh
        self._capacity = capacity
        self._plan = plan
        self._rules = plan.rules
        self._ids = plan.ids
        self._watching = plan.watch
        self._given_deadline = deadline
        self._clock = clock
        self._sleep = sleep
        self._on_event = on_event
        self._tracked = {}
        self._started = False
        self.next_delay = plan.poll_interval
        self.skipped = None

    # -- public -----------------------------------------------------------

    def run(self):
        """Wait; returns a WaitResult (outcome error when refresh raised a TaskGateError other than
        Throttled/WaitTimeout). Other exceptions propagate."""
        self.start()
        if self._ids is not None and not self._ids:
            return self._finish(OUTCOME_SUCCEEDED, self._clock())
        now = self._start
        if self._plan.delay > 0:
            now = self._nap(self._plan.delay, now)
        while True:
            outcome, now = self._poll(now)
            if outcome is not None:
                break
            now = self._nap(self.next_delay, now)
        if outcome == OUTCOME_ERROR:
            return self._stopped(now)
        return self._finish(outcome, now)

    def start(self):
        """Begin the wait (or watch): the clock starts, the given ids are tracked; emits ``start``."""
        plan = self._plan
        self._start = self._clock()
        if self._given_deadline is not None:
            self._deadline = self._given_deadline
        elif plan.timeout is not None:
            self._deadline = Deadline(self._start + plan.timeout, self._clock)
        else:
            self._deadline = None
        self._polls = 0
        self._throttled = 0
        self._throttle_floor = 0.0
        self._refused = 0
        self._timeline = {}
        self._tracked = {}
        self._order = []
        self._open = []
        self._counts = {SUCCEEDED: 0, FAILED: 0, VANISHED: 0}
        self._error = None
        self._started = True
        per_task = plan.per_task_schedule and self._ids is not None
        self._schedule = (PerTaskSchedule if per_task else SharedSchedule)(plan.poll_interval, plan.max_poll_interval)
        for task_id in self._ids or ():
            self._track(task_id)
        timeout = None if self._deadline is None else self._deadline.at - self._start
        self._emit("start", {"ids": list(self._ids) if self._ids is not None else None,
                             "count": len(self._order), "timeout": timeout, "mode": plan.mode,
                             "rules": self._rules.to_dict()})

    def poll(self):
        """One poll now (watch mode: the caller sleeps ``next_delay`` in between); returns the outcome or None."""
        if not self._started:
            self.start()
        outcome, _now = self._poll(self._clock())
        return outcome

    @property
    def polls(self):
        """Polls answered so far."""
        return self._polls if self._started else 0

    @property
    def open_count(self):
        """Tasks without a verdict (tracked and still polled)."""
        return len(self._open) if self._started else len(self._ids or ())

    def latest_task(self, task_id):
        """The last normalized task seen of ``task_id`` (None before its first sighting)."""
        state = self._tracked.get(task_id)
        return state.task if state is not None else None

    # -- loop -------------------------------------------------------------

    def _poll(self, now):
        """One poll at ``now``: (outcome or None, clock afterwards); sets ``next_delay``."""
        schedule = self._schedule
        due = self._within_capacity(schedule.due(self._open, now, self._past_deadline(now)))
        asked_at = now
        asked = None if self._ids is None else [state.task_id for state in due]
        self.skipped = None
        try:
            fetched = self._refresh(asked, self._deadline)
        except TaskGateError as exc:
            if self._watching and not transient(exc):
                raise
            if self._watching or isinstance(exc, Throttled):
                self.skipped = exc
                return self._slow_down(exc)
            if isinstance(exc, WaitTimeout):
                # The client ran out of our deadline mid-request: same as reaching it ourselves.
                return OUTCOME_TIMEOUT, self._clock()
            self._error = exc
            return OUTCOME_ERROR, self._clock()
        self._polls += 1
        now = self._clock()
        due = self._answered(fetched, due, now)
        first_sights = set(state.task_id for state in due if not state.seen)
        status_changed = self._observe(fetched, now, due)
        outcome = self._decide()
        self._emit("poll", self._poll_payload(now))
        if outcome is not None:
            return outcome, now
        if self._past_deadline(now):
            return OUTCOME_TIMEOUT, now
        self._throttle_floor = relaxed_throttle(self._throttle_floor, self._plan.poll_interval)
        next_at = schedule.next_poll(self._open, due, first_sights, status_changed, asked_at, now)
        self.next_delay = max(next_at - now, self._throttle_floor)
        return None, now

    def _slow_down(self, exc):
        """A throttled (or, watching, a transiently failed) poll: hold every poll for the throttle back-off."""
        self._throttled += 1
        self._throttle_floor = self._throttle_backoff(exc, max(self._schedule.interval, self._throttle_floor))
        now = self._clock()
        self._emit("throttled", {"count": self._throttled, "backoff": round(self._throttle_floor, 3),
                                 "elapsed": self._since_start(now)})
        if self._past_deadline(now):
            return OUTCOME_TIMEOUT, now
        self.next_delay = self._throttle_floor
        return None, now

    def _within_capacity(self, due):
        """The due tasks a refresh may ask for: all, unless ``capacity()`` (requests the pace allows
        before the next decision) is smaller; then those waiting longest for an answer first, so no id
        is asked twice while another due id waits."""
        limit = self._capacity() if self._capacity is not None and self._ids is not None else None
        if limit is None or len(due) <= limit:
            return due
        start = self._start
        return sorted(due, key=lambda state: state.answered_at if state.answered_at is not None else start)[:max(1, limit)]

    def _answered(self, fetched, due, now):
        """The due tasks the refresh holds an answer about; the others (refused, unsent: no evidence
        either way) stay due as they were, and never count toward not_found_grace."""
        unanswered = set(getattr(fetched, "refused", ())) | set(getattr(fetched, "unsent", ()))
        if not unanswered:
            for state in due:
                state.answered_at = now
            return due
        refused = set(getattr(fetched, "refused", ()))
        answered = []
        for state in due:
            if state.task_id in unanswered:
                state.refused += 1
            else:
                state.answered_at = now
                answered.append(state)
        if refused:
            self._refused += len(refused)
            self._emit("throttled", {"count": self._throttled + self._refused, "refused": len(refused),
                                     "answered": len(answered), "backoff": None, "elapsed": self._since_start(now)})
        return answered

    def _nap(self, seconds, now):
        """Sleep ``seconds`` but never past the deadline; returns the clock afterwards."""
        if self._deadline is not None:
            seconds = min(seconds, self._deadline.at - now)
        if seconds > 0:
            self._sleep(seconds)
            return self._clock()
        return now

    def _past_deadline(self, now):
        return self._deadline is not None and now >= self._deadline.at - _EPSILON

    def _throttle_backoff(self, exc, current):
        hint = getattr(exc, "retry_after", None)
        if hint is None:
            hint = (getattr(exc, "details", None) or {}).get("retry_after")
        return throttle_backoff(hint, current, self._plan.poll_interval, self._plan.max_poll_interval)

    # -- observation ------------------------------------------------------

    def _track(self, task_id):
        state = self._tracked.get(task_id)
        if state is None:
            state = TaskState(task_id)
            self._tracked[task_id] = state
            self._order.append(task_id)
            self._open.append(state)
        return state

    def _observe(self, fetched, now, asked):
        """Apply one refresh of the ``asked`` states; returns True when any status changed (drives the back-off reset)."""
        by_id = _index_tasks(fetched)
        # Filter mode observes every tracked task: the listing answers for all of them.
        asked_ids = None if self._ids is None else set(state.task_id for state in asked)
        if self._ids is None or self._watching:
            for task_id in by_id:
                if task_id not in self._tracked:
                    self._track(task_id)
                    if asked_ids is not None:
                        asked_ids.add(task_id)   # watching: a filter's listing found it
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
        progress = parse_progress(task.get("progress"))
        first = not state.seen
        status_changed = first or status != state.status
        state.task = task  # before the change event: progress lines look the task up
        if status_changed or progress != state.progress:
            self._record(state, now, status, progress, task.get("name"))
            state.last_change_at = now
        if first:
            state.first_seen_at = now
        state.seen = True
        state.status = status
        state.last_status = status
        state.progress = progress
        state.missing_since = None
        if progress is not None:
            state.last_progress = progress
        state.sample_progress(now, progress)
        if self._watching:
            return self._watched(state, task, now, first)

        verdict = self._rules.classify(status)
        if verdict == TARGET:
            state.streak += 1
            if state.streak >= self._plan.stable_for:
                self._decide_task(state, SUCCEEDED, now, None)
                return True
            return status_changed
        state.streak = 0
        if verdict == FAILURE:
            self._decide_task(state, FAILED, now, None)
        elif verdict == UNEXPECTED:
            self._decide_task(state, FAILED, now, unexpected_status_reason(status, self._rules))
        elif verdict == OTHER_TERMINAL:
            self._decide_task(state, FAILED, now, other_terminal_reason(status, self._rules))
        return status_changed or state.verdict is not None

    def _watched(self, state, task, now, first):
        """Watch mode: a status event when the status differs from the last event's; done at a terminal phase."""
        if not first and task.get("status") == state.reported_status:
            return False
        phase = task.get("phase")
        if phase in (SUCCEEDED, FAILED):
            self._decide_task(state, phase, now, None)
        self._status_event(state, task)
        return True

    def _status_event(self, state, task):
        self._emit("status", {"task": task, "previous_status": state.reported_status,
                              "previous_phase": state.reported_phase, "service": self._plan.service})
        state.reported_status = task.get("status")
        state.reported_phase = task.get("phase")

    def _missing(self, state, now):
        if self._ids is None:
            # Filter mode: it no longer matches the filter, so it no longer blocks the wait.
            self._record(state, now, None, None, state.task.get("name"))
            self._decide_task(state, VANISHED, now, vanished_reason(state))
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
        if missing_for + _EPSILON < self._plan.not_found_grace:
            return changed
        reason = not_found_reason(state, missing_for, self._plan.not_found_grace, self._plan.noun)
        self._decide_task(state, FAILED, now, reason)
        if self._watching:
            self._status_event(state, gone_task(state, self._plan.service, missing_for))
        return True

    def _record(self, state, now, status, progress, name):
        old_status, old_progress = (state.status, state.progress) if state.seen else (None, None)
        at = self._since_start(now)
        if self._watching:
            return   # a watch has no end to report a timeline at (and must not grow without bound)
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
        if self._watching:
            return None
        counts = self._counts
        if self._plan.mode == "any":
            if counts["succeeded"]:
                return OUTCOME_SUCCEEDED
            if not self._open:
                return OUTCOME_FAILED if counts["failed"] else OUTCOME_SUCCEEDED
            return None
        if counts["failed"] and self._plan.fail_fast:
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
        if outcome == OUTCOME_TIMEOUT and self._plan.mode == "all" and self._counts["failed"]:
            # A definite failure is more useful than "timeout": the wait could not have succeeded.
            outcome = OUTCOME_FAILED
        lists = {"succeeded": [], "failed": [], "pending": [], "vanished": []}
        tasks = []
        for task_id in self._order:
            state = self._tracked[task_id]
            lists[state.verdict or "pending"].append(task_id)
            tasks.append(self._final_task(state))
        elapsed = now - self._start
        service = self._rules.service
        reasons = {}
        for task_id in lists["failed"]:
            reasons[task_id] = failure_text(self._tracked[task_id], service, self._start)
        if outcome != OUTCOME_SUCCEEDED:
            for task_id in lists["pending"]:
                reasons[task_id] = pending_text(self._tracked[task_id], now, service, self._plan.stable_for)
        throttled = self._throttled + self._refused
        message = outcome_message(outcome, lists, reasons, elapsed, self._polls, self._plan, throttled)
        result = WaitResult(outcome, tasks, elapsed, self._polls, throttled, self._timeline,
                            lists["succeeded"], lists["failed"], lists["pending"], lists["vanished"], message, reasons)
        self._emit("done", {"outcome": outcome, "elapsed": round(elapsed, 3), "polls": self._polls,
                            "throttled": throttled, "succeeded": len(lists["succeeded"]),
                            "failed": len(lists["failed"]), "pending": len(lists["pending"]),
                            "vanished": len(lists["vanished"]), "message": message})
        return result

    def _stopped(self, now):
        """The partial result of a wait an API error stopped (no "done" event: the wait did not finish)."""
        elapsed = now - self._start
        seen = [self._tracked[task_id] for task_id in self._order if self._tracked[task_id].task is not None]
        seen.sort(key=lambda state: state.first_seen_at)  # stable: ties keep the id order
        return WaitResult(OUTCOME_ERROR, [state.task for state in seen], elapsed, self._polls, self._throttled + self._refused,
                          self._timeline, [], [], list(self._order), [], error_message(elapsed, self._error), {},
                          error=self._error)

    def _final_task(self, state):
        if state.task is None:
            return placeholder_task(state.task_id, self._rules.service, unseen_note(state),
                                    phase="unknown" if state.verdict == FAILED else "pending")
        if state.missing_since is not None or state.verdict == VANISHED:
            task = dict(state.task)
            missing_for = state.missing_since - self._start if state.missing_since is not None else 0.0
            task["note"] = missing_note(state, missing_for)
            return task
        return state.task
