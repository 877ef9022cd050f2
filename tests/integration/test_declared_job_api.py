# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job API the user declares (the ``api`` option), against the simulator's ECS job API, as a user would
declare it: task_info and wait_for_task through their modules and through the wait engine.

The simulator runs on a ManualClock; run_wait gets a clock/sleep pair on the same clock (nothing sleeps).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import declared_api
from ansible_collections.taskgate.huaweicloud.plugins.modules import task_info, wait_for_task

from support import ECS_JOB_LABEL, ecs_api, run_module_main, service_requests, token_params

pytestmark = [pytest.mark.simulator, pytest.mark.usefixtures("fresh_token_cache")]

LABEL = ECS_JOB_LABEL


def declared_name(sim, **changes):
    """The service name the tasks of this definition carry: its label, numbered when this process saw
    another definition with that label (each test's simulator listens on another port)."""
    return declared_api.declare(ecs_api(sim, **changes))


def params(sim, api=None, **options):
    """task_info options (and the common part of wait_for_task's) for the declared API."""
    merged = token_params(sim)
    merged.update(api=api or ecs_api(sim))
    merged.update(options)
    return merged


def wait(sim, api=None, **options):
    return params(sim, api, **dict(dict(poll_interval=1, max_poll_interval=5), **options))


# ---------------------------------------------------------------------------
# task_info


def test_task_info_reads_a_declared_job_while_it_runs_and_after(sim, sim_clock, capsys, module_process):
    job_id = sim.create_job("ecs", duration=20, subjobs=2)
    unknown = "0" * 32

    first = run_module_main(task_info.main, dict(params(sim), id=[job_id, unknown]), capsys)
    sim_clock.advance(25)
    done = run_module_main(task_info.main, dict(params(sim), id=job_id), capsys)

    assert first.get("failed") is not True, first
    [task] = first["tasks"]  # the unknown id is absent, as for a built-in service
    assert (task["id"], task["service"], task["name"]) == (job_id, declared_name(sim), "createServer")
    assert task["service"].startswith(LABEL)
    assert (task["status"], task["phase"], task["ended_at"]) == ("INIT", "pending", None)
    assert [sub["id"] for sub in task["subtasks"]] == sim.job(job_id)["subtask_ids"]
    assert task["request_id"] and task["raw"]["job_id"] == job_id
    [task] = done["tasks"]
    assert (task["status"], task["phase"]) == ("SUCCESS", "succeeded")
    assert task["ended_at"] is not None and task["created_at"] is not None
    assert [sub["phase"] for sub in task["subtasks"]] == ["succeeded", "succeeded"]
    assert sim.stats()["by_endpoint"]["GET ecs /v1/{project_id}/jobs/{job_id}"] == 3


def test_task_info_rejects_filters_on_a_declared_api(sim, capsys):
    result = run_module_main(task_info.main, dict(params(sim), status="RUNNING"), capsys)

    assert result["failed"] is True
    assert result["error"]["option"] == "status" and "lookup by id only" in result["msg"]
    assert service_requests(sim) == 0


BAD_DEFINITIONS = [
    ("api.path", {"path": None}),
    ("api.path", {"path": "/v1/{project_id}/jobs/{job_id}"}),
    ("api.succeeded", {"succeeded": []}),
    ("api.failed", {"failed": ["FAIL", "RUNNING"]}),
    ("api.endpoint", {"endpoint": None}),
    ("api.status", {"status": None}),
]


@pytest.mark.parametrize("option, change", BAD_DEFINITIONS, ids=["%s=%r" % row for row in BAD_DEFINITIONS])
@pytest.mark.parametrize("module", [task_info, wait_for_task], ids=["task_info", "wait_for_task"])
def test_bad_definitions_fail_through_the_modules_before_any_request(sim, capsys, module, option, change):
    job_id = sim.create_job("ecs", duration=5)

    result = run_module_main(module.main, dict(params(sim, ecs_api(sim, **change)), id=job_id), capsys)

    assert result["failed"] is True
    assert result["error"]["type"] == "InvalidInput" and result["error"]["option"] == option
    assert result["msg"].startswith(option + " ")
    assert service_requests(sim) == 0


@pytest.mark.parametrize("module", [task_info, wait_for_task], ids=["task_info", "wait_for_task"])
def test_service_and_api_together_are_refused_by_ansible(sim, capsys, module):
    result = run_module_main(module.main, dict(params(sim), service="rds", id="x"), capsys)

    assert result["failed"] is True
    assert "mutually exclusive: service|api" in result["msg"]
    assert service_requests(sim) == 0


# ---------------------------------------------------------------------------
# wait_for_task


def test_wait_for_task_module_success_and_failure(sim, capsys, module_process):
    ok_id = sim.create_job("ecs", duration=0)
    bad_id = sim.create_job("ecs", duration=0, outcome="failure", fail_reason="No host with flavor s7.large")

    ok = run_module_main(wait_for_task.main, dict(wait(sim), id=ok_id), capsys)
    bad = run_module_main(wait_for_task.main, dict(wait(sim), id=bad_id), capsys)

    assert ok.get("failed") is not True, ok
    assert ok["succeeded"] == [ok_id] and ok["tasks"][0]["service"] == declared_name(sim)
    assert bad["failed"] is True and bad["failed_ids"] == [bad_id]
    assert "%s createServer %s failed with status FAIL" % (declared_name(sim), bad_id) in bad["msg"]
    assert "No host with flavor s7.large" in bad["msg"]
    assert sim.credentials["auth_token"] not in json.dumps([ok, bad])


