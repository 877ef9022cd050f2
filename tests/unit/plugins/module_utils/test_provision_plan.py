# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""provision_plan: step validation, waves and the bookkeeping of provision_results."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import provision_plan as planning
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput


def s(name, service="rds", depends_on=None, **extra):
    step = {"name": name, "service": service, "request": {"path": "/v3/{project_id}/instances", "body": {"name": name}}}
    if depends_on is not None:
        step["depends_on"] = depends_on
    step.update(extra)
    return step


# (case, steps, expected waves)
WAVE_CASES = [
    ("single", [s("a")], [["a"]]),
    ("independent steps share a wave", [s("a"), s("b", "ddm")], [["a", "b"]]),
    ("chain", [s("a"), s("b", depends_on=["a"]), s("c", depends_on=["b"])], [["a"], ["b"], ["c"]]),
    ("diamond", [s("a"), s("b", depends_on=["a"]), s("c", depends_on=["a"]), s("d", depends_on=["b", "c"])],
     [["a"], ["b", "c"], ["d"]]),
    ("order of the input does not matter", [s("c", depends_on=["b"]), s("b", depends_on=["a"]), s("a")],
     [["a"], ["b"], ["c"]]),
    ("a step waits for its deepest dependency", [s("a"), s("b", depends_on=["a"]), s("c", depends_on=["a", "b"]), s("x")],
     [["a", "x"], ["b"], ["c"]]),
    ("depends_on as a string", [s("a"), s("b", depends_on="a")], [["a"], ["b"]]),
]


@pytest.mark.parametrize("steps, waves", [case[1:] for case in WAVE_CASES], ids=[case[0] for case in WAVE_CASES])
def test_waves(steps, waves):
    plan = planning.build_plan(steps)
    assert plan["waves"] == waves
    assert plan["order"] == [step["name"] for step in steps]


# (case, steps, fragments expected in the error)
ERROR_CASES = [
    ("empty list", [], ["non-empty list"]),
    ("not a list", {"name": "a"}, ["non-empty list"]),
    ("step not a dict", ["a"], ["provision_steps[0]", "must be a dict"]),
    ("unknown step key", [s("a", retries=3)], ["provision_steps[0] (a): unknown key(s) retries", "allowed: name"]),
    ("unknown request key", [dict(s("a"), request={"path": "/x", "headers": {}})], ["unknown request key(s) headers"]),
    ("request without path", [dict(s("a"), request={"method": "POST"})], ["request.path is required"]),
    ("missing request", [{"name": "a", "service": "rds"}], ["request must be a dict"]),
    ("unknown gate key", [s("a", gate={"retries": 2})], ["unknown gate key(s) retries"]),
    ("unknown exists key", [s("a", exists={"path": "/x", "where": 1})], ["unknown exists key(s) where"]),
    ("exists must be a GET", [s("a", exists={"path": "/x", "method": "POST"})], ["exists.method must be GET"]),
    ("bad service", [s("a", service="dws")],
     ["service must be one of geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, "
      "bss_order; got 'dws'"]),
    ("no name", [{"service": "rds", "request": {"path": "/x"}}], ["name is required"]),
    ("duplicate names", [s("a"), s("a", "ddm")], ["provision_steps[1] (a): duplicate step name 'a' (also provision_steps[0])"]),
    ("missing dependency", [s("a", depends_on=["nope"])], ["depends_on names unknown step 'nope' (known: a)"]),
    ("self dependency", [s("a", depends_on=["a"])], ["depends on itself"]),
    ("two-step cycle", [s("a", depends_on=["b"]), s("b", depends_on=["a"])], ["dependency cycle a -> b -> a"]),
    ("cycle behind a root", [s("r"), s("a", depends_on=["r", "c"]), s("b", depends_on=["a"]), s("c", depends_on=["b"])],
     ["dependency cycle a -> c -> b -> a"]),
    ("depends_on of the wrong type", [s("a", depends_on=[1])], ["depends_on must be a list of step names"]),
    ("result used without dependency", [s("a"), dict(s("b"), request={"path": "/x/{{ provision_results.a.instance_id }}"})],
     ["provision_steps[1] (b): uses provision_results 'a' but does not depend on it"]),
    ("result used with bracket syntax", [s("a-1"), dict(s("b"), request={"path": "/x", "body": {"x": "{{ provision_results['a-1'].job_id }}"}})],
     ["uses provision_results 'a-1'"]),
    ("every problem is listed", [s("a", retries=1), s("b", service="dws")], ["unknown key(s) retries", "got 'dws'"]),
]


@pytest.mark.parametrize("steps, fragments", [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES])
def test_plan_errors(steps, fragments):
    with pytest.raises(InvalidInput) as info:
        planning.build_plan(steps)
    assert info.value.option == "provision_steps"
    for fragment in fragments:
        assert fragment in info.value.message


