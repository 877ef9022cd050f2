# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 12, fidelity to the real APIs, against the simulator: the cloud's own clock, CAS sub-task
pages and end states, one status rule, RDS end_time, DDM's "not visible yet" answers, ids in paths.

wait_for_task runs in-process on the simulator's ManualClock (nothing sleeps for real); task_info
and the lookup use this host's real clock, so those tests put the simulated clock back at real time.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import json
import re
import subprocess
import time

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig, HAS_REQUESTS
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput, NotFound
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import run_task_query

from simulator import ManualClock, Simulator
from support import SimTime, playbook_env, token_params, wait_params

if HAS_REQUESTS:
    import requests

pytestmark = pytest.mark.simulator

LIST_SERVICES = ("geminidb", "rds")
# The cloud's clock ahead of (+) or behind (-) the controller's: minutes, and an hour (token auth only:
# the gateway refuses AK/SK signatures more than 15 minutes off).
SKEWS = (300, -300, 3600, -3600)


def aksk_params(server):
    params = token_params(server)
    del params["auth_token"]
    params.update(access_key=server.credentials["access_key"], secret_key=server.credentials["secret_key"])
    return params


def query(server, session=None, **options):
    """task_info's query (its TaskService reads this host's real clock)."""
    params = token_params(server)
    params.update(options)
    client = Client(ClientConfig.from_params(params), sleep=lambda seconds: None, session=session)
    return run_task_query(params, client=client)


def service_requests(server):
    return server.stats()["requests"]


def iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# 1. the cloud's clock is not the controller's


def wait_for_20_jobs(service, skew, auth="token", start=None):
    """wait_for_task on 20 fresh jobs of a fresh simulator whose cloud is ``skew`` seconds off the controller."""
    clock = ManualClock(start=start)
    with Simulator(seed=0, clock=clock) as server:
        server.configure(clock_offset=skew)
        ids = [server.create_job(service, duration=20 + 2 * number) for number in range(20)]
        params = wait_params(server, service, id=ids, not_found_grace=10)
        if auth == "aksk":
            params.update(aksk_params(server))
        result = SimTime(clock).run(params)
        return ids, result, server.stats()


@pytest.mark.parametrize("skew", SKEWS)
@pytest.mark.parametrize("service", LIST_SERVICES)
def test_many_id_wait_finds_fresh_jobs_whatever_the_controllers_clock(service, skew):
    start = int(time.time())
    ids, result, stats = wait_for_20_jobs(service, skew, start=start)

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    # The same wait with both clocks agreeing: not one request more (no job looked up because a
    # window computed from the controller's clock missed it).
    _ids, agreed, agreed_stats = wait_for_20_jobs(service, 0, start=start)
    assert (result["polls"], result["requests"]["requests"]) == (agreed["polls"], agreed["requests"]["requests"])
    assert stats["by_endpoint"] == agreed_stats["by_endpoint"]


@pytest.mark.parametrize("skew", (300, -300))
@pytest.mark.parametrize("service", LIST_SERVICES)
def test_many_id_wait_with_aksk_signatures_at_minutes_of_skew(service, skew):
    start = int(time.time())
    ids, result, _stats = wait_for_20_jobs(service, skew, auth="aksk", start=start)

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    _ids, agreed, _stats = wait_for_20_jobs(service, 0, auth="aksk", start=start)
    assert result["requests"]["requests"] == agreed["requests"]["requests"]


@pytest.mark.parametrize("skew", SKEWS)
@pytest.mark.parametrize("service", LIST_SERVICES)
def test_task_info_start_time_reaches_the_clouds_now(sim, sim_clock, service, skew):
    # The controller is this host's real clock here; the cloud is skew seconds away from it.
    sim_clock.set(time.time() - 600)
    sim.configure(clock_offset=skew)
    old = sim.create_job(service, duration=1)
    sim_clock.advance(600)
    fresh = [sim.create_job(service, duration=300) for _unused in range(3)]
    # Two minutes ago by the cloud's clock: this host's future when the cloud is ahead.
    start = sim.cloud_time() - 120

    found = {task["id"] for task in query(sim, service=service, start_time=iso(start))}

    assert found == set(fresh), "old job %s" % old
    assert service_requests(sim) == 1


