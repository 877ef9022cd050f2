# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scripted clouds for the engine tests (test_waiter, test_report, test_rules): no HTTP, no real waiting.

Time is the shared ``fake_clock`` fixture (tests/unit/conftest.py), passed in by each test.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import Throttled
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import CompletionRules
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import WaitPlan
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.waiter import Waiter

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "waiter")


def load_fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


PHASES = load_fixture("phases.json")


def fixture_phase(service, status):
    for phase, statuses in PHASES[service].items():
        if status in statuses:
            return phase
    return "unknown"


def make_task(task_id, status, progress, service="rds"):
    return {
        "id": task_id, "name": "CreateInstance", "service": service, "status": status,
        "phase": fixture_phase(service, status), "progress": progress,
        "instance": {"id": "inst-1", "name": "db1", "status": None},
        "created_at": None, "ended_at": None, "fail_reason": None, "subtasks": [],
        "request_id": "req-%s" % task_id, "raw": {},
    }


class ScriptedCloud(object):
    """refresh(ids, deadline) driven by per-task timelines [[at, status, progress], ...].

    ``at`` is seconds since the fake clock's start. Before a task's first entry, or while its
    current entry has status None, the task is not listed. ``errors`` maps a call number
    (1-based) to an exception to raise instead of answering; ``latency`` advances the clock
    inside each call like a slow HTTP request would.
    """

    def __init__(self, clock, timelines, service="rds", errors=None, latency=0.0, as_dict=False, tasks=None):
        self.time = clock
        self.timelines = timelines
        self.service = service
        self.errors = errors or {}
        self.latency = latency
        self.as_dict = as_dict
        self.tasks = tasks or {}
        self.calls = []
        self._made = {}  # the engine must not mutate tasks, so answers can be shared between polls

    def status_at(self, task_id, at):
        current = None
        for entry in self.timelines.get(task_id, ()):
            if entry[0] <= at:
                current = entry
            else:
                break
        return current

    def __call__(self, ids, deadline):
        self.calls.append({"ids": None if ids is None else list(ids), "at": self.time.elapsed, "deadline": deadline})
        error = self.errors.get(len(self.calls))
        if error is not None:
            raise error
        self.time.advance(self.latency)
        at = self.time.elapsed
        answer = []
        for task_id in (self.timelines if ids is None else ids):
            entry = self.status_at(task_id, at)
            if entry is None or entry[1] is None:
                continue
            if task_id in self.tasks:
                answer.append(self.tasks[task_id](entry))
                continue
            key = (task_id, entry[0])
            if key not in self._made:
                self._made[key] = make_task(task_id, entry[1], entry[2], self.service)
            answer.append(self._made[key])
        if self.as_dict:
            return dict((task["id"], task) for task in answer)
        return answer


class TimedJobs(object):
    """refresh(ids, deadline) for jobs that run from t=0 to their duration; counts the requests per id.

    ``with_progress`` reports progress rising linearly (whole percents, like the APIs), or as
    ``shape(task_id, fraction of the duration)`` says; otherwise progress is None, as ServiceStage CAS
    reports it.
    """

    def __init__(self, clock, durations, with_progress=True, shape=None):
        self.time = clock
        self.durations = durations
        self.with_progress = with_progress
        self.shape = shape or (lambda task_id, fraction: int(100 * fraction))
        self.calls = []
        self.requests = dict((task_id, 0) for task_id in durations)

    def __call__(self, ids, deadline):
        self.calls.append({"ids": None if ids is None else list(ids), "at": self.time.elapsed})
        at = self.time.elapsed
        answer = []
        for task_id in (sorted(self.durations) if ids is None else ids):
            self.requests[task_id] += 1
            duration = self.durations[task_id]
            if at >= duration:
                answer.append(make_task(task_id, "Completed", 100))
            else:
                answer.append(make_task(task_id, "Running", self.shape(task_id, at / duration) if self.with_progress else None))
        return answer


def rules_for(service="rds", **overrides):
    return CompletionRules.from_phases(PHASES[service], service=service, **overrides)


def plan_for(rules=None, ids=("a",), service="rds", **options):
    """A WaitPlan as plan_wait would build it (options: timeout, delay, poll_interval, ...; seconds)."""
    return WaitPlan(rules or rules_for(service), ids=None if ids is None else list(ids), **options)


def waiter_for(clock, refresh, rules=None, ids=("a",), service="rds", on_event=None, **options):
    return Waiter(refresh, plan_for(rules, ids, service, **options), clock=clock.clock, sleep=clock.sleep,
                  on_event=on_event)


def build(clock, timelines, ids=("a",), service="rds", rules=None, cloud_options=None, **options):
    """(waiter, cloud, events) for a ScriptedCloud; ``options`` are WaitPlan fields."""
    cloud = ScriptedCloud(clock, timelines, service=service, **(cloud_options or {}))
    events = []
    waiter = waiter_for(clock, cloud, rules, ids, service, on_event=lambda kind, payload: events.append((kind, payload)),
                        **options)
    return waiter, cloud, events


def throttled(retry_after=None):
    error = Throttled(status=429, error_code="APIGW.0308", error_msg="policy user over ratelimit", service="rds")
    if retry_after is not None:
        error.retry_after = retry_after
    return error
