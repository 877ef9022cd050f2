# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declared resource waits (wait_for_resource with api) against the simulator, with the definitions of the
"Resource states and deletions" guide as the page shows them (read from docs/docsite/rst/resource_states.rst).

Only the host gives way to the simulator's endpoint: everything else is the page's.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import textwrap

import pytest
import yaml

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.resource_wait import run_resource_wait

from support import service_requests, token_params

pytestmark = [pytest.mark.simulator, pytest.mark.usefixtures("fresh_token_cache")]

GUIDE = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs", "docsite", "rst", "resource_states.rst")
WAIT = "taskgate.huaweicloud.wait_for_resource"
DDS_LIST = "GET dds /v3/{project_id}/instances"
CCE_SHOW = "GET cce /api/v3/projects/{project_id}/clusters/{cluster_id}"


def guide_tasks():
    """Every task of the guide's yaml+jinja blocks."""
    with open(GUIDE) as handle:
        text = handle.read()
    tasks = []
    for block in re.findall(r"\.\. code-block:: yaml\+jinja\n\n((?:   .*\n|\n)+)", text):
        tasks.extend(yaml.safe_load(textwrap.dedent(block)))
    return tasks


def guide_api(label, sim):
    """The guide's definition labelled ``label``, aimed at the simulator (host -> endpoint)."""
    for task in guide_tasks():
        options = task.get(WAIT) or {}
        for api in [options.get("api")] + list((task.get("vars") or {}).values()):
            if isinstance(api, dict) and api.get("label") == label:
                api = dict(api)
                api["endpoint"] = "%s/%s" % (sim.url, api.pop("host"))
                return api, options
    raise AssertionError("the guide has no definition labelled %s" % label)


def test_the_guide_waits_for_both_declared_resources_and_a_deletion():
    waits = [task[WAIT] for task in guide_tasks() if WAIT in task and isinstance(task[WAIT].get("api"), (dict, str))]
    labels = [wait["api"]["label"] if isinstance(wait["api"], dict) else wait["api"] for wait in waits]
    assert "cce-cluster" in labels and "{{ dds_instance_api }}" in labels
    assert any(wait.get("state") == "absent" and isinstance(wait["api"], dict) and wait["api"]["label"] == "dds-instance"
               for wait in waits)


class Runner(object):
    def __init__(self, sim, sim_clock):
        self.sim = sim
        self.clock = sim_clock

    def wait(self, api, **options):
        params = token_params(self.sim)
        params.update(api=api, poll_interval=1, max_poll_interval=5)
        params.update(options)
        return run_resource_wait(params, clock=self.clock.time, sleep=self.clock.advance, wall_clock=self.clock.time)


@pytest.fixture
def runner(sim, sim_clock):
    return Runner(sim, sim_clock)


def test_cce_cluster_reaches_available_then_is_gone_after_its_delete(sim, runner):
    api, options = guide_api("cce-cluster", sim)
    cluster = sim.resources.create("cce", name="prod-k8s", build_for=40)

    ready = runner.wait(api, id=cluster, timeout=options["timeout"])
    sim.resources.delete(cluster, duration=30)
    gone = runner.wait(api, id=cluster, state="absent", timeout="5m")

    assert ready["outcome"] == "succeeded", ready["msg"]
    assert [step["status"] for step in ready["timeline"][cluster]] == ["Creating", "Available"]
    assert ready["resources"][0]["name"] == "prod-k8s" and ready["resources"][0]["service"] == "cce-cluster"
    assert gone["outcome"] == "succeeded", gone["msg"]
    assert [step["status"] for step in gone["timeline"][cluster]] == ["Deleting", "absent"]
    assert set(sim.stats()["by_endpoint"]) == {CCE_SHOW}


