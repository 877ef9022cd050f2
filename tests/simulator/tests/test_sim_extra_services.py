# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GaussDB, DDS, TaurusDB, CCE, IMS, DCS and BSS orders (extra_services.py): shapes, phases, busy answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

DB_JOB = "/v3/{project_id}/jobs"


@pytest.mark.parametrize("service, progress_key", [("gaussdb", "progress"), ("dds", "progress"), ("taurusdb", "process")])
def test_db_family_job_by_id_in_the_query(sim, api, sim_clock, service, progress_key):
    sim.configure(init_for=0)
    job_id = sim.create_job(service, duration=100, fail_reason="quota", outcome="failure")
    sim_clock.advance(40)

    running = api.ok_json(service, DB_JOB, params={"id": job_id})["job"]
    sim_clock.advance(60)
    failed = api.ok_json(service, DB_JOB, params={"id": job_id})["job"]

    assert (running["status"], running[progress_key], "ended" in running) == ("Running", "40%", False)
    assert (failed["status"], failed[progress_key], failed["fail_reason"]) == ("Failed", "", "quota")
    assert failed["ended"] and failed["instance"]["id"] == sim.job(job_id)["instance_id"]
    assert api.get(service, DB_JOB).status_code == 400
    missing = api.get(service, DB_JOB, params={"id": "nope"})
    assert (missing.status_code, missing.json()["error_code"]) == (404, "DBS.280343")


def test_taurusdb_shows_pending_first(sim, api, sim_clock):
    sim.configure(init_for=3)
    job_id = sim.create_job("taurusdb", duration=10)
    assert api.ok_json("taurusdb", DB_JOB, params={"id": job_id})["job"]["status"] == "Pending"
    sim_clock.advance(3)
    assert api.ok_json("taurusdb", DB_JOB, params={"id": job_id})["job"]["status"] == "Running"


@pytest.mark.parametrize("service, status", [("gaussdb", 409), ("taurusdb", 409), ("dds", 400)])
def test_a_write_on_a_busy_instance_gets_the_busy_answer(sim, api, sim_clock, service, status):
    instance_id = sim.job(sim.create_job(service, duration=30))["instance_id"]
    path = "/v3/{project_id}/instances/%s/restart" % instance_id

    busy = api.post(service, path, json_body={})
    sim_clock.advance(30)
    done = api.post(service, path, json_body={})

    assert (busy.status_code, busy.json()["error_code"]) == (status, "DBS.200019")
    assert done.status_code == 202 and sim.job(done.json()["job_id"])["name"] == "RestartInstance"


def test_cce_job_with_sub_jobs_and_a_failure_in_the_last(sim, api, sim_clock):
    sim.configure(init_for=1)
    job_id = sim.create_job("cce", name="CreateNode", subjobs=3, duration=31, outcome="failure", fail_reason="no quota")
    path = "/api/v3/projects/{project_id}/jobs/" + job_id

    first = api.ok_json("cce", path)
    sim_clock.advance(12)
    middle = api.ok_json("cce", path)
    sim_clock.advance(30)
    last = api.ok_json("cce", path)

    assert first["status"]["phase"] == "Initializing" and first["metadata"]["uid"] == job_id
    assert [sub["status"]["phase"] for sub in middle["spec"]["subJobs"]] == ["Success", "Running", "Running"]
    assert [sub["status"]["phase"] for sub in last["spec"]["subJobs"]] == ["Success", "Success", "Failed"]
    assert (last["status"]["phase"], last["status"]["reason"], last["spec"]["subJobs"][-1]["status"]["reason"]) == (
        "Failed", "no quota", "no quota")
    missing = api.get("cce", "/api/v3/projects/{project_id}/jobs/nope")
    assert (missing.status_code, missing.json()["errorCode"]) == (404, "CCE.01404001")


def test_cce_creates_answer_the_job_at_status_job_id(api):
    cluster = api.post("cce", "/api/v3/projects/{project_id}/clusters", json_body={"metadata": {"name": "k"}})
    assert cluster.status_code == 201
    job = api.ok_json("cce", "/api/v3/projects/{project_id}/jobs/" + cluster.json()["status"]["jobID"])
    assert job["spec"]["clusterUID"] == cluster.json()["metadata"]["uid"]
    nodes = api.post("cce", "/api/v3/projects/{project_id}/clusters/%s/nodes" % cluster.json()["metadata"]["uid"],
                     json_body={"spec": {"count": 2}})
    job = api.ok_json("cce", "/api/v3/projects/{project_id}/jobs/" + nodes.json()["status"]["jobID"])
    assert (job["spec"]["type"], len(job["spec"]["subJobs"]), job["spec"]["clusterUID"]) == (
        "CreateNode", 2, cluster.json()["metadata"]["uid"])


def test_ims_and_dcs_jobs(sim, api, sim_clock):
    sim.configure(init_for=1)
    image_job = api.post("ims", "/v2/cloudimages/action", json_body={"name": "img"}).json()["job_id"]
    cache = api.post("dcs", "/v2/{project_id}/instances", json_body={"name": "redis"}).json()
    assert api.ok_json("ims", "/v1/{project_id}/jobs/" + image_job)["status"] == "INIT"
    sim_clock.advance(60)
    image = api.ok_json("ims", "/v1/{project_id}/jobs/" + image_job)
    dcs = api.ok_json("dcs", "/v2/{project_id}/jobs/" + cache["job_id"])
    assert (image["status"], image["entities"]["image_name"]) == ("SUCCESS", "img")
    # The job names no instance (api-notes.md): the create answer does.
    assert dcs["status"] == "SUCCESS" and "instance_id" not in dcs and cache["instances"][0]["instance_id"]
    assert api.get("ims", "/v1/{project_id}/jobs/nope").json() == {
        "error": {"code": "Common.0011", "message": "The job nope does not exist."}}


def test_prepaid_order_statuses_then_its_resources(sim, api, sim_clock):
    sim.configure(init_for=2, job_duration="20:20")   # the order takes half its instance's job: 10 s
    sim.state.configure(order_resources_after=3)
    created = api.post("gaussdb", "/v3/{project_id}/instances",
                       json_body={"name": "g", "charge_info": {"charge_mode": "prePaid"}}).json()
    order_path = "/v2/orders/customer-orders/details/" + created["order_id"]
    resources = "/v2/orders/suscriptions/resources/query"
    order = sim.job(created["order_id"])

    statuses = [api.ok_json("bss_order", order_path)["order_info"]["status"]]
    sim_clock.advance(2)
    statuses.append(api.ok_json("bss_order", order_path)["order_info"]["status"])
    sim_clock.advance(order["duration"])
    statuses.append(api.ok_json("bss_order", order_path)["order_info"]["status"])
    listed_early = api.post("bss_order", resources, json_body={"order_id": created["order_id"], "only_main_resource": 1})
    sim_clock.advance(3)
    listed = api.post("bss_order", resources, json_body={"order_id": created["order_id"], "only_main_resource": 1})

    assert "job_id" not in created and statuses == [6, 3, 5]
    assert listed_early.json() == {"total_count": 0, "data": []}
    assert [item["resource_id"] for item in listed.json()["data"]] == [created["instance"]["id"]]
