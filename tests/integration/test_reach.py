# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 11, reach: the ECS-family job API (ECS, EVS, BMS), RDS jobs of async calls that only
``GET /v3/{project_id}/jobs?id=`` knows, and create -> wait end to end, against the simulator.

wait_for_task runs in-process on the simulator's ManualClock (nothing sleeps for real); task_info
uses this host's clock, which a ManualClock starts at.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import run_task_query
from ansible_collections.taskgate.huaweicloud.plugins.modules import api_request, task_info, wait_for_task

from support import run_module_main, token_params, wait_params

pytestmark = pytest.mark.simulator

ECS_FAMILY = ("ecs", "evs", "bms")
JOB_PATH = "/v1/{project_id}/jobs/{job_id}"
# The sub-job type of each service's create job (simulator README, "ECS, EVS, BMS").
SUBJOB_TYPE = {"ecs": "createSingleServer", "evs": "createVolume", "bms": "baremetalSingleCreate"}


def query(server, **options):
    params = token_params(server)
    params.update(options)
    client = Client(ClientConfig.from_params(params), sleep=lambda seconds: None)
    return run_task_query(params, client=client)


def requests_to(server, service, template):
    return server.stats()["by_endpoint"].get("GET %s %s" % (service, template), 0)


# ---------------------------------------------------------------------------
# ECS, EVS, BMS


@pytest.mark.parametrize("service", ECS_FAMILY)
def test_success_with_subjobs_entities_and_instance(sim, sim_clock, sim_time, service):
    single = sim.create_job(service, duration=20, subjobs=1)
    batch = sim.create_job(service, duration=35, subjobs=3)

    result = sim_time.run(wait_params(sim, service, id=[single, batch]))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted([single, batch])
    by_id = result["by_id"]
    for job_id in (single, batch):
        task = by_id[job_id]
        assert (task["status"], task["phase"], task["service"]) == ("SUCCESS", "succeeded", service)
        assert task["created_at"] is not None and task["ended_at"] is not None and task["progress"] is None
        assert [sub["entity_id"] for sub in task["subtasks"]] == sim.job(job_id)["entity_ids"]
        assert [sub["id"] for sub in task["subtasks"]] == sim.job(job_id)["subtask_ids"]
        assert all(sub["name"] == SUBJOB_TYPE[service] and sub["phase"] == "succeeded" for sub in task["subtasks"])
    # One sub-job: the server / volume it made is the job's instance; a batch has no single one.
    assert by_id[single]["instance"]["id"] == sim.job(single)["entity_ids"][0]
    assert by_id[batch]["instance"]["id"] is None
    assert 35 <= result["elapsed"] <= 35 + 5


def test_evs_single_volume_job_has_its_volume_at_the_top(sim, sim_time):
    job_id = sim.create_job("evs", duration=10)   # createVolume without sub-jobs
    result = sim_time.run(wait_params(sim, "evs", id=job_id))
    task = result["tasks"][0]
    assert result["outcome"] == "succeeded" and task["subtasks"] == []
    assert task["name"] == "createVolume" and task["instance"]["id"] == sim.job(job_id)["entity_ids"][0]


@pytest.mark.parametrize("service", ECS_FAMILY)
def test_failure_names_the_reason_of_the_failed_subjob(sim, sim_time, service):
    ok_id = sim.create_job(service, duration=10, subjobs=2)
    bad_id = sim.create_job(service, duration=30, subjobs=3, outcome="failure", fail_reason="Flavor s9.huge sold out in AZ2")

    result = sim_time.run(wait_params(sim, service, id=[ok_id, bad_id]))

    assert result["outcome"] == "failed" and result["failed_ids"] == [bad_id] and result["succeeded"] == [ok_id]
    bad = result["by_id"][bad_id]
    # The top level carries the error code only; the reason is on the last sub-job, which the model finds.
    assert bad["raw"]["fail_reason"] is None and bad["raw"]["error_code"] == sim.job(bad_id)["error_code"]
    assert bad["fail_reason"] == "%s: Flavor s9.huge sold out in AZ2" % SUBJOB_TYPE[service]
    assert [sub["phase"] for sub in bad["subtasks"]] == ["succeeded", "succeeded", "failed"]
    message = result["msg"]
    assert "failed with status FAIL" in message and bad_id in message
    assert "sub-task %s failed: Flavor s9.huge sold out in AZ2" % SUBJOB_TYPE[service] in message
    assert "the service gave no failure reason" not in message


