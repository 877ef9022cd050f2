# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""declared_api: a job API the user declares is checked once (InvalidInput naming api.<key>, nothing
sent) and becomes a catalog entry that the task model, the rules and the client read like a built-in one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.taskgate.huaweicloud.plugins.doc_fragments import declared_api as fragment
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import catalog, declared_api
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import check_response
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import FAILURE, PENDING, TARGET, UNEXPECTED, CompletionRules
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import query_argument_spec, run_task_query
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import ARGUMENT_CONSTRAINTS, argument_spec, plan_wait
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import run_wait
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

NOW = 1767225600.0  # 2026-01-01T00:00:00Z
PROJECT = "p" * 32
AUTH = {"auth_token": "unit-test-token", "region": "eu-west-101", "project_id": PROJECT}

# The ECS-family job API (api-notes.md), as a user declares it.
ECS = {
    "label": "unit-ecs",  # no other test module declares this label: the name stays the label
    "endpoint": "http://127.0.0.1:9/ecs/",
    "path": "/v1/{project_id}/jobs/{id}",
    "status": "status",
    "pending": ["INIT", "RUNNING"],
    "succeeded": ["SUCCESS"],
    "failed": ["FAIL"],
    "name": "job_type",
    "created_at": "begin_time",
    "ended_at": "end_time",
    "fail_reason": "entities.sub_jobs.0.fail_reason",
    "subtasks": "entities.sub_jobs",
    "id": "job_id",
}

ECS_FAILED = {
    "status": "FAIL", "job_id": "j-1", "job_type": "createServer", "begin_time": "2026-01-01T00:00:00.000Z",
    "end_time": "2026-01-01T00:05:00.000Z", "error_code": "Ecs.0319", "fail_reason": None,
    "entities": {"sub_jobs_total": 1, "sub_jobs": [
        {"status": "FAIL", "job_id": "s-1", "job_type": "createSingleServer", "begin_time": "2026-01-01T00:00:00.000Z",
         "end_time": "2026-01-01T00:05:00.000Z", "error_code": "Ecs.0319", "fail_reason": "Insufficient resources",
         "entities": {"server_id": "srv-1"}}]},
}


class ExplodingSession(object):
    """A requests.Session stand-in that fails the test if anything is sent."""

    def request(self, *args, **kwargs):
        raise AssertionError("a request was sent: %r %r" % (args, kwargs))

    def close(self):
        pass


def definition(**changes):
    merged = dict(ECS)
    merged.update(changes)
    return dict((key, value) for key, value in merged.items() if value is not None)


# ---------------------------------------------------------------------------
# bad definitions: InvalidInput naming api.<key>, before anything is sent


