# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS, EVS and BMS: GET /v1/{project_id}/jobs/{job_id} and the create calls that return a job id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
import requests

from simulator import ManualClock, Simulator
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

JOB = "/v1/{project_id}/jobs/%s"
JOB_KEYS = {"status", "entities", "job_id", "job_type", "begin_time", "end_time", "error_code", "fail_reason"}
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")   # 2016-04-25T20:04:34.604Z
HEX32 = re.compile(r"^[0-9a-f]{32}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
CREATE = {
    "ecs": ("/v1/{project_id}/cloudservers", "server"),
    "evs": ("/v2/{project_id}/cloudvolumes", "volume"),
    "bms": ("/v1/{project_id}/baremetalservers", "server"),
}
# service, create_job kwargs, job_type, sub-job job_type, entity key, sub_jobs_total shown
BATCH_CASES = [
    ("ecs", {}, "createServer", "createSingleServer", "server_id", True),
    ("bms", {}, "baremetalBatchCreate", "baremetalSingleCreate", "server_id", True),
    ("evs", {"subjobs": 1}, "batchCreateVolume", "createVolume", "volume_id", False),
]


def job_of(api, service, job_id):
    return api.ok_json(service, JOB % job_id)


def sub_jobs(body):
    return body["entities"]["sub_jobs"]


# ---- the job API -----------------------------------------------------------------------------
@pytest.mark.parametrize("service,kwargs,job_type,sub_type,entity_key,with_total", BATCH_CASES)
@pytest.mark.parametrize("elapsed,status", [(0, "INIT"), (0.9, "INIT"), (1, "RUNNING"), (9.9, "RUNNING"), (10, "SUCCESS")])
def test_job_goes_init_running_success(sim, api, sim_clock, service, kwargs, job_type, sub_type, entity_key, with_total, elapsed, status):
    job_id = sim.create_job(service, duration=10, outcome="success", **kwargs)
    sim_clock.advance(elapsed)
    body = job_of(api, service, job_id)
    assert set(body) == JOB_KEYS
    assert (body["status"], body["job_id"], body["job_type"]) == (status, job_id, job_type)
    assert HEX32.match(job_id) and TIME_RE.match(body["begin_time"])
    assert (body["error_code"], body["fail_reason"]) == (None, None)   # null unless failed, as the examples show
    if status == "SUCCESS":
        assert TIME_RE.match(body["end_time"]) and body["end_time"] > body["begin_time"]
    else:
        assert body["end_time"] == ""
    assert set(body["entities"]) == ({"sub_jobs_total", "sub_jobs"} if with_total else {"sub_jobs"})
    (sub,) = sub_jobs(body)
    assert set(sub) == JOB_KEYS
    assert (sub["status"], sub["job_type"], set(sub["entities"])) == (status, sub_type, {entity_key})
    assert HEX32.match(sub["job_id"]) and sub["job_id"] != job_id
    assert sub["entities"][entity_key] == sim.job(job_id)["entity_ids"][0]
    assert UUID.match(sub["entities"][entity_key])


def test_failure_reason_is_on_the_last_sub_job_and_the_top_has_only_the_code(sim, api, sim_clock):
    job_id = sim.create_job("ecs", duration=10, outcome="failure", subjobs=3, fail_reason="Private IP address 10.0.0.5 is already in use.",
                            error_code="Ecs.0010")
    sim_clock.advance(7)   # sub-jobs end one after another: the first two are done, the job still runs
    body = job_of(api, "ecs", job_id)
    assert body["status"] == "RUNNING" and body["entities"]["sub_jobs_total"] == 3
    assert [s["status"] for s in sub_jobs(body)] == ["SUCCESS", "SUCCESS", "RUNNING"]
    sim_clock.advance(3)
    body = job_of(api, "ecs", job_id)
    assert (body["status"], body["error_code"], body["fail_reason"]) == ("FAIL", "Ecs.0010", None)
    assert [s["status"] for s in sub_jobs(body)] == ["SUCCESS", "SUCCESS", "FAIL"]
    failed = sub_jobs(body)[2]
    assert (failed["error_code"], failed["fail_reason"]) == ("Ecs.0010", "Private IP address 10.0.0.5 is already in use.")
    assert failed["entities"]["errorcode_message"] == "Private IP address 10.0.0.5 is already in use."
    assert failed["end_time"] == body["end_time"]
    assert all(s["fail_reason"] is None and "errorcode_message" not in s["entities"] for s in sub_jobs(body)[:2])


@pytest.mark.parametrize("service,code,reason", [
    ("ecs", "Ecs.0319", "Insufficient resources for this flavor. Try another flavor."),
    ("bms", "BMS.3037", "Insufficient resources or failed to start the BMS."),
    ("evs", "EVS.2072", "Volume type [SSD] in availability zone [AZ1] is sold out !"),
])
def test_default_failure_codes_and_top_level_reason_on_request(sim, api, sim_clock, service, code, reason):
    plain = sim.create_job(service, duration=1, outcome="failure", subjobs=2)
    loud = sim.create_job(service, duration=1, outcome="failure", subjobs=2, top_level_reason=True)
    sim_clock.advance(1)
    body = job_of(api, service, plain)
    assert (body["status"], body["error_code"], body["fail_reason"]) == ("FAIL", code, None)
    assert sub_jobs(body)[-1]["entities"]["errorcode_message"] == reason
    assert job_of(api, service, loud)["fail_reason"] == reason


def test_single_evs_volume_has_no_sub_jobs_and_fails_at_the_top(sim, api, sim_clock):
    ok = sim.create_job("evs", duration=2, outcome="success")
    bad = sim.create_job("evs", duration=2, outcome="failure")
    sim_clock.advance(1)
    running = job_of(api, "evs", ok)
    assert (running["status"], running["job_type"], running["entities"]) == ("RUNNING", "createVolume", {"volume_id": sim.job(ok)["entity_ids"][0]})
    sim_clock.advance(1)
    failed = job_of(api, "evs", bad)
    assert (failed["status"], failed["error_code"], failed["fail_reason"]) == ("FAIL", "EVS.2072", "Volume type [SSD] in availability zone [AZ1] is sold out !")
    assert set(failed["entities"]) == {"volume_id"}


def test_nic_jobs_name_a_nic_id(sim, api, sim_clock):
    job_id = sim.create_job("ecs", name="batchAddNics", entity_key="nic_id", duration=1)
    sim_clock.advance(1)
    sub = sub_jobs(job_of(api, "ecs", job_id))[0]
    assert (sub["job_type"], set(sub["entities"])) == ("batchAddNics", {"nic_id"})


@pytest.mark.parametrize("init_for,elapsed,status", [(3, 2.9, "INIT"), (3, 3, "RUNNING"), (0, 0, "RUNNING"), (20, 10, "SUCCESS")])
def test_init_phase_follows_the_knob(sim, api, sim_clock, init_for, elapsed, status):
    assert sim.configure(init_for=init_for)["init_for"] == init_for
    job_id = sim.create_job("bms", duration=10, outcome="success")
    sim_clock.advance(elapsed)
    body = job_of(api, "bms", job_id)
    assert (body["status"], sub_jobs(body)[0]["status"]) == (status, status)
    assert sim.job(job_id)["initializing"] == (status == "INIT")


def test_init_knob_applies_to_jobs_made_after_it(sim, api, sim_clock):
    before = sim.create_job("ecs", duration=10)
    sim.configure(init_for=5)
    after = sim.create_job("ecs", duration=10)
    sim_clock.advance(2)
    assert (job_of(api, "ecs", before)["status"], job_of(api, "ecs", after)["status"]) == ("RUNNING", "INIT")


@pytest.mark.parametrize("service", ["ecs", "evs", "bms"])
def test_unknown_and_not_yet_visible_jobs_answer_the_same_404(sim, api, sim_clock, service):
    job_id = sim.create_job(service, invisible_for=5, duration=10)
    unknown = api.get(service, JOB % "ff80808273a2d8880173a3e5d8f1003c")
    hidden = api.get(service, JOB % job_id)
    for response, named in ((unknown, "ff80808273a2d8880173a3e5d8f1003c"), (hidden, job_id)):
        assert response.status_code == 404
        assert response.json() == {"error": {"code": "Common.0011", "message": "query job fail. The job %s does not exist." % named}}
    sim_clock.advance(4.9)
    assert api.get(service, JOB % job_id).status_code == 404
    sim_clock.advance(0.1)
    assert job_of(api, service, job_id)["status"] == "RUNNING"


def test_not_found_status_knob_gives_the_error_code_tables_400(sim, api):
    sim.configure(ecs_not_found_status=400)
    response = api.get("ecs", JOB % "nope")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "Common.0011")