@pytest.mark.parametrize("service, options, reason", [
    ("evs", {}, "Volume type [SSD] in availability zone [AZ1] is sold out !"),   # no sub-jobs: the reason is at the top
    ("ecs", {"subjobs": 1, "top_level_reason": True}, "Insufficient resources for this flavor. Try another flavor."),
])
def test_failure_reason_at_the_top_is_said_once(sim, sim_time, service, options, reason):
    job_id = sim.create_job(service, duration=10, outcome="failure", **options)
    result = sim_time.run(wait_params(sim, service, id=job_id))
    assert result["outcome"] == "failed" and result["tasks"][0]["fail_reason"] == reason
    assert result["msg"].count(reason.rstrip(" !.")) == 1, result["msg"]


@pytest.mark.parametrize("service", ECS_FAMILY)
def test_init_phase_is_pending(sim, sim_clock, sim_time, service):
    sim.configure(init_for=30)
    job_id = sim.create_job(service, duration=60, subjobs=2)

    [task] = query(sim, service=service, id=[job_id])
    assert (task["status"], task["phase"]) == ("INIT", "pending")
    assert [sub["status"] for sub in task["subtasks"]] == ["INIT", "INIT"]

    result = sim_time.run(wait_params(sim, service, id=job_id, timeout="20s"))
    assert result["outcome"] == "timeout" and result["pending"] == [job_id]
    assert "%s INIT" % job_id in result["msg"]

    sim_clock.advance(15)   # 35 s in: RUNNING, not yet done
    [task] = query(sim, service=service, id=[job_id])
    assert (task["status"], task["phase"]) == ("RUNNING", "running")


@pytest.mark.parametrize("service", ECS_FAMILY)
def test_late_visibility_is_pending_within_the_grace(sim, sim_time, service):
    job_id = sim.create_job(service, duration=20, invisible_for=8)

    result = sim_time.run(wait_params(sim, service, id=job_id, not_found_grace=30))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["timeline"][job_id][0]["at"] >= 8


@pytest.mark.parametrize("not_found_status", (404, 400))
@pytest.mark.parametrize("service", ECS_FAMILY)
def test_absent_id_fails_after_the_grace(sim, sim_time, service, not_found_status):
    # Common.0011 (404 by api-notes, 400 by the error-code tables) is "no such job", never a request error.
    sim.configure(ecs_not_found_status=not_found_status)
    hidden = sim.create_job(service, duration=20, invisible_for=120)

    result = sim_time.run(wait_params(sim, service, id=[hidden, "0" * 32], not_found_grace=10))

    assert result["outcome"] == "failed", result["msg"]
    assert sorted(result["failed_ids"]) == sorted([hidden, "0" * 32])
    assert "task %s was not found" % hidden in result["msg"] and "not_found_grace=10" in result["msg"]
    assert query(sim, service=service, id=["0" * 32]) == []


@pytest.mark.parametrize("service", ECS_FAMILY)
def test_many_ids_each_on_its_own_schedule(sim, sim_time, service):
    durations = [2 + (number % 7) for number in range(60)]
    ids = [sim.create_job(service, duration=duration, subjobs=1 + number % 3) for number, duration in enumerate(durations)]

    result = sim_time.run(wait_params(sim, service, id=ids, poll_interval=None, max_poll_interval=None))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    assert result["elapsed"] <= max(durations) + 3
    assert requests_to(sim, service, JOB_PATH) <= 5 * len(ids)


def test_wrong_endpoint_is_an_error_not_a_missing_job(sim, sim_time):
    # A gateway 404 (APIGW.0101: the path is not an API there) must not pass for "not visible yet".
    job_id = sim.create_job("ecs", duration=10)
    endpoints = dict(sim.endpoints, ecs=sim.endpoints["rds"])
    result = sim_time.run(wait_params(sim, "ecs", id=job_id, endpoints=endpoints))
    assert result["outcome"] == "error" and result["error"]["error_code"] == "APIGW.0101"


# ---------------------------------------------------------------------------
# RDS jobs of async calls (only /jobs?id= knows them)


def test_rds_async_job_is_found_at_jobs_and_waited_for(sim, sim_time):
    async_id = sim.create_job("rds", duration=30, tasklist=False, instance_name="orders")

    [task] = query(sim, service="rds", id=[async_id])
    assert (task["id"], task["phase"], task["instance"]["name"]) == (async_id, "running", "orders")
    assert task["progress"] is not None

    result = sim_time.run(wait_params(sim, "rds", id=async_id))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["tasks"][0]["instance"]["id"] == sim.job(async_id)["instance_id"]
    assert requests_to(sim, "rds", "/v3/{project_id}/jobs") >= 2


