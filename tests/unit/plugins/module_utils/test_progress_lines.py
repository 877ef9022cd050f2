# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""progress_lines: the engine's events -> throttled live progress lines."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from waiter_scripts import ScriptedCloud, make_task, waiter_for

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.progress_lines import ProgressReporter, short_id


def task(task_id, status, progress=None, **extra):
    phase = {"Running": "running", "Completed": "succeeded", "Failed": "failed"}[status]
    base = dict(make_task(task_id, status, progress), phase=phase, instance={"id": "i-1", "name": "db", "status": "ACTIVE"})
    base.update(extra)
    return base


def change(task_id, at, status, progress, old_status=None, old_progress=None):
    return ("change", {"id": task_id, "name": None, "old_status": old_status, "status": status,
                       "old_progress": old_progress, "progress": progress, "at": at})


def poll(at, **counts):
    payload = {"poll": 1, "elapsed": at, "pending": 0, "running": 0, "succeeded": 0, "failed": 0, "vanished": 0, "total": 0}
    payload.update(counts)
    return ("poll", payload)


def report(events, lookup=None, subject=None):
    lines = []
    reporter = ProgressReporter("rds", lines.append, lookup=lookup, subject=subject)
    for kind, payload in events:
        reporter(kind, payload)
    return lines


LONG_ID = "4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77"


def test_short_id():
    assert short_id(LONG_ID) == u"4f2c0a4e\u2026"
    assert short_id("0123456789") == "0123456789"


def test_start_line_and_task_line_format():
    known = {LONG_ID: task(LONG_ID, "Running", 62)}
    lines = report([("start", {"ids": [LONG_ID], "count": 3, "timeout": 1800, "mode": "all"}),
                    change(LONG_ID, 72.0, "Running", 62)], lookup=known.get)
    assert lines == [u"waiting for 3 rds tasks (timeout 30m0s)",
                     u"rds CreateInstance 4f2c0a4e\u2026 running 62% (1m12s)"]


def test_task_lines_are_throttled_unless_the_status_changes():
    events = [change("a", 0.0, "Running", 1),
              change("a", 1.0, "Running", 5, "Running", 1),     # 1 s later, progress only: dropped
              change("a", 4.9, "Running", 9, "Running", 5),     # still within 5 s: dropped
              change("a", 5.0, "Running", 12, "Running", 9),    # 5 s after the last line: shown
              change("b", 5.5, "Running", 3),                   # another task has its own budget
              change("a", 6.0, "Completed", None, "Running", 12)]  # status change: always shown
    lines = report(events)
    assert lines == ["rds a Running 1% (0s)", "rds a Running 12% (5s)", "rds b Running 3% (5.5s)", "rds a Completed (6s)"]


def test_task_line_shows_phase_and_raw_status_when_they_differ():
    known = {"j": dict(task("j", "Completed"), service="rds")}
    assert report([change("j", 3.0, "Completed", None)], lookup=known.get) == ["rds CreateInstance j succeeded [Completed] (3s)"]
    assert report([change("j", 3.0, None, None, "Running")]) == ["rds j not found (3s)"]


def test_heartbeat_at_most_every_15_seconds():
    events = [poll(1.0, total=12, running=12), poll(15.0, total=12, succeeded=3, running=9),
              poll(20.0, total=12, succeeded=4, running=8), poll(30.0, total=12, succeeded=4, failed=1, running=6, pending=1),
              poll(130.0, total=12, succeeded=3, running=9)]
    assert report(events) == ["3/12 done, 9 running (15s)", "5/12 done (1 failed), 6 running, 1 pending (30s)",
                              "3/12 done, 9 running (2m10s)"]


def test_filter_mode_start_line_and_throttle_notice():
    lines = report([("start", {"ids": None, "count": 0, "timeout": 600, "mode": "all"}),
                    ("throttled", {"count": 1, "backoff": 4.0, "elapsed": 2.0}),
                    ("throttled", {"count": 2, "backoff": 8.0, "elapsed": 6.0}),
                    ("done", {"outcome": "succeeded", "elapsed": 61.0, "polls": 7})],
                   subject="rds tasks matching status=Running")
    assert lines == ["waiting for rds tasks matching status=Running (timeout 10m0s)",
                     "rds API throttled the polls (429): backing off to one poll every 4s (2s)",
                     "wait succeeded after 1m1s (7 polls)"]


def test_many_tasks_give_summaries_and_failure_lines_only():
    ids = ["t%02d" % number for number in range(30)]
    known = dict((task_id, task(task_id, "Running", 10)) for task_id in ids)
    known["t07"] = task("t07", "Failed")
    known["t08"] = task("t08", "Completed")
    events = [("start", {"ids": ids, "count": 30, "timeout": 600, "mode": "all"})]
    events += [change(task_id, 0.5, "Running", 10) for task_id in ids]
    events += [poll(0.5, total=30, running=30),
               change("t08", 3.0, "Completed", None, "Running", 10),
               change("t07", 4.0, "Failed", None, "Running", 10),
               change("t09", 4.5, "Running", 40, "Running", 10),
               poll(4.0, total=30, running=28, succeeded=1, failed=1),
               poll(6.0, total=30, running=28, succeeded=1, failed=1)]
    lines = report(events, lookup=known.get)
    assert lines == ["waiting for 30 rds tasks (timeout 10m0s)",
                     "rds CreateInstance t07 failed (4s)",
                     "2/30 done (1 failed), 28 running (6s)"]


def test_filter_mode_switches_to_summaries_once_many_tasks_appear():
    ids = ["t%02d" % number for number in range(12)]
    known = dict((task_id, task(task_id, "Running", 10)) for task_id in ids)
    events = [("start", {"ids": None, "count": 0, "timeout": 600, "mode": "all"})]
    events += [change(task_id, 0.5, "Running", 10) for task_id in ids]
    lines = report(events, lookup=known.get, subject="rds tasks of instance i-1")
    assert len(lines) == 1 + ProgressReporter.DETAILED_TASKS


def test_progress_lines_read_the_waiters_latest_task(fake_clock):
    # lookup is the waiter's latest_task: the line shows the phase of the task the change came from.
    lines = []
    cloud = ScriptedCloud(fake_clock, {"a": [[0, "Running", 10], [3, "Completed", None]]})
    reporter = ProgressReporter("rds", lines.append)
    waiter = waiter_for(fake_clock, cloud, on_event=reporter)
    reporter.lookup = waiter.latest_task
    waiter.run()
    assert lines[1:3] == ["rds CreateInstance a running 10% (0s)", "rds CreateInstance a succeeded [Completed] (4.8s)"]
