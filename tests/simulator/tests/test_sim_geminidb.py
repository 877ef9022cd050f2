# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GeminiDB GET /v3/{project_id}/jobs against the seed (geminidb-list-jobs.txt)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import pytest
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

JOBS = "/v3/{project_id}/jobs"
DAY = 86400


def db_time(epoch, offset_minutes=0):
    """Format like the seed, optionally shifted into another numeric zone offset."""
    shifted = time.gmtime(epoch + offset_minutes * 60)
    sign = "+" if offset_minutes >= 0 else "-"
    return time.strftime("%Y-%m-%dT%H:%M:%S", shifted) + "%s%02d%02d" % (sign, abs(offset_minutes) // 60, abs(offset_minutes) % 60)


def assert_param_error(response):
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "DBS.200001"
    assert re.match(r"^[0-9a-f]{32}$", response.headers["X-Request-Id"])


@pytest.mark.parametrize("limit", ["15", "0", "-1", "100", "x", "10.0", ""])
def test_rejected_limits(api, limit):
    assert_param_error(api.get("geminidb", JOBS, params={"limit": limit}))


@pytest.mark.parametrize("offset", ["-1", "x", "1.5", ""])
def test_rejected_offsets(api, offset):
    assert_param_error(api.get("geminidb", JOBS, params={"offset": offset}))


@pytest.mark.parametrize("limit,offset,expected_ids", [
    (None, None, 25), ("10", "0", 10), ("20", "0", 20), ("50", "0", 25), ("10", "20", 5), ("10", "25", 0),
])
def test_paging_and_total_count(sim, api, sim_clock, limit, offset, expected_ids):
    for _unused in range(25):
        sim.create_job("geminidb")
        sim_clock.advance(1)
    params = dict((k, v) for k, v in (("limit", limit), ("offset", offset)) if v is not None)
    body = api.ok_json("geminidb", JOBS, params=params)
    assert body["total_count"] == 25
    assert len(body["jobs"]) == expected_ids


def test_pages_are_newest_first_and_cover_everything(sim, api, sim_clock):
    created = []
    for _unused in range(25):
        created.append(sim.create_job("geminidb"))
        sim_clock.advance(1)
    seen = []
    for offset in (0, 10, 20):
        seen += [j["id"] for j in api.ok_json("geminidb", JOBS, params={"limit": 10, "offset": offset})["jobs"]]
    assert seen == list(reversed(created))


@pytest.mark.parametrize("zone_minutes", [0, 480, -300, 330])
def test_any_numeric_offset_is_accepted(sim, api, sim_clock, zone_minutes):
    job_id = sim.create_job("geminidb")
    now = sim_clock.time()
    params = {"start_time": db_time(now - 60, zone_minutes), "end_time": db_time(now + 60, zone_minutes)}
    body = api.ok_json("geminidb", JOBS, params=params)
    assert [j["id"] for j in body["jobs"]] == [job_id]


@pytest.mark.parametrize("name,value", [
    ("start_time", "2026-01-01T00:00:00Z"),
    ("start_time", "2026-01-01 00:00:00+0000"),
    ("start_time", "2026-13-01T00:00:00+0000"),
    ("start_time", "1767225600"),
    ("end_time", "2026-01-01T00:00:00+00:00"),
    ("end_time", "yesterday"),
])
def test_rejected_time_formats(api, name, value):
    assert_param_error(api.get("geminidb", JOBS, params={name: value}))


@pytest.mark.parametrize("start_days_ago,end_days_ago,ok", [
    (30, 0, True),        # exactly 30 days is allowed
    (31, 0, False),       # span over 30 days
    (1, 2, False),        # end before start
    (1, 1, False),        # end equal to start: must be later
    (31, None, False),    # start only: end defaults to now, span 31 days
    (None, 5, True),      # end only: start defaults to 30 days before end
])
def test_time_window_rules(api, sim_clock, start_days_ago, end_days_ago, ok):
    now = int(sim_clock.time())
    params = {}
    if start_days_ago is not None:
        params["start_time"] = db_time(now - start_days_ago * DAY)
    if end_days_ago is not None:
        params["end_time"] = db_time(now - end_days_ago * DAY)
    response = api.get("geminidb", JOBS, params=params)
    if ok:
        assert response.status_code == 200, response.text
    else:
        assert_param_error(response)


def test_default_window_is_last_30_days(sim, api, sim_clock):
    old = sim.create_job("geminidb")
    sim_clock.advance(31 * DAY)
    recent = sim.create_job("geminidb")
    body = api.ok_json("geminidb", JOBS)
    assert [j["id"] for j in body["jobs"]] == [recent]
    assert old not in [j["id"] for j in body["jobs"]]


def test_filters_by_id_name_status(sim, api, sim_clock):
    done = sim.create_job("geminidb", name="RestartInstance", duration=1)
    failed = sim.create_job("geminidb", duration=1, outcome="failure")
    running = sim.create_job("geminidb", duration=100)
    sim_clock.advance(2)
    cases = [
        ({"id": done}, [done]),
        ({"name": "RestartInstance"}, [done]),
        ({"name": "CreateCassandra"}, [running, failed]),
        ({"status": "Running"}, [running]),
        ({"status": "Completed"}, [done]),
        ({"status": "Failed"}, [failed]),
        ({"id": "89a0cde6-9c46-4b89-a92c-573e1083ff23"}, []),
    ]
    for params, expected in cases:
        body = api.ok_json("geminidb", JOBS, params=params)
        assert [j["id"] for j in body["jobs"]] == expected, params
        assert body["total_count"] == len(expected)


def test_unknown_status_is_rejected(api):
    assert_param_error(api.get("geminidb", JOBS, params={"status": "running"}))


@pytest.mark.parametrize("elapsed,status,progress", [
    (0, "Running", "0%"), (2.5, "Running", "25%"), (9.99, "Running", "99%"), (10, "Completed", ""), (50, "Completed", ""),
])
def test_progress_only_while_running(sim, api, sim_clock, elapsed, status, progress):
    job_id = sim.create_job("geminidb", duration=10, outcome="success")
    sim_clock.advance(elapsed)
    (job,) = api.ok_json("geminidb", JOBS, params={"id": job_id})["jobs"]
    assert (job["status"], job["progress"], job["fail_reason"]) == (status, progress, "")


def test_job_shape_matches_seed(sim, api):
    job_id = sim.create_job("geminidb", duration=4, instance_name="nosql-12f5")
    body = api.ok_json("geminidb", JOBS, params={"id": job_id})
    (job,) = body["jobs"]
    assert set(body) == {"total_count", "jobs"}
    assert set(job) == {"id", "name", "status", "start_time", "end_time", "progress", "instance", "fail_reason"}
    assert set(job["instance"]) == {"id", "name"} and job["instance"]["name"] == "nosql-12f5"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", job["start_time"])
    # The seed shows the (planned) end_time while Running.
    assert job["end_time"] == db_time(sim.job(job_id)["ends_at"])


def test_end_time_while_running_can_be_hidden(sim, api):
    sim.configure(planned_end_time=False)
    job_id = sim.create_job("geminidb", duration=4)
    assert api.ok_json("geminidb", JOBS, params={"id": job_id})["jobs"][0]["end_time"] == ""


def test_failure_reason_and_status(sim, api, sim_clock):
    job_id = sim.create_job("geminidb", duration=3, outcome="failure", fail_reason="Insufficient resources in the AZ")
    assert api.ok_json("geminidb", JOBS, params={"id": job_id})["jobs"][0]["fail_reason"] == ""
    sim_clock.advance(3)
    job = api.ok_json("geminidb", JOBS, params={"id": job_id})["jobs"][0]
    assert (job["status"], job["progress"], job["fail_reason"]) == ("Failed", "", "Insufficient resources in the AZ")


def test_invisible_job_appears_later(sim, api, sim_clock):
    job_id = sim.create_job("geminidb", invisible_for=5)
    assert api.ok_json("geminidb", JOBS, params={"id": job_id})["total_count"] == 0
    sim_clock.advance(5)
    assert api.ok_json("geminidb", JOBS, params={"id": job_id})["total_count"] == 1
