# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_task's engine (wait_runner.run_wait) against the simulator, in-process.

The simulator runs on a ManualClock and the runner gets a clock/sleep pair on the same clock, so a
"30 minute" wait takes milliseconds and nothing sleeps for real.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.modules import wait_for_task

from support import run_module_main, wait_params

pytestmark = pytest.mark.simulator

SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms")
LIST_SERVICES = ("geminidb", "rds")
# Services whose API carries the job's failure text (DDM's job API has no such field; CAS puts it in sub-tasks).
FAIL_REASON_SERVICES = ("geminidb", "rds", "ecs", "evs", "bms")


@pytest.mark.parametrize("service", SERVICES)
def test_success(sim, sim_clock, sim_time, service):
    ids = [sim.create_job(service, duration=20), sim.create_job(service, duration=45)]
    started = sim_clock.time()
    lines = []

    result = sim_time.run(wait_params(sim, service, id=ids), emit=lines.append)

    assert result["failed"] is False and result["changed"] is False
    assert result["outcome"] == "succeeded"
    assert sorted(result["succeeded"]) == sorted(ids)
    assert result["failed_ids"] == [] and result["pending"] == []
    assert [task["phase"] for task in result["tasks"]] == ["succeeded", "succeeded"]
    assert 45 <= result["elapsed"] <= 45 + 5  # finished within one max_poll_interval of the slower job
    assert result["polls"] >= 2
    assert result["requests"]["requests"] >= result["polls"]
    assert result["deadline"] == pytest.approx(started + 1800, abs=1)
    for task_id in ids:
        statuses = [change["status"] for change in result["timeline"][task_id]]
        assert statuses[-1] == result["tasks"][ids.index(task_id)]["status"]
        assert len(statuses) >= 2
    assert lines[0] == "waiting for 2 %s tasks (timeout 30m0s)" % service
    assert any(ids[1][:8] in line and "succeeded" in line for line in lines)


@pytest.mark.parametrize("service", SERVICES)
def test_failure_reason_in_message(sim, sim_time, service):
    ok_id = sim.create_job(service, duration=10)
    bad_id = sim.create_job(service, duration=30, outcome="failure", fail_reason="Insufficient quota for flavor x1")

    result = sim_time.run(wait_params(sim, service, id=[ok_id, bad_id]))

    assert result["failed"] is True
    assert result["outcome"] == "failed"
    assert result["failed_ids"] == [bad_id]
    assert result["succeeded"] == [ok_id]
    message = result["msg"]
    assert message.startswith("1 of 2 tasks failed after ")
    assert bad_id in message and service in message
    bad_task = [task for task in result["tasks"] if task["id"] == bad_id][0]
    assert "failed with status %s" % bad_task["status"] in message
    assert "request id %s" % bad_task["request_id"] in message
    if service in FAIL_REASON_SERVICES:
        assert "Insufficient quota for flavor x1" in message
    assert result["reasons"][bad_id] in message
    # The data keys are all there on failure too.
    for key in ("tasks", "elapsed", "polls", "requests", "timeline", "deadline", "pending"):
        assert key in result


def test_cas_failed_subtask_message_in_message(sim, sim_time):
    job_id = sim.create_job("servicestage", duration=30, outcome="failure")

    result = sim_time.run(wait_params(sim, "servicestage", id=job_id))

    assert result["failed_ids"] == [job_id]
    failed_subtasks = [sub for sub in result["tasks"][0]["subtasks"] if sub["phase"] == "failed"]
    assert failed_subtasks, "the simulator should report a FAILED sub-task"
    name = failed_subtasks[0]["name"]
    # MESSAGES is a JSON-encoded string: the message shows it decoded.
    assert re.search(r"sub-task %s failed: ECC\d+: Building failed" % re.escape(name), result["msg"]), result["msg"]
    assert "{" not in result["msg"]


@pytest.mark.parametrize("service", SERVICES)
def test_timeout_report(sim, sim_time, service):
    slow_id = sim.create_job(service, duration=3600)
    done_id = sim.create_job(service, duration=5)

    result = sim_time.run(wait_params(sim, service, id=[slow_id, done_id], timeout="2m"))

    assert result["failed"] is True
    assert result["outcome"] == "timeout"
    assert result["pending"] == [slow_id]
    assert result["succeeded"] == [done_id]
    assert result["elapsed"] == pytest.approx(120, abs=0.5)
    message = result["msg"]
    assert message.startswith("timed out after 2m0s: 1 of 2 tasks unfinished: ")
    slow = result["tasks"][0]
    assert "%s %s" % (slow_id, slow["status"]) in message
    assert "unchanged for" in message
    if slow["progress"] is not None:
        assert "%d%%" % slow["progress"] in message


@pytest.mark.parametrize("service", SERVICES)
def test_invisible_after_create_is_pending_within_grace(sim, sim_time, service):
    job_id = sim.create_job(service, duration=20, invisible_for=8)

    result = sim_time.run(wait_params(sim, service, id=job_id, not_found_grace=30))

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["timeline"][job_id][0]["at"] >= 8  # first seen only once visible


