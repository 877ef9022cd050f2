# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The third wave's built-in job APIs (GaussDB, DDS, TaurusDB, CCE, IMS, DCS, BSS orders) and the busy-instance
retries of api_request, against the simulator, in-process on its ManualClock."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import api_call, catalog
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import run_task_query

from support import token_params, wait_params

pytestmark = pytest.mark.simulator

JOB_SERVICES = ("gaussdb", "dds", "taurusdb", "cce", "ims", "dcs")
ALL_NEW = JOB_SERVICES + ("bss_order",)
REASON = "Insufficient quota for flavor x1"


def served(sim, service):
    """Requests the simulator served on ``service``'s endpoint so far."""
    return sum(count for key, count in sim.stats()["by_endpoint"].items() if key.split(" ")[1] == service)


@pytest.mark.parametrize("service", ALL_NEW)
def test_success(sim, sim_time, service):
    ids = [sim.create_job(service, duration=20), sim.create_job(service, duration=45)]

    result = sim_time.run(wait_params(sim, service, id=ids))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    assert 45 <= result["elapsed"] <= 45 + 5 + (catalog.CATALOG["bss_order"].get("order_resources") and 3 or 0)
    for task in result["tasks"]:
        assert task["phase"] == "succeeded"
        # A DCS job names no instance (api-notes.md, the SDK's ShowJobInfoResponse); the others do.
        assert task["instance"]["id"] is None if service == "dcs" else task["instance"]["id"]


@pytest.mark.parametrize("service", JOB_SERVICES)
def test_failure_names_its_reason(sim, sim_time, service):
    ok_id = sim.create_job(service, duration=10)
    bad_id = sim.create_job(service, duration=30, outcome="failure", fail_reason=REASON)

    result = sim_time.run(wait_params(sim, service, id=[ok_id, bad_id]))

    assert (result["outcome"], result["failed_ids"], result["succeeded"]) == ("failed", [bad_id], [ok_id])
    assert REASON in result["msg"] and REASON in result["reasons"][bad_id]


def test_a_cancelled_order_fails_with_its_status(sim, sim_time):
    order_id = sim.create_job("bss_order", duration=10, outcome="failure")

    result = sim_time.run(wait_params(sim, "bss_order", id=order_id))

    assert (result["outcome"], result["tasks"][0]["status"]) == ("failed", "4")
    assert "failed with status 4" in result["msg"]


def test_cce_sub_jobs_carry_their_own_phases_and_reasons(sim, sim_time):
    job_id = sim.create_job("cce", name="CreateNode", subjobs=3, duration=30, outcome="failure", fail_reason=REASON)

    result = sim_time.run(wait_params(sim, "cce", id=job_id))

    task = result["tasks"][0]
    assert [sub["phase"] for sub in task["subtasks"]] == ["succeeded", "succeeded", "failed"]
    assert task["subtasks"][-1]["message"] == REASON
    assert len(set(sub["entity_id"] for sub in task["subtasks"])) == 3   # one node each


def test_taurusdb_pending_and_the_progress_under_process(sim, sim_clock):
    sim.configure(init_for=5)
    job_id = sim.create_job("taurusdb", duration=100)
    params = token_params(sim)

    first = run_task_query(dict(params, service="taurusdb", id=[job_id]))[0]
    sim_clock.advance(50)
    later = run_task_query(dict(params, service="taurusdb", id=[job_id]))[0]

    assert (first["status"], first["phase"]) == ("Pending", "pending")
    assert (later["status"], later["phase"], later["progress"]) == ("Running", "running", 50)


@pytest.mark.parametrize("service", ALL_NEW)
def test_late_visibility_is_pending_within_the_grace(sim, sim_time, service):
    job_id = sim.create_job(service, duration=20, invisible_for=8)

    result = sim_time.run(wait_params(sim, service, id=job_id, not_found_grace=30))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["timeline"][job_id][0]["at"] >= 8


@pytest.mark.parametrize("service", ALL_NEW)
def test_absent_after_the_grace_fails(sim, sim_time, service):
    job_id = sim.create_job(service, duration=20, invisible_for=120)

    result = sim_time.run(wait_params(sim, service, id=job_id, not_found_grace=10))

    assert result["outcome"] == "failed"
    assert "task %s was not found" % job_id in result["msg"] and "not_found_grace=10" in result["msg"]


@pytest.mark.parametrize("service", JOB_SERVICES)
def test_many_ids_under_one_deadline_cost_a_few_requests_each(sim, sim_time, service):
    """None of these APIs takes several ids: one request per open id per poll, each on its own back-off
    (default polling bounds, the bench's 2-8 s jobs): at most 5 requests per task."""
    ids = [sim.create_job(service, duration=2 + index % 7) for index in range(60)]
    before = served(sim, service)

    result = sim_time.run(wait_params(sim, service, id=ids, timeout="10m", max_poll_interval=10))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    assert served(sim, service) - before <= 5 * len(ids)


def test_gaussdb_asks_one_id_per_request_in_the_query(sim, sim_time):
    job_id = sim.create_job("gaussdb", duration=5)

    sim_time.run(wait_params(sim, "gaussdb", id=job_id))

    assert set(key for key in sim.stats()["by_endpoint"] if " gaussdb " in key) == {"GET gaussdb /v3/{project_id}/jobs"}


