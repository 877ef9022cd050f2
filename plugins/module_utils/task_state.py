# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the polling engine knows of one task: ``TaskState``, shared by the engine, its schedules and its words.

The engine (``waiter.Waiter``) creates one ``TaskState`` per task and is the only writer of the
observation fields; the schedules (``poll_schedule.py``) write only ``interval``, ``next_poll_at`` and
``polled_at``; the wording (``report.py``) only reads. Clock readings are the engine's monotonic clock.

Observation fields:

* ``task_id``; ``task``: the last normalized task seen (None before the first sighting);
  ``seen``: seen at least once.
* ``status`` / ``progress``: as last seen, None while the task is missing; ``last_status`` /
  ``last_progress``: the last known values (kept while missing).
* ``first_seen_at``, ``last_change_at`` (status or progress), ``missing_since`` (None while visible).
* ``streak``: consecutive polls at a target status (``stable_for``).
* ``verdict``: None while open, else ``SUCCEEDED``, ``FAILED`` or ``VANISHED``; ``reason`` (why, for a
  verdict the status alone does not explain) and ``decided_at``.
* ``rate_start`` / ``rate_end``: (clock, progress) samples of the progress-rate estimate
  (``estimated_finish_at``): the first one, and the first sighting of the highest figure.
* ``progress_samples``: the (clock, progress) of the latest answers that carried a figure (at most
  ``PROGRESS_SAMPLES_KEPT``), for the rate over the recent half (``recent_rate_window``).
* ``reported_status`` / ``reported_phase``: what the last change event of the event source carried.
* ``answered_at``: when an answer last said something about the task (found or absent); None while
  no answer ever came. ``refused``: its requests the API refused (429) or the deadline left unsent:
  no evidence either way, so they never count toward ``not_found_grace``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SUCCEEDED = "succeeded"
FAILED = "failed"
VANISHED = "vanished"
VERDICTS = (SUCCEEDED, FAILED, VANISHED)
# Progress samples kept per task: enough for the rate over the recent half of a wait's polls, few enough
# for a wait of a thousand tasks.
PROGRESS_SAMPLES_KEPT = 16


class TaskState(object):
    """Per-task state of one wait or watch; slots because a wait can track a thousand of these."""

    __slots__ = ("task_id", "task", "seen", "status", "last_status", "progress", "last_progress", "first_seen_at",
                 "last_change_at", "missing_since", "streak", "verdict", "reason", "decided_at",
                 "rate_start", "rate_end", "progress_samples", "interval", "next_poll_at", "polled_at", "reported_status",
                 "reported_phase", "answered_at", "refused")

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
        self.verdict = None
        self.reason = None
        self.decided_at = None
        self.rate_start = None
        self.rate_end = None
        self.progress_samples = []
        self.interval = None         # per-task schedule: current back-off, when the task is due, when last asked
        self.next_poll_at = None
        self.polled_at = None
        self.reported_status = None
        self.reported_phase = None
        self.answered_at = None
        self.refused = 0

    @property
    def visible(self):
        """Seen, and in the last answer that could show it."""
        return self.seen and self.missing_since is None

    def sample_progress(self, now, progress):
        """Feed the progress-rate estimate; a progress that went back starts it again."""
        if progress is None:
            return
        if self.rate_start is None or (self.rate_end is not None and progress < self.rate_end[1]):
            self.rate_start = (now, progress)
            self.rate_end = (now, progress)
            del self.progress_samples[:]
        elif progress > self.rate_end[1]:
            self.rate_end = (now, progress)
        self.progress_samples.append((now, progress))
        del self.progress_samples[:-PROGRESS_SAMPLES_KEPT]

    def recent_rate_window(self):
        """(older, latest) progress samples of the rate over the recent half of what was sampled: the
        latest sample, and the latest one at least half the sampled span before it; None before any.

        Real jobs advance in phases of different speeds, so the recent half says more of what is left
        than the whole history, and a plateau (the same figure polled again) slows the rate as it lasts.
        """
        samples = self.progress_samples
        if not samples:
            return None
        cut = samples[-1][0] - (samples[-1][0] - samples[0][0]) / 2.0
        older = [sample for sample in samples if sample[0] <= cut + 1e-9][-1]
        return older, samples[-1]

    def live_finish_at(self, now):
        """The finish the progress rate estimates, if still ahead of ``now``; else None."""
        finish_at = estimated_finish_at(self.rate_start, self.rate_end)
        return finish_at if finish_at is not None and finish_at > now else None


def estimated_finish_at(first_sample, last_sample):
    """Clock reading at which a progress rate reaches 100%, from two (clock, progress) samples;
    None without both samples or without rising progress."""
    if first_sample is None or last_sample is None:
        return None
    (start_at, start_progress), (end_at, end_progress) = first_sample, last_sample
    if end_progress > start_progress and end_at > start_at:
        rate = (end_progress - start_progress) / (end_at - start_at)
        return end_at + (100 - end_progress) / rate
    return None


def placeholder_task(task_id, service, note, phase="unknown"):
    """The task dict of an id never seen (or gone), in the normalized task's shape."""
    return {"id": task_id, "name": None, "service": service, "status": None, "phase": phase, "progress": None,
            "instance": {"id": None, "name": None, "status": None}, "created_at": None, "ended_at": None,
            "fail_reason": None, "subtasks": [], "request_id": None, "raw": None, "note": note}