def test_a_job_belongs_to_its_service(sim, api):
    job_id = sim.create_job("ecs")
    assert api.get("ecs", JOB % job_id).status_code == 200
    for other in ("evs", "bms"):
        assert api.get(other, JOB % job_id).json()["error"]["code"] == "Common.0011"


@pytest.mark.parametrize("service,path", [
    ("ecs", "/v1/{project_id}/jobs"),              # no list endpoint
    ("ecs", "/v2/{project_id}/jobs/x"),
    ("evs", "/v1/{project_id}/jobs/a/b"),
    ("bms", "/v1/{project_id}/cloudservers"),
])
def test_wrong_paths_stay_gateway_404(api, service, path):
    response = api.get(service, path)
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIGW.0101"


def test_aksk_signed_job_query(sim, signed):
    job_id = sim.create_job("evs")
    response = signed("GET", "evs", JOB % job_id)
    assert response.status_code == 200, response.text
    assert response.json()["job_id"] == job_id


# ---- create calls ----------------------------------------------------------------------------
@pytest.mark.parametrize("name,count,status", [("web", 1, "SUCCESS"), ("web", 3, "SUCCESS"), ("fail-web", 2, "FAIL")])
def test_ecs_create_returns_server_ids_and_a_job(sim, api, sim_clock, name, count, status):
    sim.configure(job_duration=(5, 5))
    response = api.post("ecs", CREATE["ecs"][0], json_body={"server": {"name": name, "count": count, "adminPass": "Pa55-word!"}})
    assert response.status_code == 200, response.text
    created = response.json()
    assert set(created) == {"job_id", "serverIds"} and len(created["serverIds"]) == count
    sim_clock.advance(5)
    body = job_of(api, "ecs", created["job_id"])
    assert (body["status"], body["job_type"], body["entities"]["sub_jobs_total"]) == (status, "createServer", count)
    assert [s["entities"]["server_id"] for s in sub_jobs(body)] == created["serverIds"]


