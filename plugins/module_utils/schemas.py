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


# The third wave's job APIs (api-notes.md). In the spirit of the tolerant schemas: only the job's id and
# status are pinned; every other field may be missing, null, a number or a string.
_ID_OR_STATUS = {"type": ["string", "integer"]}


def _job_at(item_key, id_key, status_key):
    """A body holding one job object at ``item_key`` whose ``id_key`` and ``status_key`` are required."""
    return {
        "type": "object",
        "required": [item_key],
        "properties": {
            item_key: {
                "type": "object",
                "required": [id_key, status_key],
                "properties": {id_key: _TEXT, status_key: _TEXT, "instance": {"type": ["object", "null"]}},
            },
        },
    }


# GaussDB, DDS, TaurusDB: GET /v3/{project_id}/jobs?id= -> {"job": {id, name, status, created, ended,
# progress | process, instance {id, name}, fail_reason}}.
DB_JOB = _job_at("job", "id", "status")

# CCE: GET /api/v3/projects/{project_id}/jobs/{job_id}; sub-jobs of the same shape under spec.subJobs.
_CCE_JOB_PARTS = {
    "metadata": {"type": ["object", "null"]},
    "spec": {"type": ["object", "null"]},
}
CCE_JOB = {
    "type": "object",
    "required": ["metadata", "status"],
    "properties": {
        "metadata": {"type": "object", "required": ["uid"], "properties": {"uid": _TEXT}},
        "status": {"type": "object", "required": ["phase"], "properties": {"phase": _TEXT}},
        "spec": {
            "type": ["object", "null"],
            "properties": {
                "subJobs": {
                    "type": ["array", "null"],
                    "items": {"type": "object", "properties": dict(_CCE_JOB_PARTS, status={"type": ["object", "null"]})},
                },
            },
        },
    },
}

# IMS: the ECS-family job API; the image sits at entities.image_id.
IMS_JOB = {
    "type": "object",
    "required": ["job_id", "status"],
    "properties": {"job_id": _TEXT, "status": _TEXT, "entities": {"type": ["object", "null"]}},
}

# DCS: GET /v2/{project_id}/jobs/{job_id} -> {job_id, job_type, status, begin_time, end_time, fail_reason}.
DCS_JOB = {
    "type": "object",
    "required": ["job_id", "status"],
    "properties": {"job_id": _TEXT, "status": _TEXT},
}

# BSS: GET /v2/orders/customer-orders/details/{order_id}; the order status is an integer (numeric text accepted).
BSS_ORDER = {
    "type": "object",
    "required": ["order_info"],
    "properties": {
        "order_info": {
            "type": "object",
            "required": ["order_id", "status"],
            "properties": {"order_id": _TEXT, "status": _ID_OR_STATUS},
        },
        "order_line_items": {"type": ["array", "null"]},
    },
}

# BSS: POST /v2/orders/suscriptions/resources/query -> {"total_count", "data": [{"resource_id", ...}]}.
BSS_ORDER_RESOURCES = {
    "type": "object",
    "properties": {
        "data": {
            "type": ["array", "null"],
            "items": {"type": "object", "required": ["resource_id"], "properties": {"resource_id": _TEXT}},
        },
    },
}