@pytest.mark.parametrize("skew", (300, 3600))
@pytest.mark.parametrize("service", LIST_SERVICES)
def test_filter_wait_with_a_start_time_in_the_clouds_recent_past(sim, sim_time, service, skew):
    sim.configure(clock_offset=skew)
    jobs = [sim.create_job(service, name="ResizeFlavor", duration=30), sim.create_job(service, name="ResizeFlavor", duration=50)]

    result = sim_time.run(wait_params(sim, service, name="ResizeFlavor", start_time=iso(sim.cloud_time() - 60)))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(jobs)
    assert result["elapsed"] >= 50


def test_a_job_hidden_behind_newer_ones_is_looked_up_again_not_called_gone(sim, sim_time):
    # 20 waited-for jobs, then 300 newer ones: each poll's scan ends before reaching the 20, so each poll
    # looks them up by id; before, only the first poll did, and the wait failed once the grace ran out.
    ids = [sim.create_job("rds", duration=60 + number) for number in range(20)]
    for _unused in range(300):
        sim.create_job("rds", duration=3600)

    result = sim_time.run(wait_params(sim, "rds", id=ids, not_found_grace=5))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["polls"] > 3


# ---------------------------------------------------------------------------
# 2. and 3. CAS sub-task pages and end states


def test_cas_failure_in_subtask_30_of_30_is_named_in_msg(sim, sim_time):
    job_id = sim.create_job("servicestage", duration=40, outcome="failure", subtasks=30, fail_reason="Building failed.")

    result = sim_time.run(wait_params(sim, "servicestage", id=job_id))

    assert result["outcome"] == "failed"
    task = result["tasks"][0]
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, 31))
    last = task["subtasks"][-1]
    assert last["phase"] == "failed"
    assert "sub-task %s failed: ECC00011: Building failed" % last["name"] in result["msg"]
    # 30 sub-tasks fit one page of 100: one request per poll.
    assert result["requests"]["requests"] == result["polls"]


def test_task_info_returns_every_cas_subtask(sim, sim_clock):
    job_id = sim.create_job("servicestage", duration=20, subtasks=30)
    big = sim.create_job("servicestage", duration=20, subtasks=250, outcome="failure")
    sim_clock.advance(21)

    [task] = query(sim, service="servicestage", id=[job_id])
    assert len(task["subtasks"]) == 30 and task["phase"] == "succeeded"
    assert service_requests(sim) == 1

    [task] = query(sim, service="servicestage", id=[big])
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, 251))
    assert task["subtasks"][-1]["phase"] == "failed" and task["fail_reason"]
    assert sim.stats()["by_job"][big] == 3


def test_task_info_of_a_running_cas_job_has_the_subtasks_there_are(sim, sim_clock):
    job_id = sim.create_job("servicestage", duration=100, subtasks=40)
    sim_clock.advance(70)

    [task] = query(sim, service="servicestage", id=[job_id])

    assert task["phase"] == "running"
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, len(task["subtasks"]) + 1))
    assert 20 < len(task["subtasks"]) < 40
    assert task["subtasks"][-1]["status"] == "RUNNING"


def test_cas_unknown_fails_at_once_with_the_status_in_msg(sim, sim_time):
    job_id = sim.create_job("servicestage", duration=30, outcome="unknown")

    result = sim_time.run(wait_params(sim, "servicestage", id=job_id, timeout="10m"))

    assert result["outcome"] == "failed", result["msg"]
    assert result["failed_ids"] == [job_id]
    assert result["elapsed"] < 40  # reported when seen, not at the timeout
    assert "failed with status UNKNOWN" in result["msg"]
    assert result["tasks"][0]["phase"] == "failed"