def test_result_references_through_transitive_dependencies_are_fine():
    steps = [s("a"), s("b", depends_on=["a"]),
             dict(s("c", depends_on=["b"]), request={"path": "/x", "body": {"db": "{{ provision_results.a.instance_id }}"}})]
    assert planning.build_plan(steps)["waves"] == [["a"], ["b"], ["c"]]


def test_templates_are_kept_unrendered():
    template = "{{ provision_results.a.instance_id }}"
    plan = planning.build_plan([s("a"), dict(s("b", depends_on=["a"]), request={"path": "/x", "body": {"db": template}})])
    assert plan["steps"]["b"]["request"]["body"]["db"] is template


@pytest.mark.parametrize("value, seconds", [(90, 90.0), (1.5, 1.5), ("90", 90.0), ("90s", 90.0), ("30m", 1800.0),
                                            ("1h30m", 5400.0), ("1d", 86400.0), ("2h 5s", 7205.0)])
def test_parse_duration(value, seconds):
    assert planning.parse_duration(value, "provision_timeout") == seconds


@pytest.mark.parametrize("value", ["", "soon", "10 minutes", "-5", -5, None, True, "1h?"])
def test_parse_duration_rejects(value):
    with pytest.raises(InvalidInput) as info:
        planning.parse_duration(value, "provision_timeout")
    assert info.value.option == "provision_timeout"


# ---- bookkeeping -------------------------------------------------------------------------

def plan_of(*steps):
    return planning.build_plan(list(steps))


def test_wave_calls_for_exists_and_issue():
    plan = plan_of(s("a", exists={"path": "/v3/{project_id}/instances", "query": {"name": "a"}, "result_path": "instances"}),
                   s("b", "ddm", request={"method": "put", "path": "/v1/x", "status_code": [200], "job_id_path": "job.id"}))
    assert planning.wave_calls(plan, ["a", "b"], {}, "exists") == [
        {"name": "a", "service": "rds", "method": "GET", "path": "/v3/{project_id}/instances", "query": {"name": "a"}}]
    assert planning.wave_calls(plan, ["a", "b"], {}, "issue") == [
        {"name": "a", "service": "rds", "method": "POST", "path": "/v3/{project_id}/instances", "body": {"name": "a"}},
        {"name": "b", "service": "ddm", "method": "PUT", "path": "/v1/x", "status_code": [200], "job_id_path": "job.id"}]
    # A step recorded as existing is not issued.
    assert [c["name"] for c in planning.wave_calls(plan, ["a", "b"], {"a": {"state": "existing"}}, "issue")] == ["b"]


EXISTS = {"path": "/x", "result_path": "instances", "match": {"name": "db-1"}}


@pytest.mark.parametrize("payload, found_id", [
    ({"instances": [{"id": "i-2", "name": "other"}, {"id": "i-1", "name": "db-1"}]}, "i-1"),
    ({"instances": [{"id": "i-2", "name": "other"}]}, None),
    ({"instances": []}, None),
    ({}, None),
    (None, None),
])
def test_existing_match(payload, found_id):
    found = planning.existing_match(EXISTS, payload)
    assert (found or {}).get("id") == found_id


def test_existing_match_without_match_takes_the_first_item():
    assert planning.existing_match({"result_path": "instances"}, {"instances": [{"id": "x"}]}) == {"id": "x"}


def test_record_flow_through_a_wave():
    plan = plan_of(s("a", exists={"path": "/x", "result_path": "instances"}), s("b", "geminidb"), s("c", "geminidb"),
                   s("d", "ddm", gate=False), s("e", depends_on=["a"]))
    wave = plan["waves"][0]
    assert wave == ["a", "b", "c", "d"]
    results = planning.record_exists({}, plan, [
        {"item": {"name": "a"}, "json": {"instances": [{"id": "in-a", "name": "a"}]}, "request_id": "r0"},
        {"item": {"name": "e"}, "json": {"instances": [{"id": "stale"}]}},  # not of this wave: ignored
    ], 1, wave)
    assert results["a"]["state"] == "existing" and results["a"]["instance_id"] == "in-a" and "e" not in results
    results = planning.record_issued(results, plan, [
        {"item": {"name": "b"}, "changed": True, "json": {"id": "in-b", "job_id": "j-b"}, "job_id": "j-b", "status": 202},
        {"item": {"name": "c"}, "changed": True, "json": {"id": "in-c", "job_id": "j-c"}, "job_id": "j-c", "status": 202},
        {"item": {"name": "d"}, "changed": True, "json": {"job_id": "j-d"}, "job_id": "j-d", "status": 200},
    ], 1, wave)
    assert [results[n]["state"] for n in "abcd"] == ["existing", "issued", "issued", "done"]
    assert results["b"]["instance_id"] == "in-b"
    gates = planning.wave_gates(plan, wave, results)
    assert gates == [{"service": "geminidb", "ids": ["j-b", "j-c"], "steps": ["b", "c"], "gate": {}}]
    results = planning.record_gates(results, [{
        "item": gates[0], "failed": True, "msg": "1 of 2 tasks failed",
        "tasks": [{"id": "j-b", "phase": "succeeded", "instance": {"id": "in-b"}},
                  {"id": "j-c", "phase": "failed", "instance": {"id": "in-c"}}]}], wave)
    assert (results["b"]["state"], results["c"]["state"]) == ("succeeded", "failed")
    assert results["c"]["msg"] == "1 of 2 tasks failed"
    assert planning.summary(plan, results) == [
        "a (rds): existing instance_id=in-a", "b (geminidb): succeeded instance_id=in-b job_id=j-b",
        "c (geminidb): failed instance_id=in-c job_id=j-c", "d (ddm): done job_id=j-d", "e (rds): not issued"]
    assert planning.failures(results) == ["wave 1 step c (geminidb): 1 of 2 tasks failed"]


