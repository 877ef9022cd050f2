# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: gate_report
type: aggregate
short_description: JUnit report, SVG timeline and summary table of the wait_for_task and wait_for_resource gates of a run
version_added: 0.1.0
description:
  - Collects the result of every M(taskgate.huaweicloud.wait_for_task) and M(taskgate.huaweicloud.wait_for_resource)
    task of the run, also the failed, rescued and ignored ones, the items of loops and the gates of the
    P(taskgate.huaweicloud.task_gate#role) and P(taskgate.huaweicloud.provision#role) roles. A wait started with C(async) and C(poll) 0 counts once, as the
    M(ansible.builtin.async_status) task that collects its result.
  - When O(report_dir) is set (or under ansible-runner, see O(report_dir)), writes two files there at the end of the run.
  - C(junit.xml) has one C(testsuite) per play and one C(testcase) per task or resource waited on (C(classname) is the service,
    C(name) the task name and id, C(time) the seconds the gate waited for it). A failed or timed-out task gets a
    C(failure) element with the failure paragraph of the gate (status, progress, reason, failed sub-task, request
    id), a gate stopped by an API error or a bad option an C(error) element, a task the gate no longer needed
    (C(fail_fast), O(taskgate.huaweicloud.wait_for_task#module:mode=any)) a C(skipped) one. GitLab
    (C(artifacts:reports:junit)), Jenkins (C(junit)) and GitHub test-report actions show the gates as tests.
  - C(timeline.svg) is a self-contained SVG Gantt chart, one bar per task from its creation (or first sighting)
    to its end, coloured by outcome, labelled with service, name and the first 8 characters of the id, with an
    axis in seconds. Open it in a browser or keep it as a CI artifact.
  - After the play recap it prints a short table of the gates (tasks, outcome, time), also without O(report_dir).
author:
  - taskgate maintainers (@taskgate)
requirements:
  - Enable it in C(ansible.cfg) (C(callbacks_enabled = taskgate.huaweicloud.gate_report) in C([defaults])) or with
    C(ANSIBLE_CALLBACKS_ENABLED=taskgate.huaweicloud.gate_report).
options:
  report_dir:
    description:
      - Directory for C(junit.xml) and C(timeline.svg) (created if needed; existing files are replaced).
      - The variable C(taskgate_report_dir) (extra vars or play vars) wins over the environment and the ini file.
      - Not set under ansible-runner (AWX and Automation Platform jobs, C(ansible-navigator run)), the job's artifact
        directory, which ansible-runner names in E(AWX_ISOLATED_DATA_DIR). The files then sit next to the runner's own
        C(job_events/) and C(stdout).
      - Not set otherwise, nothing is written.
    type: path
    env:
      - name: TASKGATE_REPORT_DIR
    ini:
      - section: taskgate_gate_report
        key: report_dir
    vars:
      - name: taskgate_report_dir
  summary:
    description: Print the table of the gates after the play recap.
    type: bool
    default: true
    env:
      - name: TASKGATE_REPORT_SUMMARY
    ini:
      - section: taskgate_gate_report
        key: summary
notes:
  - Times in the chart come from the cloud where the job API gives them (creation, end) and from the controller's
    clock otherwise; the chart's origin is the earliest start.
  - A gate with C(no_log) set shows in the table and the report without
    its tasks.
seealso:
  - module: taskgate.huaweicloud.wait_for_task
  - module: taskgate.huaweicloud.wait_for_resource
"""

EXAMPLES = r"""
# ansible.cfg
# [defaults]
# callbacks_enabled = taskgate.huaweicloud.gate_report
#
# [taskgate_gate_report]
# report_dir = build/reports

# or for one run, in CI:
#   ANSIBLE_CALLBACKS_ENABLED=taskgate.huaweicloud.gate_report TASKGATE_REPORT_DIR=reports ansible-playbook deploy.yml
# or per run with a variable:
#   ansible-playbook deploy.yml -e taskgate_report_dir=reports
"""

import os
import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.callback import CallbackBase

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.gate_records import (
    gate_record, junit_xml, summary_lines, timeline_svg,
)

GATE_ACTIONS = ("taskgate.huaweicloud.wait_for_task", "wait_for_task",
                "taskgate.huaweicloud.wait_for_resource", "wait_for_resource")
# A wait started in the background (async, poll: 0) ends in the async_status task that collects it.
ASYNC_STATUS_ACTIONS = ("ansible.builtin.async_status", "ansible.legacy.async_status", "async_status")
WAIT_RESULT_KEYS = ("outcome", "failed_ids", "pending")
REPORT_VAR = "taskgate_report_dir"
# Set by ansible-runner (AWX, Automation Platform, ansible-navigator) to the job's artifact directory.
RUNNER_ARTIFACT_DIR_ENV = "AWX_ISOLATED_DATA_DIR"


def _attr(result, name):
    """``result.<name>`` (ansible-core 2.19+) or ``result._<name>`` (older cores)."""
    value = getattr(result, name, None)
    return value if value is not None else getattr(result, "_" + name, None)


def _is_wait_result(data):
    """True for what wait_for_task or wait_for_resource returns (async_status hands the module's result back as it is)."""
    return all(key in data for key in WAIT_RESULT_KEYS) and (
        isinstance(data.get("tasks"), list) or isinstance(data.get("resources"), list))


def _write(path, text):
    # Write then rename: a CI job that collects artifacts never sees half a file.
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


class CallbackModule(CallbackBase):
    """Collects wait_for_task and wait_for_resource results; writes the report and prints the table at the end of the run."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "taskgate.huaweicloud.gate_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self._gates = []
        self._play = None
        self._var_report_dir = None

    # -- collecting -------------------------------------------------------------

    def v2_playbook_on_play_start(self, play):
        self._play = to_text(play.get_name()).strip() or "play %d" % (len(set(gate["play"] for gate in self._gates)) + 1)
        value = self._play_variable(play)
        if value:
            self._var_report_dir = value

    def _play_variable(self, play):
        """``taskgate_report_dir`` from the play's variables (extra vars included), templated; None if unset.

        Callbacks get no variables from Ansible, so the var source of ``report_dir`` is read here.
        """
        try:
            variables = play.get_variable_manager().get_vars(play=play)
        except Exception:  # pylint: disable=broad-except
            return None
        value = variables.get(REPORT_VAR)
        if isinstance(value, str) and "{{" in value:
            try:
                from ansible.template import Templar
                value = Templar(loader=play.get_loader(), variables=variables).template(value)
            except (AnsibleError, TypeError, ValueError) as exc:
                self._display.warning("taskgate.huaweicloud.gate_report: cannot template %s: %s" % (REPORT_VAR, to_text(exc)))
                return None
        return to_text(value) if value else None

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._collect(result)

    def _collect(self, result):
        task = _attr(result, "task")
        action = getattr(task, "resolved_action", None) or getattr(task, "action", None)
        data = _attr(result, "result") or {}
        if action in GATE_ACTIONS:
            if data.get("ansible_job_id") and not data.get("finished"):
                return   # started with async and poll: 0; the async_status task that collects it is the gate
        elif not (action in ASYNC_STATUS_ACTIONS and data.get("finished") and _is_wait_result(data)):
            return
        host = _attr(result, "host")
        host = host.get_name() if host is not None else "?"
        name = to_text(task.get_name()).strip() if hasattr(task, "get_name") else "wait_for_task"
        service = (getattr(task, "args", None) or {}).get("service")
        service = service if isinstance(service, str) and "{{" not in service else None
        items = data.get("results") if isinstance(data.get("results"), list) and "outcome" not in data else None
        finished = time.time()
        for item in (items if items is not None else [data]):
            if not isinstance(item, dict) or item.get("skipped"):
                continue
            label = item.get("_ansible_item_label", item.get("item")) if items is not None else None
            gate = "%s (item=%s)" % (name, to_text(label)) if label is not None else name
            self._gates.append(gate_record(item, gate=gate, host=host, play=self._play, finished=finished,
                                           service=service))

    # -- reporting --------------------------------------------------------------

    def _report_dir(self):
        if self._var_report_dir:
            return os.path.abspath(os.path.expanduser(self._var_report_dir))
        # ansible-runner's artifact dir comes last: an ini or env setting of the user wins.
        return self.get_option("report_dir") or os.environ.get(RUNNER_ARTIFACT_DIR_ENV) or None

    def v2_playbook_on_stats(self, stats):
        files = []
        report_dir = self._report_dir()
        if report_dir:
            try:
                os.makedirs(report_dir, exist_ok=True)
                for filename, text in (("junit.xml", junit_xml(self._gates)), ("timeline.svg", timeline_svg(self._gates))):
                    path = os.path.join(report_dir, filename)
                    _write(path, text)
                    files.append(path)
            except OSError as exc:
                self._display.warning("taskgate.huaweicloud.gate_report: cannot write the report to %s: %s"
                                      % (report_dir, to_text(exc)))
        if self.get_option("summary"):
            self._display.banner("TASKGATE GATES")
            for line in summary_lines(self._gates, files):
                self._display.display(line)
