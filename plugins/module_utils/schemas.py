# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON schemas of the job responses, as Python data.

They live in a .py file, not .json, because AnsiballZ only ships Python module_utils to the target.

Strict where a decision is made, tolerant elsewhere (docs/reliability.md, "What we accept"):
- ``ID`` and ``STATUS`` (and the containers that hold them) are exact: a job without a readable id
  or status is a ContractError naming the field.
- Every other field is declared with ``sdk_field(type)`` as the official SDK's model declares it
  (``huaweicloudsdk<service>``, ``openapi_types``) and accepts any value: the SDK's deserializer
  converts primitives (``"60"`` for an ``int``, ``60`` for a ``str``) and takes null for every field;
  the normalizer reads what it can use (``lenient.py``) and ignores the rest with a debug note.
- Objects (``sdk_object``) and lists (``sdk_list``) may be null or absent (a list then reads as
  empty); extra fields are allowed everywhere, so additive API changes do not break queries.
The field names are the SDK's: tests/unit/plugins/module_utils/test_sdk_conformance.py compares
every schema here with the SDK's model classes, so a renamed or added field fails a test.
ServiceStage payloads are validated after their keys were upper-cased (CAS v3 sends lower-case).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The fields decisions are made on: what job this is and what state it is in.
ID = {"type": "string", "description": "sdk:str"}
STATUS = {"type": "string", "description": "sdk:str"}
# A sub-task's id and status: optional (the job decides), but never another type when present.
OPTIONAL_ID = {"type": ["string", "null"], "description": "sdk:str"}
OPTIONAL_STATUS = {"type": ["string", "null"], "description": "sdk:str"}


def sdk_field(sdk_type):
    """A field nothing is decided on, declared with its SDK type (``str``, ``int``, ``bool``): any value.

    The annotation is what the SDK conformance test compares; the value is read by ``lenient``.
    """
    return {"description": "sdk:%s" % sdk_type}


def sdk_object(properties=None, required=None):
    """An object the SDK declares (a nested model): null or absent is fine unless ``required``.

    ``properties=None`` marks a model nothing is read from (its fields are not compared with the SDK's).
    """
    schema = {"type": ["object", "null"], "description": "sdk:object"}
    if required:
        schema["type"] = "object"
        schema["required"] = list(required)
    if properties is not None:
        schema["properties"] = properties
    return schema


def sdk_list(items):
    """A list the SDK declares (``list[...]`` of ``items``): null or absent reads as an empty list."""
    return {"type": ["array", "null"], "description": "sdk:list", "items": items}


def _job_object(properties):
    """The job of a per-id answer: an object with an id and a status."""
    return sdk_object(properties, required=["id", "status"])


def _listing(items_key, item_properties, **extra):
    properties = {
        items_key: sdk_list(sdk_object(item_properties, required=["id", "status"])),
        "total_count": sdk_field("int"),
    }
    properties.update(extra)
    return {"type": "object", "properties": properties}


_STR = sdk_field("str")
_INT = sdk_field("int")
_INSTANCE = sdk_object({"id": _STR, "name": _STR})
# The names schemas used before these helpers, with the same roles: _TEXT for ids and statuses
# (strict), the optional ones tolerant now.
_TEXT = {"type": "string"}
_OPTIONAL_TEXT = _STR
_OPTIONAL_COUNT = _INT

# gaussdbfornosql ListJobsResponse (JobDetail).
GEMINIDB_LIST = _listing("jobs", {
    "id": ID,
    "name": _STR,
    "status": STATUS,
    "start_time": _STR,
    "end_time": _STR,
    "progress": _STR,
    "instance": _INSTANCE,
    "fail_reason": _STR,
})

# rds ListTasksResponse (Task).
RDS_LIST = _listing("tasks", {
    "id": ID,
    "name": _STR,
    "status": STATUS,
    "instance_id": _STR,
    "instance_name": _STR,
    "instance_status": _STR,
    "order_id": _STR,
    "process": _STR,
    "fail_reason": _STR,
    "create_time": _STR,
    "end_time": _STR,
}, actions=sdk_list(_STR))

