# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waits through the simulator's drift fault (issue 21): the answers in every shape the official SDK
still reads (numbers as text and the reverse, nulls, absent fields, unknown fields) end as the
undrifted ones do; an answer without the job's status is still an error naming the field.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from support import wait_params

pytestmark = pytest.mark.simulator

SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "gaussdb", "dds", "taurusdb", "cce", "ims", "dcs",
            "bss_order")
TOLERATED = ("other-form", "nulls", "absent", "extra")
# Where the status sits, as the error names it (the listings name the item).
STATUS_FIELD = {"geminidb": "jobs[0].status", "rds": "tasks[0].status", "servicestage": "job.EXECUTION_STATUS",
                "ecs": "status", "evs": "status", "bms": "status"}


@pytest.mark.parametrize("variant", TOLERATED)
@pytest.mark.parametrize("service", SERVICES)
def test_a_wait_succeeds_through_every_tolerated_drift(sim, sim_time, service, variant):
    ids = [sim.create_job(service, duration=20), sim.create_job(service, duration=40)]
    sim.inject_fault("drift", service=service, variant=variant, count=None)

    result = sim_time.run(wait_params(sim, service, id=ids))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    assert sim.stats()["faults_by_kind"]["drift"] >= result["polls"]


@pytest.mark.parametrize("service", ("geminidb", "rds", "ecs", "bms", "gaussdb", "taurusdb", "cce", "ims", "dcs"))
def test_a_failure_reason_survives_numbers_as_text(sim, sim_time, service):
    ok_id = sim.create_job(service, duration=10)
    bad_id = sim.create_job(service, duration=30, outcome="failure", fail_reason="Insufficient quota for flavor x1")
    sim.inject_fault("drift", service=service, variant="other-form", count=None)

    result = sim_time.run(wait_params(sim, service, id=[ok_id, bad_id]))

    assert (result["outcome"], result["failed_ids"], result["succeeded"]) == ("failed", [bad_id], [ok_id])
    assert "Insufficient quota for flavor x1" in result["reasons"][bad_id]


@pytest.mark.parametrize("service", sorted(STATUS_FIELD))
def test_an_answer_without_the_status_is_an_error_naming_the_field(sim, sim_time, service):
    job_id = sim.create_job(service, duration=20)
    sim.inject_fault("drift", service=service, variant="no-status", count=None)

    result = sim_time.run(wait_params(sim, service, id=[job_id]))

    assert result["outcome"] == "error" and result["failed"] is True
    assert result["error"]["type"] == "ContractError"
    assert result["error"]["field"] == STATUS_FIELD[service]
    assert "broke the contract at %s" % STATUS_FIELD[service] in result["msg"]


def test_ddm_answer_without_a_status_is_not_visible_yet(sim, sim_time):
    # DDM answers a job it does not show yet with a blank status (Terraform keeps waiting): the wait
    # treats it as not found, and ends once not_found_grace is over.
    job_id = sim.create_job("ddm", duration=20)
    sim.inject_fault("drift", service="ddm", variant="no-status", count=None)

    result = sim_time.run(wait_params(sim, "ddm", id=[job_id], not_found_grace=30, timeout=120))

    assert result["outcome"] == "failed" and "error" not in result
    assert "task %s was not found 30s after the wait started (not_found_grace=30)" % job_id in result["msg"]
