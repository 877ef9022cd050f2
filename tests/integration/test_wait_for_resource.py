# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_resource (resource_wait.run_resource_wait and the module) against the simulator, in-process.

Resources are made by real create calls and jobs, and deleted by real delete calls, through
api_request's glue; the waits run on the simulator's ManualClock (nothing sleeps).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.api_call import api_request
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.resource_wait import run_resource_wait
from ansible_collections.taskgate.huaweicloud.plugins.modules import wait_for_resource

from support import run_module_main, service_requests, token_params

pytestmark = [pytest.mark.simulator, pytest.mark.usefixtures("fresh_token_cache")]

# service -> (create path, body, where the new resource's id is, its ready status)
CREATES = {
    "ecs": ("/v1/{project_id}/cloudservers", {"server": {"name": "web-1"}}, "serverIds.0", "ACTIVE"),
    "evs": ("/v2/{project_id}/cloudvolumes", {"volume": {"name": "data-1"}}, None, "available"),
    "rds": ("/v3/{project_id}/instances", {"name": "db-1"}, "instance.id", "ACTIVE"),
}


class Runner(object):
    """run_resource_wait / run_wait / api_request on the simulator's ManualClock."""

    def __init__(self, sim, sim_clock):
        self.sim = sim
        self.clock = sim_clock
        self.lines = []

    def sleep(self, seconds):
        self.clock.advance(seconds)

    def wait(self, **options):
        params = token_params(self.sim)
        params.update(poll_interval=1, max_poll_interval=5)
        params.update(options)
        return run_resource_wait(params, clock=self.clock.time, sleep=self.sleep, wall_clock=self.clock.time,
                                 emit=self.lines.append)

    def call(self, service, method, path, body=None):
        params = token_params(self.sim)
        params.update(service=service, method=method, path=path, body=body)
        return api_request(params)

    def create(self, service):
        path, body, id_path, _ready = CREATES[service]
        answer = self.call(service, "POST", path, body)
        job = self.sim.job(answer["job_id"])
        resource_id = job["instance_id"] if id_path is None else _dig(answer["json"], id_path)
        return answer["job_id"], resource_id


def _dig(data, path):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


@pytest.fixture
def runner(sim, sim_clock):
    sim.resources.configure(settle_for=8)
    return Runner(sim, sim_clock)


@pytest.mark.parametrize("service", sorted(CREATES))
def test_create_job_then_resource_ready(sim, runner, service):
    _job_id, resource_id = runner.create(service)

    result = runner.wait(service=service, id=resource_id)

    assert result["failed"] is False, result["msg"]
    [resource] = result["resources"]
    assert (resource["id"], resource["status"], resource["phase"]) == (resource_id, CREATES[service][3], "succeeded")
    statuses = [step["status"] for step in result["timeline"][resource_id]]
    # It was seen building (the job ran, then settle_for) before it was ready: the wait did not stop at the job.
    assert statuses[0] in ("BUILD", "creating") and statuses[-1] == CREATES[service][3]
    assert result["state"] == [CREATES[service][3]] if service != "evs" else ["available", "in-use"]
    assert result["msg"].startswith("1 of 1 resources succeeded after ")
    assert any(line.startswith("waiting for 1 %s to be " % resource["service"]) for line in runner.lines)


def test_an_error_state_fails_at_once_with_its_fault(sim, sim_clock, runner):
    _job_id, server = runner.create("ecs")
    sim.resources.break_(server, after=3, fault={"message": "No valid host was found.", "details": "host h-17 lost power"})

    result = runner.wait(service="ecs", id=server, timeout="30m")

    assert result["outcome"] == "failed"
    assert result["elapsed"] < 30, "an error state must not wait for the timeout"
    [resource] = result["resources"]
    assert (resource["status"], resource["phase"]) == ("ERROR", "failed")
    assert resource["fault"]["message"] == "No valid host was found."
    assert "ECS server web-1 %s failed with status ERROR" % server in result["msg"]
    assert "reason: No valid host was found" in result["msg"]


def test_a_failed_rds_create_fails_the_instance_wait(sim, runner):
    answer = runner.call("rds", "POST", "/v3/{project_id}/instances", {"name": "fail-db"})
    instance = answer["json"]["instance"]["id"]

    result = runner.wait(service="rds", id=instance)

    assert result["outcome"] == "failed" and result["resources"][0]["status"] == "FAILED"
    assert "RDS instance fail-db %s failed with status FAILED" % instance in result["msg"]


