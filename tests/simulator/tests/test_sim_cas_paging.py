# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ServiceStage CAS: sub-task paging (20 by default, limit 1..100, offset, desc), jobs with many
sub-tasks, and the UNKNOWN / PARTIALLY_FAILED end states (api-notes.md, second wave)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

CAS_JOB = "/v2/{project_id}/cas/jobs/%s"
SEED_MESSAGES = '{ "Message" : "ECC00011", "Detail" : "Building failed." }'


def cas(api, job_id, **params):
    return api.ok_json("servicestage", CAS_JOB % job_id, params=params)


@pytest.fixture
def failed_30(sim, sim_clock):
    job_id = sim.create_job("servicestage", duration=30, outcome="failure", subtasks=30)
    sim_clock.advance(30)
    return job_id


def test_default_page_is_20_and_hides_the_failure(api, failed_30):
    body = cas(api, failed_30)
    assert body["job"]["EXECUTION_STATUS"] == "FAILED"
    assert body["task_count"] == 30
    assert [t["TASK_INDEX"] for t in body["tasks"]] == list(range(1, 21))
    assert {t["TASK_STATUS"] for t in body["tasks"]} == {"SUCCEEDED"}


def test_failure_is_the_last_subtask(api, failed_30):
    newest = cas(api, failed_30, desc="true", limit="1")
    assert newest["task_count"] == 30
    (task,) = newest["tasks"]
    assert (task["TASK_INDEX"], task["TASK_STATUS"], task["MESSAGES"]) == (30, "FAILED", SEED_MESSAGES)
    assert json.loads(task["MESSAGES"]) == {"Message": "ECC00011", "Detail": "Building failed."}
    second_page = cas(api, failed_30, offset="20")
    assert [t["TASK_INDEX"] for t in second_page["tasks"]] == list(range(21, 31))
    assert [t["TASK_STATUS"] for t in second_page["tasks"]] == ["SUCCEEDED"] * 9 + ["FAILED"]
    everything = cas(api, failed_30, limit="100")
    assert len(everything["tasks"]) == 30 and everything["task_count"] == 30
    assert len({t["TASK_ID"] for t in everything["tasks"]}) == 30