def test_gates_group_by_service_and_gate_options():
    plan = plan_of(s("a"), s("b"), s("c", gate={"timeout": "5m"}), s("d", "ddm"))
    results = dict((n, {"state": "issued", "job_id": "j-" + n}) for n in "abcd")
    gates = planning.wave_gates(plan, ["a", "b", "c", "d"], results)
    assert [(g["service"], g["steps"], g["gate"]) for g in gates] == [
        ("rds", ["a", "b"], {}), ("rds", ["c"], {"timeout": "5m"}), ("ddm", ["d"], {})]


def test_failed_requests_and_check_mode_are_recorded():
    plan = plan_of(s("a"), s("b"))
    results = planning.record_issued({}, plan, [
        {"item": {"name": "a"}, "failed": True, "msg": "rds POST failed: HTTP 400"},
        {"item": {"name": "b"}, "skipped": True, "changed": True, "msg": "check mode"},
    ], 1, ["a", "b"])
    assert (results["a"]["state"], results["a"]["msg"]) == ("request_failed", "rds POST failed: HTTP 400")
    assert results["b"]["state"] == "check_mode"
    assert planning.wave_gates(plan, ["a", "b"], results) == []
    assert planning.failures(results) == ["wave 1 step a (rds): rds POST failed: HTTP 400"]


@pytest.mark.parametrize("payload, instance_id", [
    ({"instance": {"id": "in01"}, "job_id": "j"}, "in01"),
    ({"id": "in06", "job_id": "j"}, "in06"),
    ({"instance_id": "0361524c", "job_id": "j"}, "0361524c"),
    ({"job_id": "j"}, None),
    (None, None),
])
def test_find_instance_id(payload, instance_id):
    assert planning.find_instance_id(payload) == instance_id


def test_a_prepaid_create_is_gated_on_its_order_and_takes_the_resource_it_made():
    plan = plan_of(s("db", gate={"timeout": "20m", "poll_interval": 5, "target_states": ["Completed"]}), s("app", "geminidb"))
    wave = plan["waves"][0]
    results = planning.record_issued({}, plan, [
        # A prepaid create answers an order, not a job (api_request's order_id).
        {"item": {"name": "db"}, "changed": True, "json": {"instance": {"id": "in-db"}, "order_id": "CS1"},
         "job_id": None, "order_id": "CS1", "status": 202},
        {"item": {"name": "app"}, "changed": True, "json": {"job_id": "j-app"}, "job_id": "j-app", "status": 202},
    ], 1, wave)
    assert (results["db"]["state"], results["db"]["order_id"]) == ("issued", "CS1")
    assert "order_id" not in results["app"]

    gates = planning.wave_gates(plan, wave, results)
    # The order's wait keeps the step's timing, not the options about the job's own statuses.
    assert gates == [{"service": planning.ORDER_SERVICE, "ids": ["CS1"], "steps": ["db"], "gate": {"timeout": "20m", "poll_interval": 5}},
                     {"service": "geminidb", "ids": ["j-app"], "steps": ["app"], "gate": {}}]

    results = planning.record_gates(results, [{"item": gates[0], "tasks": [
        {"id": "CS1", "phase": "succeeded", "instance": {"id": "in-db"}, "resource_ids": ["in-db", "in-db-disk"]}]}], wave)
    assert (results["db"]["state"], results["db"]["instance_id"], results["db"]["resource_ids"]) == (
        "succeeded", "in-db", ["in-db", "in-db-disk"])
    assert planning.summary(plan, results)[0] == "db (rds): succeeded instance_id=in-db order_id=CS1"


def test_the_order_service_is_the_catalogs():
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG
    assert CATALOG[planning.ORDER_SERVICE].get("order_resources")
