# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate report of a run: wait_for_task results -> gate records -> JUnit XML, timeline rows, summary.

Pure (no I/O): the ``gate_report`` callback plugin collects the results and writes the files.

    gate = gate_record(result, gate="Wait for the jobs", host="localhost", play="Deploy", finished=time.time())
    junit_xml([gate, ...])          # text of junit.xml: one testsuite per play, one testcase per task
    timeline_svg([gate, ...])       # text of timeline.svg (gantt.render_svg of timeline_rows)
    summary_lines([gate, ...])      # the table printed after the play recap

A task's outcome in the report: ``succeeded``, ``failed`` (also a failed ``expect``), ``timeout``
(unfinished at the deadline), ``error`` (an API error or a bad option stopped the gate), ``unfinished``
(not needed: fail_fast stopped the gate or mode=any was already satisfied) or ``vanished`` (left the
filter's listing). JUnit: failed and timeout are ``failure``, error is ``error``, the last two ``skipped``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import xml.etree.ElementTree as ET

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.gantt import render_svg
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import (
    OUTCOME_ERROR, OUTCOME_FAILED, OUTCOME_SUCCEEDED, OUTCOME_TIMEOUT,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    epoch_seconds, format_duration, format_iso_z, from_epoch_seconds,
)

UNFINISHED = "unfinished"
VANISHED = "vanished"
OUTCOMES = (OUTCOME_SUCCEEDED, OUTCOME_FAILED, OUTCOME_TIMEOUT, OUTCOME_ERROR, UNFINISHED, VANISHED)
# Where each outcome goes in JUnit (None: a passed test).
JUNIT_ELEMENT = {OUTCOME_SUCCEEDED: None, OUTCOME_FAILED: "failure", OUTCOME_TIMEOUT: "failure",
                 OUTCOME_ERROR: "error", UNFINISHED: "skipped", VANISHED: "skipped"}
UNKNOWN_SERVICE = "taskgate"
# Characters of the id in timeline labels.
LABEL_ID_CHARS = 8
# The message attribute of a JUnit failure is a headline: the whole paragraph is its text.
MESSAGE_CHARS = 200


def _number(value, default=0.0):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _task_outcome(task_id, result, outcome):
    if task_id in (result.get("succeeded") or ()):
        return OUTCOME_SUCCEEDED
    if task_id in (result.get("failed_ids") or ()):
        return OUTCOME_FAILED
    if task_id in (result.get("vanished") or ()):
        return VANISHED
    if outcome in (OUTCOME_TIMEOUT, OUTCOME_ERROR):
        return outcome
    return UNFINISHED


def _task_record(task_id, task, result, outcome, started, elapsed):
    """One waited-on task: what it was, how it ended for the gate, when it lived, why it failed."""
    timeline = (result.get("timeline") or {}).get(task_id) or []
    verdict = _task_outcome(task_id, result, outcome)
    decided = verdict in (OUTCOME_SUCCEEDED, OUTCOME_FAILED, VANISHED) and timeline
    waited = _number(timeline[-1].get("at"), elapsed) if decided else elapsed
    if verdict == OUTCOME_FAILED and not timeline:
        waited = elapsed   # never seen: failed at the end of its not-found grace
    first_seen = started + _number(timeline[0].get("at")) if timeline else None
    created = epoch_seconds(task.get("created_at"))
    ended = epoch_seconds(task.get("ended_at"))
    # Cloud times where the API gives them; a cloud clock ahead of ours must not start a bar after we saw it.
    start = min(value for value in (created, first_seen, started + waited) if value is not None)
    end = ended if ended is not None else started + waited
    reason = (result.get("reasons") or {}).get(task_id)
    if verdict == OUTCOME_ERROR:
        reason = result.get("msg")
    return {
        "id": task_id,
        "name": task.get("name"),
        "service": task.get("service") or result.get("service"),
        "status": task.get("status"),
        "phase": task.get("phase"),
        "outcome": verdict,
        "waited": round(max(waited, 0.0), 3),
        "start": start,
        "end": max(end, start),
        "started_from": "created" if created is not None and created <= start else "first seen",
        "ended_from": "ended" if ended is not None else ("seen ended" if decided else "gate end"),
        "wait_start": started,
        "wait_end": started + max(waited, 0.0),
        "reason": reason,
        "note": task.get("note"),
    }


def gate_record(result, gate, host, play, finished, service=None):
    """A gate (one wait_for_task or wait_for_resource result, or one loop item of it) as the report sees it.

    ``finished``: epoch seconds when the result arrived; the wait started ``elapsed`` earlier.
    ``service``: the task's ``service`` option when the result does not name it (bad options).
    """
    result = dict(result or {})
    censored = "censored" in result
    # wait_for_resource answers ``resources`` where wait_for_task answers ``tasks``: the same records.
    waited_on = result.get("tasks") if isinstance(result.get("tasks"), list) else result.get("resources")
    tasks = [task for task in (waited_on or []) if isinstance(task, dict) and task.get("id")]
    service = next((task["service"] for task in tasks if task.get("service")), None) or service
    result.setdefault("service", service)
    outcome = result.get("outcome")
    if outcome not in (OUTCOME_SUCCEEDED, OUTCOME_FAILED, OUTCOME_TIMEOUT, OUTCOME_ERROR):
        outcome = OUTCOME_ERROR if result.get("failed") else OUTCOME_SUCCEEDED
    elapsed = _number(result.get("elapsed"))
    started = finished - elapsed
    by_id = dict((task["id"], task) for task in tasks)
    # An API error keeps only the tasks seen so far: the other ids are still in pending.
    ids = [task["id"] for task in tasks] + [task_id for task_id in (result.get("pending") or []) if task_id not in by_id]
    records = [_task_record(task_id, by_id.get(task_id, {"id": task_id}), result, outcome, started, elapsed)
               for task_id in ids]
    error = result.get("error") if isinstance(result.get("error"), dict) else {}
    pace = result.get("pace") if isinstance(result.get("pace"), dict) else {}
    return {"gate": gate, "host": host, "play": play, "service": service or UNKNOWN_SERVICE, "outcome": outcome,
            "elapsed": round(elapsed, 3), "started": started, "finished": finished, "msg": result.get("msg"),
            "error_type": error.get("type"), "censored": censored, "tasks": records,
            "refused": int(_number(pace.get("refused"))), "rate": pace.get("rate")}


# ---------------------------------------------------------------------------
# JUnit XML


def _plays(gates):
    """Gates grouped by play, in the order the plays ran."""
    order = []
    by_play = {}
    for gate in gates:
        if gate["play"] not in by_play:
            order.append(gate["play"])
            by_play[gate["play"]] = []
        by_play[gate["play"]].append(gate)
    return [(play, by_play[play]) for play in order]


def _testcases(gate):
    """(testcase attributes, outcome, message, text, system-out) of one gate."""
    where = "gate %r on %s" % (gate["gate"], gate["host"])
    if not gate["tasks"]:
        if gate["outcome"] == OUTCOME_SUCCEEDED:
            return []  # nothing waited on, nothing to show as a test
        # A gate that failed before it knew its tasks (bad option, rejected credentials): still a test.
        message = gate["msg"] or ("hidden by no_log" if gate["censored"] else "the gate failed")
        return [({"classname": gate["service"], "name": gate["gate"], "time": "%.3f" % gate["elapsed"]},
                 OUTCOME_ERROR, message, message, where)]
    cases = []
    for task in gate["tasks"]:
        name = " ".join(part for part in (task["name"], task["id"]) if part)
        attributes = {"classname": task["service"] or gate["service"], "name": name, "time": "%.3f" % task["waited"]}
        text = task["reason"] or task["note"] or "%s %s" % (task["outcome"], task["status"] or "")
        message = _cell("%s: %s" % (task["outcome"], text), MESSAGE_CHARS)
        out = "%s; status %s (phase %s); waited %s; gate outcome %s" % (
            where, task["status"], task["phase"], format_duration(task["waited"]), gate["outcome"])
        cases.append((attributes, task["outcome"], message, text, out))
    return cases


def junit_xml(gates, name="taskgate gates"):
    """junit.xml text: one testsuite per play, one testcase per task waited on (classname = service)."""
    root = ET.Element("testsuites", name=name)
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    total_time = 0.0
    for play, play_gates in _plays(gates):
        suite = ET.SubElement(root, "testsuite", name=play or "play")
        counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
        suite_time = sum(gate["elapsed"] for gate in play_gates)
        for gate in play_gates:
            for attributes, outcome, message, text, out in _testcases(gate):
                case = ET.SubElement(suite, "testcase", attributes)
                counts["tests"] += 1
                element = JUNIT_ELEMENT[outcome]
                if element is not None:
                    counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[element]] += 1
                    detail = ET.SubElement(case, element, message=message)
                    if element != "skipped":
                        detail.set("type", gate["error_type"] if outcome == OUTCOME_ERROR and gate["error_type"] else outcome)
                        detail.text = text
                ET.SubElement(case, "system-out").text = out
        started = min(gate["started"] for gate in play_gates)
        suite.set("timestamp", format_iso_z(from_epoch_seconds(started)).rstrip("Z"))
        suite.set("time", "%.3f" % suite_time)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        total_time += suite_time
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "%.3f" % total_time)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


