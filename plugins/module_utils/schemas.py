# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON schemas of the job responses, as Python data.

They live in a .py file, not .json, because AnsiballZ only ships Python module_utils to the target.
The schemas pin only what the normalizer relies on (containers, ids, statuses, value types) and
allow extra fields, so additive API changes do not break queries.
ServiceStage payloads are validated after their keys were upper-cased (CAS v3 sends lower-case).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_OPTIONAL_COUNT = {"type": ["integer", "null"], "minimum": 0}

_INSTANCE = {
    "type": ["object", "null"],
    "properties": {"id": _OPTIONAL_TEXT, "name": _OPTIONAL_TEXT},
}


def _listing(items_key, item_properties):
    return {
        "type": "object",
        "required": [items_key],
        "properties": {
            items_key: {
                "type": "array",
                "items": {"type": "object", "required": ["id", "status"], "properties": item_properties},
            },
            "total_count": _OPTIONAL_COUNT,
        },
    }


GEMINIDB_LIST = _listing("jobs", {
    "id": _TEXT,
    "name": _OPTIONAL_TEXT,
    "status": _TEXT,
    "start_time": _OPTIONAL_TEXT,
    "end_time": _OPTIONAL_TEXT,
    "progress": _OPTIONAL_TEXT,
    "instance": _INSTANCE,
    "fail_reason": _OPTIONAL_TEXT,
})

RDS_LIST = _listing("tasks", {
    "id": _TEXT,
    "name": _OPTIONAL_TEXT,
    "status": _TEXT,
    "instance_id": _OPTIONAL_TEXT,
    "instance_name": _OPTIONAL_TEXT,
    "instance_status": _OPTIONAL_TEXT,
    "order_id": _OPTIONAL_TEXT,
    "process": _OPTIONAL_TEXT,
    "fail_reason": _OPTIONAL_TEXT,
    "create_time": _OPTIONAL_TEXT,
    "end_time": _OPTIONAL_TEXT,
})

# GET /v3/{project_id}/jobs?id= (catalog id_lookup): the jobs of async calls the tasklist may not list.
RDS_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": {
            "type": "object",
            "required": ["id", "status"],
            "properties": {
                "id": _TEXT,
                "name": _OPTIONAL_TEXT,
                "status": _TEXT,
                "created": _OPTIONAL_TEXT,
                "ended": _OPTIONAL_TEXT,
                "process": _OPTIONAL_TEXT,
                "instance": _INSTANCE,
                "fail_reason": _OPTIONAL_TEXT,
            },
        },
    },
}

DDM_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": {
            "type": "object",
            "required": ["id", "status"],
            "properties": {
                "id": _TEXT,
                "name": _OPTIONAL_TEXT,
                "status": _TEXT,
                "created_time": _OPTIONAL_TEXT,
                "end_time": _OPTIONAL_TEXT,
                "process": _OPTIONAL_TEXT,
                "instance": _INSTANCE,
            },
        },
    },
}

SERVICESTAGE_JOB = {
    "type": "object",
    "required": ["job"],
    "properties": {
        "job": {
            "type": "object",
            "required": ["JOB_ID", "EXECUTION_STATUS"],
            "properties": {
                "JOB_ID": _TEXT,
                "JOB_NAME": _OPTIONAL_TEXT,
                "EXECUTION_STATUS": _TEXT,
                "SERVICE_INSTANCE_ID": _OPTIONAL_TEXT,
            },
        },
        "tasks": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "TASK_ID": _OPTIONAL_TEXT,
                    "TASK_NAME": _OPTIONAL_TEXT,
                    "TASK_INDEX": {"type": ["integer", "null"]},
                    "TASK_STATUS": _OPTIONAL_TEXT,
                    # Documented as a JSON-encoded string; a decoded object is accepted too.
                    "MESSAGES": {"type": ["string", "object", "null"]},
                    "CREATED_AT": _OPTIONAL_TEXT,
                },
            },
        },
        "task_count": _OPTIONAL_COUNT,
    },
}

_ECS_ENTITIES = {
    "type": ["object", "null"],
    "properties": {
        "server_id": _OPTIONAL_TEXT,
        "volume_id": _OPTIONAL_TEXT,
        "nic_id": _OPTIONAL_TEXT,
        "errorcode_message": _OPTIONAL_TEXT,
    },
}

# ECS, EVS and BMS: GET /v1/{project_id}/jobs/{job_id}; sub-jobs under entities.sub_jobs (EVS sends
# no sub_jobs_total, a single EVS volume no sub_jobs at all).
ECS_FAMILY_JOB = {
    "type": "object",
    "required": ["job_id", "status"],
    "properties": {
        "job_id": _TEXT,
        "job_type": _OPTIONAL_TEXT,
        "status": _TEXT,
        "begin_time": _OPTIONAL_TEXT,
        "end_time": _OPTIONAL_TEXT,
        "error_code": _OPTIONAL_TEXT,
        "fail_reason": _OPTIONAL_TEXT,
        "entities": {
            "type": ["object", "null"],
            "properties": {
                "server_id": _OPTIONAL_TEXT,
                "volume_id": _OPTIONAL_TEXT,
                "errorcode_message": _OPTIONAL_TEXT,
                "sub_jobs_total": _OPTIONAL_COUNT,
                "sub_jobs": {
                    "type": ["array", "null"],
                    "items": {
                        "type": "object",
                        "properties": {
                            "job_id": _OPTIONAL_TEXT,
                            "job_type": _OPTIONAL_TEXT,
                            "status": _OPTIONAL_TEXT,
                            "begin_time": _OPTIONAL_TEXT,
                            "end_time": _OPTIONAL_TEXT,
                            "error_code": _OPTIONAL_TEXT,
                            "fail_reason": _OPTIONAL_TEXT,
                            "entities": _ECS_ENTITIES,
                        },
                    },
                },
            },
        },
    },
}
