# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance with the official SDK's response models (sdk_models.py; versions in README, "Testing").

For every call the collection makes:
- the SDK client makes the same call (method, path) and reads it into the model compared here;
- the schema names exactly the model's fields with the model's types (a field the SDK adds, renames
  or retypes in a new release fails here), and every catalog field path is a field of the model;
- bodies built from the model (every optional field absent, every field null, every field with the
  SDK's type, every primitive in the other form) pass the real contract check and normalization
  through TaskService; the typed and the other form read alike, and every mapped field is read;
- a body without its id or status is still a ContractError naming the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple
from datetime import datetime, timezone

import pytest

from sdk_models import SDK_CALLS, BodyMaker, entry_of, model_tree, sdk_http_info, sdk_package_version

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import RateLimiter
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService

# The version the tests were generated from (README "Testing"): a new release is a deliberate update.
SDK_VERSION = "3.1.219"
VARIANTS = ("absent", "null", "typed", "other")
# Services whose catalog entries share field lists (the first path holding a value): each path must be
# a field of one of the family's models.
FAMILIES = (("ecs", "evs", "bms"), ("gaussdb", "dds", "taurusdb"))
# Catalog paths the SDK's model lacks but the collection still reads, and why.
READ_BEYOND_THE_SDK = {
    # DDM's model has no failure text; a job that carries one anyway is not to lose it.
    ("ddm", "fail_reason"),
    # The notes' CCE status {phase, reason, message}: the SDK's JobStatus has no message.
    ("cce", "status.message"),
}
Response = namedtuple("Response", "status json headers request_id")
NOW = datetime(2026, 3, 4, 2, 0, 0, tzinfo=timezone.utc)


def _call_id(call):
    return "%s-%s" % (call.service, call.response)


# The job (and order) calls; the resources of an order are read by the order's entry (tested below).
CALLS = [pytest.param(call, id=_call_id(call)) for call in SDK_CALLS if call.endpoint != "order_resources"]
RESOURCE_CALLS = [call for call in SDK_CALLS if call.endpoint == "order_resources"]


def _family(call):
    family = next((members for members in FAMILIES if call.service in members), (call.service,))
    return [other for other in SDK_CALLS if other.service in family and other.endpoint is not None]


# ------------------------------------------------------------------------------ schema walking

def _canonical_key(call, depth, key):
    """The key as the schema names it: CAS job and sub-task keys upper-cased (task.cas_view)."""
    if CATALOG[call.service].get("key_case") == "cas":
        return key.lower() if depth == 0 else key.upper()
    return key


def _schema_at(schema, keys):
    """The sub-schema at ``keys`` (list items stepped into), or None where the schema does not name it."""
    for key in keys:
        if schema is None:
            return None
        if "items" in schema:
            schema = schema["items"]
        schema = (schema.get("properties") or {}).get(key)
    if schema is not None and "items" in schema and "properties" in schema["items"]:
        return schema["items"]
    return schema


def _schema_fields(schema, prefix=()):
    """{path: kind} of every field a schema names; kind is the SDK type, "object" or "list"."""
    found = {}
    for key, sub in (schema.get("properties") or {}).items():
        path = prefix + (key,)
        if "items" in sub:
            item = sub["items"]
            if "properties" in item or item.get("description") == "sdk:object":
                found[path] = "list[object]"
                found.update(_schema_fields(item, path))
            else:
                found[path] = "list[%s]" % item["description"][len("sdk:"):]
        elif "properties" in sub or sub.get("description") == "sdk:object":
            found[path] = "object"
            found.update(_schema_fields(sub, path))
        else:
            found[path] = sub["description"][len("sdk:"):]
    return found


def _model_fields(call, schema, tree=None, prefix=()):
    """{canonical path: kind} of the model's fields, not below an object the schema leaves opaque."""
    found = {}
    for key, (sdk_type, is_list, subtree) in (tree or model_tree(call)).items():
        path = prefix + (_canonical_key(call, len(prefix), key),)
        if subtree is None:
            found[path] = "list[%s]" % sdk_type if is_list else sdk_type
            continue
        found[path] = "list[object]" if is_list else "object"
        here = _schema_at(schema, path)
        if here is None or "properties" in here:
            found.update(_model_fields(call, schema, subtree, path))
    return found


def _resolves(call, fields, item_prefix, path):
    keys = item_prefix + tuple(path.split("."))
    return keys in fields


# ------------------------------------------------------------------------------ the calls and the models

def test_the_tests_were_generated_from_the_pinned_sdk():
    assert set(sdk_package_version(call) for call in SDK_CALLS) == {SDK_VERSION}


@pytest.mark.parametrize("call", [pytest.param(call, id=_call_id(call)) for call in SDK_CALLS])
def test_the_sdk_makes_the_same_call(call):
    info = sdk_http_info(call)
    entry = CATALOG[call.service]
    method = "POST" if call.endpoint == "order_resources" else "GET"
    assert info["method"] == method and info["response_type"] == call.response
    if call.endpoint == "path":
        # The catalog fills {job_id} with the task id, whatever the SDK calls it (BSS: {order_id}).
        assert info["resource_path"] == entry["path"].replace("{job_id}", _last_placeholder(info["resource_path"]))
        if entry.get("id_param"):  # the id travels in the query: the SDK's request sends it there too
            assert entry["id_param"] in [name for name, _value in info["query_params"]]
    elif call.endpoint == "id_lookup":
        assert info["resource_path"] == entry["id_lookup"]["path"]
    elif call.endpoint == "order_resources":
        assert info["resource_path"] == entry["order_resources"]["path"]


def _last_placeholder(path):
    return path[path.rfind("{"):] if path.endswith("}") else "{job_id}"


def _schemas():
    by_schema = {}
    for call in SDK_CALLS:
        schema = entry_of(call)[0]
        by_schema.setdefault(id(schema), (schema, []))[1].append(call)
    return [pytest.param(schema, calls, id="+".join(_call_id(call) for call in calls)) for schema, calls in by_schema.values()]


@pytest.mark.parametrize("schema, calls", _schemas())
def test_the_schema_names_exactly_the_sdk_fields_with_their_types(schema, calls):
    modelled = {}
    for call in calls:
        for path, kind in _model_fields(call, schema).items():
            assert modelled.setdefault(path, kind) == kind, "%s: %s in one model, %s in another" % (path, kind, modelled[path])
    named = _schema_fields(schema)
    assert sorted(set(modelled) - set(named)) == [], "SDK fields the schema does not name"
    assert sorted(set(named) - set(modelled)) == [], "schema fields the SDK does not have"
    assert dict((path, named[path]) for path in modelled) == modelled


def _catalog_paths(call):
    """(normalized field, dotted path, item prefix) of every path the catalog reads from the call's answer."""
    entry = CATALOG[call.service]
    _schema, fields, item_key, items_key = entry_of(call)
    prefix = (items_key,) if items_key else ((item_key,) if item_key else ())
    found = []
    for name, paths in sorted(fields.items()):
        found.extend((name, path, prefix) for path in (paths if isinstance(paths, list) else [paths]) if path)
    sub_prefix = tuple(entry["subtasks_key"].split(".")) if entry.get("subtasks_key") else ()
    for name in ("fail_code", "subtask_instance_id", "subtask_instance_name"):
        paths = entry.get(name)
        found.extend((name, path, () if name == "fail_code" else sub_prefix)
                     for path in (paths if isinstance(paths, list) else [paths]) if path)
    if entry.get("subtasks_key") and call.endpoint is not None:
        found.append(("subtasks", entry["subtasks_key"], ()))
        for name, paths in sorted(entry["subtask_fields"].items()):
            found.extend(("subtask " + name, path, sub_prefix) for path in (paths if isinstance(paths, list) else [paths]) if path)
    return found


@pytest.mark.parametrize("call", [param for param in CALLS if param.values[0].endpoint is not None])
def test_every_catalog_path_is_a_field_of_the_sdk_model(call):
    schema = entry_of(call)[0]
    fields = _model_fields(call, schema)
    family_fields = [_model_fields(other, entry_of(other)[0]) for other in _family(call)]
    missing = []
    for name, path, prefix in _catalog_paths(call):
        if (call.service, path) in READ_BEYOND_THE_SDK:
            continue
        # A family shares its paths (one fail_reason list, one entity_id list, one progress list):
        # each must be a field of one of its models; a single path must be this service's own.
        shared = isinstance(_field_spec(call, name), list)
        if _resolves(call, fields, prefix, path) or (shared and any(_resolves(call, other, prefix, path) for other in family_fields)):
            continue
        missing.append("%s: %s" % (name, path))
    assert missing == []


def _field_spec(call, name):
    entry = CATALOG[call.service]
    if name.startswith("subtask "):
        return entry["subtask_fields"][name[len("subtask "):]]
    return entry_of(call)[1].get(name, entry.get(name))


# ------------------------------------------------------------------------------ bodies through the real service

def _phases_of(call):
    entry = CATALOG[call.service]
    return entry["phases"], entry.get("subtask_phases") or entry["phases"]


def _maker(call):
    schema = entry_of(call)[0]
    job_phases, sub_phases = _phases_of(call)
    subtasks_key = CATALOG[call.service].get("subtasks_key")
    sub_depth = len(subtasks_key.split(".")) if subtasks_key else None
    # The last key of the status paths (CCE status.phase), besides every key naming a status.
    status_paths = [entry_of(call)[1].get("status"), (CATALOG[call.service].get("subtask_fields") or {}).get("status")]
    status_keys = set(path.split(".")[-1].lower() for path in status_paths if path)

    def canonical(path):
        return tuple(_canonical_key(call, depth, key) for depth, key in enumerate(path))

    def required(path):
        here = _schema_at(schema, canonical(path)) if path else schema
        names = set((here or {}).get("required", ()))
        return set(key for key in _keys_at(call, path) if _canonical_key(call, len(path), key) in names)

    def strict(path):
        here = _schema_at(schema, canonical(path))
        return here is not None and "type" in here and "properties" not in here and "items" not in here

    def strict_value(path):
        is_sub = sub_depth is not None and len(path) > sub_depth and canonical(path[:sub_depth]) == tuple(
            _canonical_key(call, depth, key) for depth, key in enumerate(subtasks_key.split(".")))
        key = canonical(path)[-1].lower()
        if "status" in key or key in status_keys:
            return (sub_phases if is_sub else job_phases)["failed"][0]
        return "SUB-1" if is_sub else "JOB-1"

    return BodyMaker(call, required, strict_value, strict)


def _keys_at(call, path):
    tree = model_tree(call)
    for key in path:
        tree = tree[key][2]
    return list(tree)


def _serve(call, body):
    """A client answering the call's endpoint with ``body`` (RDS: an empty tasklist, then /jobs?id=)."""
    class Client(object):
        calls = []

        @staticmethod
        def limiter(_entry):
            # Unpaced, on a clock that does not move: the conformance bodies are served at once.
            return RateLimiter(lambda: 0.0)

        def request(self, service, method, path, query=None, body_=None, deadline=None, path_params=None, **_kwargs):
            Client.calls.append(path)
            if call.endpoint == "id_lookup" and path == CATALOG[call.service]["path"]:
                return Response(200, {"tasks": [], "total_count": 0}, {}, "req-list")
            return Response(200, body, {}, "req-sdk")
    return Client()


def _query(call, body):
    svc = TaskService(_serve(call, body), service_entry(call.service), now=lambda: NOW)
    entry = CATALOG[call.service]
    ids = None if entry["list_capable"] and call.endpoint != "id_lookup" else ["JOB-1"]
    return svc.query(svc.plan(ids=ids))


def _variant(call, kind):
    return _maker(call).variant(kind)


def _read(task):
    return dict((key, value) for key, value in task.items() if key not in ("raw", "request_id"))


@pytest.mark.parametrize("kind", VARIANTS)
@pytest.mark.parametrize("call", CALLS)
def test_every_body_the_sdk_reads_passes_the_contract_and_is_normalized(call, kind):
    body = _variant(call, kind)
    [task] = _query(call, body)
    job_phases = _phases_of(call)[0]
    assert (task["id"], task["status"], task["phase"]) == ("JOB-1", job_phases["failed"][0], "failed")
    if kind in ("absent", "null"):
        assert task["progress"] is None and task["created_at"] is None and task["instance"]["id"] is None
        assert task["subtasks"] == [] and task["name"] is None


@pytest.mark.parametrize("call", CALLS)
def test_the_other_form_of_every_primitive_reads_like_the_sdk_type(call):
    typed, other = _query(call, _variant(call, "typed")), _query(call, _variant(call, "other"))
    assert [_read(task) for task in other] == [_read(task) for task in typed]


# Normalized field -> how to find it in the task, for the "every mapped field is read" check.
_TASK_FIELDS = {
    "name": lambda task: task["name"], "created_at": lambda task: task["created_at"],
    "ended_at": lambda task: task["ended_at"], "progress": lambda task: task["progress"],
    "instance_id": lambda task: task["instance"]["id"], "instance_name": lambda task: task["instance"]["name"],
    "instance_status": lambda task: task["instance"]["status"], "fail_reason": lambda task: task["fail_reason"],
}
_SUBTASK_FIELDS = ("id", "name", "index", "status", "message", "created_at", "entity_id")


@pytest.mark.parametrize("call", CALLS)
def test_every_mapped_field_of_a_typed_body_is_read(call):
    [task] = _query(call, _variant(call, "typed"))
    schema = entry_of(call)[0]
    fields = _model_fields(call, schema)
    _schema, field_map, item_key, items_key = entry_of(call)
    prefix = (items_key,) if items_key else ((item_key,) if item_key else ())
    unread = []
    for name, read in sorted(_TASK_FIELDS.items()):
        paths = field_map.get(name)
        paths = paths if isinstance(paths, list) else [paths]
        in_model = [path for path in paths if path and _resolves(call, fields, prefix, path)]
        if in_model and read(task) is None:
            unread.append("%s (%s)" % (name, ", ".join(in_model)))
    entry = CATALOG[call.service]
    if entry.get("subtasks_key"):
        assert len(task["subtasks"]) == 1, "the sub-task list %s is not read" % entry["subtasks_key"]
        sub_prefix = tuple(_canonical_key(call, depth, key) for depth, key in enumerate(entry["subtasks_key"].split(".")))
        for name in _SUBTASK_FIELDS:
            paths = entry["subtask_fields"].get(name)
            paths = paths if isinstance(paths, list) else [paths]
            in_model = [path for path in paths if path and _resolves(call, fields, sub_prefix, path)]
            if in_model and task["subtasks"][0][name] is None:
                unread.append("subtask %s (%s)" % (name, ", ".join(in_model)))
    assert unread == []


def _without(body, keys):
    body = dict(body)
    if len(keys) == 1:
        body.pop(keys[0])
        return body
    inner = body[keys[0]]
    body[keys[0]] = [_without(inner[0], keys[1:])] if isinstance(inner, list) else _without(inner, keys[1:])
    return body


def _strict_paths(call):
    """The model paths of the job's id and status (the keys the schema requires)."""
    _schema, fields, item_key, items_key = entry_of(call)
    prefix = (items_key,) if items_key else ((item_key,) if item_key else ())
    tree_keys = {}
    for path in (fields["id"], fields["status"]):
        keys = prefix + tuple(path.split("."))
        tree_keys[path] = _model_key_path(call, keys)
    return tree_keys


def _model_key_path(call, canonical_keys):
    tree, found = model_tree(call), []
    for depth, key in enumerate(canonical_keys):
        actual = next(name for name in tree if _canonical_key(call, depth, name) == key)
        found.append(actual)
        tree = tree[actual][2]
    return tuple(found)


@pytest.mark.parametrize("drop", ["id", "status"])
@pytest.mark.parametrize("call", CALLS)
def test_a_body_without_its_id_or_status_is_a_contract_error_naming_the_field(call, drop):
    _schema, fields, _item_key, _items_key = entry_of(call)
    keys = _strict_paths(call)[fields[drop]]
    # Another type than the field's: a number for text, a list for a number (BSS's status is an int).
    canonical_keys = [_canonical_key(call, depth, key) for depth, key in enumerate(keys)]
    wrong_type = [7] if _schema_at(entry_of(call)[0], canonical_keys)["description"] == "sdk:int" else 7
    for broken_value in ("drop", None, wrong_type):
        body = _variant(call, "typed")
        if broken_value == "drop":
            body = _without(body, keys)
        else:
            body = _without(body, keys)
            target = body
            for key in keys[:-1]:
                target = target[key][0] if isinstance(target[key], list) else target[key]
            target[keys[-1]] = broken_value
        if drop == "status" and broken_value in ("drop", None) and CATALOG[call.service].get("blank_is_absent"):
            assert _query(call, body) == []  # DDM: "not visible yet", as Terraform's provider reads it
            continue
        with pytest.raises(ContractError) as caught:
            _query(call, body)
        canonical = [_canonical_key(call, depth, key) for depth, key in enumerate(keys)]
        expected = ".".join(canonical).replace("%s." % canonical[0], "%s[0]." % canonical[0], 1) \
            if CATALOG[call.service]["list_capable"] and call.endpoint == "path" else ".".join(canonical)
        assert caught.value.field == expected, broken_value


# Every SDK field the catalog does not read, per call, and why: a field the SDK adds must be either
# mapped or listed here (the schema test above makes sure it is noticed).
NOT_READ = {
    "geminidb-ListJobsResponse": {"total_count": "paging only (task_service)"},
    "rds-ListTasksResponse": {"total_count": "paging only", "actions": "the operations the API knows, not a job",
                              "tasks.order_id": "a filter, not part of the task model"},
    "rds-ListJobInfoResponse": {"job.entities": "what the job changes (endpoint, volume sizes): not task state"},
    "ddm-ShowDdmJobResultResponse": {},
    "servicestage-ShowJobDetailResponse": {
        "task_count": "sub-task paging only", "job.CREATED_BY": "who, not what", "job.JOB_DESC": "free text next to JOB_NAME",
        "job.ORDER_ID": "billing, not task state",
        "job.PROJECT_ID": "the caller's own project", "tasks.LAST_HEALTH_CHECK": "engine bookkeeping",
        "tasks.OWNER_ID": "engine bookkeeping", "tasks.TASK_TYPE": "TASK_NAME names the step"},
    "servicestage-ShowJobInfoResponse": {
        "task_count": "sub-task paging only", "job.ROLLBACK_ENABLED": "a setting, not task state",
        "tasks.UPDATE_AT": "the sub-task model has a creation time only", "tasks.TASK_TYPE": "TASK_NAME names the step"},
    "ecs-ShowJobResponse": {"entities.sub_jobs_total": "len(sub_jobs) is what the model shows",
                            "entities.sub_jobs.end_time": "the sub-task model has a creation time only",
                            "entities.nic_id": "a NIC job's instance is its server"},
    "evs-ShowJobResponse": {"entities.volume_type": "a property of the volume, not of the job",
                            "entities.size": "a property of the volume, not of the job", "entities.sub_jobs.entities.volume_type": "same",
                            "entities.sub_jobs.entities.size": "same",
                            "entities.sub_jobs.end_time": "the sub-task model has a creation time only"},
    "bms-ShowJobInfosResponse": {"entities.sub_jobs_total": "len(sub_jobs) is what the model shows",
                                 "entities.sub_jobs.end_time": "the sub-task model has a creation time only",
                                 "entities.nic_id": "a NIC job's instance is its server"},
    "gaussdb-ShowJobDetailResponse": {},
    "dds-ShowJobDetailResponse": {},
    "taurusdb-ShowGaussMySqlJobInfoResponse": {"job.entities": "a model without fields in the SDK"},
    "cce-ShowJobResponse": {
        "kind": "always Job", "apiVersion": "the API's version", "spec.extendParam": "free-form settings, not task state",
        "spec.subJobs.kind": "always Job", "spec.subJobs.apiVersion": "the API's version",
        "spec.subJobs.metadata.updateTimestamp": "the sub-task model has a creation time only",
        "spec.subJobs.spec.clusterUID": "the job's cluster, read from the job",
        "spec.subJobs.spec.resourceName": "the sub-task model names its entity by id",
        "spec.subJobs.spec.extendParam": "free-form settings, not task state",
        "spec.subJobs.spec.subJobs": "sub-jobs of sub-jobs: the sub-job's own status decides"},
    "ims-ShowJobResponse": {
        "entities.current_task": "the step's name, not the job's state", "entities.addition_error_code": "the text is read",
        "entities.alarm_code": "an alarm, not task state",
        "entities.results": "a batch's per-image outcome: the job's status decides",
        "entities.sub_jobs_list": "the ids of sub_jobs_result, which is read",
        "entities.sub_jobs_result.end_time": "the sub-task model has a creation time only"},
    "dcs-ShowJobInfoResponse": {},
    "bss_order-ShowCustomerOrderDetailsResponse": {
        "total_count": "always 1 for one order", "order_info.customer_id": "the caller's own account",
        "order_info.service_type_code": "billing, not task state", "order_info.service_type_name": "billing, not task state",
        "order_info.source_type": "billing, not task state", "order_info.amount_after_discount": "billing, not task state",
        "order_info.official_amount": "billing, not task state", "order_info.measure_id": "billing, not task state",
        "order_info.payment_time": "when it was paid, not whether it is done",
        "order_info.currency": "billing, not task state", "order_info.contract_id": "billing, not task state",
        "order_info.amount_info": "billing, not task state", "order_info.user_name": "who, not what",
        "order_info.pending_payment_end_time": "a payment deadline, not task state",
        "order_info.sub_order_infos": "the status of the order decides", "order_line_items": "what was bought, not task state"},
    "bss_order-ListPayPerUseCustomerResourcesResponse": dict(
        [("total_count", "len(data) is what is read")]
        + [("data." + key, "a property of the resource: the gate goes on to wait on it by its id") for key in (
            "id", "resource_name", "region_code", "service_type_code", "resource_type_code", "resource_type_name",
            "service_type_name", "resource_spec_code", "project_id", "product_id", "parent_resource_id",
            "is_main_resource", "status", "effective_time", "expire_time", "expire_policy", "product_spec_desc",
            "spec_size", "spec_size_measure_id", "update_time", "enterprise_project")]),
}


def _read_paths(call):
    """Every dotted model path (canonical keys, from the answer's top) the catalog reads for the call."""
    entry = CATALOG[call.service]
    schema, field_map, item_key, items_key = entry_of(call)
    prefix = (items_key,) if items_key else ((item_key,) if item_key else ())
    paths = set()
    for name, spec in field_map.items():
        for path in (spec if isinstance(spec, list) else [spec]):
            if path:
                paths.add(".".join(prefix + tuple(path.split("."))))
    for name in ("fail_code", "subtask_instance_id", "subtask_instance_name"):
        spec = entry.get(name)
        for path in (spec if isinstance(spec, list) else [spec]):
            if path:
                paths.add(path if name == "fail_code" else entry["subtasks_key"] + "." + path)
    if entry.get("subtasks_key"):
        for spec in entry["subtask_fields"].values():
            for path in (spec if isinstance(spec, list) else [spec]):
                if path:
                    paths.add(entry["subtasks_key"] + "." + path)
    return paths


@pytest.mark.parametrize("call", [pytest.param(call, id=_call_id(call)) for call in SDK_CALLS])
def test_every_sdk_field_is_read_or_said_why_not(call):
    schema = entry_of(call)[0]
    leaves = [path for path, kind in _model_fields(call, schema).items()
              if kind not in ("object", "list[object]") or _schema_at(schema, path) is not None and "properties" not in _schema_at(schema, path)]
    read = _read_paths(call)
    if call.endpoint is None:  # CAS v3 is read through the servicestage entry
        read = _read_paths(SDK_CALLS[4])
    reasons = NOT_READ[_call_id(call)]
    unexplained = [".".join(path) for path in leaves if ".".join(path) not in read and ".".join(path) not in reasons]
    assert unexplained == []
    stale = [path for path in reasons if path in read or tuple(path.split(".")) not in _model_fields(call, schema)]
    assert stale == [], "listed as not read, but read or not in the SDK model"


# ------------------------------------------------------------------------------ the resources of an order

def _completed_order(resources_body):
    """The bss_order task of a completed order whose resources query answers ``resources_body``."""
    class Client(object):
        @staticmethod
        def limiter(_entry):
            return RateLimiter(lambda: 0.0)

        def request(self, service, method, path, **_kwargs):
            if method == "POST":
                assert path == CATALOG["bss_order"]["order_resources"]["path"]
                return Response(200, resources_body, {}, "req-resources")
            return Response(200, {"order_info": {"order_id": "ORDER-1", "status": 5}}, {}, "req-order")
    svc = TaskService(Client(), service_entry("bss_order"), now=lambda: NOW)
    [task] = svc.query(svc.plan(ids=["ORDER-1"]))
    return task


@pytest.mark.parametrize("kind", VARIANTS)
@pytest.mark.parametrize("call", [pytest.param(call, id=_call_id(call)) for call in RESOURCE_CALLS])
def test_the_resources_of_every_body_the_sdk_reads_are_read(call, kind):
    task = _completed_order(_variant(call, kind))
    assert (task["phase"], task["resource_ids"], task["instance"]["id"]) == ("succeeded", ["JOB-1"], "JOB-1")


@pytest.mark.parametrize("call", [pytest.param(call, id=_call_id(call)) for call in RESOURCE_CALLS])
def test_a_resource_without_its_id_is_a_contract_error_naming_the_field(call):
    for broken_value in ("drop", None, 7):
        body = _variant(call, "typed")
        if broken_value == "drop":
            del body["data"][0]["resource_id"]
        else:
            body["data"][0]["resource_id"] = broken_value
        with pytest.raises(ContractError) as caught:
            _completed_order(body)
        assert caught.value.field == "data[0].resource_id", broken_value