BAD_DEFINITIONS = [
    ("api.path", {"path": None}, "is required"),
    ("api.path", {"path": "v1/{project_id}/jobs/{id}"}, "leading /"),
    ("api.path", {"path": "/v1/{project_id}/jobs?id={job}"}, "{job}, which api.params does not define"),
    ("api.path", {"path": "/v1/{project_id}/jobs?id={id}&p={project_id}"}, "{project_id} in its path part only"),
    ("api.path", {"path": "/v1/{project_id}/jobs/{id}?"}, "empty query string"),
    ("api.path", {"path": "/v1/{project_id}/jobs/{id}?x={id}"}, "must hold {id} once"),
    ("api.params", {"params": {"cluster": "c-1"}}, "defines cluster, which api.path does not use"),
    ("api.params", {"params": ["cluster"]}, "must be a dict"),
    ("api.params", {"params": {"id": "x"}}, "not id or project_id"),
    ("api.params.cluster", {"path": "/v1/{cluster}/jobs/{id}", "params": {"cluster": "a/b"}}, "must not hold /"),
    ("api.params.cluster", {"path": "/v1/{cluster}/jobs/{id}", "params": {"cluster": ""}}, "non-empty string"),
    ("api.gone_on", {"gone_on": {}}, "must be a dict with codes"),
    ("api.gone_on.status", {"gone_on": {"status": 404}}, "is not a key of api.gone_on"),
    ("api.gone_on.codes", {"gone_on": {"codes": ["APIGW.0101"]}}, "cannot list a gateway code"),
    ("api.gone_on.codes", {"gone_on": {"codes": []}}, "non-empty error codes"),
    ("api.gone_on.empty", {"gone_on": {"empty": "instances..x"}}, "dotted path"),
    ("api.gone_on", {"gone_on": {"not_found": False}}, "must set codes"),
    ("api.path", {"path": "/v1/{project_id}/jobs/{job_id}"}, "{job_id}"),
    ("api.path", {"path": "/v1/{tenant}/jobs/{id}"}, "{tenant}"),
    ("api.path", {"path": "/v1/{project_id}/jobs"}, "must hold {id} once"),
    ("api.path", {"path": "/v1/{id}/jobs/{id}"}, "must hold {id} once"),
    ("api.path", {"path": "/v1/{project_id}/jobs/{id"}, "unmatched"),
    ("api.path", {"path": 42}, "non-empty string"),
    ("api.status", {"status": None}, "is required"),
    ("api.status", {"status": "status..phase"}, "dotted path"),
    ("api.status", {"status": "  "}, "non-empty string"),
    ("api.succeeded", {"succeeded": []}, "at least one status"),
    ("api.succeeded", {"succeeded": None}, "at least one status"),
    ("api.pending", {"pending": None}, "at least one status (or api.running must)"),
    ("api.running", {"running": ["RUNNING"]}, "'RUNNING', which api.pending lists too"),
    ("api.pending", {"pending": ["INIT", ""]}, "non-empty status"),
    ("api.pending", {"pending": {"INIT": 1}}, "list of statuses"),
    ("api.failed", {"failed": ["FAIL", "running"]}, "'running', which api.pending lists too"),
    ("api.succeeded", {"succeeded": ["SUCCESS", " init "]}, "which api.pending lists too"),
    ("api.endpoint", {"endpoint": None}, "or api.host is required"),
    ("api.endpoint", {"endpoint": "ftp://ecs.example.com"}, "http:// or https://"),
    ("api.endpoint", {"endpoint": "https://ecs.example.com/?x=1"}, "without query string"),
    ("api.host", {"endpoint": None, "host": "https://ecs"}, "host name prefix"),
    ("api.label", {"label": "rds"}, "built-in service"),
    ("api.fail_reason", {"fail_reason": "entities..fail_reason"}, "dotted path"),
    ("api.subtasks", {"subtasks": 3}, "non-empty string"),
    ("api.job_id_path", {"job_id_path": "job_id"}, "allowed keys: label, endpoint, host, path"),
]


@pytest.mark.parametrize("option, change, words", BAD_DEFINITIONS, ids=["%s=%r" % row[:2] for row in BAD_DEFINITIONS])
def test_bad_definitions_name_the_key(option, change, words):
    with pytest.raises(InvalidInput) as info:
        declared_api.declare(definition(**change))
    assert info.value.option == option
    assert str(info.value).startswith(option + " ")
    assert words in str(info.value)


@pytest.mark.parametrize("value", ["not a dict", ["path"], 3])
def test_a_definition_must_be_a_dict(value):
    with pytest.raises(InvalidInput) as info:
        declared_api.declare(value)
    assert info.value.option == "api"


@pytest.mark.parametrize("option, change, words", BAD_DEFINITIONS[:6], ids=["%s=%r" % row[:2] for row in BAD_DEFINITIONS[:6]])
def test_bad_definitions_send_nothing_from_any_entry_point(fake_clock, option, change, words):
    params = dict(AUTH, api=definition(**change), id=["j-1"])
    with pytest.raises(InvalidInput) as info:
        run_wait(params, clock=fake_clock, sleep=fake_clock.sleep, wall_clock=lambda: NOW, session=ExplodingSession())
    assert info.value.option == option
    client = Client(ClientConfig.from_params(dict(AUTH)), session=ExplodingSession())
    with pytest.raises(InvalidInput) as info:
        run_task_query(dict(dict((name, None) for name in query_argument_spec()), **params), client=client)
    assert info.value.option == option
    assert fake_clock.sleeps == []


