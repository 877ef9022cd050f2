# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When to poll next: the two polling schedules of a wait, the progress-rate estimate and the hold after
throttling, as pure arithmetic on clock readings (the waiter and the event source share them).

The engine (``waiter.py``) owns the loop and writes the per-task state (``task_state.TaskState``); a
schedule reads that state (``seen``, ``missing_since``, ``streak``, ``verdict``, the progress-rate
estimate) and writes only its own fields (``interval``, ``next_poll_at``, ``polled_at``).

Every interval counts from the moment a poll was **sent** (``asked_at``), not from when its answer
arrived: fetching hundreds of ids one by one takes a noticeable time, and counting from the answer
would let every cycle drift later by that time. Two polls never start less than ``poll_interval``
apart; a poll that took longer than the interval is followed at once by the next due one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import deque

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import is_number

BACKOFF_FACTOR = 1.5
THROTTLE_FACTOR = 2.0
THROTTLE_CAP_FACTOR = 3.0
# Polling a task at the square root of its chance to finish per second minimises lag plus requests; this
# factor weighs one request as a quarter of poll_interval of lag (the balance the ECS benchmark showed best).
SIBLING_BOUND_FACTOR = 0.5
# Per-task progress estimates (PerTaskSchedule, see its docstring). A real job's figure changes speed between
# phases, so an estimate far ahead is approached in steps: the share of the time left to wait, re-estimating
# at each poll; an estimate within AIM_WITHIN x poll_interval is aimed at directly.
APPROACH_SHARE = 0.6
AIM_WITHIN = 4.0
# Past its estimate, a task waits this share of the time since the estimated end (never above its back-off).
OVERDUE_SHARE = 0.5
# Progress may stretch a wait beyond max_poll_interval, up to this many times it.
STRETCH_FACTOR = 9.0
# A figure that stood still gives only a bound on the rate (under one point over the window): it is
# extrapolated no further than this many times the time the task has been watched.
STANDSTILL_TRUST = 5.0
# Finished siblings kept for the figure jobs end at (the real APIs report done before their figure reaches 100),
# and where between its last poll and the one that saw it done a sibling is taken to have ended: late in that
# span errs towards estimates a little late (some lag) rather than early (polls before the end).
END_FIGURES_KEPT = 25
END_SHARE = 0.75
# With this many tasks open or fewer (the end of a batch), the siblings' bound applies to every task.
BATCH_TAIL = 3
# Those last tasks, once watched for max_poll_interval and estimated within TAIL_WITHIN x poll_interval of
# their end, are polled every poll_interval: an end figure learnt from siblings errs late by a few seconds,
# and after minutes of waiting those seconds are the whole overrun; a short wait keeps its few polls.
TAIL_WITHIN = 8.0
# Float slack when comparing clock readings (fake and real clocks add floats).
_EPSILON = 1e-6


def throttle_backoff(retry_after, current, poll_interval, max_poll_interval):
    """Seconds to hold every poll after a throttled one (429): the server's Retry-After when it gave
    one (at least poll_interval), else twice ``current``, capped at THROTTLE_CAP_FACTOR x max_poll_interval."""
    if is_number(retry_after) and retry_after > 0:
        return max(float(retry_after), poll_interval)
    return min(current * THROTTLE_FACTOR, max_poll_interval * THROTTLE_CAP_FACTOR)


def relaxed_throttle(floor, poll_interval):
    """The throttle hold after a successful poll: halved, and gone once under twice poll_interval."""
    return floor / 2.0 if floor >= 2 * poll_interval else 0.0


class SharedSchedule(object):
    """One adaptive interval for every open task: one listing (or one batch of ids) per poll.

    The interval grows x1.5 per poll without a status change, within [poll_interval,
    max_poll_interval], and is back at poll_interval after a status change (progress ticking alone
    is not a change: it only feeds the estimate). It is never longer than the earliest estimated
    finish of a running task (never below poll_interval), and while an open task is not visible (not
    seen yet, or missing) the next poll comes after poll_interval: the not-found grace is running.
    """

    def __init__(self, poll_interval, max_poll_interval):
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.interval = poll_interval   # the throttle back-off starts from it

    def due(self, open_states, now, at_deadline):
        """Every open task: one listing answers for all of them."""
        return list(open_states)

    def next_poll(self, open_states, polled, first_sights, status_changed, asked_at, now):
        """Clock reading of the next poll, for the poll sent at ``asked_at`` and answered at ``now``."""
        if status_changed:
            self.interval = self.poll_interval
        else:
            self.interval = min(self.interval * BACKOFF_FACTOR, self.max_poll_interval)
        at = asked_at + self.interval
        for state in open_states:
            if not state.visible:
                at = min(at, asked_at + self.poll_interval)
            finish_at = state.live_finish_at(now) if state.seen else None
            if finish_at is not None:
                at = min(at, max(asked_at + self.poll_interval, finish_at))
        return at


