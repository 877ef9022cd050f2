# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gate_records (the gate_report callback's logic) and gantt: wait_for_task results -> gate records -> JUnit XML, SVG timeline, summary table.

Pure: results are written as wait_for_task returns them. The callback in a real ansible-playbook run
is tests/integration/test_gate_report_playbook.py.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.gantt import COLORS, nice_step, render_svg
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.gate_records import (
    gate_record, junit_xml, summary_lines, timeline_rows, timeline_svg,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import epoch_seconds

SVG = "{http://www.w3.org/2000/svg}"
FINISHED = epoch_seconds("2026-01-01T00:10:00Z")


def task(task_id, status, phase, created="2026-01-01T00:09:00Z", ended=None, service="rds", name="CreateInstance"):
    return {"id": task_id, "name": name, "service": service, "status": status, "phase": phase,
            "created_at": created, "ended_at": ended}


def result(outcome, tasks, elapsed=40.0, **lists):
    data = {"outcome": outcome, "failed": outcome != "succeeded", "tasks": tasks, "elapsed": elapsed,
            "msg": "the gate's message", "timeline": {}, "succeeded": [], "failed_ids": [], "pending": [],
            "vanished": [], "reasons": {}}
    data.update(lists)
    return data


def record(data, gate="Wait", play="Deploy", finished=FINISHED, **kwargs):
    return gate_record(data, gate=gate, host="localhost", play=play, finished=finished, **kwargs)


def two_task_gate():
    data = result("failed", [task("ok-1", "Completed", "succeeded", ended="2026-01-01T00:09:45Z"),
                             task("bad-2", "Failed", "failed", created=None)],
                  succeeded=["ok-1"], failed_ids=["bad-2"],
                  timeline={"ok-1": [{"at": 0.0}, {"at": 25.5}], "bad-2": [{"at": 0.0}, {"at": 12.0}]},
                  reasons={"bad-2": "rds CreateInstance bad-2 failed with status Failed; reason: disk full; request id r-1."})
    return record(data)


# ---------------------------------------------------------------------------
# records


def test_a_task_record_knows_its_outcome_wait_and_lifetime():
    gate = two_task_gate()
    ok, bad = gate["tasks"]
    started = FINISHED - 40.0
    assert (ok["outcome"], ok["waited"], ok["start"], ok["end"]) == (
        "succeeded", 25.5, epoch_seconds("2026-01-01T00:09:00Z"), epoch_seconds("2026-01-01T00:09:45Z"))
    assert (ok["started_from"], ok["ended_from"]) == ("created", "ended")
    assert (ok["wait_start"], ok["wait_end"]) == (started, started + 25.5)
    # No creation or end time from the API: first sighting and the moment the gate saw it end.
    assert (bad["outcome"], bad["start"], bad["end"], bad["started_from"], bad["ended_from"]) == (
        "failed", started, started + 12.0, "first seen", "seen ended")
    assert "disk full" in bad["reason"]
    assert gate["service"] == "rds" and gate["outcome"] == "failed"


def test_a_cloud_clock_ahead_of_ours_does_not_start_a_bar_after_its_first_sighting():
    data = result("succeeded", [task("a", "Completed", "succeeded", created="2026-01-01T00:09:59Z")],
                  succeeded=["a"], timeline={"a": [{"at": 0.0}]})
    gate = record(data)
    assert gate["tasks"][0]["start"] == FINISHED - 40.0 and gate["tasks"][0]["started_from"] == "first seen"


@pytest.mark.parametrize("outcome, lists, expected", [
    ("timeout", {"pending": ["a"]}, "timeout"),
    ("failed", {"pending": ["a"]}, "unfinished"),          # fail_fast stopped the gate
    ("succeeded", {"pending": ["a"]}, "unfinished"),       # mode=any did not need it
    ("succeeded", {"vanished": ["a"]}, "vanished"),
    ("error", {"pending": ["a"]}, "error"),
])
def test_task_outcomes_follow_the_gate(outcome, lists, expected):
    gate = record(result(outcome, [task("a", "Running", "running")], **lists))
    assert gate["tasks"][0]["outcome"] == expected
    assert gate["tasks"][0]["waited"] == 40.0


def test_an_api_error_keeps_the_ids_it_never_saw():
    data = result("error", [task("seen", "Running", "running")], pending=["seen", "unseen"],
                  error={"type": "AuthError", "status": 401}, msg="the wait stopped after 3s: HTTP 401")
    gate = record(data)
    assert [(item["id"], item["outcome"], item["reason"]) for item in gate["tasks"]] == [
        ("seen", "error", "the wait stopped after 3s: HTTP 401"), ("unseen", "error", "the wait stopped after 3s: HTTP 401")]
    assert gate["error_type"] == "AuthError"


# ---------------------------------------------------------------------------
# JUnit


def parse(text):
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.split("\n", 1)[1])


