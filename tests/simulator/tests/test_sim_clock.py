# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloud's clock: clock_offset against the controller's clock, the Date header, skewed AK/SK signatures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from email.utils import parsedate_to_datetime

import pytest
import requests

from simulator import ManualClock, Simulator
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import Api, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"
GEMINIDB_JOBS = "/v3/{project_id}/jobs"
START = 1767225600   # 2026-01-01T00:00:00Z


def sdk_date(epoch):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def date_header(response):
    return parsedate_to_datetime(response.headers["Date"]).timestamp()


def db_time(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch))


@pytest.fixture
def fixed_sim():
    """A simulator on a ManualClock pinned to 2026-01-01: every time below is exact."""
    clock = ManualClock(start=START)
    with Simulator(seed=0, clock=clock) as server:
        client = Api(server)
        yield server, clock, client
        client.session.close()


@pytest.mark.parametrize("offset", [0, 600, -600, 3600.5])
def test_date_header_follows_the_cloud_clock(fixed_sim, offset):
    sim, clock, _api = fixed_sim
    sim.configure(clock_offset=offset)
    assert sim.cloud_time() == START + offset
    token = {"X-Auth-Token": sim.credentials["auth_token"]}
    rds = sim.endpoints["rds"] + "/v3/%s" % sim.project_id
    sim.inject_fault("429")
    answers = [
        requests.get(rds + "/tasklist", headers=token, timeout=5),        # 429 fault
        requests.get(rds + "/tasklist", headers=token, timeout=5),        # 200
        requests.get(rds + "/nothing", headers=token, timeout=5),         # gateway 404
        requests.get(rds + "/tasklist", timeout=5),                       # gateway 401
        requests.get(sim.url + "/_sim/info", timeout=5),                  # control API
    ]
    assert [r.status_code for r in answers] == [429, 200, 404, 401, 200]
    for response in answers:
        # RFC 7231 IMF-fixdate, e.g. "Thu, 01 Jan 2026 00:10:00 GMT", whole seconds of the cloud clock.
        assert response.headers["Date"].endswith(" GMT")
        assert date_header(response) == int(START + offset)
    clock.advance(30)
    assert date_header(requests.get(rds + "/tasklist", headers=token, timeout=5)) == int(START + offset + 30)


def test_offset_is_deterministic_with_manual_clock():
    dates = []
    for _unused in range(2):
        with Simulator(seed=1, clock=ManualClock(start=START)) as sim:
            sim.configure(clock_offset=-120)
            job_id = sim.create_job("geminidb", duration=5)
            dates.append((sim.job(job_id)["created"], requests.get(sim.url + "/_sim/info", timeout=5).headers["Date"]))
    assert dates[0] == dates[1] == (START - 120, "Wed, 31 Dec 2025 23:58:00 GMT")


def test_jobs_carry_cloud_times(fixed_sim):
    sim, clock, api = fixed_sim
    sim.configure(clock_offset=300)
    job_id = sim.create_job("geminidb", duration=10)
    snap = sim.job(job_id)
    assert (snap["created"], snap["ends_at"]) == (START + 300, START + 310)
    (job,) = api.ok_json("geminidb", GEMINIDB_JOBS, params={"id": job_id})["jobs"]
    assert (job["start_time"], job["end_time"]) == (db_time(START + 300), db_time(START + 310))
    clock.advance(10)
    assert sim.job(job_id)["phase"] == "succeeded"


def test_a_window_from_the_local_clock_misses_fresh_jobs(fixed_sim):
    """The cloud is 10 minutes ahead: a window ending at the controller's "now" excludes a job created just now."""
    sim, clock, api = fixed_sim
    sim.configure(clock_offset=600)
    job_id = sim.create_job("rds", duration=60)
    local_now_ms = int(clock.time() * 1000)
    local_window = {"start_time": str(local_now_ms - 300000), "end_time": str(local_now_ms)}
    assert api.ok_json("rds", TASKLIST, params=local_window)["total_count"] == 0
    cloud_now_ms = int(sim.cloud_time() * 1000)
    cloud_window = {"start_time": str(cloud_now_ms - 300000), "end_time": str(cloud_now_ms)}
    assert [t["id"] for t in api.ok_json("rds", TASKLIST, params=cloud_window)["tasks"]] == [job_id]
    # GeminiDB: the same with its yyyy-mm-ddThh:mm:ss+hhmm window.
    sim.create_job("geminidb")
    local = {"start_time": db_time(clock.time() - 300), "end_time": db_time(clock.time())}
    assert api.ok_json("geminidb", GEMINIDB_JOBS, params=local)["total_count"] == 0
    # The default window (30 days before the cloud's now) does include it.
    assert api.ok_json("geminidb", GEMINIDB_JOBS)["total_count"] == 1