def test_rds_many_ids_batch_the_tasklist_and_poll_only_async_ids_at_jobs(sim, sim_time):
    listed = [sim.create_job("rds", duration=10 + number) for number in range(20)]
    async_ids = [sim.create_job("rds", duration=25, tasklist=False) for _number in range(3)]
    failing = sim.create_job("rds", duration=40, tasklist=False, outcome="failure", fail_reason="Flavor sold out")

    result = sim_time.run(wait_params(sim, "rds", id=listed + async_ids + [failing]))

    assert result["outcome"] == "failed" and result["failed_ids"] == [failing]
    assert sorted(result["succeeded"]) == sorted(listed + async_ids)
    assert "Flavor sold out" in result["msg"]
    by_job = sim.stats()["by_job"]
    polls = result["polls"]
    # The tasklist serves the 20 in batches (about one request per poll, not one per id)...
    assert requests_to(sim, "rds", "/v3/{project_id}/tasklist") <= polls + 2
    # ...and /jobs?id= is asked only for the ids the tasklist lacks.
    assert requests_to(sim, "rds", "/v3/{project_id}/jobs") == sum(by_job[job_id] for job_id in async_ids + [failing])


def test_rds_id_absent_everywhere_fails_after_the_grace_once_jobs_was_asked(sim, sim_time):
    result = sim_time.run(wait_params(sim, "rds", id="f" * 32, not_found_grace=10))
    assert result["outcome"] == "failed" and "task %s was not found" % ("f" * 32) in result["msg"]
    assert requests_to(sim, "rds", "/v3/{project_id}/jobs") >= 1


# ---------------------------------------------------------------------------
# create -> wait: api_request's job_id straight into wait_for_task


CREATES = [
    ("ecs", "/v1/{project_id}/cloudservers", {"server": {"name": "web-1", "count": 1, "flavorRef": "s6.large.2",
                                                         "adminPass": "Sup3r-Secret!"}}),
    ("ecs", "/v1/{project_id}/cloudservers", {"server": {"name": "web-batch", "count": 3, "flavorRef": "s6.large.2"}}),
    ("evs", "/v2/{project_id}/cloudvolumes", {"volume": {"size": 40, "volume_type": "SSD", "count": 1}}),
    ("evs", "/v2/{project_id}/cloudvolumes", {"volume": {"size": 40, "volume_type": "SSD", "count": 2}}),
    ("bms", "/v1/{project_id}/baremetalservers", {"server": {"name": "metal-1", "count": 1}}),
    ("rds", "/v3/{project_id}/instances", {"name": "orders-db", "password": "Db-Secret-1!", "flavor_ref": "rds.mysql.n1.large.2"}),
]


@pytest.mark.parametrize("service, path, body", CREATES, ids=["%s-%s" % (row[0], row[1].rsplit("/", 1)[1]) for row in CREATES])
def test_create_then_wait(sim, sim_clock, sim_time, capsys, module_process, service, path, body):
    # RDS: the async call's job is not in the tasklist (what nothing public promises otherwise).
    sim.configure(rds_async_in_tasklist=False)
    args = dict(token_params(sim), service=service, method="POST", path=path, body=body)
    created = run_module_main(api_request.main, args, capsys)
    assert created.get("failed") is not True, created
    assert created["changed"] is True and created["job_id"]
    job_id = created["job_id"]
    assert sim.received_bodies(service)[-1]["job_id"] == job_id

    # While it runs: the engine of wait_for_task on the simulated clock.
    result = sim_time.run(wait_params(sim, service, id=job_id))
    assert result["outcome"] == "succeeded", result["msg"]
    task = result["tasks"][0]
    made = sim.job(job_id)
    if service == "rds":
        assert task["instance"]["id"] == created["json"]["instance"]["id"] == made["instance_id"]
    elif service == "ecs":
        assert [sub["entity_id"] for sub in task["subtasks"]] == created["json"]["serverIds"]
    if service != "rds" and len(made["entity_ids"]) == 1:
        assert task["instance"]["id"] == made["entity_ids"][0]

    # Once done: the wait_for_task module itself, in-process.
    waited = run_module_main(wait_for_task.main, wait_params(sim, service, id=job_id), capsys)
    assert waited.get("failed") is not True, waited
    assert waited["succeeded"] == [job_id] and waited["by_id"][job_id]["phase"] == "succeeded"
    for secret in ("Sup3r-Secret!", "Db-Secret-1!", sim.credentials["auth_token"]):
        assert secret not in json.dumps(created) + json.dumps(waited)


def test_task_info_module_reads_an_ecs_job(sim, capsys, module_process):
    job_id = sim.create_job("ecs", duration=0, subjobs=2)
    result = run_module_main(task_info.main, dict(token_params(sim), service="ecs", id=[job_id]), capsys)
    assert result.get("failed") is not True, result
    assert [task["phase"] for task in result["tasks"]] == ["succeeded"]
    assert len(result["tasks"][0]["subtasks"]) == 2
