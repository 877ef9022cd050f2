# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""RDS GET /v3/{project_id}/tasklist (seed rds-list-instant-tasks.txt) and GET /v3/{project_id}/jobs?id=."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"
JOB = "/v3/{project_id}/jobs"


def assert_param_error(response):
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == "DBS.200001"


def ms(epoch):
    return str(int(epoch * 1000))


@pytest.mark.parametrize("params", [
    {"limit": "0"}, {"limit": "51"}, {"limit": "x"}, {"limit": "-1"},
    {"offset": "-1"}, {"offset": "x"},
    {"start_time": "1747919701390"},                                  # start without end
    {"start_time": "1748524501390", "end_time": "1747919701390"},     # end before start
    {"start_time": "2025-05-22T00:00:00+0000", "end_time": "1748524501390"},   # not epoch ms
    {"status": "Succeeded"},
])
def test_rejected_parameters(api, params):
    assert_param_error(api.get("rds", TASKLIST, params=params))


@pytest.mark.parametrize("limit,offset,expected", [(None, None, 10), ("1", "0", 1), ("50", "0", 12), ("5", "10", 2), ("50", "12", 0)])
def test_limit_offset_and_total_count(sim, api, sim_clock, limit, offset, expected):
    for _unused in range(12):
        sim.create_job("rds")
        sim_clock.advance(1)
    params = dict((k, v) for k, v in (("limit", limit), ("offset", offset)) if v is not None)
    body = api.ok_json("rds", TASKLIST, params=params)
    assert (len(body["tasks"]), body["total_count"]) == (expected, 12)


def test_epoch_ms_window_and_end_only(sim, api, sim_clock):
    first = sim.create_job("rds")
    first_at = sim_clock.time()
    sim_clock.advance(100)
    second = sim.create_job("rds")
    cases = [
        ({"start_time": ms(first_at - 1), "end_time": ms(first_at + 1)}, [first]),
        ({"start_time": ms(first_at + 50), "end_time": ms(sim_clock.time())}, [second]),
        ({"end_time": ms(first_at + 50)}, [first]),
        ({"start_time": ms(first_at - 1), "end_time": ms(sim_clock.time())}, [second, first]),
    ]
    for params, expected in cases:
        assert [t["id"] for t in api.ok_json("rds", TASKLIST, params=params)["tasks"]] == expected, params


def test_filters_and_actions(sim, api, sim_clock):
    create = sim.create_job("rds", order_id="CS2506041000FOJXC", duration=1)
    restore = sim.create_job("rds", name="RestoreSqlserverInInstance", instance_id=sim.job(create)["instance_id"], duration=100)
    other = sim.create_job("rds", name="RestoreSqlserverInInstance", duration=100)
    sim_clock.advance(2)
    instance_id = sim.job(create)["instance_id"]
    cases = [
        ({"id": restore}, [restore]),
        ({"instance_id": instance_id}, [restore, create]),
        ({"order_id": "CS2506041000FOJXC"}, [create]),
        ({"name": "RestoreSqlserverInInstance"}, [other, restore]),
        ({"status": "Completed"}, [create]),
        ({"status": "Running"}, [other, restore]),
    ]
    for params, expected in cases:
        body = api.ok_json("rds", TASKLIST, params=dict(params, limit=50))
        assert [t["id"] for t in body["tasks"]] == expected, params
        assert body["total_count"] == len(expected)
    actions = api.ok_json("rds", TASKLIST)["actions"]
    assert sorted(actions) == ["CreateInstance", "RestoreSqlserverInInstance"]


@pytest.mark.parametrize("outcome,elapsed,status,process,instance_status", [
    ("success", 0, "Running", "0", "BUILD"),
    ("success", 6, "Running", "60", "BUILD"),
    ("success", 10, "Completed", "", "ACTIVE"),
    ("failure", 5, "Running", "50", "BUILD"),
    ("failure", 10, "Failed", "", "CREATE FAIL"),
])
def test_task_lifecycle(sim, api, sim_clock, outcome, elapsed, status, process, instance_status):
    job_id = sim.create_job("rds", duration=10, outcome=outcome)
    sim_clock.advance(elapsed)
    (task,) = api.ok_json("rds", TASKLIST, params={"id": job_id})["tasks"]
    assert (task["status"], task["process"], task["instance_status"]) == (status, process, instance_status)
    assert task["fail_reason"] == ("Insufficient resources in the AZ" if status == "Failed" else "")


