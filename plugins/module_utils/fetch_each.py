# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many requests of one fetch at once: ``fetch_each`` (one request per id, as many in flight as the
endpoint's pace allows, every answer kept) and ``map_concurrent`` (a fixed number of threads).

``Answers`` is what a fetch returns: ``{id: task}`` plus the ids it holds no answer for (refused by the
gateway, or unsent at the deadline), which are no evidence of absence.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import Throttled, WaitTimeout

# fetch_each(): threads at most; how many send at once follows the endpoint's pace (rate_limit.RateLimiter.in_flight).
MAX_WORKERS = 64


def map_concurrent(func, values, concurrency):
    """``[func(v) for v in values]`` on up to ``concurrency`` threads; the first error is raised."""
    if concurrency <= 1 or len(values) <= 1:
        return [func(value) for value in values]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(values))) as pool:
        return list(pool.map(func, values))


class Answers(dict):
    """``{id: task}`` of one fetch, plus the ids it holds no answer for, which are not evidence of absence:
    ``refused`` (the gateway refused every try: 429) and ``unsent`` (the deadline came before the request
    could be sent). An id in neither and not in the dict was answered "no such job"."""

    def __init__(self, *args, **kwargs):
        super(Answers, self).__init__(*args, **kwargs)
        self.refused = []
        self.unsent = []
        self.refusal = None   # the first Throttled (or WaitTimeout when none was refused), for a caller that must raise


def fetch_each(func, ids, in_flight):
    """``Answers`` of ``func(id)`` (a task or None) for every id, in the order given, ``in_flight(len(ids))``
    requests at a time (asked again before each request: it follows the measured latency and rate).

    Threads (the caller's among them) are started as the allowed number in flight grows, up to
    MAX_WORKERS, not fixed at the start: a slow start that doubles within the fetch needs them. A refused (Throttled) or unsent
    (WaitTimeout) request only marks its own id: every other answer is kept. Any other error stops the
    fetch and is raised (the first one).
    """
    answers = Answers()
    if not ids:
        return answers
    gate = threading.Condition()
    progress = {"next": 0, "active": 0}
    errors = []
    threads = []

    def take():
        with gate:
            while True:
                if errors or progress["next"] >= len(ids):
                    return None
                allowed = in_flight(len(ids))
                if progress["active"] < allowed:
                    break
                gate.wait()
            task_id = ids[progress["next"]]
            progress["next"] += 1
            progress["active"] += 1
            # Room to grow: one more thread while more may be in flight than threads run (this one's
            # caller included) and ids are left.
            if 1 + len(threads) < min(allowed, MAX_WORKERS) and progress["next"] < len(ids):
                thread = threading.Thread(target=work, name="taskgate-fetch-%d" % len(threads))
                threads.append(thread)
                thread.start()
            return (task_id,)

    def work():
        while True:
            taken = take()
            if taken is None:
                return
            task_id = taken[0]
            try:
                task = func(task_id)
            except Throttled as exc:
                with gate:
                    answers.refused.append(task_id)
                    if not isinstance(answers.refusal, Throttled):
                        answers.refusal = exc
            except WaitTimeout as exc:
                with gate:
                    answers.unsent.append(task_id)
                    answers.refusal = answers.refusal or exc
            except Exception as exc:  # pylint: disable=broad-except  # raised below, in the caller's thread
                with gate:
                    errors.append(exc)
            else:
                if task is not None:
                    with gate:
                        answers[task["id"]] = task
            finally:
                with gate:
                    progress["active"] -= 1
                    gate.notify_all()

    work()   # the caller's thread is one of the workers
    joined = 0
    while True:
        with gate:
            if joined >= len(threads):
                break
            thread = threads[joined]
        thread.join()
        joined += 1
    if errors:
        raise errors[0]
    # The caller's order, not the order the answers came in.
    ordered = Answers((task_id, answers[task_id]) for task_id in ids if task_id in answers)
    refused, unsent = set(answers.refused), set(answers.unsent)
    ordered.refused = [task_id for task_id in ids if task_id in refused]
    ordered.unsent = [task_id for task_id in ids if task_id in unsent]
    ordered.refusal = answers.refusal
    return ordered


def partly_answered(answers, tasks, asked):
    """The error of a query some of whose ids got no answer: it names them and carries the answered ``tasks``
    (task_info returns them beside the error), so one refused id never hides the others."""
    unanswered = answers.refused + answers.unsent
    shown = ", ".join(unanswered[:5]) + (", and %d more" % (len(unanswered) - 5) if len(unanswered) > 5 else "")
    why = "refused by the API's rate limit after every retry" if answers.refused else "not sent before the deadline"
    error = answers.refusal.explain(
        "%d of %d ids could not be asked (%s: %s); the other %d were answered (returned in tasks); ask again "
        "later, or set max_request_rate to the API's quota" % (len(unanswered), asked, why, shown, asked - len(unanswered)))
    error.tasks = tasks
    return error