# GET /v3/{project_id}/jobs?id= (catalog id_lookup): the jobs of async calls the tasklist may not list.
# rds ListJobInfoResponse (GetJobInfoResponseBodyJob); nothing is read from its entities.
RDS_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": _job_object({
            "id": ID,
            "name": _STR,
            "status": STATUS,
            "created": _STR,
            "ended": _STR,
            "process": _STR,
            "instance": _INSTANCE,
            "entities": sdk_object(),
            "fail_reason": _STR,
        }),
    },
}

# ddm ShowDdmJobResultResponse (JobInfo): no failure text in the SDK's model.
DDM_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": _job_object({
            "id": ID,
            "name": _STR,
            "status": STATUS,
            "created_time": _STR,
            "end_time": _STR,
            "process": _STR,
            "instance": _INSTANCE,
        }),
    },
}

# servicestage v2 ShowJobDetailResponse and v3 ShowJobInfoResponse, keys upper-cased (task.cas_view).
# v3 is not the v2 payload in lower case: its job has no JOB_NAME, SERVICE_INSTANCE_ID, ORDER_ID,
# PROJECT_ID, JOB_DESC or CREATED_BY but ROLLBACK_ENABLED; its sub-tasks have no TASK_INDEX,
# OWNER_ID or LAST_HEALTH_CHECK but UPDATE_AT.
SERVICESTAGE_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": sdk_object({
            "JOB_ID": ID,
            "EXECUTION_STATUS": STATUS,
            "JOB_NAME": _STR,
            "JOB_TYPE": _STR,
            "JOB_DESC": _STR,
            "SERVICE_INSTANCE_ID": _STR,
            "ORDER_ID": _STR,
            "PROJECT_ID": _STR,
            "CREATED_BY": _STR,
            "ROLLBACK_ENABLED": sdk_field("bool"),
        }, required=["JOB_ID", "EXECUTION_STATUS"]),
        "tasks": sdk_list(sdk_object({
            "TASK_ID": OPTIONAL_ID,
            "TASK_NAME": _STR,
            "TASK_TYPE": _STR,
            "TASK_INDEX": _INT,
            "TASK_STATUS": OPTIONAL_STATUS,
            # Declared str (a JSON-encoded string by the docs); a decoded object is read too.
            "MESSAGES": _STR,
            "CREATED_AT": _STR,
            "UPDATE_AT": _STR,
            "OWNER_ID": _STR,
            "LAST_HEALTH_CHECK": _STR,
        })),
        "task_count": _INT,
    },
}


def _ecs_family_job(entity_fields, sub_entity_fields, job_extra=None, sub_job_extra=None, sub_jobs_total=True):
    """ECS, EVS and BMS: GET /v1/{project_id}/jobs/{job_id}, one schema each (their SDK models differ).

    Sub-jobs sit under entities.sub_jobs; EVS has no sub_jobs_total, a single EVS volume no sub-jobs.
    """
    sub_job = {
        "status": OPTIONAL_STATUS,
        "entities": sdk_object(dict(sub_entity_fields)),
        "job_id": OPTIONAL_ID,
        "job_type": _STR,
        "begin_time": _STR,
        "end_time": _STR,
        "error_code": _STR,
        "fail_reason": _STR,
    }
    sub_job.update(sub_job_extra or {})
    entities = dict(entity_fields, sub_jobs=sdk_list(sdk_object(sub_job)))
    if sub_jobs_total:
        entities["sub_jobs_total"] = _INT
    properties = {
        "status": STATUS,
        "entities": sdk_object(entities),
        "job_id": ID,
        "job_type": _STR,
        "begin_time": _STR,
        "end_time": _STR,
        "error_code": _STR,
        "fail_reason": _STR,
    }
    properties.update(job_extra or {})
    return {"type": "object", "required": ["job_id", "status"], "properties": properties}