def test_junit_has_a_suite_per_play_and_a_case_per_task():
    other_play = record(result("succeeded", [task("c-3", "Completed", "succeeded", service="ddm")], elapsed=5.0,
                               succeeded=["c-3"], timeline={"c-3": [{"at": 4.0}]}), play="Check", gate="Recheck")
    junit = parse(junit_xml([two_task_gate(), other_play]))

    assert (junit.get("tests"), junit.get("failures"), junit.get("errors"), junit.get("skipped"), junit.get("time")) == (
        "3", "1", "0", "0", "45.000")
    deploy, check = junit.findall("testsuite")
    assert (deploy.get("name"), deploy.get("tests"), deploy.get("failures"), deploy.get("timestamp")) == (
        "Deploy", "2", "1", "2026-01-01T00:09:20")
    cases = deploy.findall("testcase")
    assert [(case.get("classname"), case.get("name"), case.get("time")) for case in cases] == [
        ("rds", "CreateInstance ok-1", "25.500"), ("rds", "CreateInstance bad-2", "12.000")]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure.get("type") == "failed" and failure.text.endswith("reason: disk full; request id r-1.")
    assert failure.get("message").startswith("failed: rds CreateInstance bad-2 failed with status Failed")
    assert cases[1].find("system-out").text == (
        "gate 'Wait' on localhost; status Failed (phase failed); waited 12s; gate outcome failed")
    assert [case.get("classname") for case in check.findall("testcase")] == ["ddm"]


def test_junit_maps_timeouts_to_failures_errors_to_errors_and_unneeded_tasks_to_skipped():
    gates = [
        record(result("timeout", [task("t", "Running", "running")], pending=["t"],
                      reasons={"t": "rds CreateInstance t Running 40% (unchanged for 2m0s)"})),
        record(result("error", [task("e", "Running", "running")], pending=["e"], error={"type": "AuthError"})),
        record(result("failed", [task("u", "Running", "running")], pending=["u"])),
    ]
    cases = parse(junit_xml(gates)).findall("testsuite/testcase")
    assert cases[0].find("failure").get("type") == "timeout" and "unchanged for 2m0s" in cases[0].find("failure").text
    assert cases[1].find("error").get("type") == "AuthError"
    assert cases[2].find("skipped").get("message").startswith("unfinished")
    suite = parse(junit_xml(gates)).find("testsuite")
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("1", "1", "1")


def test_a_gate_that_failed_before_knowing_its_tasks_is_one_error_case():
    bad_option = {"failed": True, "msg": "poll_interval must be more than 0", "error": {"type": "InvalidInput"}}
    case = parse(junit_xml([record(bad_option, gate="Wait badly", service="ddm")])).find("testsuite/testcase")
    assert (case.get("classname"), case.get("name")) == ("ddm", "Wait badly")
    assert case.find("error").get("type") == "InvalidInput" and case.find("error").text == "poll_interval must be more than 0"
    hidden = parse(junit_xml([record({"censored": "hidden", "failed": True})])).find("testsuite/testcase")
    assert hidden.get("classname") == "taskgate" and hidden.find("error").text == "hidden by no_log"
    nothing = record(result("succeeded", [], msg="nothing to wait for: no matching task"))
    assert parse(junit_xml([nothing])).find("testsuite").get("tests") == "0"


def test_junit_escapes_names_and_texts():
    data = result("failed", [task("x", "Failed", "failed", name='Create <"db"> & co')], failed_ids=["x"],
                  reasons={"x": "reason: <b>broken</b> & gone"})
    case = parse(junit_xml([record(data, play="Play <1>")])).find("testsuite/testcase")
    assert case.get("name") == 'Create <"db"> & co x'
    assert case.find("failure").text == "reason: <b>broken</b> & gone"


# ---------------------------------------------------------------------------
# timeline


def bars(svg):
    return [rect for rect in svg.iter(SVG + "rect") if (rect.get("class") or "").startswith("bar ")]


def test_timeline_draws_a_bar_per_task_proportional_to_its_life():
    svg = ET.fromstring(timeline_svg([two_task_gate()]).split("\n", 1)[1])
    drawn = bars(svg)
    assert [rect.get("data-outcome") for rect in drawn] == ["succeeded", "failed"]
    assert [rect.get("fill") for rect in drawn] == [COLORS["succeeded"], COLORS["failed"]]
    ok_width, bad_width = (float(rect.get("width")) for rect in drawn)
    assert ok_width / bad_width == pytest.approx(45.0 / 12.0, rel=0.01)
    labels = [text.text for text in svg.iter(SVG + "text") if text.get("class") == "label"]
    assert labels == ["rds CreateInstance ok-1", "rds CreateInstance bad-2"]
    ticks = [text.text for text in svg.iter(SVG + "text") if text.get("class") == "tick"]
    # 0s = the earliest creation; the last wait ends 45.5 s later.
    assert ticks == ["%ds" % seconds for seconds in range(0, 55, 5)]
    assert [text.text for text in svg.iter(SVG + "text") if text.get("class") == "group"] == ["play: Deploy"]
    legend = [text.text for text in svg.iter(SVG + "text") if text.get("class") == "legend"]
    assert legend == ["succeeded", "failed", "gate waiting"]
    assert [title.text for title in svg.iter(SVG + "title")][0] == "taskgate gates"