def test_ecs_count_defaults_to_one(sim, api):
    created = api.post("ecs", CREATE["ecs"][0], json_body={"server": {"name": "one"}}).json()
    assert len(created["serverIds"]) == 1 and sim.job(created["job_id"])["subtask_count"] == 1


@pytest.mark.parametrize("count,job_type,sub_count", [(1, "createVolume", 0), (3, "batchCreateVolume", 3)])
def test_evs_create_returns_only_the_job_id(sim, api, sim_clock, count, job_type, sub_count):
    response = api.post("evs", CREATE["evs"][0], json_body={"volume": {"availability_zone": "az1", "volume_type": "SSD", "size": 10,
                                                                       "count": count}})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"job_id"}
    sim_clock.advance(10)
    body = job_of(api, "evs", response.json()["job_id"])
    assert (body["status"], body["job_type"], len(body["entities"].get("sub_jobs", []))) == ("SUCCESS", job_type, sub_count)


def test_evs_fail_prefix_needs_a_name(sim, api):
    named = api.post("evs", CREATE["evs"][0], json_body={"volume": {"name": "fail-vol", "size": 10}}).json()["job_id"]
    unnamed = api.post("evs", CREATE["evs"][0], json_body={"volume": {"size": 10}}).json()["job_id"]
    assert (sim.job(named)["outcome"], sim.job(unnamed)["outcome"]) == ("failure", "success")