# ecs ShowJobResponse: code/message at the top; the specific reason is the sub-job's errorcode_message.
ECS_JOB = _ecs_family_job(
    {"server_id": _STR, "nic_id": _STR},
    {"server_id": _STR, "nic_id": _STR, "errorcode_message": _STR},
    job_extra={"code": _STR, "message": _STR})

# evs ShowJobResponse: the volume's name, type and size in the entities; no sub_jobs_total.
_EVS_ENTITIES = {"volume_type": _STR, "size": _INT, "volume_id": _STR, "name": _STR}
EVS_JOB = _ecs_family_job(_EVS_ENTITIES, _EVS_ENTITIES, sub_jobs_total=False)

# bms ShowJobInfosResponse: code/message at the top and on every sub-job.
BMS_JOB = _ecs_family_job(
    {"server_id": _STR, "nic_id": _STR},
    {"server_id": _STR, "nic_id": _STR, "errorcode_message": _STR},
    job_extra={"code": _STR, "message": _STR},
    sub_job_extra={"code": _STR, "message": _STR})


# The third wave's job APIs (api-notes.md), with the same helpers: ids and statuses exact, every other
# field tolerant, the field names the SDK's (huaweicloudsdkgaussdbforopengauss, dds, gaussdb, cce, ims,
# dcs, bss). Where the notes name a field the SDK's model lacks, the catalog reads it without the
# schema naming it (CCE status.message, as DDM's fail_reason).

# GaussDB (opengauss), DDS, TaurusDB: GET /v3/{project_id}/jobs?id= -> {"job": {id, name, status,
# created, ended, progress | process, instance {id, name}, fail_reason}}. gaussdbforopengauss and dds
# ShowJobDetailResponse (JobDetail: progress), gaussdb ShowGaussMySqlJobInfoResponse (GetJobInfoDetail:
# process, and entities, a model without fields).
DB_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": _job_object({
            "id": ID,
            "name": _STR,
            "status": STATUS,
            "created": _STR,
            "ended": _STR,
            "progress": _STR,
            "process": _STR,
            "instance": _INSTANCE,
            "entities": sdk_object(),
            "fail_reason": _STR,
        }),
    },
}

# CCE: GET /api/v3/projects/{project_id}/jobs/{job_id}; sub-jobs of the same shape under spec.subJobs.
# cce ShowJobResponse; a sub-job is a Job, whose own sub-jobs nothing reads. The SDK's JobStatus has no
# message (the notes' status.message is read all the same: catalog).
_CCE_METADATA = {"uid": OPTIONAL_ID, "creationTimestamp": _STR, "updateTimestamp": _STR}
_CCE_SPEC = {"type": _STR, "clusterUID": _STR, "resourceID": _STR, "resourceName": _STR, "extendParam": sdk_object()}
_CCE_STATUS = {"phase": OPTIONAL_STATUS, "reason": _STR}
CCE_JOB = {
    "type": "object",
    "required": ["metadata", "status"],
    "properties": {
        "kind": _STR,
        "apiVersion": _STR,
        "metadata": sdk_object(dict(_CCE_METADATA, uid=ID), required=["uid"]),
        "spec": sdk_object(dict(_CCE_SPEC, subJobs=sdk_list(sdk_object({
            "kind": _STR,
            "apiVersion": _STR,
            "metadata": sdk_object(_CCE_METADATA),
            "spec": sdk_object(dict(_CCE_SPEC, subJobs=sdk_list(sdk_object()))),
            "status": sdk_object(_CCE_STATUS),
        })))),
        "status": sdk_object(dict(_CCE_STATUS, phase=STATUS), required=["phase"]),
    },
}