def test_task_shape_matches_seed(sim, api):
    job_id = sim.create_job("rds", duration=3)
    body = api.ok_json("rds", TASKLIST, params={"id": job_id})
    assert set(body) == {"tasks", "actions", "total_count"}
    assert set(body["tasks"][0]) == {"id", "name", "instance_id", "instance_name", "instance_status", "order_id", "process",
                                     "fail_reason", "create_time", "end_time", "status"}
    assert body["tasks"][0]["create_time"].endswith("+0000")


@pytest.mark.parametrize("elapsed,status,process,has_ended", [(0, "Running", "0%", False), (3, "Running", "75%", False), (4, "Completed", "", True)])
def test_show_job(sim, api, sim_clock, elapsed, status, process, has_ended):
    job_id = sim.create_job("rds", duration=4)
    sim_clock.advance(elapsed)
    job = api.ok_json("rds", JOB, params={"id": job_id})["job"]
    assert (job["id"], job["status"], job["process"], "ended" in job) == (job_id, status, process, has_ended)
    assert set(job) >= {"id", "name", "status", "created", "process", "instance", "fail_reason"}


@pytest.mark.parametrize("params,status", [({"id": "0" * 32}, 404), ({}, 400)])
def test_show_job_errors(api, params, status):
    response = api.get("rds", JOB, params=params)
    assert response.status_code == status
    assert set(response.json()) == {"error_code", "error_msg"}


def test_invisible_job_is_404_then_found(sim, api, sim_clock):
    job_id = sim.create_job("rds", invisible_for=3)
    assert api.get("rds", JOB, params={"id": job_id}).status_code == 404
    assert api.ok_json("rds", TASKLIST, params={"id": job_id})["total_count"] == 0
    sim_clock.advance(3)
    assert api.get("rds", JOB, params={"id": job_id}).status_code == 200


# ---- jobs of async calls that only /jobs?id= knows (api-notes.md, second wave) ----------------
def tasklist_ids(api):
    return [t["id"] for t in api.ok_json("rds", TASKLIST, params={"limit": 50})["tasks"]]


def test_job_outside_the_tasklist(sim, api, sim_clock):
    hidden = sim.create_job("rds", duration=4, tasklist=False)
    listed = sim.create_job("rds", duration=4)
    assert tasklist_ids(api) == [listed]
    assert api.ok_json("rds", TASKLIST, params={"id": hidden})["total_count"] == 0
    assert api.ok_json("rds", JOB, params={"id": hidden})["job"]["status"] == "Running"
    sim_clock.advance(4)
    assert api.ok_json("rds", JOB, params={"id": hidden})["job"]["status"] == "Completed"
    assert tasklist_ids(api) == [listed]
    assert (sim.job(hidden)["in_tasklist"], sim.job(listed)["in_tasklist"]) == (False, True)


def test_async_create_outside_the_tasklist(sim, api, sim_clock):
    assert sim.configure(rds_async_in_tasklist=False)["rds_async_in_tasklist"] is False
    response = api.post("rds", "/v3/{project_id}/instances", json_body={"name": "rds-async"})
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"instance", "job_id"} and body["instance"]["status"] == "BUILD"
    job_id = body["job_id"]
    assert job_id not in tasklist_ids(api)
    assert api.ok_json("rds", JOB, params={"id": job_id})["job"]["instance"]["id"] == body["instance"]["id"]
    # create_job(tasklist=None) follows the knob; tasklist=True overrides it.
    assert sim.create_job("rds") not in tasklist_ids(api)
    assert sim.create_job("rds", tasklist=True) in tasklist_ids(api)


def test_async_create_listed_by_default(sim, api):
    job_id = api.post("rds", "/v3/{project_id}/instances", json_body={"name": "rds-listed"}).json()["job_id"]
    assert tasklist_ids(api) == [job_id]


def test_tasklist_flag_only_for_rds(sim):
    with pytest.raises(ValueError):
        sim.create_job("geminidb", tasklist=False)
