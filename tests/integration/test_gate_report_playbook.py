# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gate_report callback in real ansible-playbook runs against the simulator: JUnit, SVG, summary table.

ansible-playbook is a separate process, so the simulator runs on real time here (jobs of a few seconds).
The words and the layout are unit-tested in tests/unit/plugins/module_utils/test_gate_report.py.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

SVG = "{http://www.w3.org/2000/svg}"
CALLBACK = {"ANSIBLE_CALLBACKS_ENABLED": "taskgate.huaweicloud.gate_report"}


def run_playbook(server, playbook, extra_vars, env_extra):
    env = playbook_env(server, dict(CALLBACK, **env_extra))
    if "TASKGATE_REPORT_DIR" not in env_extra:
        env.pop("TASKGATE_REPORT_DIR", None)
    completed = subprocess.run(["ansible-playbook", os.path.join(PLAYBOOK_DIR, playbook), "-e", json.dumps(extra_vars)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180, check=False)
    return completed.returncode, completed.stdout.decode("utf-8", "replace")


def junit_cases(junit):
    return dict((case.get("name"), case) for case in junit.iter("testcase"))


def bars(svg):
    return [rect for rect in svg.iter(SVG + "rect") if (rect.get("class") or "").startswith("bar ")]


def texts(svg, css_class):
    return [text.text for text in svg.iter(SVG + "text") if text.get("class") == css_class]


def test_two_gates_one_failing_and_rescued(live_sim, tmp_path):
    fast = live_sim.create_job("rds", duration=2)
    slow = live_sim.create_job("rds", duration=7)
    failing = live_sim.create_job("servicestage", duration=3, outcome="failure")
    report_dir = tmp_path / "reports"

    returncode, output = run_playbook(live_sim, "gate_report.yml",
                                      {"sim_endpoints": live_sim.endpoints, "ok_ids": [fast, slow], "failing_id": failing},
                                      {"TASKGATE_REPORT_DIR": str(report_dir)})

    assert returncode == 0, output   # the failure was rescued
    junit = ET.parse(str(report_dir / "junit.xml")).getroot()
    assert junit.tag == "testsuites"
    assert (junit.get("tests"), junit.get("failures"), junit.get("errors"), junit.get("skipped")) == ("3", "1", "0", "0")
    suites = junit.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["Deploy with two gates"]
    cases = junit_cases(suites[0])
    assert sorted(cases) == sorted(["CreateInstance " + fast, "CreateInstance " + slow, "provision/provMain " + failing])
    assert [cases["CreateInstance " + job].get("classname") for job in (fast, slow)] == ["rds", "rds"]
    fast_time, slow_time = (float(cases["CreateInstance " + job].get("time")) for job in (fast, slow))
    assert 0 <= fast_time < slow_time <= 10 and slow_time - fast_time > 2
    assert cases["CreateInstance " + fast].find("failure") is None
    failed = cases["provision/provMain " + failing]
    assert failed.get("classname") == "servicestage"
    failure = failed.find("failure")
    assert failure.get("type") == "failed"
    assert "servicestage provision/provMain %s failed with status FAILED" % failing in failure.text
    assert "sub-task TN00097 failed: ECC00011: Building failed" in failure.text
    assert "request id " in failure.text
    assert "gate 'Wait for the component' on localhost" in failed.find("system-out").text

    svg = ET.parse(str(report_dir / "timeline.svg")).getroot()
    assert svg.tag == SVG + "svg"
    drawn = bars(svg)
    assert sorted(rect.get("data-outcome") for rect in drawn) == ["failed", "succeeded", "succeeded"]
    assert len(set(rect.get("fill") for rect in drawn if rect.get("data-outcome") == "failed")
               | set(rect.get("fill") for rect in drawn if rect.get("data-outcome") == "succeeded")) == 2
    labels = texts(svg, "label")
    assert sorted(labels) == sorted(["rds CreateInstance " + fast[:8], "rds CreateInstance " + slow[:8],
                                     "servicestage provision/provMain " + failing[:8]])
    width = dict((label, float(rect.get("width"))) for label, rect in zip(labels, drawn))
    assert width["rds CreateInstance " + slow[:8]] > 2 * width["rds CreateInstance " + fast[:8]]
    ticks = texts(svg, "tick")
    assert ticks[0] == "0s" and all(tick.endswith("s") for tick in ticks) and len(ticks) >= 3

    recap = output[output.index("PLAY RECAP"):]
    table = recap[recap.index("TASKGATE GATES"):].splitlines()
    assert [line.split() for line in table if line.startswith("Wait for the databases")] == [
        ["Wait", "for", "the", "databases", "localhost", "rds", "2", "succeeded", table_time(table, "databases")]]
    component = [line for line in table if line.startswith("Wait for the component")][0]
    assert component.split()[4:] == ["localhost", "servicestage", "1", "(1", "failed)", "failed", component.split()[-1]]
    assert "report: %s" % (report_dir / "junit.xml") in table and "report: %s" % (report_dir / "timeline.svg") in table


def table_time(table, word):
    return [line.split()[-1] for line in table if word in line][0]


def test_loop_gates_a_timeout_and_the_report_dir_from_a_variable(live_sim, tmp_path):
    done = live_sim.create_job("ddm", duration=1)
    slow = live_sim.create_job("ddm", duration=60)
    extra_vars = {"sim_endpoints": live_sim.endpoints, "job_ids": [done, slow], "slow_id": slow,
                  "report_root": str(tmp_path), "taskgate_report_dir": "{{ report_root }}/from-var"}

    returncode, output = run_playbook(live_sim, "gate_report_loop.yml", extra_vars, {})

    assert returncode == 0, output   # ignore_errors
    junit = ET.parse(str(tmp_path / "from-var" / "junit.xml")).getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("2", "1")
    cases = junit_cases(junit)
    timed_out = cases["CreateInstance " + slow].find("failure")
    assert timed_out.get("type") == "timeout"
    assert "unchanged for" in timed_out.text and slow in timed_out.text
    assert "(item=%s)" % slow in cases["CreateInstance " + slow].find("system-out").text
    svg = ET.parse(str(tmp_path / "from-var" / "timeline.svg")).getroot()
    assert sorted(rect.get("data-outcome") for rect in bars(svg)) == ["succeeded", "timeout"]
    table = output[output.index("TASKGATE GATES"):].splitlines()
    slow_row = [line.split() for line in table if line.startswith("Wait for each job (item=%s" % slow[:20])]
    assert slow_row and slow_row[0][-6:-1] == ["ddm", "1", "(1", "timeout)", "timeout"], table


def test_ansible_doc_renders_the_callback(live_sim):
    env = playbook_env(live_sim)
    completed = subprocess.run(["ansible-doc", "-t", "callback", "--json", "taskgate.huaweicloud.gate_report"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr.decode()
    doc = json.loads(completed.stdout.decode())["taskgate.huaweicloud.gate_report"]["doc"]
    assert sorted(doc["options"]) == ["report_dir", "summary"]
    assert doc["options"]["report_dir"]["env"] == [{"name": "TASKGATE_REPORT_DIR"}]
    assert doc["options"]["report_dir"]["vars"] == [{"name": "taskgate_report_dir"}]
    assert doc["type"] == "aggregate"
