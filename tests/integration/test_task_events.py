# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task_events event source and its engine (task_watch) against the simulator.

The watch runs on the simulator's ManualClock (it never sleeps itself: the test advances the clock by
``next_delay()``). The source file is loaded the way ansible-rulebook loads it (runpy) and once as a
script in a fresh interpreter, which must find the collection from its own location. The real
ansible-rulebook run is tests/eda/test_rulebook.py (its own venv, `make test` step "eda").
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import asyncio
import json
import os
import runpy
import subprocess
import sys

import pytest
import yaml

import ansible_collections.taskgate.huaweicloud as collection_under_test
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import SERVICES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import AuthError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_watch import SOURCE_ARGUMENTS, open_watch

from support import playbook_env, token_params

pytestmark = pytest.mark.simulator

SOURCE = os.path.join(list(collection_under_test.__path__)[0], "extensions", "eda", "plugins", "event_source", "task_events.py")


def watch_until_done(watch, sim_clock, max_polls=100):
    """Poll, advancing the simulator's clock by each next_delay(), until the watch is finished."""
    events = []
    for _poll in range(max_polls):
        events.extend(watch.poll())
        if watch.finished:
            return events
        sim_clock.advance(watch.next_delay())
    raise AssertionError("the watch did not finish in %d polls; events: %r" % (max_polls, events))


def open_sim_watch(sim, sim_clock, **args):
    params = token_params(sim)
    params.update(args)
    return open_watch(params, environ={}, clock=sim_clock.time, wall_clock=sim_clock.time)


def statuses_by_id(events):
    seen = {}
    for event in events:
        seen.setdefault(event["task"]["id"], []).append((event["previous_status"], event["task"]["status"]))
    return seen


@pytest.mark.parametrize("service, running, succeeded, failed", [
    ("rds", "Running", "Completed", "Failed"),
    ("geminidb", "Running", "Completed", "Failed"),
    ("ddm", "Running", "Completed", "Failed"),
    ("servicestage", "RUNNING", "SUCCEEDED", "FAILED"),
])
def test_one_event_per_status_change_until_every_job_is_terminal(sim, sim_clock, service, running, succeeded, failed):
    good = sim.create_job(service, duration=30)
    bad = sim.create_job(service, duration=12, outcome="failure")
    sim_clock.advance(4)  # past CAS's SUBMITTED tenth

    watch = open_sim_watch(sim, sim_clock, service=service, ids=[good, bad], interval=1, max_interval=8,
                           until_terminal=True)
    events = watch_until_done(watch, sim_clock)
    watch.close()

    assert statuses_by_id(events) == {good: [(None, running), (running, succeeded)], bad: [(None, running), (running, failed)]}
    last_bad = [event for event in events if event["task"]["id"] == bad][-1]
    assert last_bad["task"]["phase"] == "failed" and last_bad["previous_phase"] == "running"
    assert last_bad["service"] == service and last_bad["task"]["service"] == service
    if service in ("rds", "geminidb"):
        assert last_bad["task"]["fail_reason"]
    # Detected within one interval of the job's end, and the interval grew while nothing changed.
    assert sim_clock.time() - sim.job(good)["ends_at"] <= 8
    assert watch.polls < 30


def test_a_declared_job_api_is_watched_like_a_service(sim, sim_clock):
    # The simulator's ECS job API, declared by hand as a user would for an API the catalog lacks.
    sim.configure(init_for=1.0)
    good = sim.create_job("ecs", duration=20)
    bad = sim.create_job("ecs", duration=10, outcome="failure", fail_reason="flavor sold out", top_level_reason=True)
    api = {"label": "myjobs", "endpoint": sim.all_endpoints["ecs"], "path": "/v1/{project_id}/jobs/{id}",
           "status": "status", "pending": ["INIT"], "running": ["RUNNING"], "succeeded": ["SUCCESS"], "failed": ["FAIL"],
           "name": "job_type", "fail_reason": "fail_reason"}

    watch = open_sim_watch(sim, sim_clock, api=api, ids=[good, bad], interval=1, max_interval=8, until_terminal=True)
    events = watch_until_done(watch, sim_clock)
    watch.close()

    last = dict((event["task"]["id"], event) for event in events)
    assert last[good]["task"]["phase"] == "succeeded" and last[bad]["task"]["phase"] == "failed"
    assert last[bad]["task"]["fail_reason"] == "flavor sold out"
    assert statuses_by_id(events)[good][-1] == ("RUNNING", "SUCCESS")


def test_list_services_fetch_every_open_job_in_one_listing_page(sim, sim_clock):
    ids = [sim.create_job("rds", duration=5 + index) for index in range(6)]
    watch = open_sim_watch(sim, sim_clock, service="rds", ids=ids, interval=1, max_interval=4, until_terminal=True)
    sim.reset_stats()
    per_poll = []   # (open ids asked for, requests)
    events = []
    while not watch.finished:
        open_ids = len(ids) - len([event for event in events if event["task"]["phase"] == "succeeded"])
        before = sim.stats()["requests"]
        events.extend(watch.poll())
        per_poll.append((open_ids, sim.stats()["requests"] - before))
        sim_clock.advance(watch.next_delay())

    assert len(events) == 12
    # One listing page for the batch; TaskService asks for one or two ids by id instead.
    assert per_poll == [(count, 1 if count > 2 else count) for count, _requests in per_poll]
    assert per_poll[0] == (6, 1) and len(per_poll) < 15
    assert set(sim.stats()["by_endpoint"]) == {"GET rds /v3/{project_id}/tasklist"}