def test_invisible_longer_than_grace_fails(sim, sim_time):
    job_id = sim.create_job("rds", duration=20, invisible_for=120)

    result = sim_time.run(wait_params(sim, "rds", id=job_id, not_found_grace=10))

    assert result["outcome"] == "failed"
    assert "task %s was not found" % job_id in result["msg"]
    assert "not_found_grace=10" in result["msg"]


@pytest.mark.parametrize("service", LIST_SERVICES)
def test_filter_mode_waits_for_every_matching_task(sim, sim_time, service):
    wanted = [sim.create_job(service, name="ResizeFlavor", duration=15), sim.create_job(service, name="ResizeFlavor", duration=40)]
    unrelated = sim.create_job(service, name="CreateBackup", duration=3600)
    lines = []

    result = sim_time.run(wait_params(sim, service, name="ResizeFlavor"), emit=lines.append)

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(wanted)
    assert unrelated not in [task["id"] for task in result["tasks"]]
    assert result["elapsed"] >= 40
    assert lines[0] == "waiting for %s tasks matching name=ResizeFlavor (timeout 30m0s)" % service


@pytest.mark.parametrize("service", ["rds", "geminidb"])  # GeminiDB: the collection filters the listing
def test_filter_mode_no_running_task_of_an_instance(sim, sim_time, service):
    instance = "4d00c7e9d22145deb889937a72b59c8ein01"
    busy = [sim.create_job(service, name="CreateInstance", instance_id=instance, duration=20),
            sim.create_job(service, name="ResizeFlavor", instance_id=instance, duration=50)]
    other = sim.create_job(service, duration=3600)

    result = sim_time.run(wait_params(sim, service, instance_id=instance, status="Running"))

    # Finished tasks drop out of a status=Running listing: they no longer block the gate.
    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["vanished"]) == sorted(busy)
    assert other not in result["vanished"] + result["succeeded"] + result["pending"]
    assert result["elapsed"] >= 50


@pytest.mark.parametrize("service", SERVICES)
def test_throttling_storm_does_not_fail(sim, sim_time, service):
    job_id = sim.create_job(service, duration=30)
    sim.inject_fault("429", count=5, service=service)

    result = sim_time.run(wait_params(sim, service, id=job_id))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sim.stats()["faults_served"] == 5
    assert result["requests"]["throttled"] >= 1


@pytest.mark.parametrize("service", SERVICES)
def test_expired_token_mid_wait_recovers_with_password_auth(sim, sim_time, service):
    creds = sim.credentials
    params = wait_params(sim, service, id=sim.create_job(service, duration=40))
    del params["auth_token"]
    params.update(user_name=creds["user_name"], password=creds["password"], domain_name=creds["domain_name"])
    sim_time.hooks[3] = sim.expire_tokens

    result = sim_time.run(params)

    assert sim_time.sleeps > 3, "the tokens must expire while the wait is still polling"
    assert result["outcome"] == "succeeded", result["msg"]
    assert result["requests"]["auth_refreshes"] >= 1
    assert creds["password"] not in repr(result)


@pytest.mark.parametrize("service", SERVICES)
def test_expect_assertions(sim, sim_time, service):
    job_id = sim.create_job(service, duration=10)
    expect = [
        {"path": "status", "matches": "^(Completed|SUCCEEDED)$"},
        {"path": "name", "equals": "NoSuchName", "severity": "warn"},
        {"path": "id", "in": ["someone-else"]},
    ]

    result = sim_time.run(wait_params(sim, service, id=job_id, expect=expect))

    task = result["tasks"][0]
    assert task["phase"] == "succeeded"
    assert result["outcome"] == "failed"
    assert result["failed_ids"] == [job_id] and result["succeeded"] == []
    assert "task %s: id is %r, expected one of 'someone-else'" % (job_id, job_id) in result["msg"]
    assert result["warnings"] == ["task %s: name is %r, expected 'NoSuchName'" % (job_id, task["name"])]


def test_expect_instance_status_passes(sim, sim_time):
    job_id = sim.create_job("rds", duration=10)

    result = sim_time.run(wait_params(sim, "rds", id=job_id, expect=[{"path": "instance.status", "equals": "ACTIVE"}]))

    assert result["outcome"] == "succeeded", result["msg"]
    assert "warnings" not in result


def test_shared_deadline_in_the_past_still_polls_once(sim, sim_clock, sim_time):
    done_id = sim.create_job("rds", duration=5)
    sim_clock.advance(10)

    result = sim_time.run(wait_params(sim, "rds", id=done_id, deadline=sim_clock.time() - 60))

    assert result["outcome"] == "succeeded"
    assert result["polls"] == 1
    assert result["deadline"] == pytest.approx(sim_clock.time() - 60)


def test_deadline_earlier_than_timeout_wins(sim, sim_clock, sim_time):
    job_id = sim.create_job("geminidb", duration=3600)
    deadline = sim_clock.time() + 90

    result = sim_time.run(wait_params(sim, "geminidb", id=job_id, timeout="1h", deadline=deadline))

    assert result["outcome"] == "timeout"
    assert result["elapsed"] == pytest.approx(90, abs=0.5)
    assert result["deadline"] == pytest.approx(deadline)


