# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live progress lines of a wait: ``ProgressReporter`` turns the engine's events into throttled lines.

Stateful (when each task last had a line), but pure: times come from the events. The words of the
result (outcome message, failure paragraph) are ``report.py``'s.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import format_duration


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
    text: no carriage returns or colors, they go to CI logs as they are. ``lookup(task_id)`` gives
    the latest normalized task (``Waiter.latest_task``); it may be set after construction.
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
        # Once per wait: the pace adapts on its own, and the final line counts the refusals.
        if self._last_throttle_at is not None:
            return
        self._last_throttle_at = elapsed
        if payload.get("backoff") is None:
            self.emit("%s API throttles the polls (429): pacing the requests to its rate limit; refused ones are asked "
                      "again (%s)" % (self.service, format_duration(elapsed)))
            return
        self.emit("%s API throttled the polls (429): backing off to one poll every %s (%s)"
                  % (self.service, format_duration(payload.get("backoff")), format_duration(elapsed)))

    def _on_done(self, payload):
        took = format_duration(payload.get("elapsed"))
        line = "wait %s after %s (%d polls" % (payload.get("outcome"), took, payload.get("polls", 0))
        if payload.get("throttled"):
            line += ", %d refused by the API's rate limit" % payload["throttled"]
        self.emit(line + ")")