def test_wait_goes_through_init_and_prints_progress(sim, sim_time):
    sim.configure(init_for=10)
    job_id = sim.create_job("ecs", duration=30)
    lines = []

    result = sim_time.run(wait(sim, id=job_id), emit=lines.append)

    assert result["outcome"] == "succeeded", result["msg"]
    assert [change["status"] for change in result["timeline"][job_id]] == ["INIT", "RUNNING", "SUCCESS"]
    assert 30 <= result["elapsed"] <= 35
    assert lines[0] == "waiting for 1 %s task (timeout 30m0s)" % declared_name(sim)
    assert any(job_id[:8] in line and "pending [INIT]" in line for line in lines), lines
    assert any(job_id[:8] in line and "pending [RUNNING]" in line for line in lines), lines
    assert any(job_id[:8] in line and "succeeded" in line for line in lines), lines


def test_running_statuses_read_as_running(sim, sim_time):
    sim.configure(init_for=10)
    job_id = sim.create_job("ecs", duration=60)
    lines = []

    result = sim_time.run(wait(sim, ecs_api(sim, pending=["INIT"], running=["RUNNING"]), id=job_id, timeout=30),
                          emit=lines.append)

    assert result["outcome"] == "timeout"
    assert (result["tasks"][0]["status"], result["tasks"][0]["phase"]) == ("RUNNING", "running")
    assert any(job_id[:8] in line and " running (" in line for line in lines), lines
    assert any(line.startswith("0/1 done, 1 running (") for line in lines), lines


def test_failure_paragraph_names_the_failed_sub_job(sim, sim_time):
    ok_id = sim.create_job("ecs", duration=10)
    bad_id = sim.create_job("ecs", duration=30, outcome="failure", fail_reason="Insufficient quota for flavor x1")

    result = sim_time.run(wait(sim, id=[ok_id, bad_id]))

    assert result["outcome"] == "failed"
    assert result["failed_ids"] == [bad_id] and result["succeeded"] == [ok_id]
    message = result["msg"]
    assert message.startswith("1 of 2 tasks failed after ")
    assert "%s createServer %s failed with status FAIL" % (declared_name(sim), bad_id) in message
    assert "Insufficient quota for flavor x1" in message
    assert "request id %s" % result["by_id"][bad_id]["request_id"] in message
    assert result["reasons"][bad_id] in message


def test_without_fail_reason_the_failed_sub_job_is_named(sim, sim_time):
    job_id = sim.create_job("ecs", duration=10, subjobs=3, outcome="failure", fail_reason="Quota exceeded")

    result = sim_time.run(wait(sim, ecs_api(sim, fail_reason=None), id=job_id))

    # The simulator fails the last of the sub-jobs: the failure is found wherever it sits.
    assert result["outcome"] == "failed"
    assert "createSingleServer failed" in result["msg"]


def test_a_status_outside_the_lists_fails_as_unexpected(sim, sim_time):
    job_id = sim.create_job("ecs", duration=30)

    result = sim_time.run(wait(sim, ecs_api(sim, pending=["INIT"]), id=job_id))

    assert result["outcome"] == "failed"
    assert "unexpected status 'RUNNING'" in result["msg"]
    assert result["elapsed"] < 30


def test_invisible_job_is_pending_within_the_grace_and_fails_after_it(sim, sim_time):
    visible_soon = sim.create_job("ecs", duration=20, invisible_for=8)
    never = sim.create_job("ecs", duration=20, invisible_for=600)

    soon = sim_time.run(wait(sim, id=visible_soon, not_found_grace=30))
    late = sim_time.run(wait(sim, id=never, not_found_grace=10))

    assert soon["outcome"] == "succeeded", soon["msg"]
    assert late["outcome"] == "failed" and "not_found_grace=10" in late["msg"]


def test_expect_reads_the_declared_task(sim, sim_time):
    job_id = sim.create_job("ecs", duration=5, subjobs=2)
    expect = [{"path": "subtasks.1.status", "equals": "SUCCESS"},
              {"path": "name", "equals": "deleteServer", "severity": "warn"},
              {"path": "raw.entities.sub_jobs_total", "in": [3]}]

    result = sim_time.run(wait(sim, id=job_id, expect=expect))

    assert result["outcome"] == "failed" and result["failed_ids"] == [job_id]
    assert "raw.entities.sub_jobs_total is 2, expected one of 3" in result["msg"]
    assert result["warnings"] == ["task %s: name is 'createServer', expected 'deleteServer'" % job_id]


def test_a_wrong_status_path_fails_the_first_poll_naming_it(sim, sim_time):
    job_id = sim.create_job("ecs", duration=30)

    result = sim_time.run(wait(sim, ecs_api(sim, status="state.phase"), id=job_id))

    assert result["outcome"] == "error"
    assert result["error"]["type"] == "ContractError" and result["error"]["field"] == "state"
    assert result["requests"]["requests"] == 1


def test_aksk_signing_retries_and_many_ids(sim, sim_time):
    ids = [sim.create_job("ecs", duration=10 + index) for index in range(5)]
    sim.inject_fault("503", count=2, service="ecs")
    aksk = wait(sim, id=ids, auth_token=None, access_key=sim.credentials["access_key"],
                secret_key=sim.credentials["secret_key"])

    result = sim_time.run(aksk)

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    assert result["requests"]["retries"] == 2
    assert sim.credentials["secret_key"] not in json.dumps(result)