# ---- a prepaid order -> its resources -> their jobs, in one gate --------------------------------------

def _client(sim, sim_clock, sim_time):
    return Client(ClientConfig.from_params(token_params(sim)), clock=sim_clock.time, sleep=sim_time.sleep,
                  rng=lambda: 0.5, wall_clock=sim_clock.time)


def _api_request(client, **params):
    return api_call.run_api_request(client, api_call.validate_request(params))


def test_prepaid_order_then_its_resources_then_their_jobs(sim, sim_clock, sim_time):
    sim.configure(init_for=3)
    sim.state.configure(order_resources_after=4)
    with _client(sim, sim_clock, sim_time) as client:
        created = _api_request(client, service="rds", method="POST", path="/v3/{project_id}/instances",
                               body={"name": "db-prepaid", "charge_info": {"charge_mode": "prePaid", "period_num": 1}})
    assert (created["job_id"], created["order_id"]) == (None, created["json"]["order_id"])

    order = sim_time.run(wait_params(sim, "bss_order", id=created["order_id"], timeout="10m"))

    assert order["outcome"] == "succeeded", order["msg"]
    resources = order["tasks"][0]["resource_ids"]
    assert resources == [created["json"]["instance"]["id"]]
    # The order was done before the resources were listed: the gate waited through the pending listing.
    statuses = [change["status"] for change in order["timeline"][created["order_id"]]]
    assert statuses[-2:] == [catalog.ORDER_RESOURCES_PENDING, "5"]

    jobs = sim_time.run(wait_params(sim, "rds", instance_id=resources[0], timeout="10m"))

    assert jobs["outcome"] == "succeeded", jobs["msg"]
    assert [task["instance"]["id"] for task in jobs["tasks"]] == resources
    assert sim.job(jobs["tasks"][0]["id"])["order_id"] == created["order_id"]


# ---- busy instances: a write sent again until it goes through, or until its timeout -----------------------

@pytest.mark.parametrize("service, path", [
    ("gaussdb", "/v3/{project_id}/instances/%s/restart"),
    ("rds", "/v3/{project_id}/instances/%s/action"),
])
def test_a_busy_write_is_retried_until_it_goes_through(sim, sim_clock, sim_time, service, path):
    create_job = sim.create_job(service, duration=40)
    instance_id = sim.job(create_job)["instance_id"]
    started = sim_clock.time()

    with _client(sim, sim_clock, sim_time) as client:
        result = _api_request(client, service=service, method="POST", path=path % instance_id, body={"restart": {}},
                              timeout="5m")

    assert result["status"] == 202 and result["job_id"]
    assert result["busy_retries"] >= 3
    assert sim_clock.time() - started >= 40   # sent again only once the create job had ended
    assert sim.job(result["job_id"])["instance_id"] == instance_id


def test_a_write_busy_past_its_timeout_fails_saying_how_often_it_waited(sim, sim_clock, sim_time):
    instance_id = sim.job(sim.create_job("gaussdb", duration=600))["instance_id"]
    started = sim_clock.time()

    with _client(sim, sim_clock, sim_time) as client:
        with pytest.raises(ApiError) as caught:
            _api_request(client, service="gaussdb", method="POST", path="/v3/{project_id}/instances/%s/restart" % instance_id,
                         body={}, timeout="60s")

    assert caught.value.status == 409 and caught.value.error_code == "DBS.200019"
    assert caught.value.details["busy_retries"] >= 2
    assert "still busy with another operation after %d retries" % caught.value.details["busy_retries"] in str(caught.value)
    assert sim_clock.time() - started <= 60


def test_another_4xx_is_not_retried(sim, sim_clock, sim_time):
    with _client(sim, sim_clock, sim_time) as client:
        with pytest.raises(ApiError) as caught:
            _api_request(client, service="gaussdb", method="POST", path="/v3/{project_id}/instances", body={})
    assert (caught.value.status, caught.value.error_code) == (400, "DBS.200001")
    assert served(sim, "gaussdb") == 1


@pytest.mark.parametrize("service, path, body, key", [
    ("gaussdb", "/v3/{project_id}/instances", {"name": "g1"}, "job_id"),
    ("dds", "/v3/{project_id}/instances", {"name": "d1"}, "job_id"),
    ("taurusdb", "/v3/{project_id}/instances", {"name": "t1"}, "job_id"),
    ("cce", "/api/v3/projects/{project_id}/clusters", {"metadata": {"name": "k1"}}, "status.jobID"),
    ("ims", "/v2/cloudimages/action", {"name": "img-1"}, "job_id"),
    ("dcs", "/v2/{project_id}/instances", {"name": "cache-1"}, "job_id"),
])
def test_the_create_answers_the_job_the_gate_waits_on(sim, sim_clock, sim_time, service, path, body, key):
    with _client(sim, sim_clock, sim_time) as client:
        created = _api_request(client, service=service, method="POST", path=path, body=body)
    assert created["job_id"], created

    result = sim_time.run(wait_params(sim, service, id=created["job_id"]))

    assert result["outcome"] == "succeeded", result["msg"]