@pytest.mark.parametrize("service", sorted(CREATES))
def test_delete_then_gone(sim, sim_clock, runner, service):
    sim.resources.configure(linger=6)
    _job_id, resource_id = runner.create(service)
    assert runner.wait(service=service, id=resource_id)["outcome"] == "succeeded"
    delete = {"ecs": ("POST", "/v1/{project_id}/cloudservers/delete", {"servers": [{"id": resource_id}]}),
              "evs": ("DELETE", "/v2/{project_id}/cloudvolumes/" + resource_id, None),
              "rds": ("DELETE", "/v3/{project_id}/instances/" + resource_id, None)}[service]
    deleted = runner.call(service, *delete)

    result = runner.wait(service=service, id=resource_id, state="absent")

    assert deleted["job_id"]
    if service != "ecs":  # ECS deletes by POST with a list of servers
        assert deleted["resource_id"] == resource_id
    assert result["failed"] is False, result["msg"]
    [resource] = result["resources"]
    gone_status = "DELETED" if service == "ecs" else "absent"
    assert resource["status"] == gone_status
    assert resource["phase"] == ("succeeded" if service == "ecs" else "absent")
    assert result["timeline"][resource_id][-1]["status"] == gone_status
    assert result["state"] == ["absent"]


def test_a_resource_that_never_goes_times_out_naming_its_state(sim, sim_clock, runner):
    _job_id, server = runner.create("ecs")
    assert runner.wait(service="ecs", id=server)["outcome"] == "succeeded"
    sim.resources.keep(server)
    runner.call("ecs", "POST", "/v1/{project_id}/cloudservers/delete", {"servers": [{"id": server}]})

    result = runner.wait(service="ecs", id=server, state="absent", timeout="2m")

    assert result["outcome"] == "timeout"
    assert result["pending"] == [server]
    assert result["msg"].startswith("timed out after 2m")
    assert "ECS server web-1 %s ACTIVE" % server in result["msg"]


def test_many_rds_instances_are_batched_through_the_listing(sim, runner):
    instances = [runner.call("rds", "POST", "/v3/{project_id}/instances", {"name": "db-%d" % n})["json"]["instance"]["id"]
                 for n in range(120)]
    sim.reset_stats()

    result = runner.wait(service="rds", id=instances, max_poll_interval=10)

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["succeeded"] == instances
    listing = sim.stats()["by_endpoint"]["GET rds /v3/{project_id}/instances"]
    # Two pages a poll at most (100 instances a page), never one request per instance.
    assert listing == service_requests(sim) and listing <= 2 * result["polls"] < len(instances)


def test_many_ecs_servers_under_one_deadline(sim, runner):
    answer = runner.call("ecs", "POST", "/v1/{project_id}/cloudservers", {"server": {"name": "web", "count": 3}})
    servers = answer["json"]["serverIds"]

    result = runner.wait(service="ecs", id=servers, timeout="10m")

    assert result["outcome"] == "succeeded"
    assert [resource["id"] for resource in result["resources"]] == servers
    assert result["deadline"] == pytest.approx(runner.clock.time() - result["elapsed"] + 600, abs=1)


def test_a_gateway_404_is_never_gone(sim, runner):
    params = token_params(sim)
    params["endpoints"] = dict(params["endpoints"], ecs=sim.url + "/nowhere")

    result = run_resource_wait(dict(params, service="ecs", id="0b7f8e4a-7c55-4f6c-9a62-3f1f0b6a9d10", state=["absent"]),
                               clock=runner.clock.time, sleep=runner.sleep, wall_clock=runner.clock.time)

    assert result["outcome"] == "error"
    assert result["error"]["error_code"] == "APIGW.0101"


@pytest.mark.parametrize("options, option, words", [
    (dict(service="ecs", state="RUNNING"), "state", "'RUNNING' is not a state of this resource; allowed: BUILD"),
    (dict(service="ecs", state=["absent", "ACTIVE"]), "state", "absent waits for deletion"),
    (dict(service="evs", resource="disk"), "resource", "resource must be one of volume for service evs; got 'disk'"),
    (dict(service="bms"), "service", "service must be one of ecs, evs, rds"),
    (dict(service="ecs", timeout="soon"), "timeout", "timeout"),
])
def test_bad_options_fail_before_any_request(sim, runner, options, option, words):
    with pytest.raises(InvalidInput) as caught:
        runner.wait(id="x", **options)
    assert caught.value.details["option"] == option
    assert words in str(caught.value)
    assert service_requests(sim) == 0