def test_cas_partially_failed_names_the_failed_subtask_past_the_first_page(sim, sim_time):
    job_id = sim.create_job("servicestage", duration=30, outcome="partially_failed", subtasks=30)

    result = sim_time.run(wait_params(sim, "servicestage", id=job_id, timeout="10m"))

    assert result["outcome"] == "failed"
    assert result["elapsed"] < 40
    assert "failed with status PARTIALLY_FAILED" in result["msg"]
    failed = [sub for sub in result["tasks"][0]["subtasks"] if sub["phase"] == "failed"]
    assert [sub["index"] for sub in failed] == [29]
    assert "sub-task %s failed: ECC00011" % failed[0]["name"] in result["msg"]


def test_pending_states_can_make_cas_unknown_pending(sim, sim_time):
    job_id = sim.create_job("servicestage", duration=30, outcome="unknown")

    result = sim_time.run(wait_params(sim, "servicestage", id=job_id, timeout="2m",
                                      pending_states=["SUBMITTED", "RUNNING", "UNKNOWN"]))

    assert result["outcome"] == "timeout", result["msg"]
    assert result["pending"] == [job_id]
    assert result["tasks"][0]["status"] == "UNKNOWN"


# ---------------------------------------------------------------------------
# 4. one status rule: other capitals and blanks from the API


class RestyledStatuses(requests.Session if HAS_REQUESTS else object):
    """A real session to the simulator that rewrites the status values of its JSON answers, as an API
    answering in other capitals and with blanks around them would (the simulator has no such knob)."""

    STYLE = {"Running": "RUNNING ", "Completed": " completed", "Failed": "FAILED"}

    def request(self, *args, **kwargs):
        response = super(RestyledStatuses, self).request(*args, **kwargs)
        if response.headers.get("Content-Type", "").startswith("application/json") and response.content:
            body = json.loads(response.content.decode("utf-8"))
            for item in body.get("tasks") or body.get("jobs") or [body.get("job") or {}]:
                if item.get("status") in self.STYLE:
                    item["status"] = self.STYLE[item["status"]]
            response._content = json.dumps(body).encode("utf-8")
        return response


@pytest.mark.parametrize("service", ("rds", "geminidb", "ddm"))
def test_statuses_in_other_capitals_mean_the_same_to_the_model_and_the_wait(sim, sim_clock, sim_time, service):
    job_id = sim.create_job(service, duration=20)
    sim_clock.advance(5)
    [task] = query(sim, session=RestyledStatuses(), service=service, id=[job_id])
    assert (task["status"], task["phase"]) == ("RUNNING ", "running")

    result = sim_time.run(wait_params(sim, service, id=job_id, timeout="2m"), session=RestyledStatuses())

    assert result["outcome"] == "succeeded", result["msg"]
    assert (result["tasks"][0]["status"], result["tasks"][0]["phase"]) == (" completed", "succeeded")
    assert result["elapsed"] < 30


# ---------------------------------------------------------------------------
# 5. RDS end_time without start_time


def assert_names_both(err):
    assert err.option == "end_time"
    assert "end_time" in str(err) and "start_time" in str(err)


def test_rds_end_time_alone_is_refused_by_task_info_before_any_request(sim):
    with pytest.raises(InvalidInput) as caught:
        query(sim, service="rds", end_time="2026-01-01T00:00:00Z")
    assert_names_both(caught.value)
    assert service_requests(sim) == 0


def test_rds_end_time_alone_is_refused_by_wait_for_task_before_any_request(sim, sim_time):
    with pytest.raises(InvalidInput) as caught:
        sim_time.run(wait_params(sim, "rds", end_time="2026-01-01T00:00:00Z"))
    assert_names_both(caught.value)
    assert service_requests(sim) == 0


@pytest.mark.playbook
def test_rds_end_time_alone_is_refused_by_the_lookup_before_any_request(sim):
    template = "{{ lookup('taskgate.huaweicloud.task', service='rds', end_time='2026-01-01T00:00:00Z', endpoints=%s) }}" \
        % json.dumps(sim.endpoints)
    run = subprocess.run(["ansible", "localhost", "-c", "local", "-i", "localhost,", "-m", "ansible.builtin.debug",
                          "-a", "msg=%s" % template], env=playbook_env(sim), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True, timeout=120, check=False)
    assert run.returncode != 0, run.stdout[-3000:]
    assert re.search(r"taskgate\.huaweicloud\.task: end_time needs start_time for rds", run.stdout), run.stdout[-3000:]
    assert service_requests(sim) == 0