def test_dds_instance_reaches_normal_then_is_gone_with_query_string_and_params(sim, runner):
    api, _options = guide_api("dds-instance", sim)
    instance = sim.resources.create("dds", name="orders", build_for=20)

    ready = runner.wait(api, id=instance)
    runner_delete = sim.resources.delete(instance, duration=15)
    gone = runner.wait(api, id=instance, state="absent", timeout="20m")

    assert runner_delete is None
    assert ready["outcome"] == "succeeded", ready["msg"]
    assert ready["resources"][0]["status"] == "normal" and ready["resources"][0]["name"] == "orders"
    assert gone["outcome"] == "succeeded", gone["msg"]
    assert gone["resources"][0]["status"] == "absent" and gone["resources"][0]["phase"] == "absent"
    assert set(sim.stats()["by_endpoint"]) == {DDS_LIST}


def test_the_params_value_reaches_the_query_string(sim, runner):
    api, _options = guide_api("dds-instance", sim)
    instance = sim.resources.create("dds", build_for=0)

    # The simulator's DDS listing knows the engine DDS only: another engine is its 400.
    result = runner.wait(dict(api, params={"engine": "Cassandra"}), id=instance)

    assert result["outcome"] == "error"
    assert result["error"]["error_code"] == "DBS.200001"
    assert "datastore_type='Cassandra'" in result["error"]["error_msg"]


def test_a_dds_instance_that_breaks_fails_at_once(sim, runner):
    api, _options = guide_api("dds-instance", sim)
    instance = sim.resources.create("dds", build_for=60)
    sim.resources.break_(instance, after=10)

    result = runner.wait(api, id=instance, timeout="30m")

    assert result["outcome"] == "failed" and result["elapsed"] < 60
    assert "dds-instance" in result["msg"] and "failed with status abnormal" in result["msg"]


def test_a_declared_deletion_that_never_ends_times_out_naming_its_state(sim, runner):
    api, _options = guide_api("cce-cluster", sim)
    cluster = sim.resources.create("cce", build_for=0)
    sim.resources.delete(cluster, stuck=True)

    result = runner.wait(api, id=cluster, state="absent", timeout="3m")

    assert result["outcome"] == "timeout"
    assert "cce-cluster" in result["msg"] and "Deleting" in result["msg"]


def test_a_gateway_404_is_not_gone_for_a_declared_resource(sim, runner):
    api, _options = guide_api("cce-cluster", sim)

    result = runner.wait(dict(api, path="/api/v3/projects/{project_id}/clustrs/{id}"), id="c-1", state="absent")

    assert result["outcome"] == "error" and result["error"]["error_code"] == "APIGW.0101"


@pytest.mark.parametrize("change, option, words", [
    ({"path": "/v3/{project_id}/instances?id={id}&datastore_type={engine}", "params": None}, "api.path",
     "{engine}, which api.params does not define"),
    ({"params": {"engine": "DDS", "mode": "Sharding"}}, "api.params", "defines mode, which api.path does not use"),
    ({"params": {"engine": "a/b"}}, "api.params.engine", "must not hold /"),
    ({"gone_on": {"codes": ["APIGW.0101"]}}, "api.gone_on.codes", "gateway code"),
    ({"gone_on": {"gone": True}}, "api.gone_on.gone", "is not a key of api.gone_on"),
    ({"status": "instances..status"}, "api.status", "dotted path"),
])
def test_bad_declarations_fail_before_any_request(sim, runner, change, option, words):
    api, _options = guide_api("dds-instance", sim)
    api.update(change)
    api = dict((key, value) for key, value in api.items() if value is not None)

    with pytest.raises(InvalidInput) as caught:
        runner.wait(api, id="x")

    assert caught.value.details["option"] == option
    assert words in str(caught.value)
    assert service_requests(sim) == 0


def test_a_state_the_declaration_does_not_list_fails_before_any_request(sim, runner):
    api, _options = guide_api("cce-cluster", sim)
    with pytest.raises(InvalidInput) as caught:
        runner.wait(api, id="x", state="Running")
    assert caught.value.details["option"] == "state" and "Available" in str(caught.value)
    assert service_requests(sim) == 0