# IMS: the ECS-family job API (ims ShowJobResponse); the image at entities.image_id, its name and
# progress next to it, the failure text at entities.error. Its sub-jobs are entities.sub_jobs_result
# (the ECS-family shape, no sub_jobs), entities.results the outcome per image of a batch.
IMS_JOB = {
    "type": "object",
    "required": ["job_id", "status"],
    "properties": {
        "status": STATUS,
        "job_id": ID,
        "job_type": _STR,
        "begin_time": _STR,
        "end_time": _STR,
        "error_code": _STR,
        "fail_reason": _STR,
        "entities": sdk_object({
            "image_id": _STR, "current_task": _STR, "image_name": _STR, "addition_error_code": _STR,
            "addition_error_msg": _STR, "error_code": _STR, "error": _STR, "alarm_code": _STR,
            "process_percent": sdk_field("float"),
            "results": sdk_list(sdk_object()),
            "sub_jobs_result": sdk_list(sdk_object({
                "status": OPTIONAL_STATUS, "job_id": OPTIONAL_ID, "job_type": _STR, "begin_time": _STR,
                "end_time": _STR, "error_code": _STR, "fail_reason": _STR,
                "entities": sdk_object({"image_id": _STR, "image_name": _STR}),
            })),
            "sub_jobs_list": sdk_list(_STR),
        }),
    },
}

# DCS: GET /v2/{project_id}/jobs/{job_id} -> {job_id, job_type, status, begin_time, end_time, fail_reason}
# (dcs ShowJobInfoResponse): no instance, in the notes and in the SDK.
DCS_JOB = {
    "type": "object",
    "required": ["job_id", "status"],
    "properties": {
        "job_id": ID,
        "job_type": _STR,
        "status": STATUS,
        "begin_time": _STR,
        "end_time": _STR,
        "fail_reason": _STR,
    },
}

# BSS: GET /v2/orders/customer-orders/details/{order_id} (bss ShowCustomerOrderDetailsResponse,
# CustomerOrderV3). The order status is an integer in the reference (numeric text accepted): still
# exact, only in either form. Amounts, sub-orders and line items are not read.
ORDER_STATUS = {"type": ["string", "integer"], "description": "sdk:int"}
BSS_ORDER = {
    "type": "object",
    "required": ["order_info"],
    "properties": {
        "total_count": _INT,
        "order_info": sdk_object({
            "order_id": ID,
            "customer_id": _STR,
            "service_type_code": _STR,
            "service_type_name": _STR,
            "source_type": _INT,
            "status": ORDER_STATUS,
            "order_type": _INT,
            "amount_after_discount": sdk_field("float"),
            "official_amount": sdk_field("float"),
            "measure_id": _INT,
            "create_time": _STR,
            "payment_time": _STR,
            "currency": _STR,
            "contract_id": _STR,
            "amount_info": sdk_object(),
            "user_name": _STR,
            "pending_payment_end_time": _STR,
            "sub_order_infos": sdk_list(sdk_object()),
        }, required=["order_id", "status"]),
        "order_line_items": sdk_list(sdk_object()),
    },
}

# BSS: POST /v2/orders/suscriptions/resources/query -> {"total_count", "data": [{"resource_id", ...}]}
# (bss ListPayPerUseCustomerResourcesResponse, OrderInstanceV2): only resource_id is read.
BSS_ORDER_RESOURCES = {
    "type": "object",
    "properties": {
        "data": sdk_list(sdk_object({
            "id": _STR, "resource_id": ID, "resource_name": _STR, "region_code": _STR, "service_type_code": _STR,
            "resource_type_code": _STR, "resource_type_name": _STR, "service_type_name": _STR,
            "resource_spec_code": _STR, "project_id": _STR, "product_id": _STR, "parent_resource_id": _STR,
            "is_main_resource": _INT, "status": _INT, "effective_time": _STR, "expire_time": _STR,
            "expire_policy": _INT, "product_spec_desc": _STR, "spec_size": sdk_field("decimal.Decimal"),
            "spec_size_measure_id": _INT, "update_time": _STR, "enterprise_project": sdk_object(),
        }, required=["resource_id"])),
        "total_count": _INT,
    },
}