@pytest.mark.parametrize("params,indexes", [
    ({"desc": "true"}, list(range(30, 10, -1))),
    ({"desc": "false", "limit": "5", "offset": "25"}, [26, 27, 28, 29, 30]),
    ({"desc": "true", "limit": "100", "offset": "28"}, [2, 1]),
    ({"offset": "30"}, []),
    ({"offset": "500"}, []),
])
def test_paging_windows(api, failed_30, params, indexes):
    body = cas(api, failed_30, **params)
    assert [t["TASK_INDEX"] for t in body["tasks"]] == indexes
    assert body["task_count"] == 30


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "101"}, {"limit": "-5"}, {"limit": "x"}, {"offset": "-1"}, {"desc": "yes"}])
def test_paging_parameters_out_of_range(sim, api, params):
    job_id = sim.create_job("servicestage", subtasks=30)
    response = api.get("servicestage", CAS_JOB % job_id, params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "SVCSTG.00100400"


def test_running_job_with_many_subtasks(sim, api, sim_clock):
    job_id = sim.create_job("servicestage", duration=100, subtasks=30)
    sim_clock.advance(55)   # 10 s SUBMITTED, then 3 s per sub-task: the 16th is running
    body = cas(api, job_id, limit="100")
    assert body["job"]["EXECUTION_STATUS"] == "RUNNING"
    assert [t["TASK_STATUS"] for t in body["tasks"]] == ["SUCCEEDED"] * 15 + ["RUNNING"]
    assert body["task_count"] == 16


def test_subtasks_over_the_control_api(sim, api, sim_clock):
    answer = requests.post(sim.url + "/_sim/jobs", json={"service": "servicestage", "subtasks": 25, "duration": 1}, timeout=5).json()
    sim_clock.advance(1)
    assert cas(api, answer["job_id"], limit="100")["task_count"] == 25
    assert sim.job(answer["job_id"])["subtask_count"] == 25


@pytest.mark.parametrize("kwargs", [
    {"service": "servicestage", "subtasks": 0}, {"service": "servicestage", "subtasks": "30"},
    {"service": "servicestage", "subtasks": True}, {"service": "rds", "subtasks": 30},
    {"service": "rds", "outcome": "unknown"}, {"service": "ddm", "outcome": "partially_failed"},
])
def test_argument_checks(sim, kwargs):
    with pytest.raises(ValueError):
        sim.create_job(**kwargs)


def test_default_job_keeps_the_seed_subtasks(sim, api, sim_clock):
    job_id = sim.create_job("servicestage", duration=1)
    sim_clock.advance(1)
    body = cas(api, job_id)
    assert [(t["TASK_INDEX"], t["TASK_NAME"]) for t in body["tasks"]] == [
        (1, "SEPARATOR_PREPARE_RESOURCES"), (4, "SEPARATOR_BUILDING"), (6, "TN00091"), (7, "TN00094"), (9, "TN00097")]


# ---- UNKNOWN and PARTIALLY_FAILED ---------------------------------------------------------
@pytest.mark.parametrize("subtasks", [None, 30])
def test_unknown_end_state(sim, api, sim_clock, subtasks):
    job_id = sim.create_job("servicestage", duration=10, outcome="unknown", subtasks=subtasks)
    sim_clock.advance(9)
    assert cas(api, job_id)["job"]["EXECUTION_STATUS"] == "RUNNING"
    sim_clock.advance(1)
    body = cas(api, job_id, limit="100")
    assert body["job"]["EXECUTION_STATUS"] == "UNKNOWN"
    statuses = [t["TASK_STATUS"] for t in body["tasks"]]
    # The engine lost track: no sub-task failed, the last one never reported its end.
    assert statuses == ["SUCCEEDED"] * (len(statuses) - 1) + ["RUNNING"]
    assert all(t["MESSAGES"] == "{}" for t in body["tasks"])
    last = body["tasks"][-1]
    assert last["LAST_HEALTH_CHECK"] == last["CREATED_AT"]   # its health check stopped when it started
    sim_clock.advance(60)
    assert cas(api, job_id, limit="100") == body   # frozen
    snap = sim.job(job_id)
    assert (snap["outcome"], snap["phase"]) == ("unknown", "failed")


@pytest.mark.parametrize("subtasks,failed_index", [(None, 7), (30, 29)])
def test_partially_failed_end_state(sim, api, sim_clock, subtasks, failed_index):
    job_id = sim.create_job("servicestage", duration=10, outcome="partially_failed", fail_reason="1 of 3 instances failed",
                            subtasks=subtasks)
    sim_clock.advance(10)
    body = cas(api, job_id, limit="100")
    assert body["job"]["EXECUTION_STATUS"] == "PARTIALLY_FAILED"
    failed = [t for t in body["tasks"] if t["TASK_STATUS"] == "FAILED"]
    assert [t["TASK_INDEX"] for t in failed] == [failed_index]
    assert json.loads(failed[0]["MESSAGES"]) == {"Message": "ECC00011", "Detail": "1 of 3 instances failed"}
    # The job went on after the failed sub-task: the last one succeeded.
    assert body["tasks"][-1]["TASK_STATUS"] == "SUCCEEDED"
    assert sim.job(job_id)["fail_reason"] == "1 of 3 instances failed"


def test_partially_failed_default_reason(sim, api, sim_clock):
    job_id = sim.create_job("servicestage", duration=1, outcome="partially_failed")
    sim_clock.advance(1)
    failed = [t for t in cas(api, job_id)["tasks"] if t["TASK_STATUS"] == "FAILED"]
    assert failed[0]["MESSAGES"] == SEED_MESSAGES
