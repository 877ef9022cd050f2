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


_TEXT = sdk_field("str")
_COUNT = sdk_field("int")
_INSTANCE = sdk_object({"id": _TEXT, "name": _TEXT})

# gaussdbfornosql ListJobsResponse (JobDetail).
GEMINIDB_LIST = _listing("jobs", {
    "id": ID,
    "name": _TEXT,
    "status": STATUS,
    "start_time": _TEXT,
    "end_time": _TEXT,
    "progress": _TEXT,
    "instance": _INSTANCE,
    "fail_reason": _TEXT,
})

# rds ListTasksResponse (Task).
RDS_LIST = _listing("tasks", {
    "id": ID,
    "name": _TEXT,
    "status": STATUS,
    "instance_id": _TEXT,
    "instance_name": _TEXT,
    "instance_status": _TEXT,
    "order_id": _TEXT,
    "process": _TEXT,
    "fail_reason": _TEXT,
    "create_time": _TEXT,
    "end_time": _TEXT,
}, actions=sdk_list(_TEXT))

# GET /v3/{project_id}/jobs?id= (catalog id_lookup): the jobs of async calls the tasklist may not list.
# rds ListJobInfoResponse (GetJobInfoResponseBodyJob); nothing is read from its entities.
RDS_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": _job_object({
            "id": ID,
            "name": _TEXT,
            "status": STATUS,
            "created": _TEXT,
            "ended": _TEXT,
            "process": _TEXT,
            "instance": _INSTANCE,
            "entities": sdk_object(),
            "fail_reason": _TEXT,
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
            "name": _TEXT,
            "status": STATUS,
            "created_time": _TEXT,
            "end_time": _TEXT,
            "process": _TEXT,
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
            "JOB_NAME": _TEXT,
            "JOB_TYPE": _TEXT,
            "JOB_DESC": _TEXT,
            "SERVICE_INSTANCE_ID": _TEXT,
            "ORDER_ID": _TEXT,
            "PROJECT_ID": _TEXT,
            "CREATED_BY": _TEXT,
            "ROLLBACK_ENABLED": sdk_field("bool"),
        }, required=["JOB_ID", "EXECUTION_STATUS"]),
        "tasks": sdk_list(sdk_object({
            "TASK_ID": OPTIONAL_ID,
            "TASK_NAME": _TEXT,
            "TASK_TYPE": _TEXT,
            "TASK_INDEX": _COUNT,
            "TASK_STATUS": OPTIONAL_STATUS,
            # Declared str (a JSON-encoded string by the docs); a decoded object is read too.
            "MESSAGES": _TEXT,
            "CREATED_AT": _TEXT,
            "UPDATE_AT": _TEXT,
            "OWNER_ID": _TEXT,
            "LAST_HEALTH_CHECK": _TEXT,
        })),
        "task_count": _COUNT,
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
        "job_type": _TEXT,
        "begin_time": _TEXT,
        "end_time": _TEXT,
        "error_code": _TEXT,
        "fail_reason": _TEXT,
    }
    sub_job.update(sub_job_extra or {})
    entities = dict(entity_fields, sub_jobs=sdk_list(sdk_object(sub_job)))
    if sub_jobs_total:
        entities["sub_jobs_total"] = _COUNT
    properties = {
        "status": STATUS,
        "entities": sdk_object(entities),
        "job_id": ID,
        "job_type": _TEXT,
        "begin_time": _TEXT,
        "end_time": _TEXT,
        "error_code": _TEXT,
        "fail_reason": _TEXT,
    }
    properties.update(job_extra or {})
    return {"type": "object", "required": ["job_id", "status"], "properties": properties}


# ecs ShowJobResponse: code/message at the top; the specific reason is the sub-job's errorcode_message.
ECS_JOB = _ecs_family_job(
    {"server_id": _TEXT, "nic_id": _TEXT},
    {"server_id": _TEXT, "nic_id": _TEXT, "errorcode_message": _TEXT},
    job_extra={"code": _TEXT, "message": _TEXT})

# evs ShowJobResponse: the volume's name, type and size in the entities; no sub_jobs_total.
_EVS_ENTITIES = {"volume_type": _TEXT, "size": _COUNT, "volume_id": _TEXT, "name": _TEXT}
EVS_JOB = _ecs_family_job(_EVS_ENTITIES, _EVS_ENTITIES, sub_jobs_total=False)

# bms ShowJobInfosResponse: code/message at the top and on every sub-job.
BMS_JOB = _ecs_family_job(
    {"server_id": _TEXT, "nic_id": _TEXT},
    {"server_id": _TEXT, "nic_id": _TEXT, "errorcode_message": _TEXT},
    job_extra={"code": _TEXT, "message": _TEXT},
    sub_job_extra={"code": _TEXT, "message": _TEXT})