# ---------------------------------------------------------------------------
# 6. DDM's "not visible yet" answers


@pytest.mark.parametrize("style", ("empty_job", "empty_status"))
def test_ddm_blank_answer_counts_as_not_visible_yet(sim, sim_clock, sim_time, style):
    sim.configure(ddm_invisible_style=style)
    job_id = sim.create_job("ddm", duration=20, invisible_for=8)
    assert query(sim, service="ddm", id=[job_id]) == []

    result = sim_time.run(wait_params(sim, "ddm", id=job_id, not_found_grace=30, pending_states=["Running"]))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["timeline"][job_id][0]["at"] >= 8
    assert result["timeline"][job_id][0]["status"] == "Running"


@pytest.mark.parametrize("style", ("empty_job", "empty_status"))
def test_ddm_blank_answer_past_the_grace_is_not_found(sim, sim_time, style):
    sim.configure(ddm_invisible_style=style)
    job_id = sim.create_job("ddm", duration=20, invisible_for=120)

    result = sim_time.run(wait_params(sim, "ddm", id=job_id, not_found_grace=10))

    assert result["outcome"] == "failed"
    assert "task %s was not found" % job_id in result["msg"]


def test_ddm_gateway_404_stays_an_error(sim, sim_time):
    job_id = sim.create_job("ddm", duration=20)
    endpoints = dict(sim.endpoints, ddm=sim.url + "/ddm/wrong-prefix")
    with pytest.raises(NotFound) as caught:
        query(sim, service="ddm", id=[job_id], endpoints=endpoints)
    assert caught.value.error_code == "APIGW.0101"

    result = sim_time.run(wait_params(sim, "ddm", id=job_id, endpoints=endpoints))

    assert result["outcome"] == "error" and result["error"]["error_code"] == "APIGW.0101"


# ---------------------------------------------------------------------------
# 7. ids are percent-encoded once


@pytest.mark.parametrize("service", ("ddm", "servicestage", "rds", "geminidb", "ecs"))
@pytest.mark.parametrize("job_id", ("a b", "50%", "\u00fc-job", "a+b?c#d"))
def test_an_id_with_reserved_characters_finds_its_job(sim, sim_clock, sim_time, service, job_id):
    sim.create_job(service, duration=10, job_id=job_id)
    sim_clock.advance(2)
    assert [task["id"] for task in query(sim, service=service, id=[job_id])] == [job_id]

    result = sim_time.run(wait_params(sim, service, id=job_id, timeout="1m"))

    assert result["outcome"] == "succeeded", result["msg"]


@pytest.mark.parametrize("auth", ("token", "aksk"))
@pytest.mark.parametrize("service", ("ddm", "servicestage", "ecs", "evs", "bms"))
def test_an_id_with_a_slash_stays_one_path_segment(sim, sim_clock, sim_time, service, auth):
    # Issue 12 item 7: "x/y" goes as /jobs/x%2Fy (one segment); the AK/SK signature still matches.
    sim.create_job(service, duration=10, job_id="x/y")
    sim.create_job(service, duration=10, job_id="y")   # what a split path would find instead
    extra = {}
    if auth == "aksk":
        extra = dict(auth_token=None, access_key=sim.credentials["access_key"], secret_key=sim.credentials["secret_key"])
    assert [task["id"] for task in query(sim, service=service, id=["x/y"], **extra)] == ["x/y"]

    result = sim_time.run(wait_params(sim, service, id="x/y", timeout="1m", **extra))

    assert result["outcome"] == "succeeded" and result["succeeded"] == ["x/y"], result["msg"]
    assert "x/y" in sim.stats()["by_job"] and "y" not in sim.stats()["by_job"]


@pytest.mark.parametrize("job_id", (".", ".."))
def test_a_dot_segment_id_is_refused_before_any_request(sim, job_id):
    # requests sends %2E as '.', so such an id would reach the server as a dot segment (another path).
    with pytest.raises(InvalidInput) as caught:
        query(sim, service="ecs", id=[job_id])
    assert caught.value.option == "id" and service_requests(sim) == 0
