# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DDM GET /v3/{project_id}/jobs/{job_id} and ServiceStage GET /v2/{project_id}/cas/jobs/{job_id}."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

DDM_JOB = "/v3/{project_id}/jobs/%s"
CAS_JOB = "/v2/{project_id}/cas/jobs/%s"
SEED_TASK_KEYS = {"MESSAGES", "TASK_ID", "TASK_TYPE", "TASK_INDEX", "TASK_NAME", "TASK_STATUS", "LAST_HEALTH_CHECK", "CREATED_AT", "OWNER_ID"}
SEED_JOB_KEYS = {"JOB_ID", "JOB_NAME", "JOB_TYPE", "SERVICE_INSTANCE_ID", "PROJECT_ID", "ORDER_ID", "JOB_DESC", "EXECUTION_STATUS", "CREATED_BY"}


@pytest.mark.parametrize("outcome,elapsed,status,process", [
    ("success", 0, "Running", "0%"), ("success", 3, "Running", "60%"), ("success", 5, "Completed", ""), ("failure", 5, "Failed", ""),
])
def test_ddm_job_lifecycle(sim, api, sim_clock, outcome, elapsed, status, process):
    job_id = sim.create_job("ddm", duration=5, outcome=outcome, instance_name="DDM-test")
    sim_clock.advance(elapsed)
    job = api.ok_json("ddm", DDM_JOB % job_id)["job"]
    assert set(job) == {"id", "name", "status", "created_time", "end_time", "process", "instance"}
    assert (job["status"], job["process"], job["instance"]["name"]) == (status, process, "DDM-test")
    assert job["end_time"].endswith("+0000")   # the seed shows end_time while Running


@pytest.mark.parametrize("path,status", [
    (DDM_JOB % "31b8ae23-c687-4d80-b7b4-42a66c9bb886", 404),
    ("/v1/{project_id}/instances?limit=0", 400),
])
def test_ddm_errors_use_the_old_form(api, path, status):
    response = api.get("ddm", path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"errCode", "externalMessage"}
    assert body["errCode"] == ("DDM.0602" if status == 404 else "DDM.0003")


def cas(api, job_id, **params):
    return api.ok_json("servicestage", CAS_JOB % job_id, params=params)


@pytest.mark.parametrize("outcome,elapsed,execution_status,task_statuses", [
    ("success", 0, "SUBMITTED", []),
    ("success", 1, "RUNNING", ["RUNNING"]),
    ("success", 5, "RUNNING", ["SUCCEEDED", "SUCCEEDED", "RUNNING"]),
    ("success", 10, "SUCCEEDED", ["SUCCEEDED"] * 5),
    ("failure", 9.9, "RUNNING", ["SUCCEEDED"] * 4 + ["RUNNING"]),
    ("failure", 10, "FAILED", ["SUCCEEDED"] * 4 + ["FAILED"]),
])
def test_cas_job_progresses(sim, api, sim_clock, outcome, elapsed, execution_status, task_statuses):
    job_id = sim.create_job("servicestage", duration=10, outcome=outcome)
    sim_clock.advance(elapsed)
    body = cas(api, job_id)
    assert set(body) == {"job", "tasks", "task_count"}
    assert set(body["job"]) == SEED_JOB_KEYS
    assert body["job"]["EXECUTION_STATUS"] == execution_status
    assert [t["TASK_STATUS"] for t in body["tasks"]] == task_statuses
    assert body["task_count"] == len(task_statuses)
    assert all(set(t) == SEED_TASK_KEYS and isinstance(t["MESSAGES"], str) for t in body["tasks"])


def test_cas_failed_subtask_carries_the_reason(sim, api, sim_clock):
    job_id = sim.create_job("servicestage", duration=2, outcome="failure")
    sim_clock.advance(2)
    failed = [t for t in cas(api, job_id)["tasks"] if t["TASK_STATUS"] == "FAILED"]
    assert len(failed) == 1
    assert failed[0]["MESSAGES"] == '{ "Message" : "ECC00011", "Detail" : "Building failed." }'   # the seed's exact text
    assert json.loads(failed[0]["MESSAGES"]) == {"Message": "ECC00011", "Detail": "Building failed."}


def test_cas_custom_reason_and_job_fields(sim, api, sim_clock):
    job_id = sim.create_job("servicestage", name="deploy/deployMain", duration=1, outcome="failure", fail_reason='Image "x" not found')
    sim_clock.advance(1)
    body = cas(api, job_id)
    assert (body["job"]["JOB_ID"], body["job"]["JOB_TYPE"], body["job"]["PROJECT_ID"]) == (job_id, "DEPLOY", sim.project_id)
    assert json.loads(body["tasks"][-1]["MESSAGES"])["Detail"] == 'Image "x" not found'


@pytest.mark.parametrize("params,expected_indexes", [
    ({}, [1, 4, 6, 7, 9]),
    ({"desc": "true"}, [9, 7, 6, 4, 1]),
    ({"desc": "false", "limit": "2"}, [1, 4]),
    ({"limit": "2", "offset": "2"}, [6, 7]),
    ({"desc": "true", "limit": "10", "offset": "4"}, [1]),
])
def test_cas_subtask_paging(sim, api, sim_clock, params, expected_indexes):
    job_id = sim.create_job("servicestage", duration=1)
    sim_clock.advance(1)
    body = cas(api, job_id, **params)
    assert [t["TASK_INDEX"] for t in body["tasks"]] == expected_indexes
    assert body["task_count"] == 5


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"offset": "x"}, {"desc": "maybe"}])
def test_cas_bad_parameters(sim, api, params):
    job_id = sim.create_job("servicestage")
    response = api.get("servicestage", CAS_JOB % job_id, params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "SVCSTG.00100400"


def test_cas_unknown_job_and_instance_filter(sim, api):
    job_id = sim.create_job("servicestage")
    instance_id = sim.job(job_id)["instance_id"]
    assert cas(api, job_id, instance_id=instance_id)["job"]["SERVICE_INSTANCE_ID"] == instance_id
    for path, params in ((CAS_JOB % "JOB474362ef-091d-429f-9b3e-c9246b37dee6", {}), (CAS_JOB % job_id, {"instance_id": "other"})):
        response = api.get("servicestage", path, params=params)
        assert response.status_code == 404
        assert response.json()["error_code"] == "SVCSTG.00100429"
