# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words of wait_for_task's result: the outcome message and the failure paragraph.

Pure text, no I/O. The sentence functions read the engine's per-task state (``task_state.TaskState``):
``task_id``, ``seen``, ``task`` (last normalized task seen, or None), ``status``/``progress`` (as last seen,
None while missing), ``last_status``/``last_progress`` (last known values), ``streak`` (polls at
target), ``reason`` (why the engine decided), ``missing_since``, ``decided_at`` and
``last_change_at`` (clock readings).

Sub-task messages are shown as the task model decoded them (``task.decode_messages``); the live
progress lines are ``progress_lines.ProgressReporter``'s, fed with the engine's events.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import (
    OUTCOME_SUCCEEDED,
    OUTCOME_TIMEOUT,
    status_key,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_state import FAILED
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import epoch_seconds, format_duration, plain_number

# Tasks named one by one in a message; the rest are counted ("and 3 more").
REPORT_LIMIT = 5


# ---------------------------------------------------------------------------
# small pieces


def strip_end(text):
    return text.strip().rstrip(".;").strip()


def task_label(task, task_id, default_service):
    """``rds CreateInstance 4f2c...``: service, task name (when known) and id."""
    parts = [task.get("service") or default_service, task.get("name"), task_id]
    return " ".join(str(part) for part in parts if part)


def more(items, total):
    """First REPORT_LIMIT items joined, then "and N more"."""
    text = ", ".join(items[:REPORT_LIMIT])
    if total > REPORT_LIMIT:
        text += ", and %d more" % (total - REPORT_LIMIT)
    return text


def numbered(sentences, total):
    """Failure sentences, each its own numbered sentence when there are several (the first REPORT_LIMIT):
    "(1) task a was not found .... (2) task b ...". Joined bare, one reason ran into the next."""
    shown = [strip_end(text) + "." for text in sentences[:REPORT_LIMIT]]
    if total > 1:
        shown = ["(%d) %s" % (number, text) for number, text in enumerate(shown, 1)]
    return " ".join(shown)


def last_status(state):
    """``Running 40%``: the last status (and progress) seen of a tracked task."""
    text = str(state.last_status)
    if state.last_progress is not None:
        text += " %d%%" % state.last_progress
    return text


def task_runtime(task):
    """Seconds from ``created_at`` to ``ended_at`` of a task, or None when either is unknown."""
    created = epoch_seconds(task.get("created_at"))
    ended = epoch_seconds(task.get("ended_at"))
    if created is None or ended is None or ended < created:
        return None
    return ended - created


def subject(service, ids, filters):
    """What a wait is about, for the start line: ``3 rds tasks`` or ``rds tasks matching status=Running``."""
    if ids is not None:
        return "%d %s task%s" % (len(ids), service, "" if len(ids) == 1 else "s")
    return "%s tasks matching %s" % (service, ", ".join("%s=%s" % (name, value) for name, value in filters.items()))


# ---------------------------------------------------------------------------
# why the engine decided a task (kept as the tracked task's reason)


def vanished_reason(state):
    return "no longer listed by the service (last status %s)" % last_status(state)


def not_found_reason(state, missing_for, grace, noun="task"):
    """A task (or resource) missing for ``not_found_grace`` seconds: it disappeared, or it never showed up."""
    if state.seen:
        return "%s %s disappeared: not found for %s (last status %s; not_found_grace=%s)" % (
            noun, state.task_id, format_duration(missing_for), last_status(state), plain_number(grace))
    return "%s %s was not found %s after the wait started (not_found_grace=%s)" % (
        noun, state.task_id, format_duration(missing_for), plain_number(grace))


def unexpected_status_reason(status, rules):
    return "reached unexpected status %r (target_states: %s; pending_states: %s; failure_states: %s)" % (
        status, rules.target_states, rules.pending_states, rules.failure_states)


def other_terminal_reason(status, rules):
    return "ended with status %r, which is not one of target_states %s" % (status, rules.target_states)


def missing_note(state, missing_for):
    """The ``note`` of a returned task that is missing from the service's answers."""
    return state.reason or "not found since %s into the wait" % format_duration(missing_for)


def unseen_note(state):
    """The ``note`` of a returned task that was never seen."""
    return "not found" if state.verdict == FAILED else "not visible yet"


# ---------------------------------------------------------------------------
# the failure paragraph and the outcome message


def failure_text(state, service, started):
    """One sentence about a failed task: what, where it stopped, why, and the request id."""
    task = state.task or {}
    if state.task is None or state.missing_since is not None:
        return strip_end(state.reason) + "."
    head = "%s failed with status %s" % (task_label(task, state.task_id, service), state.status)
    if state.last_progress is not None:
        head += " at %d%%" % state.last_progress
    head += " after %s" % format_duration(state.decided_at - started)
    ran = task_runtime(task)
    if ran is not None:
        head += " (ran %s)" % format_duration(ran)
    parts = [head]
    if state.reason:
        parts.append(state.reason)
    reason = str(task.get("fail_reason") or "")
    subtask_lines = []
    for subtask in task.get("subtasks") or ():
        if subtask.get("phase") == "failed" or status_key(subtask.get("status")) == "failed":
            detail = strip_end(subtask.get("message") or "")
            what = "sub-task %s failed" % (subtask.get("name") or subtask.get("id"))
            subtask_lines.append("%s: %s" % (what, detail) if detail else what)
            # CAS derives fail_reason from this very sub-task: say it once, with the sub-task's name.
            if detail and detail in reason:
                reason = ""
    if reason:
        parts.append("reason: %s" % strip_end(reason))
    elif not subtask_lines and state.reason is None:
        parts.append("the service gave no failure reason")
    parts.extend(subtask_lines)
    if task.get("request_id"):
        parts.append("request id %s" % task["request_id"])
    return "; ".join(strip_end(part) for part in parts) + "."


def pending_text(state, now, service, stable_for):
    """Where an unfinished task stands: status, progress, stability, and how long nothing changed."""
    if state.task is None:
        if state.answered_at is None and state.refused:
            # No answer ever came: nothing says whether the job exists.
            return "%s could not be asked (its %d request%s refused by the API's rate limit or left unsent at the deadline)" % (
                state.task_id, state.refused, " was" if state.refused == 1 else "s were")
        return "%s not visible yet" % state.task_id
    label = task_label(state.task, state.task_id, service)
    if state.missing_since is not None:
        return "%s not found for %s (last status %s)" % (label, format_duration(now - state.missing_since), last_status(state))
    where = str(state.status)
    if state.progress is not None:
        where += " %d%%" % state.progress
    if state.streak:
        where += " (at target, %d of %d stable polls)" % (state.streak, stable_for)
    return "%s %s (unchanged for %s)" % (label, where, format_duration(now - state.last_change_at))


def outcome_message(outcome, lists, reasons, elapsed, polls, plan, throttled=0):
    """The ``msg`` of a finished wait.

    ``lists``: ids by verdict (succeeded, failed, pending, vanished); ``reasons``: {id: sentence};
    ``plan``: the WaitPlan (mode, fail_fast, ids or filter mode, the rules' target_states);
    ``throttled``: polls the API refused with 429, named in a timeout (they may be why it ran out).
    """
    total = sum(len(ids) for ids in lists.values())
    noun = plan.noun
    took = format_duration(elapsed)
    if outcome == OUTCOME_SUCCEEDED:
        if not total:
            return "nothing to wait for: no matching %s" % noun if plan.ids is None else "nothing to wait for: no %s ids given" % noun
        if plan.mode == "any":
            return "%s %s succeeded after %s (%d polls)" % (noun, lists["succeeded"][0], took, polls)
        text = "%d of %d %ss succeeded after %s (%d polls)" % (len(lists["succeeded"]), total, noun, took, polls)
        if lists["vanished"]:
            text += "; %d no longer listed" % len(lists["vanished"])
        return text
    if outcome == OUTCOME_TIMEOUT:
        unfinished = [reasons[task_id] for task_id in lists["pending"]]
        if plan.mode == "any":
            head = "timed out after %s: none of %d %ss reached %s" % (took, total, noun, "/".join(plan.rules.target_states))
        else:
            head = "timed out after %s: %d of %d %ss unfinished" % (took, len(unfinished), total, noun)
        text = "%s: %s" % (head, more(unfinished, len(unfinished)))
        if throttled:
            text += "; the API throttled %d poll%s (HTTP 429), which slowed the polling" % (
                throttled, "" if throttled == 1 else "s")
        if lists["failed"]:
            # Last: the failure sentences end with a full stop each.
            failed = lists["failed"]
            text += "; %d failed: %s" % (len(failed), numbered([reasons[task_id] for task_id in failed], len(failed)))
            if len(failed) > REPORT_LIMIT:
                text += " And %d more failed." % (len(failed) - REPORT_LIMIT)
        return text
    failures = [reasons[task_id] for task_id in lists["failed"]]
    head = "%d of %d %ss failed after %s" % (len(failures), total, noun, took)
    text = "%s: %s" % (head, numbered(failures, len(failures)))
    if len(failures) > REPORT_LIMIT:
        text += " And %d more failed." % (len(failures) - REPORT_LIMIT)
    pending = lists["pending"]
    if pending:
        if plan.mode == "all" and plan.fail_fast:
            text += " Stopped at the first failure (fail_fast): %d %s%s still unfinished." % (
                len(pending), noun, "" if len(pending) == 1 else "s")
        else:
            text += " Also timed out with %d unfinished: %s." % (
                len(pending), strip_end(more([reasons[task_id] for task_id in pending], len(pending))))
    return text


def error_message(elapsed, exc):
    """The ``msg`` of a wait an API error stopped."""
    return "the wait stopped after %s: %s" % (format_duration(elapsed), exc)


def expectations_message(message, outcome, failed, total, elapsed, expect_failures):
    """The ``msg`` once ``expect`` failed on tasks that succeeded (``failed``: failed ids in all)."""
    if outcome == OUTCOME_SUCCEEDED:
        return "%d of %d tasks finished but failed expectations after %s: %s." % (
            failed, total, format_duration(elapsed), "; ".join(expect_failures))
    return "%s Expectations failed too: %s." % (message, "; ".join(expect_failures))