def test_service_and_api_are_one_or_the_other():
    for given, words in (({"service": "rds", "api": ECS}, "mutually exclusive: service|api"),
                         ({}, "one of the following is required: service, api")):
        with pytest.raises(InvalidInput) as info:
            plan_wait(dict(AUTH, id=["j-1"], **given), wall_clock=lambda: NOW)
        assert words in str(info.value)
        assert info.value.option == "service"
        # Ansible's own check (module and action plugin) says the same.
        validation = ArgumentSpecValidator(argument_spec(), **ARGUMENT_CONSTRAINTS).validate(dict(AUTH, id=["j-1"], **given))
        assert any(words in message for message in validation.error_messages), validation.error_messages


def test_a_declared_api_supports_ids_only():
    with pytest.raises(InvalidInput) as info:
        plan_wait(dict(AUTH, api=ECS, status="RUNNING"), wall_clock=lambda: NOW)
    assert info.value.option == "status"
    assert "lookup by id only" in str(info.value)


def test_ansible_rejects_unknown_keys_of_api_and_fills_the_others_with_none():
    validation = ArgumentSpecValidator(argument_spec(), **ARGUMENT_CONSTRAINTS).validate(dict(AUTH, id=["j-1"], api=dict(ECS, jobs="x")))
    assert any("api.jobs" in message for message in validation.error_messages), validation.error_messages
    validation = ArgumentSpecValidator(argument_spec(), **ARGUMENT_CONSTRAINTS).validate(dict(AUTH, id=["j-1"], api=dict(ECS)))
    assert validation.error_messages == []
    assert validation.validated_parameters["api"]["progress"] is None
    assert declared_api.declare(validation.validated_parameters["api"]) == "unit-ecs"


# ---------------------------------------------------------------------------
# the entry: registered next to the catalog, read like a built-in service


def test_declare_registers_an_entry_the_catalog_finds_without_adding_a_choice():
    name = declared_api.declare(ECS)
    assert name == "unit-ecs"
    entry = catalog.service_entry(name)
    assert entry["path"] == "/v1/{project_id}/jobs/{job_id}"
    assert entry["list_capable"] is False and catalog.per_task_schedule(catalog.service_entry(name))
    assert catalog.service_entry(name).get("endpoint") == "http://127.0.0.1:9/ecs"
    assert catalog.service_entry(name).endpoint_option == "api.endpoint"
    assert name not in catalog.SERVICES and name not in catalog.ENDPOINT_KEYS
    assert catalog.raw_statuses(catalog.service_entry(name)) == ["INIT", "RUNNING", "SUCCESS", "FAIL"]


def test_the_same_definition_keeps_its_name_and_another_one_gets_its_own():
    first = declared_api.declare(dict(ECS, label="twice"))
    assert declared_api.declare(dict(ECS, label="twice")) == first == "twice"
    other = declared_api.declare(dict(ECS, label="twice", status="state"))
    assert other == "twice#2"
    assert catalog.service_entry(first)["fields"]["status"] == "status"
    assert catalog.service_entry(other)["fields"]["status"] == "state"


def test_the_default_label_is_api_and_host_needs_no_endpoint():
    name = declared_api.declare(definition(label=None, endpoint=None, host="ecs"))
    assert name.split("#")[0] == "api"
    assert catalog.host_prefix(name) == "ecs" and catalog.service_entry(name).get("endpoint") is None
    client = Client(ClientConfig.from_params(dict(AUTH)), session=ExplodingSession())
    assert client.endpoint(service_entry(name)) == "https://ecs.eu-west-101.myhuaweicloud.eu"


def test_without_a_region_the_message_names_the_api_option():
    name = declared_api.declare(definition(label="no-region", endpoint=None, host="cce"))
    client = Client(ClientConfig.from_params(dict(AUTH, region=None)), session=ExplodingSession())
    with pytest.raises(InvalidInput) as info:
        client.endpoint(service_entry(name))
    assert "(or set api.endpoint)" in str(info.value)