# ---------------------------------------------------------------------------
# timeline rows and the summary table


def task_label(task, service=None):
    """``rds CreateInstance 4f2c0a4e``: service, name and the first characters of the id."""
    parts = (task["service"] or service, task["name"], str(task["id"])[:LABEL_ID_CHARS])
    return " ".join(part for part in parts if part)


def timeline_rows(gates):
    """Rows of the timeline chart (``gantt.render_svg``): one per task, grouped by play."""
    rows = []
    for play, play_gates in _plays(gates):
        for gate in play_gates:
            for task in gate["tasks"]:
                tip = "%s %s: %s (status %s); bar from %s to %s; gate %r waited %s" % (
                    task["service"], task["id"], task["outcome"], task["status"], task["started_from"],
                    task["ended_from"], gate["gate"], format_duration(task["waited"]))
                if task["reason"]:
                    tip += "\n" + task["reason"]
                rows.append({"group": play, "label": task_label(task, gate["service"]), "start": task["start"],
                             "end": task["end"], "outcome": task["outcome"], "tooltip": tip,
                             "wait_start": task["wait_start"], "wait_end": task["wait_end"]})
    return rows


def timeline_svg(gates, title="taskgate gates"):
    """timeline.svg text: the tasks of every gate as bars from creation (or first sighting) to end."""
    return render_svg(timeline_rows(gates), title=title)


