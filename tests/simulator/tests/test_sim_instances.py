# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Create endpoints that return a job id, and the instance lists idempotent roles read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

CAS_INSTANCES = "/v2/{project_id}/cas/applications/app-1/components/comp-1/instances"

# service, create path, create status, body, how to read (instance_id, job_id), list path, list key
CREATE_CASES = [
    ("geminidb", "/v3/{project_id}/instances", 202, {"name": "%s"}, lambda b: (b["id"], b["job_id"]), "/v3/{project_id}/instances"),
    ("rds", "/v3/{project_id}/instances", 202, {"name": "%s"}, lambda b: (b["instance"]["id"], b["job_id"]), "/v3/{project_id}/instances"),
    ("ddm", "/v1/{project_id}/instances", 200, {"instance": {"name": "%s"}}, lambda b: (b["id"], b["job_id"]), "/v1/{project_id}/instances"),
    ("ddm", "/v1/{project_id}/instances", 200, {"name": "%s"}, lambda b: (b["id"], b["job_id"]), "/v1/{project_id}/instances"),
    ("servicestage", CAS_INSTANCES, 200, {"name": "%s"}, lambda b: (b["instance_id"], b["job_id"]), CAS_INSTANCES),
]
# (running, succeeded, failed) instance status per service
STATUSES = {
    "geminidb": ("creating", "normal", "createfail"),
    # RDS instances come from resources.py: FAILED is the instance status api-notes.md lists.
    "rds": ("BUILD", "ACTIVE", "FAILED"),
    "ddm": ("CREATING", "RUNNING", "CREATEFAIL"),
    "servicestage": ("DEPLOYING", "RUNNING", "FAILED"),
}
# How each service shows the job's terminal status
JOB_STATUS = {
    "geminidb": lambda api, job_id: api.ok_json("geminidb", "/v3/{project_id}/jobs", params={"id": job_id})["jobs"][0]["status"],
    "rds": lambda api, job_id: api.ok_json("rds", "/v3/{project_id}/jobs", params={"id": job_id})["job"]["status"],
    "ddm": lambda api, job_id: api.ok_json("ddm", "/v3/{project_id}/jobs/%s" % job_id)["job"]["status"],
    "servicestage": lambda api, job_id: api.ok_json("servicestage", "/v2/{project_id}/cas/jobs/%s" % job_id)["job"]["EXECUTION_STATUS"],
}
DONE = {"geminidb": ("Completed", "Failed"), "rds": ("Completed", "Failed"), "ddm": ("Completed", "Failed"), "servicestage": ("SUCCEEDED", "FAILED")}


def fill(template, name):
    return dict((k, fill(v, name) if isinstance(v, dict) else v % name) for k, v in template.items())


@pytest.mark.parametrize("service,create_path,create_status,body,read_ids,list_path", CREATE_CASES)
@pytest.mark.parametrize("name,fails", [("app-db", False), ("fail-app-db", True)])
def test_create_then_wait_then_list(sim, api, sim_clock, service, create_path, create_status, body, read_ids, list_path, name, fails):
    sim.configure(job_duration=(5, 5))
    response = api.post(service, create_path, json_body=fill(body, name))
    assert response.status_code == create_status, response.text
    instance_id, job_id = read_ids(response.json())
    listed = api.ok_json(service, list_path, params={"name": name})["instances"]
    assert [(i["id"], i["name"], i["status"]) for i in listed] == [(instance_id, name, STATUSES[service][0])]
    sim_clock.advance(5)
    listed = api.ok_json(service, list_path, params={"name": name})["instances"]
    assert listed[0]["status"] == STATUSES[service][2 if fails else 1]
    assert JOB_STATUS[service](api, job_id) == DONE[service][1 if fails else 0]
    assert sim.job(job_id)["instance_id"] == instance_id


@pytest.mark.parametrize("service,create_path", [(c[0], c[1]) for c in CREATE_CASES])
@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}])
def test_create_needs_a_name(api, service, create_path, body):
    response = api.post(service, create_path, json_body=body)
    assert response.status_code == 400
    assert set(response.json()) == ({"errCode", "externalMessage"} if service == "ddm" else {"error_code", "error_msg"})


def test_rds_create_shape_and_name_filter(sim, api):
    body = api.post("rds", "/v3/{project_id}/instances", json_body={"name": "rds-a"}).json()
    assert set(body) == {"instance", "job_id"} and body["instance"]["status"] == "BUILD"
    api.post("rds", "/v3/{project_id}/instances", json_body={"name": "rds-b"})
    listed = api.ok_json("rds", "/v3/{project_id}/instances")
    assert listed["total_count"] == 2
    assert [i["name"] for i in api.ok_json("rds", "/v3/{project_id}/instances", params={"name": "rds-a"})["instances"]] == ["rds-a"]
    assert api.ok_json("rds", "/v3/{project_id}/instances", params={"name": "absent"}) == {"instances": [], "total_count": 0}


def test_servicestage_instances_are_per_component(api):
    api.post("servicestage", CAS_INSTANCES, json_body={"name": "web"})
    other = CAS_INSTANCES.replace("comp-1", "comp-2")
    assert api.ok_json("servicestage", other)["instances"] == []
    assert [i["name"] for i in api.ok_json("servicestage", CAS_INSTANCES)["instances"]] == ["web"]