def test_per_id_services_stop_fetching_a_job_once_it_is_terminal(sim, sim_clock):
    short = sim.create_job("ddm", duration=2)
    long = sim.create_job("ddm", duration=40)
    watch = open_sim_watch(sim, sim_clock, service="ddm", ids=[short, long], interval=1, max_interval=4,
                           until_terminal=True)
    sim.reset_stats()

    watch_until_done(watch, sim_clock)

    by_job = sim.stats()["by_job"]
    assert by_job[short] <= 3 < by_job[long]


def test_a_status_filter_finds_jobs_and_follows_them_to_their_end(sim, sim_clock):
    first = sim.create_job("geminidb", duration=6)
    second = sim.create_job("geminidb", duration=9, outcome="failure")
    watch = open_sim_watch(sim, sim_clock, service="geminidb", status="Running", interval=1, max_interval=2,
                           until_terminal=True)

    events = watch_until_done(watch, sim_clock)

    # Once finished they no longer match status=Running, yet their end is reported.
    assert statuses_by_id(events) == {first: [(None, "Running"), ("Running", "Completed")],
                                      second: [(None, "Running"), ("Running", "Failed")]}


def test_a_throttled_poll_backs_off_and_the_watch_goes_on(sim, sim_clock):
    job = sim.create_job("rds", duration=6)
    watch = open_sim_watch(sim, sim_clock, service="rds", ids=[job], interval=1, max_interval=4, max_retries=0,
                           until_terminal=True)
    sim.inject_fault("429", count=2, retry_after=3)

    assert watch.poll() == []
    assert "HTTP 429" in watch.warning and watch.next_delay() == 3.0
    events = watch_until_done(watch, sim_clock)

    assert statuses_by_id(events) == {job: [(None, "Running"), ("Running", "Completed")]}
    assert sim.stats()["faults_served"] == 2


def test_rejected_credentials_end_the_watch(sim, sim_clock):
    watch = open_sim_watch(sim, sim_clock, service="rds", ids=["x"], auth_token="wrong-token")
    with pytest.raises(AuthError):
        watch.poll()


def test_an_unknown_id_gets_one_unknown_event_after_the_grace(sim, sim_clock):
    watch = open_sim_watch(sim, sim_clock, service="ddm", ids=["no-such-job"], interval=1, not_found_grace=3,
                           until_terminal=True)
    events = watch_until_done(watch, sim_clock)
    assert [(event["task"]["id"], event["task"]["phase"]) for event in events] == [("no-such-job", "unknown")]


# ---------------------------------------------------------------------------
# the event source file


def test_the_source_documents_exactly_its_arguments():
    source = runpy.run_path(SOURCE)
    options = yaml.safe_load(source["DOCUMENTATION"])["options"]
    assert sorted(options) == sorted(SOURCE_ARGUMENTS)
    assert options["service"]["choices"] == list(SERVICES)
    assert [rulebook["sources"][0] for rulebook in yaml.safe_load(source["EXAMPLES"])]


class ListQueue(object):
    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


def test_the_source_puts_events_on_the_queue_and_ends_with_until_terminal(sim):
    done = sim.create_job("rds", duration=0)
    failed = sim.create_job("rds", duration=0, outcome="failure")
    args = token_params(sim)
    args.update(service="rds", ids=[done, failed], until_terminal=True)
    queue = ListQueue()

    # As ansible-rulebook does: runpy, then await main(queue, args).
    asyncio.run(runpy.run_path(SOURCE)["main"](queue, args))

    assert sorted((event["task"]["id"], event["task"]["phase"]) for event in queue.events) == sorted(
        [(done, "succeeded"), (failed, "failed")])


def test_the_source_refuses_bad_arguments_before_any_request(sim):
    args = token_params(sim)
    args.update(service="rds", ids=["x"], intervall=3)
    sim.reset_stats()
    with pytest.raises(InvalidInput) as caught:
        asyncio.run(runpy.run_path(SOURCE)["main"](ListQueue(), args))
    assert "unknown argument intervall" in str(caught.value)
    assert sim.stats()["requests"] == 0


def test_the_source_finds_its_collection_without_pythonpath(live_sim):
    job = live_sim.create_job("ddm", duration=0, outcome="failure")
    env = playbook_env(live_sim)
    env.pop("PYTHONPATH", None)
    args = {"service": "ddm", "ids": [job], "until_terminal": True, "endpoints": live_sim.endpoints}

    completed = subprocess.run([sys.executable, SOURCE, json.dumps(args)], env=env, cwd="/", stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60, check=False)

    assert completed.returncode == 0, completed.stderr.decode()
    events = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [(event["task"]["id"], event["task"]["phase"], event["previous_status"]) for event in events] == [(job, "failed", None)]
    assert live_sim.credentials["auth_token"] not in completed.stdout.decode() + completed.stderr.decode()