def test_labels_carry_the_first_eight_characters_of_the_id():
    data = result("succeeded", [task("4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77", "Completed", "succeeded")],
                  succeeded=["4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77"])
    assert timeline_rows([record(data)])[0]["label"] == "rds CreateInstance 4f2c0a4e"


def test_an_empty_run_still_gives_a_readable_svg():
    svg = ET.fromstring(render_svg([]).split("\n", 1)[1])
    assert "No wait_for_task gate ran." in [text.text for text in svg.iter(SVG + "text")]
    assert not bars(svg)


def test_rows_keep_their_groups_in_order_and_texts_are_escaped():
    rows = [{"group": "A & B", "label": "<x>", "start": 0.0, "end": 1.0, "outcome": "timeout"},
            {"group": "A & B", "label": "y", "start": 0.5, "end": 3.0, "outcome": "strange"},
            {"group": "C", "label": "z", "start": 2.0, "end": 2.0, "outcome": "succeeded"}]
    text = render_svg(rows)
    svg = ET.fromstring(text.split("\n", 1)[1])
    assert "&lt;x&gt;" in text and "A &amp; B" in text
    assert [node.text for node in svg.iter(SVG + "text") if node.get("class") == "group"] == ["play: A & B", "play: C"]
    drawn = bars(svg)
    assert float(drawn[2].get("width")) == 2.0          # a zero-length task stays visible
    assert drawn[1].get("fill") not in COLORS.values()  # unknown outcomes get the neutral colour


@pytest.mark.parametrize("span, step", [(1, 0.1), (7.3, 1), (45, 5), (60, 10), (333, 50), (3600, 500)])
def test_axis_steps_are_round_numbers(span, step):
    assert nice_step(span) == pytest.approx(step)


# ---------------------------------------------------------------------------
# summary table


def test_summary_has_one_line_per_gate_and_the_files():
    lines = summary_lines([two_task_gate()], files=["/r/junit.xml", "/r/timeline.svg"])
    assert lines[0].split() == ["gate", "host", "service", "tasks", "outcome", "time"]
    assert lines[1].split() == ["Wait", "localhost", "rds", "2", "(1", "failed)", "failed", "40s"]
    assert lines[2] == "1 gate, 2 tasks waited on, 1 gate did not succeed"
    assert lines[3:] == ["report: /r/junit.xml", "report: /r/timeline.svg"]
    assert summary_lines([]) == ["no wait_for_task gate ran"]


def test_summary_names_the_requests_refused_and_the_settled_rate():
    throttled = {"outcome": "succeeded", "elapsed": 60.0, "tasks": [{"id": "a", "service": "ecs"}], "succeeded": ["a"],
                 "pace": {"refused": 12, "rate": 18.4}}
    quiet = dict(throttled, pace={"refused": 0, "rate": None})
    gates = [gate_record(throttled, gate="Wait", host="h1", play="p", finished=1000.0),
             gate_record(quiet, gate="Wait", host="h2", play="p", finished=1000.0)]
    assert (gates[0]["refused"], gates[0]["rate"]) == (12, 18.4)
    notes = [line for line in summary_lines(gates) if "refused" in line]
    assert notes == ["Wait (h1): 12 requests refused by the API's rate limit (429); the pace settled at 18.4 requests/s"]


def test_a_wait_for_resource_result_gives_one_record_per_resource():
    # wait_for_resource answers "resources" where wait_for_task answers "tasks": the report reads both.
    data = result("failed", [], succeeded=["srv-1"], failed_ids=["srv-2"],
                  timeline={"srv-1": [{"at": 0.0}, {"at": 6.0}], "srv-2": [{"at": 0.0}, {"at": 3.0}]},
                  reasons={"srv-2": "ECS server srv-2 is in ERROR: No valid host was found."})
    del data["tasks"]
    data["resources"] = [{"id": "srv-1", "name": "web-1", "service": "ECS server", "status": "ACTIVE", "phase": "succeeded"},
                         {"id": "srv-2", "name": "web-2", "service": "ECS server", "status": "ERROR", "phase": "failed"}]
    gate = record(data)
    assert [(task["id"], task["outcome"], task["service"]) for task in gate["tasks"]] == [
        ("srv-1", "succeeded", "ECS server"), ("srv-2", "failed", "ECS server")]
    assert gate["service"] == "ECS server" and "No valid host" in gate["tasks"][1]["reason"]
    assert "ECS server" in junit_xml([gate])