def test_mode_any_returns_at_first_success(sim, sim_time):
    fast = sim.create_job("ddm", duration=10)
    slow = sim.create_job("ddm", duration=600)

    result = sim_time.run(wait_params(sim, "ddm", id=[slow, fast], mode="any"))

    assert result["outcome"] == "succeeded"
    assert result["succeeded"] == [fast]
    assert result["pending"] == [slow]
    assert result["elapsed"] < 20


def test_progress_false_prints_nothing(sim, sim_time):
    lines = []
    sim_time.run(wait_params(sim, "rds", id=sim.create_job("rds", duration=5), progress=False), emit=lines.append)
    assert lines == []


BAD_INPUT = [
    ("service", {"service": "rdss"}),
    ("timeout", {"timeout": "abc"}),
    ("timeout", {"timeout": "-5m"}),
    ("timeout", {"timeout": 0}),
    ("deadline", {"deadline": "next tuesday"}),
    ("delay", {"delay": -1}),
    ("poll_interval", {"poll_interval": -0.5}),
    ("max_poll_interval", {"max_poll_interval": -2}),
    ("not_found_grace", {"not_found_grace": -1}),
    ("stable_for", {"stable_for": 0}),
    ("mode", {"mode": "some"}),
    ("target_states", {"target_states": ["Done"]}),
    ("failure_states", {"failure_states": ["Broken"]}),
    ("pending_states", {"pending_states": ["Waiting"]}),
    ("id", {"status": "Running"}),                      # id and filters mixed
    ("id", {"id": None}),                               # neither id nor filters
    ("expect", {"expect": [{"path": "status", "equals": "Completed", "matches": "C"}]}),
    ("expect", {"expect": [{"path": "status", "matches": "(("}]}),
    ("expect", {"expect": [{"path": "status", "equals": "Completed", "level": "warn"}]}),
    ("secret_key", {"auth_token": None, "access_key": "AK"}),
]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("option, change", BAD_INPUT, ids=["%s=%r" % (row[0], row[1]) for row in BAD_INPUT])
def test_bad_input_fails_before_any_request(sim, sim_time, service, option, change):
    params = wait_params(sim, service, id=["4f2c0a4e6b2e4f0e9a8c6c3a4d8b1e77"])
    params.update(change)
    if params.get("id") is None:
        params.pop("id")

    with pytest.raises(InvalidInput) as info:
        sim_time.run(params)

    assert info.value.option == option, str(info.value)
    assert option.split(".")[0] in str(info.value)
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("service, change, option, fragment", [
    ("rds", {"status": "Bogus"}, "status", "Running, Completed, Failed"),
    ("geminidb", {"order_id": "x"}, "order_id", "allowed: id, status, name, instance_id, start_time, end_time"),
    ("ddm", {"status": "Running"}, "status", "ddm supports lookup by id only"),
    ("servicestage", {"name": "provision"}, "name", "servicestage supports lookup by id only"),
    ("rds", {"start_time": "yesterday-ish"}, "start_time", "ISO 8601"),
])
def test_bad_filters_fail_before_any_request(sim, sim_time, service, change, option, fragment):
    with pytest.raises(InvalidInput) as info:
        sim_time.run(wait_params(sim, service, **change))

    assert info.value.option == option, str(info.value)
    assert fragment in str(info.value)
    assert "filters." not in str(info.value)
    assert sim.stats()["requests"] == 0


# ---------------------------------------------------------------------------
# the plain module (what runs when the action plugin is bypassed): same engine, real clock


def run_module(args, capsys):
    return run_module_main(wait_for_task.main, args, capsys)


def test_module_main_success_with_expect_warning(sim, capsys, module_process):
    job_id = sim.create_job("rds", duration=0)
    args = wait_params(sim, "rds", id=job_id, expect=[{"path": "name", "equals": "Other", "severity": "warn"}])

    result = run_module(args, capsys)

    assert result.get("failed") is not True, result
    assert result["succeeded"] == [job_id]
    # ansible-core 2.19+ wraps module warnings in WarningSummary dicts; older versions send strings.
    warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert warnings == ["task %s: name is 'CreateInstance', expected 'Other'" % job_id]
    assert sim.credentials["auth_token"] not in json.dumps(result)


def test_module_main_failure_keeps_the_data(sim, capsys):
    job_id = sim.create_job("geminidb", duration=0, outcome="failure", fail_reason="AZ sold out")

    result = run_module(wait_params(sim, "geminidb", id=job_id), capsys)

    assert result["failed"] is True
    assert "AZ sold out" in result["msg"]
    assert result["failed_ids"] == [job_id] and result["tasks"][0]["phase"] == "failed"


def test_module_main_bad_input_names_the_option(sim, capsys):
    result = run_module(wait_params(sim, "rds", id="x", timeout="abc"), capsys)

    assert result["failed"] is True
    assert result["error"] == {"type": "InvalidInput", "option": "timeout"} and "timeout" in result["msg"]
    assert sim.stats()["requests"] == 0
