# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shapes of "not found": DDM's not-yet-visible variants, gateway 404s, and job ids with special
characters (percent-encoded once in the path; a double-encoded path names another id)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

DDM_JOB = "/v3/{project_id}/jobs/%s"
CAS_JOB = "/v2/{project_id}/cas/jobs/%s"
RDS_JOB = "/v3/{project_id}/jobs"


# ---- DDM while a job is invisible ---------------------------------------------------------
def test_default_invisible_ddm_job_is_404(sim, api):
    job_id = sim.create_job("ddm", invisible_for=5)
    response = api.get("ddm", DDM_JOB % job_id)
    assert response.status_code == 404
    assert response.json()["errCode"] == "DDM.0602"


def test_empty_job_object_while_invisible(sim, api, sim_clock):
    assert sim.configure(ddm_invisible_style="empty_job")["ddm_invisible_style"] == "empty_job"
    job_id = sim.create_job("ddm", invisible_for=5, duration=10)
    response = api.get("ddm", DDM_JOB % job_id)
    assert (response.status_code, response.json()) == (200, {"job": {}})
    sim_clock.advance(5)
    job = api.ok_json("ddm", DDM_JOB % job_id)["job"]
    assert (job["id"], job["status"]) == (job_id, "Running")


def test_empty_status_while_invisible(sim, api, sim_clock):
    sim.configure(ddm_invisible_style="empty_status")
    job_id = sim.create_job("ddm", invisible_for=5, duration=1, instance_name="DDM-x")
    job = api.ok_json("ddm", DDM_JOB % job_id)["job"]
    assert (job["id"], job["status"], job["process"], job["end_time"], job["instance"]["name"]) == (job_id, "", "", "", "DDM-x")
    assert set(job) == {"id", "name", "status", "created_time", "end_time", "process", "instance"}
    sim_clock.advance(5)
    assert api.ok_json("ddm", DDM_JOB % job_id)["job"]["status"] == "Completed"


@pytest.mark.parametrize("style", ["404", "empty_job", "empty_status"])
def test_unknown_ddm_id_stays_404_whatever_the_style(sim, api, style):
    # The styles model a job that exists but is not visible yet; an id nobody created is a plain 404.
    sim.configure(ddm_invisible_style=style)
    response = api.get("ddm", DDM_JOB % "31b8ae23-c687-4d80-b7b4-42a66c9bb886")
    assert response.status_code == 404
    assert response.json()["errCode"] == "DDM.0602"


def test_invisible_style_does_not_leak_into_other_services(sim, api):
    sim.configure(ddm_invisible_style="empty_job")
    job_id = sim.create_job("servicestage", invisible_for=5)
    assert api.get("servicestage", CAS_JOB % job_id).status_code == 404


def test_bad_invisible_style(sim):
    with pytest.raises(ValueError):
        sim.configure(ddm_invisible_style="empty")


@pytest.mark.parametrize("path", ["/v3/{project_id}/job/abc", "/v2/{project_id}/jobs/abc", "/v3/{project_id}/jobs/a/b"])
def test_gateway_404_is_distinguishable_from_ddm_not_found(api, path):
    # A wrong path is the gateway's 404: APIGW.0101 in the error_code form, never DDM's errCode form.
    response = api.get("ddm", path)
    assert response.status_code == 404
    body = response.json()
    assert body["error_code"] == "APIGW.0101" and "errCode" not in body
    assert body["request_id"] == response.headers["X-Request-Id"]


# ---- ids with special characters -------------------------------------------------------------
SPECIAL_IDS = [("a b", "a%20b"), ("x/y", "x%2Fy"), ("50%", "50%25"), ("a+b", "a%2Bb"), ("ü-1", "%C3%BC-1"), ("a?b#c", "a%3Fb%23c")]


@pytest.mark.parametrize("job_id,encoded", SPECIAL_IDS)
@pytest.mark.parametrize("service,path", [("ddm", DDM_JOB), ("servicestage", CAS_JOB)])
def test_special_id_encoded_once_is_found(sim, api, service, path, job_id, encoded):
    assert sim.create_job(service, job_id=job_id) == job_id
    response = api.get(service, path % encoded)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["job"]["id"] if service == "ddm" else body["job"]["JOB_ID"]) == job_id
    assert sim.stats()["by_job"] == {job_id: 1}


@pytest.mark.parametrize("service,path,code_key,code", [
    ("ddm", DDM_JOB, "errCode", "DDM.0602"), ("servicestage", CAS_JOB, "error_code", "SVCSTG.00100429")])
@pytest.mark.parametrize("job_id,double_encoded", [("a b", "a%2520b"), ("x/y", "x%252Fy")])
def test_double_encoded_id_is_not_found(sim, api, service, path, code_key, code, job_id, double_encoded):
    sim.create_job(service, job_id=job_id)
    response = api.get(service, path % double_encoded)
    assert response.status_code == 404
    assert response.json()[code_key] == code


def test_encoded_slash_is_not_a_path_separator(sim, api):
    # "x/y" unencoded is two segments: no DDM route matches, the gateway answers.
    sim.create_job("ddm", job_id="x/y")
    response = api.get("ddm", DDM_JOB % "x/y")
    assert (response.status_code, response.json()["error_code"]) == (404, "APIGW.0101")


@pytest.mark.parametrize("job_id", ["a b", "x/y", "a+b", "50%"])
def test_special_id_in_rds_queries(sim, api, job_id):
    sim.create_job("rds", job_id=job_id)
    assert api.ok_json("rds", RDS_JOB, params={"id": job_id})["job"]["id"] == job_id   # requests encodes it once
    assert [t["id"] for t in api.ok_json("rds", "/v3/{project_id}/tasklist", params={"id": job_id})["tasks"]] == [job_id]


def test_special_id_with_aksk_signature(sim, signed):
    sim.create_job("ddm", job_id="x/y z")
    response = signed("GET", "ddm", DDM_JOB % "x%2Fy%20z")
    assert response.status_code == 200, response.text
    assert response.json()["job"]["id"] == "x/y z"


def test_special_id_over_the_control_api(sim):
    answer = requests.post(sim.url + "/_sim/jobs", json={"service": "ddm", "job_id": "a b/c"}, timeout=5).json()
    assert answer["job_id"] == "a b/c"
    assert requests.get(sim.url + "/_sim/jobs/a%20b%2Fc", timeout=5).json()["id"] == "a b/c"


@pytest.mark.parametrize("job_id", ["", 5, None])
def test_job_id_must_be_a_non_empty_string(sim, job_id):
    if job_id is None:
        assert sim.create_job("ddm", job_id=None)   # None: a generated id
        return
    with pytest.raises(ValueError):
        sim.create_job("ddm", job_id=job_id)


def test_duplicate_job_id_is_refused(sim):
    sim.create_job("ddm", job_id="same")
    with pytest.raises(ValueError):
        sim.create_job("rds", job_id="same")


def test_given_job_id_does_not_shift_later_ids():
    from simulator import ManualClock, Simulator
    ids = []
    for given in (None, "custom"):
        sim = Simulator(seed=3, clock=ManualClock(start=1767225600))
        sim.create_job("ddm", job_id=given)
        ids.append(sim.create_job("ddm"))
    assert ids[0] == ids[1]