def _cell(text, width):
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + u"\u2026"


def summary_lines(gates, files=()):
    """The table printed after the play recap: one line per gate (tasks, outcome, time)."""
    if not gates:
        return ["no wait_for_task gate ran"]
    header = ("gate", "host", "service", "tasks", "outcome", "time")
    rows = []
    for gate in gates:
        tasks = gate["tasks"]
        count = "%d" % len(tasks)
        bad = [task for task in tasks if task["outcome"] != OUTCOME_SUCCEEDED]
        if bad:
            count += " (%d %s)" % (len(bad), "not succeeded" if len(set(task["outcome"] for task in bad)) > 1 else bad[0]["outcome"])
        rows.append((_cell(gate["gate"], 48), _cell(gate["host"], 20), gate["service"], count, gate["outcome"],
                     format_duration(gate["elapsed"])))
    widths = [max(len(str(row[index])) for row in [header] + rows) for index in range(len(header))]
    lines = ["  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip() for row in [header] + rows]
    failed = sum(1 for gate in gates if gate["outcome"] != OUTCOME_SUCCEEDED)
    total_tasks = sum(len(gate["tasks"]) for gate in gates)
    lines.append("%d gate%s, %d task%s waited on, %d gate%s did not succeed" % (
        len(gates), "" if len(gates) == 1 else "s", total_tasks, "" if total_tasks == 1 else "s",
        failed, "" if failed == 1 else "s"))
    for gate in gates:
        if gate.get("refused"):
            rate = gate.get("rate")
            lines.append("%s (%s): %d request%s refused by the API's rate limit (429)%s" % (
                _cell(gate["gate"], 48), gate["host"], gate["refused"], "" if gate["refused"] == 1 else "s",
                "; the pace settled at %s requests/s" % rate if rate is not None else ""))
    for path in files:
        lines.append("report: %s" % path)
    return lines
