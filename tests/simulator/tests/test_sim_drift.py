# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift fault: the service's own answer in a shape the official SDK still reads (drift.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

from simulator import drift

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"
ECS_JOB = "/v1/{project_id}/jobs/%s"


def test_other_form_turns_numbers_and_times_around_but_never_ids_or_statuses(sim, api):
    job_id = sim.create_job("rds", duration=100)
    sim.clock.advance(30)
    plain = api.get("rds", TASKLIST).json()["tasks"][0]
    sim.inject_fault("drift", service="rds", variant="other-form")
    drifted = api.get("rds", TASKLIST).json()
    task = drifted["tasks"][0]
    assert (task["id"], task["status"]) == (job_id, plain["status"]) and isinstance(task["status"], str)
    assert drifted["total_count"] == "1"
    assert task["process"] == int(plain["process"].rstrip("%")) and isinstance(task["process"], int)
    assert isinstance(task["create_time"], int) and task["create_time"] % 1000 == 0
    assert api.get("rds", TASKLIST).json()["tasks"][0] == plain   # count=1 by default


@pytest.mark.parametrize("variant, missing", [("nulls", None), ("absent", "absent")])
def test_nulls_and_absent_keep_only_ids_and_statuses(sim, api, variant, missing):
    job_id = sim.create_job("ecs", duration=10, subjobs=2)
    sim.inject_fault("drift", service="ecs", variant=variant)
    body = api.get("ecs", ECS_JOB % job_id).json()
    assert body["job_id"] == job_id and body["status"] in ("INIT", "RUNNING")
    sub = body["entities"]["sub_jobs"][0]
    assert set(sub) >= {"job_id", "status"}
    if missing:
        assert set(body) == {"job_id", "status", "entities"} and set(body["entities"]) == {"sub_jobs"}
        assert set(sub) == {"job_id", "status"}
    else:
        assert body["job_type"] is None and body["entities"]["sub_jobs_total"] is None and sub["entities"] is None


def test_extra_adds_an_unknown_field_everywhere_and_no_status_drops_the_status(sim, api):
    job_id = sim.create_job("ecs", duration=10, subjobs=1)
    sim.inject_fault("drift", service="ecs", variant="extra")
    body = api.get("ecs", ECS_JOB % job_id).json()
    assert drift.EXTRA_FIELD in body and drift.EXTRA_FIELD in body["entities"]["sub_jobs"][0]
    sim.inject_fault("drift", service="ecs", variant="no-status")
    body = api.get("ecs", ECS_JOB % job_id).json()
    assert "status" not in body and body["job_id"] == job_id and "status" in body["entities"]["sub_jobs"][0]


def test_drift_leaves_errors_and_writes_alone(sim, api):
    sim.inject_fault("drift", service="ecs", variant="nulls", count=None)
    response = api.get("ecs", ECS_JOB % "no-such-job")
    assert response.status_code == 404 and response.json()["error"]["code"]


@pytest.mark.parametrize("kwargs", [{"variant": "weird"}, {}])
def test_a_drift_fault_needs_a_known_variant(sim, kwargs):
    with pytest.raises(ValueError, match="variant must be one of other-form, nulls, absent, extra, no-status"):
        sim.inject_fault("drift", **kwargs)


def test_only_a_drift_fault_takes_a_variant(sim):
    with pytest.raises(ValueError, match="variant is only for a drift fault"):
        sim.inject_fault("503", variant="nulls")