@pytest.mark.parametrize("name,status", [("bm", "SUCCESS"), ("fail-bm", "FAIL")])
def test_bms_create(sim, api, sim_clock, name, status):
    response = api.post("bms", CREATE["bms"][0], json_body={"server": {"name": name, "count": 2}})
    assert response.status_code == 200 and set(response.json()) == {"job_id"}
    sim_clock.advance(10)
    body = job_of(api, "bms", response.json()["job_id"])
    assert (body["status"], body["job_type"], body["entities"]["sub_jobs_total"]) == (status, "baremetalBatchCreate", 2)


@pytest.mark.parametrize("service,code,body", [
    ("ecs", "Ecs.0005", {}),
    ("ecs", "Ecs.0005", {"server": "web"}),
    ("ecs", "Ecs.0005", {"server": {"name": ""}}),
    ("ecs", "Ecs.0005", {"server": {"count": 1}}),
    ("ecs", "Ecs.0005", {"server": {"name": "web", "count": 0}}),
    ("ecs", "Ecs.0005", {"server": {"name": "web", "count": 101}}),
    ("ecs", "Ecs.0005", {"server": {"name": "web", "count": True}}),
    ("ecs", "Ecs.0005", {"server": {"name": "web", "count": "2"}}),
    ("evs", "EVS.1009", {"volume": {"name": 5}}),
    ("evs", "EVS.1009", {"volume": {"count": 101}}),
    ("bms", "BMS.0018", {"server": {"name": "bm", "count": 25}}),
    ("bms", "BMS.0018", {"volume": {"name": "bm"}}),
])
def test_create_rejects_bad_bodies(sim, api, service, code, body):
    response = api.post(service, CREATE[service][0], json_body=body)
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and response.json()["error"]["code"] == code
    assert not [j for j in sim.state.jobs.values() if j.service == service]


# ---- Python API, faults, counters --------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {"service": "rds", "subjobs": 2},
    {"service": "geminidb", "error_code": "X"},
    {"service": "ddm", "top_level_reason": True},
    {"service": "servicestage", "entity_key": "server_id"},
    {"service": "ecs", "subjobs": 0},
    {"service": "ecs", "subjobs": True},
    {"service": "ecs", "subjobs": 1001},
    {"service": "ecs", "error_code": ""},
    {"service": "evs", "entity_key": "server_id"},
    {"service": "bms", "entity_key": "volume_id"},
    {"service": "ecs", "outcome": "unknown"},
])
def test_create_job_checks_the_ecs_family_arguments(sim, kwargs):
    with pytest.raises(ValueError):
        sim.create_job(**kwargs)


@pytest.mark.parametrize("options", [{"init_for": -1}, {"ecs_not_found_status": 500}, {"ecs_not_found_status": "404"},
                                     {"ecs_not_found_status": True}])
def test_configure_checks_the_new_knobs(sim, options):
    with pytest.raises(ValueError):
        sim.configure(**options)


def test_snapshot_of_an_ecs_job(sim, sim_clock):
    job_id = sim.create_job("ecs", subjobs=2, instance_id="11111111-2222-4333-8444-555555555555", instance_name="web", duration=4)
    snap = sim.job(job_id)
    assert (snap["entity_key"], snap["entity_ids"][0], snap["subtask_count"], snap["init_for"]) == \
        ("server_id", "11111111-2222-4333-8444-555555555555", 2, 1.0)
    assert (snap["initializing"], snap["phase"], snap["error_code"]) == (True, "running", "Ecs.0319")
    sim_clock.advance(4)
    assert (sim.job(job_id)["initializing"], sim.job(job_id)["phase"]) == (False, "succeeded")