def test_normalize_reads_the_declared_paths_and_the_failed_sub_job():
    task = normalize(service_entry(declared_api.declare(ECS)), ECS_FAILED, request_id="r-1")
    assert task["service"] == "unit-ecs"
    assert task["id"] is None  # the task service sets the id it asked for
    assert (task["name"], task["status"], task["phase"]) == ("createServer", "FAIL", "failed")
    assert task["fail_reason"] == "Insufficient resources"
    assert task["created_at"] == "2026-01-01T00:00:00Z" and task["ended_at"] == "2026-01-01T00:05:00Z"
    assert task["subtasks"] == [{"id": "s-1", "name": "createSingleServer", "index": None, "status": "FAIL",
                                 "phase": "failed", "message": "Insufficient resources",
                                 "created_at": "2026-01-01T00:00:00Z", "entity_id": None}]


def test_the_top_level_reason_path_falls_back_to_the_failed_sub_task():
    # The API often leaves the top-level fail_reason null: the failed sub-job's reason is the job's.
    task = normalize(service_entry(declared_api.declare(definition(label="top-reason", fail_reason="fail_reason"))), ECS_FAILED)
    assert task["fail_reason"] == "createSingleServer: Insufficient resources"
    assert task["subtasks"][0]["message"] == "Insufficient resources"
    task = normalize(service_entry(declared_api.declare(definition(label="no-reason", fail_reason=None))), ECS_FAILED)
    assert task["fail_reason"] == "createSingleServer failed"


def test_a_status_outside_the_lists_is_unexpected_even_without_pending_states():
    name = declared_api.declare(ECS)
    rules = CompletionRules.for_service(service_entry(name))
    assert [rules.classify(status) for status in ("init", "RUNNING", "SUCCESS", "FAIL", "PENDING_PAYMENT")] == [
        PENDING, PENDING, TARGET, FAILURE, UNEXPECTED]
    # Overrides keep working: a listed status moves, the rest stay strict.
    rules = CompletionRules.for_service(service_entry(name), failure_states=["FAIL", "INIT"])
    assert [rules.classify(status) for status in ("INIT", "RUNNING", "OTHER")] == [FAILURE, PENDING, UNEXPECTED]
    # Built-in services keep their lenient default.
    assert CompletionRules.for_service(service_entry("rds")).classify("Paused") == PENDING


def test_running_statuses_are_pending_for_the_wait_and_running_for_the_task():
    name = declared_api.declare(definition(label="with-running", pending=None, running=["RUNNING"], failed=None))
    assert catalog.service_entry(name)["phases"] == {"pending": [], "running": ["RUNNING"], "succeeded": ["SUCCESS"],
                                                     "failed": [], "unknown": []}
    assert normalize(service_entry(name), dict(ECS_FAILED, status="running"))["phase"] == "running"
    rules = CompletionRules.for_service(service_entry(name))
    assert [rules.classify(status) for status in ("RUNNING", "SUCCESS", "FAIL")] == [PENDING, TARGET, UNEXPECTED]


def test_the_status_path_is_a_required_field_of_the_response():
    name = declared_api.declare(definition(label="cce-like", status="status.phase"))
    check_response(service_entry(name), {"status": {"phase": "Running"}})
    for body, field in (({"kind": "Job"}, "status"), ({"status": {"reason": "x"}}, "status.phase")):
        with pytest.raises(ContractError) as info:
            check_response(service_entry(name), body)
        assert info.value.field == field
    indexed = declared_api.declare(definition(label="indexed", status="jobs.0.state"))
    check_response(service_entry(indexed), {"jobs": []})  # the list may be empty: only the keys up to it are required
    with pytest.raises(ContractError):
        check_response(service_entry(indexed), {})


# ---------------------------------------------------------------------------
# the docs say what the code does


def test_the_fragment_documents_every_key_with_its_type():
    documented = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)["options"]["api"]["suboptions"]
    spec = declared_api.argument_spec()
    assert list(documented) == list(declared_api.KEYS) == list(spec)
    for key, option in spec.items():
        assert documented[key]["type"] == option["type"], key
        assert documented[key].get("elements") == option.get("elements"), key
        assert not documented[key].get("required"), "%s: required keys are checked by check_definition" % key
    assert query_argument_spec()["api"] == {"type": "dict", "options": spec}