def test_cloud_behind_hides_jobs_from_a_future_start(fixed_sim):
    sim, clock, api = fixed_sim
    sim.configure(clock_offset=-600)
    sim.create_job("rds")
    local_now_ms = int(clock.time() * 1000)
    window = {"start_time": str(local_now_ms - 300000), "end_time": str(local_now_ms + 300000)}
    assert api.ok_json("rds", TASKLIST, params=window)["total_count"] == 0


def test_iam_token_expiry_uses_the_cloud_clock(fixed_sim):
    sim, clock, api = fixed_sim
    creds = sim.credentials
    sim.configure(token_ttl=3600, clock_offset=1800)
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "domain": {"name": creds["domain_name"]}, "name": creds["user_name"], "password": creds["password"]}}},
        "scope": {"project": {"name": sim.region}}}}
    response = api.post("iam", "/v3/auth/tokens", json_body=body, token=False)
    assert response.status_code == 201
    token = response.headers["X-Subject-Token"]
    token_body = response.json()["token"]
    # issued_at/expires_at are cloud times (controller: 00:00, cloud: 00:30): expiry is 01:00 on the controller's clock.
    assert token_body["issued_at"] == "2026-01-01T00:30:00.000000Z"
    assert token_body["expires_at"] == "2026-01-01T01:30:00.000000Z"
    clock.advance(3599)
    assert api.get("rds", TASKLIST, headers={"X-Auth-Token": token}, token=False).status_code == 200
    clock.advance(1)   # controller: 00:30, cloud: 01:30
    response = api.get("rds", TASKLIST, headers={"X-Auth-Token": token}, token=False)
    assert (response.status_code, response.json()["error_code"]) == (401, "APIGW.0307")


# ---- AK/SK: X-Sdk-Date against the cloud clock ----------------------------------------
@pytest.mark.parametrize("offset,ok", [(0, True), (899, True), (-899, True), (901, False), (-901, False), (3600, False)])
def test_signature_from_the_local_clock_against_a_skewed_cloud(sim, signed, sim_clock, offset, ok):
    # The request is signed with the controller's clock (sim_clock); the cloud runs `offset` away from it.
    sim.configure(clock_offset=offset)
    response = signed("GET", "rds", TASKLIST, headers={"X-Sdk-Date": sdk_date(sim_clock.time())})
    if ok:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert body["error_msg"] == ("Incorrect IAM authentication information: verify aksk signature fail, signature expired, "
                                 "signature time:%s,server time:%s" % (sdk_date(sim_clock.time()), sdk_date(sim.cloud_time())))


def test_signature_matching_the_cloud_clock_passes(sim, signed, sim_clock):
    sim.configure(clock_offset=-3600)
    response = signed("GET", "rds", TASKLIST, headers={"X-Sdk-Date": sdk_date(sim_clock.time() - 3600)})
    assert response.status_code == 200, response.text


def test_app_authentication_style_skew_error(sim, signed, sim_clock):
    sim.configure(clock_offset=1200, skew_error_code="APIGW.0303")
    response = signed("GET", "rds", TASKLIST, headers={"X-Sdk-Date": sdk_date(sim_clock.time())})
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0303"
    assert body["error_msg"] == "Incorrect app authentication information: signature expired, signature time:%s,server time:%s" % (
        sdk_date(sim_clock.time()), sdk_date(sim_clock.time() + 1200))


def test_max_clock_skew_knob_still_applies(sim, signed, sim_clock):
    sim.configure(clock_offset=1200, max_clock_skew=1500)
    assert signed("GET", "rds", TASKLIST, headers={"X-Sdk-Date": sdk_date(sim_clock.time())}).status_code == 200


@pytest.mark.parametrize("options", [{"clock_offset": "soon"}, {"skew_error_code": "APIGW.0999"}])
def test_clock_knobs_reject_bad_values(sim, options):
    with pytest.raises(ValueError):
        sim.configure(**options)


def test_clock_offset_over_the_control_api(sim, sim_clock):
    config = requests.post(sim.url + "/_sim/configure", json={"clock_offset": 90}, timeout=5).json()
    assert config["clock_offset"] == 90
    answer = requests.post(sim.url + "/_sim/clock/advance", json={"seconds": 10}, timeout=5).json()
    assert (answer["now"], answer["cloud_now"]) == (sim_clock.time(), sim_clock.time() + 90)