def test_faults_filter_on_the_new_services(sim, api):
    job_id = sim.create_job("ecs")
    sim.inject_fault("429", service="ecs", count=None)
    assert api.get("ecs", JOB % job_id).status_code == 429
    assert api.post("ecs", CREATE["ecs"][0], json_body={"server": {"name": "x"}}).status_code == 429
    assert api.get("evs", JOB % "nope").status_code == 404
    sim.clear_faults()
    sim.inject_fault("503", service="bms", path_contains="/baremetalservers")
    assert api.get("bms", JOB % "nope").status_code == 404
    assert api.post("bms", CREATE["bms"][0], json_body={"server": {"name": "x"}}).status_code == 503
    stats = sim.stats()
    assert (stats["faults_served"], stats["faults_by_kind"]) == (3, {"429": 2, "503": 1})
    with pytest.raises(ValueError):
        sim.inject_fault("429", service="vpc")


def test_counters_count_the_new_endpoints(sim, api, sim_clock):
    job_id = sim.create_job("evs", duration=1)
    api.get("evs", JOB % job_id)
    sim_clock.advance(1)
    api.get("evs", JOB % job_id)
    api.post("ecs", CREATE["ecs"][0], json_body={"server": {"name": "a"}})
    api.post("bms", CREATE["bms"][0], json_body={"server": {"name": "b"}})
    stats = sim.stats()
    assert stats["by_endpoint"] == {"GET evs /v1/{project_id}/jobs/{job_id}": 2, "POST ecs /v1/{project_id}/cloudservers": 1,
                                    "POST bms /v1/{project_id}/baremetalservers": 1}
    assert stats["by_job"] == {job_id: 2}
    assert stats["first_terminal_served"] == {job_id: sim.job(job_id)["ends_at"]}


def test_endpoints_hold_the_new_services_and_all_endpoints_still_works(sim):
    # The collection's catalog knows ecs/evs/bms (issue 11), so sim.endpoints carries them.
    assert set(sim.endpoints) >= {"geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "iam", "metadata"}
    assert (sim.endpoints["ecs"], sim.endpoints["evs"], sim.endpoints["bms"]) == (sim.url + "/ecs", sim.url + "/evs", sim.url + "/bms")
    assert sim.all_endpoints == sim.endpoints
    info = requests.get(sim.url + "/_sim/info", timeout=5).json()
    assert (info["endpoints"], info["all_endpoints"]) == (sim.endpoints, sim.all_endpoints)


def test_control_api_makes_ecs_family_jobs(sim, api, sim_clock):
    response = requests.post(sim.url + "/_sim/jobs", json={"service": "ecs", "subjobs": 2, "outcome": "failure", "top_level_reason": True,
                                                           "error_code": "Ecs.0013", "duration": 1, "count": 2}, timeout=5)
    assert response.status_code == 200, response.text
    sim_clock.advance(1)
    for job_id in response.json()["job_ids"]:
        body = job_of(api, "ecs", job_id)
        assert (body["status"], body["error_code"], body["entities"]["sub_jobs_total"]) == ("FAIL", "Ecs.0013", 2)
        assert body["fail_reason"] == "Insufficient resources for this flavor. Try another flavor."


def test_same_seed_same_ecs_world():
    worlds = []
    for seed in (3, 3, 4):
        with Simulator(seed=seed, clock=ManualClock(start=1767225600)) as sim:
            job_id = sim.create_job("ecs", subjobs=3)
            worlds.append((job_id, sim.job(job_id)["entity_ids"], requests.get(
                sim.all_endpoints["ecs"] + JOB.format(project_id=sim.project_id) % job_id,
                headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=5).json()))
    assert worlds[0] == worlds[1]
    assert worlds[0] != worlds[2]