class PerTaskSchedule(object):
    """Each open task has its own next-poll time and interval; a poll refreshes only the due ids.

    Back-off: x1.5 per poll from the first sighting, capped at max_poll_interval (a lone 6 s job is
    polled at 0, 1.5, 3.75, 7.1 s). A change of status does not restart it: a job's phases say
    little about how long the next one lasts, and a batch's siblings (below) tell more, for fewer
    requests. A task that is missing or at target awaiting ``stable_for`` is polled every
    poll_interval. The poll at the deadline asks for every open id.

    Progress: a task that reports a figure replaces its back-off with an estimate of its end, the
    rate over the recent half of its samples (``TaskState.recent_rate_window``) carried to the
    figure its finished siblings ended at (the median of those that got further than it; 100 before
    any): real jobs report done from somewhere in the nineties, and their speed changes between phases.
    So a task whose estimate is far ahead waits APPROACH_SHARE of the time left and estimates again
    (a few polls for a job of minutes, each closer to the end), one within AIM_WITHIN x poll_interval
    is polled at its estimate, and one past its estimate waits OVERDUE_SHARE of the time since (never
    more than its back-off), so an estimate a little early costs little lag. A figure that stood still
    over the window moved by less than one point: that bounds the rate, and the end is at least that
    far, but a plateau may end in a jump, so the bound is trusted for no more than STANDSTILL_TRUST x
    the time the task has been watched. No wait exceeds STRETCH_FACTOR x max_poll_interval.

    Siblings: the other tasks of the same wait are usually jobs of the same kind started together,
    so the rate at which they have been finishing says how soon the open ones will. With ``n`` tasks
    open and ``k`` siblings seen finishing within the last max_poll_interval, over the ``s`` seconds
    since the polls before those finishes, each open task has about ``t = n * s / k`` seconds left.
    No task then waits longer than ``sqrt(SIBLING_BOUND_FACTOR * poll_interval * t)`` (never less
    than poll_interval), unless its own progress gives an estimate not yet overdue and more than
    BATCH_TAIL tasks are open (at the end of a batch the wall time is the last task's lag; for the same
    reason those last tasks of a long wait are polled every poll_interval once within TAIL_WITHIN x
    poll_interval of their estimate). Jobs
    without progress, which the back-off alone would leave seconds late near the end of a batch, are
    polled closely while the batch drains, and a straggler falls back to its back-off once its
    siblings stop finishing (one max_poll_interval later). Only tasks seen open and then finished
    count: a task finished at its first sighting, or one that failed by staying missing, says nothing
    about when it finished.
    """

    def __init__(self, poll_interval, max_poll_interval):
        self.poll_interval = poll_interval
        self.max_poll_interval = max_poll_interval
        self.interval = poll_interval   # the throttle back-off starts from it
        self._finishes = deque()        # (poll before, poll that saw it finished) per finished sibling
        self._estimates = {}            # task id -> (poll, figure, rate, estimated finish) at its last estimate
        self._end_figures = deque(maxlen=END_FIGURES_KEPT)   # the figure each finished sibling ended at (at most)

    def due(self, open_states, now, at_deadline):
        """The open tasks due now (all of them at the deadline)."""
        if at_deadline:
            return list(open_states)
        due = [state for state in open_states if state.next_poll_at is None or state.next_poll_at <= now + _EPSILON]
        if not due:
            # Only reachable if the clock moved backwards: poll the earliest rather than nothing.
            earliest = min(state.next_poll_at for state in open_states)
            due = [state for state in open_states if state.next_poll_at <= earliest + _EPSILON]
        return due

    def next_poll(self, open_states, polled, first_sights, status_changed, asked_at, now):
        """Next poll of every task just polled; returns the clock reading of the earliest due task."""
        for state in polled:
            if state.verdict is not None:
                if state.task_id not in first_sights and state.missing_since is None:
                    self._finishes.append((state.polled_at, now))
                    self._learn_end_figure(state.task_id, now)
                self._estimates.pop(state.task_id, None)
                continue
            self._back_off(state, first_sights)
            wait = (self._progress_wait(state, asked_at, len(open_states) <= BATCH_TAIL)
                    if state.visible and not state.streak else None)
            state.polled_at = asked_at
            state.next_poll_at = asked_at + (state.interval if wait is None else wait)
        if not open_states:
            return asked_at + self.poll_interval   # a watch with nothing open: its filters may find more
        longest = self._longest_wait(len(open_states), now)
        if longest is not None:
            batch_tail = len(open_states) <= BATCH_TAIL
            for state in open_states:
                if state.visible and state.polled_at is not None and (batch_tail or not self._estimated_ahead(state, now)):
                    state.next_poll_at = min(state.next_poll_at, state.polled_at + longest)
        # A task whose requests were all refused so far has no next poll yet: it is due at once.
        earliest = min(asked_at if state.next_poll_at is None else state.next_poll_at for state in open_states)
        return max(earliest, asked_at + self.poll_interval)

    def _progress_wait(self, state, asked_at, batch_tail=False):
        """Seconds to the task's next poll from its progress estimate (see the class docstring), or None."""
        window = state.recent_rate_window()
        start, end = window if window is not None else (None, None)
        if start is None or end[0] <= start[0]:
            self._estimates.pop(state.task_id, None)
            return None
        standstill = end[1] <= start[1]
        rate = (1 if standstill else end[1] - start[1]) / float(end[0] - start[0])
        finish_at = end[0] + (self._end_figure(end[1]) - end[1]) / rate
        self._estimates[state.task_id] = (asked_at, end[1], rate, finish_at)
        remaining = finish_at - asked_at
        if (batch_tail and remaining <= TAIL_WITHIN * self.poll_interval
                and asked_at - state.first_seen_at >= self.max_poll_interval):
            return self.poll_interval   # a long wait's last tasks: their lag is the wait's overrun
        if remaining <= 0:
            return max(self.poll_interval, min(state.interval, OVERDUE_SHARE * -remaining))
        wait = remaining if remaining <= AIM_WITHIN * self.poll_interval else APPROACH_SHARE * remaining
        if standstill:
            wait = min(wait, max(state.interval, STANDSTILL_TRUST * (asked_at - state.first_seen_at)))
        return max(self.poll_interval, min(wait, STRETCH_FACTOR * self.max_poll_interval))

    def _end_figure(self, figure):
        """The figure a task now at ``figure`` is expected to end at: the median of its finished
        siblings' end figures above it, else 100."""
        above = sorted(end for end in self._end_figures if end > figure)
        return above[len(above) // 2] if above else 100.0

    def _learn_end_figure(self, task_id, seen_at):
        """A finished sibling ended between its last poll and the one that saw it done (at END_SHARE of
        that span): its last figure plus its rate until then."""
        estimate = self._estimates.get(task_id)
        if estimate is not None:
            polled_at, figure, rate, _finish_at = estimate
            self._end_figures.append(min(100.0, figure + rate * (seen_at - polled_at) * END_SHARE))

    def _estimated_ahead(self, state, now):
        estimate = self._estimates.get(state.task_id)
        return estimate is not None and estimate[3] > now

    def _back_off(self, state, first_sights):
        if not state.seen or state.missing_since is not None or state.streak:
            # Not visible (grace clock running) or at target awaiting stable_for: keep looking closely.
            state.interval = self.poll_interval
        elif state.task_id in first_sights:
            state.interval = min(self.poll_interval * BACKOFF_FACTOR, self.max_poll_interval)
        else:
            state.interval = min(state.interval * BACKOFF_FACTOR, self.max_poll_interval)

    def _longest_wait(self, open_count, now):
        """The siblings' bound on any open task's wait (see the class docstring), or None."""
        while self._finishes and self._finishes[0][1] < now - self.max_poll_interval - _EPSILON:
            self._finishes.popleft()
        if not open_count or not self._finishes:
            return None
        # The finishes happened since the poll before each was seen: that span gives the rate.
        span = now - min(open_since for open_since, _seen_at in self._finishes)
        if span <= 0:
            return None
        seconds_left = open_count * span / len(self._finishes)
        return max(self.poll_interval, (SIBLING_BOUND_FACTOR * self.poll_interval * seconds_left) ** 0.5)