def test_the_module_in_check_mode_and_its_failure_shape(sim, sim_clock, capsys, module_process):
    server = sim.job(sim.create_job("ecs", duration=1))["entity_ids"][0]
    sim_clock.advance(2)

    done = run_module_main(wait_for_resource.main, dict(token_params(sim), service="ecs", id=[server], _ansible_check_mode=True), capsys)
    bad = run_module_main(wait_for_resource.main, dict(token_params(sim), service="ecs", id=[server], state=["up"]), capsys)

    assert done.get("failed") is not True and done["changed"] is False
    assert done["resources"][0]["status"] == "ACTIVE" and done["by_id"][server]["phase"] == "succeeded"
    assert bad["failed"] is True and bad["error"]["type"] == "InvalidInput" and bad["error"]["option"] == "state"
    assert sim.credentials["auth_token"] not in str(bad)


# ---------------------------------------------------------------------------
# wait_for_task resource_state: the job, then the resource, one deadline


def run_task(runner, **options):
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.resource_wait import run_task_wait
    params = token_params(runner.sim)
    params.update(poll_interval=1, max_poll_interval=5)
    params.update(options)
    return run_task_wait(params, clock=runner.clock.time, sleep=runner.sleep, wall_clock=runner.clock.time, emit=runner.lines.append)


@pytest.mark.parametrize("service", sorted(CREATES))
def test_wait_for_task_then_the_resource_it_made(sim, runner, service):
    job_id, resource_id = runner.create(service)

    result = run_task(runner, service=service, id=job_id, resource_state=[CREATES[service][3]])

    assert result["failed"] is False, result["msg"]
    assert (result["phases"]["job"]["outcome"], result["phases"]["resource"]["outcome"]) == ("succeeded", "succeeded")
    assert [resource["id"] for resource in result["resources"]] == [resource_id]
    # Both phases on the timeline: the job ended first, the resource settled after.
    assert job_id in result["timeline"] and result["timeline"][resource_id][-1]["status"] == CREATES[service][3]
    assert result["msg"].startswith("job phase: 1 of 1 tasks succeeded") and "Resource phase: 1 of 1 resources succeeded" in result["msg"]


def test_an_ecs_batch_job_then_every_server_and_the_shared_deadline(sim, runner):
    answer = runner.call("ecs", "POST", "/v1/{project_id}/cloudservers", {"server": {"name": "web", "count": 2}})
    sim.resources.configure(settle_for=600)

    result = run_task(runner, service="ecs", id=answer["job_id"], resource_state="ACTIVE", timeout="3m")

    assert result["outcome"] == "timeout" and result["phases"]["job"]["outcome"] == "succeeded"
    assert sorted(result["pending"]) == sorted(answer["json"]["serverIds"])
    assert result["elapsed"] == pytest.approx(180, abs=6), "the resource phase has what is left of the job's deadline"
    assert "Resource phase: timed out" in result["msg"] and "BUILD" in result["msg"]


def test_a_failed_job_skips_the_resource_phase(sim, runner):
    job_id = sim.create_job("rds", duration=5, outcome="failure")

    result = run_task(runner, service="rds", id=job_id, resource_state="ACTIVE")

    assert result["outcome"] == "failed" and result["phases"]["resource"]["outcome"] == "skipped"
    assert "The resource phase did not start" in result["msg"]
    assert "resources" not in result


def test_a_delete_job_then_gone(sim, runner):
    _job, server = runner.create("ecs")
    assert runner.wait(service="ecs", id=server)["outcome"] == "succeeded"
    deleted = runner.call("ecs", "POST", "/v1/{project_id}/cloudservers/delete", {"servers": [{"id": server}]})

    result = run_task(runner, service="ecs", id=deleted["job_id"], resource_state="absent")

    assert result["outcome"] == "succeeded", result["msg"]
    assert result["resources"][0]["id"] == server and result["resources"][0]["status"] in ("DELETED", "absent")


@pytest.mark.parametrize("options, words", [
    (dict(service="ddm", id="j"), "resource_state goes with service ecs, evs, rds"),
    (dict(service="ecs", id="j", resource_state="RUNNING"), "resource_state: 'RUNNING' is not a state"),
])
def test_resource_state_is_checked_before_any_request(sim, runner, options, words):
    with pytest.raises(InvalidInput) as caught:
        run_task(runner, **dict(dict(resource_state="ACTIVE"), **options))
    assert caught.value.details["option"] == "resource_state" and words in str(caught.value)
    assert service_requests(sim) == 0
