# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service catalog: the only place that knows the job APIs.

Everything that differs between services is data in one entry of ``CATALOG``: the host prefix,
the path, how jobs are listed or fetched, the filters, the field map of the normalized task, the
status phases and the response schema. Option choices, endpoint keys, hosts and the one "unknown
service" check are derived from it. Adding a service is one entry here plus its schema
(``schemas.py``), a simulator handler and tests; docs/architecture.md says how.

Entry keys:
- ``label``: how messages name the service; ``host``: the prefix of ``https://{host}.{region}.{cloud}``.
- ``path``: the job path; ``{project_id}`` is filled by the client, ``{job_id}`` with the task id.
- ``list_capable``: True when ``path`` lists jobs (``items_key``, ``total_key``, paging keys below);
  False when it returns one job per request (``item_key``: where the job sits, None = the body).
  Per-id services poll each task on its own schedule (``per_task_schedule``).
- ``filters``: API filter options; ``local_filters``: filters applied to the normalized task
  (dotted path) because the API lacks them.
- ``page_sizes`` (allowed values) or ``min_page_size``/``max_page_size``; ``default_page_size``.
- ``time_encoding``: how ``start_time``/``end_time`` are sent (``offset_utc`` or ``epoch_ms``);
  ``max_window_days``: the longest window the API lists; ``start_requires_end`` (the API wants an end
  with a start: a window meant to reach "now" gets the cloud's now) and ``end_requires_start`` (an
  ``end_time`` alone is refused: the API does not read it without a start).
- ``blank_is_absent``: per-id services whose 200 answer with an empty job, or a blank status, means
  "not visible yet" (like a 404 of the service).
- ``absent_codes``: error codes that mean "no such job (yet)" whatever the HTTP status (a 404 with a
  service code always does).
- ``id_lookup``: list services whose listing may not hold every job: an id the listing does not
  return is asked there (``path``, the id in the query parameter ``id_param``, the job at ``item_key``,
  its own ``fields`` and ``schema``) before it counts as absent, and is then polled there.
- ``fields``: normalized field -> dotted path in the item (None: the API has no such field; a list:
  the first path that holds a value).
- ``fail_code``: where a failed job's top level says what went wrong besides ``fail_reason`` (an
  error message, an error code; a list: the first holding text): the failure reason when neither
  the job nor its failed sub-tasks give one.
- ``key_case``: ``cas`` when the API sends its keys in upper or lower case (CAS v2 and v3).
- ``subtasks_key`` (a dotted path), ``subtask_fields`` (like ``fields``; ``entity_id``: what the sub-task
  made, optional), ``subtask_phases``: sub-tasks next to the job or inside it;
  ``subtask_instance_id`` (``subtask_instance_name``): where the only sub-task of a job holds the
  job's instance id (name);
  ``subtask_paging``: how the API pages them (query parameters, the largest and the default page,
  the key of the total count).
- ``phases``: raw statuses per phase (pending, running, succeeded, failed, unknown).
- ``schema``: the JSON schema of one response (checked before normalizing), built with the helpers
  of ``schemas.py``: ids and statuses exact, every other field as the SDK's model declares it and
  tolerant (docs/architecture.md, "The catalog").
- ``id_param``: per-id services that take the id as this query parameter, not as the ``{job_id}`` segment
  (``GET /v3/{project_id}/jobs?id=``); ``headers``: sent with every job request.
- ``regional_hosts``: region -> host prefix where a region differs; ``global_host``: one
  ``https://{host}.{cloud}`` for every region (see ``service_host``).
- ``order_resources``: how to list what a completed order made (BSS; task_service.py).
- ``intl_site``: the host of the international website (BSS) and the answer that sends an account there
  (``statuses``, ``codes``), on ``cloud`` only (website.py).
- ``busy``: the service's "another operation is in progress" answers to writes, ``[{statuses, codes}]``
  (``busy_answer``); ``job_id_paths``: where its create calls put the job id, before the common places.

Job APIs the user declares (the ``api`` option, declared_api.py) become entries of the same shape,
registered with ``declare`` for this process and found by ``service_entry`` like the built-in ones.
Their extra keys: ``declared``, ``endpoint`` (a base URL that wins over ``host``), ``endpoint_option``
(the option that sets it, for messages) and ``strict_statuses`` (a status outside ``phases`` is
unexpected). Choices, ``SERVICES`` and ``ENDPOINT_KEYS`` stay the built-in services.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from collections.abc import Mapping

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import schemas

PHASES = ("pending", "running", "succeeded", "failed", "unknown")
TERMINAL_PHASES = ("succeeded", "failed")


def _db_phases():
    # A fresh copy per entry, so a caller changing one service's phases cannot change another's.
    return {"pending": [], "running": ["Running"], "succeeded": ["Completed"], "failed": ["Failed"], "unknown": []}


_NO_FIELD = None

# Keys of the ECS-family sub-job entities that name what the sub-job made.
_ECS_ENTITY_KEYS = ["entities.server_id", "entities.volume_id", "entities.nic_id"]


def _ecs_family(label, host, instance_key, schema, instance_name=None):
    """ECS, EVS and BMS share one job API (api-notes.md): label, host, entity and schema differ.

    ``instance_key`` names the job's instance: at the top of a job without sub-jobs (one EVS volume),
    else in its only sub-job (one server); a batch has no single instance. ``instance_name`` likewise
    (EVS ``entities.name``, the volume's name).
    """
    phases = {"pending": ["INIT"], "running": ["RUNNING"], "succeeded": ["SUCCESS"], "failed": ["FAIL"], "unknown": []}
    name_path = "entities." + instance_name if instance_name else _NO_FIELD
    entry = {
        "label": label,
        "host": host,
        "list_capable": False,
        "path": "/v1/{project_id}/jobs/{job_id}",
        "item_key": None,
        # The references list Common.0011 ("Invalid job ID") under HTTP 400: an unknown or not yet
        # visible job, not a bad request.
        "absent_codes": ["Common.0011"],
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "job_id", "name": "job_type", "status": "status",
            "created_at": "begin_time", "ended_at": "end_time", "progress": _NO_FIELD,
            "instance_id": "entities." + instance_key, "instance_name": name_path, "instance_status": _NO_FIELD,
            "fail_reason": "fail_reason",
        },
        # The top level of a failed job often carries only the code; the reason is on the failed sub-job.
        # Else the top level's message (BMS: "the error message"; ECS documents message/code for a failed
        # query of the job), then the codes.
        "fail_code": ["message", "error_code", "code"],
        "subtasks_key": "entities.sub_jobs",
        "subtask_fields": {
            "id": "job_id", "name": "job_type", "index": _NO_FIELD, "status": "status",
            # The SDK documents entities.errorcode_message (ECS, BMS) as the specific reason, before
            # the short fail_reason; BMS may carry the text only in message; the codes come last.
            "message": ["entities.errorcode_message", "fail_reason", "message", "error_code", "code"],
            "created_at": "begin_time",
            "entity_id": list(_ECS_ENTITY_KEYS),
        },
        "subtask_instance_id": "entities." + instance_key,
        "subtask_phases": dict((phase, list(values)) for phase, values in phases.items()),
        "phases": phases,
        "schema": schema,
    }
    if instance_name:
        entry["subtask_instance_name"] = name_path
    return entry


# Insertion order is the order users see in choices and messages.
CATALOG = {
    "geminidb": {
        "label": "GeminiDB",
        "host": "gaussdb-nosql",
        "list_capable": True,
        "path": "/v3/{project_id}/jobs",
        "items_key": "jobs",
        "total_key": "total_count",
        "filters": ["id", "status", "name", "instance_id", "start_time", "end_time"],
        # The job API has no instance filter, yet "which tasks of instance X still run?" is the common
        # question: the listing is filtered here on the normalized task.
        "local_filters": {"instance_id": "instance.id"},
        "page_sizes": [10, 20, 50],
        "min_page_size": 10,
        "max_page_size": 50,
        "default_page_size": 50,
        "time_encoding": "offset_utc",
        "max_window_days": 30,
        "start_requires_end": False,
        # An end_time alone is completed with the 30-day start the API would default to.
        "end_requires_start": False,
        "fields": {
            "id": "id", "name": "name", "status": "status",
            "created_at": "start_time", "ended_at": "end_time", "progress": "progress",
            "instance_id": "instance.id", "instance_name": "instance.name", "instance_status": _NO_FIELD,
            "fail_reason": "fail_reason",
        },
        "phases": _db_phases(),
        "schema": schemas.GEMINIDB_LIST,
    },
    "rds": {
        "label": "RDS",
        "host": "rds",
        "list_capable": True,
        # /v3/{project_id}/tasklist?id= also returns instance_status, which /v3/{project_id}/jobs?id=
        # lacks, and one path keeps one parser: ids are looked up through the tasklist's id filter.
        "path": "/v3/{project_id}/tasklist",
        "items_key": "tasks",
        "total_key": "total_count",
        "filters": ["id", "instance_id", "order_id", "name", "status", "start_time", "end_time"],
        "local_filters": {},
        "page_sizes": None,
        "min_page_size": 1,
        "max_page_size": 50,
        # The API defaults to 10; 50 needs five times fewer requests.
        "default_page_size": 50,
        "time_encoding": "epoch_ms",
        "max_window_days": None,
        "start_requires_end": True,
        # end_time is read only together with start_time (Terraform's data source demands both).
        "end_requires_start": True,
        "fields": {
            "id": "id", "name": "name", "status": "status",
            "created_at": "create_time", "ended_at": "end_time", "progress": "process",
            "instance_id": "instance_id", "instance_name": "instance_name", "instance_status": "instance_status",
            "fail_reason": "fail_reason",
        },
        "phases": _db_phases(),
        "schema": schemas.RDS_LIST,
        # Async calls (POST /v3/{project_id}/instances, ...) answer a job_id that nothing promises the
        # tasklist lists; Terraform waits on it at /jobs?id=. Batches stay on the tasklist.
        "id_lookup": {
            "path": "/v3/{project_id}/jobs",
            "id_param": "id",
            "item_key": "job",
            "fields": {
                "id": "id", "name": "name", "status": "status",
                "created_at": "created", "ended_at": "ended", "progress": "process",
                "instance_id": "instance.id", "instance_name": "instance.name", "instance_status": _NO_FIELD,
                "fail_reason": "fail_reason",
            },
            "schema": schemas.RDS_JOB,
        },
    },
    "ddm": {
        "label": "DDM",
        "host": "ddm",
        "list_capable": False,
        "path": "/v3/{project_id}/jobs/{job_id}",
        "item_key": "job",
        # Besides its 404, DDM answers a job it does not show yet with {"job": {}} or a blank status;
        # Terraform's provider keeps waiting on both.
        "blank_is_absent": True,
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "id", "name": "name", "status": "status",
            "created_at": "created_time", "ended_at": "end_time", "progress": "process",
            "instance_id": "instance.id", "instance_name": "instance.name", "instance_status": _NO_FIELD,
            "fail_reason": "fail_reason",
        },
        "phases": _db_phases(),
        "schema": schemas.DDM_JOB,
    },
    "servicestage": {
        "label": "ServiceStage CAS",
        "host": "servicestage",
        "list_capable": False,
        "path": "/v2/{project_id}/cas/jobs/{job_id}",
        "item_key": None,  # the whole body: the sub-tasks sit next to the job
        "key_case": "cas",
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            # The v3 job has no JOB_NAME (nor SERVICE_INSTANCE_ID): its JOB_TYPE names what it does.
            "id": "job.JOB_ID", "name": ["job.JOB_NAME", "job.JOB_TYPE"], "status": "job.EXECUTION_STATUS",
            "created_at": _NO_FIELD, "ended_at": _NO_FIELD, "progress": _NO_FIELD,
            "instance_id": "job.SERVICE_INSTANCE_ID", "instance_name": _NO_FIELD, "instance_status": _NO_FIELD,
            "fail_reason": _NO_FIELD,
        },
        "subtasks_key": "tasks",
        "subtask_fields": {
            "id": "TASK_ID", "name": "TASK_NAME", "index": "TASK_INDEX", "status": "TASK_STATUS",
            "message": "MESSAGES", "created_at": "CREATED_AT",
        },
        "phases": {
            "pending": ["SUBMITTED", "SCHEDULED"],
            "running": ["RUNNING", "ROLLBACKING"],
            "succeeded": ["SUCCEEDED"],
            # UNKNOWN: the engine lost track of the job; it never changes again (Terraform fails on it too).
            "failed": ["FAILED", "CANCELLED", "PARTIALLY_FAILED", "ROLLBACKED", "UNKNOWN"],
            "unknown": [],
        },
        # SKIPPED: the step was not needed, which does not keep the job from succeeding.
        "subtask_phases": {"running": ["RUNNING"], "succeeded": ["SUCCEEDED", "SKIPPED"], "failed": ["FAILED"]},
        # Without limit the API returns the first 20 sub-tasks only; task_count is how many there are.
        # A failure can sit past the first page, so every page is read, the largest allowed at a time.
        "subtask_paging": {"limit_param": "limit", "offset_param": "offset", "max_page_size": 100,
                           "default_page_size": 20, "total_key": "task_count"},
        "schema": schemas.SERVICESTAGE_JOB,
    },
    "ecs": _ecs_family("ECS", "ecs", "server_id", schemas.ECS_JOB),
    "evs": _ecs_family("EVS", "evs", "volume_id", schemas.EVS_JOB, instance_name="name"),
    "bms": _ecs_family("BMS", "bms", "server_id", schemas.BMS_JOB),
}


def _db_job_family(label, host, progress_key, phases, regional_hosts=None, headers=None, busy=None):
    """GaussDB, DDS and TaurusDB: the RDS async-job API ``GET /v3/{project_id}/jobs?id=`` (api-notes.md).

    The API answers one id per request (``id`` is a single value in its reference, the SDKs' request
    models and Terraform's waits), so the ids of a gate are fetched one request each, concurrently,
    each on its own schedule. The progress key differs (``progress`` or ``process``): both are read.
    """
    other = "process" if progress_key == "progress" else "progress"
    return {
        "label": label,
        "host": host,
        "regional_hosts": dict(regional_hosts or {}),
        "list_capable": False,
        "path": "/v3/{project_id}/jobs",
        # The job id travels as the query parameter ``id``, not as a path segment.
        "id_param": "id",
        "item_key": "job",
        "blank_is_absent": True,
        "headers": dict(headers or {}),
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "id", "name": "name", "status": "status",
            "created_at": "created", "ended_at": "ended", "progress": [progress_key, other],
            "instance_id": "instance.id", "instance_name": "instance.name", "instance_status": _NO_FIELD,
            "fail_reason": "fail_reason",
        },
        "phases": phases,
        "busy": busy or [],
        "schema": schemas.DB_JOB,
    }


# "Another operation is in progress" answers to writes (api-notes.md, from Terraform's retry lists):
# api_request waits and retries a write that gets one of them. The HTTP status each code comes with is
# not documented, so code and status class are matched together, per service.
_GAUSSDB_BUSY_CODES = ["DBS.200019", "DBS.201014", "DBS.201015", "DBS.200047", "DBS.05000084"]
_RDS_BUSY = [
    {"statuses": [400, 403, 409], "codes": [
        "DBS.200019", "DBS.201202", "DBS.200011", "DBS.200018", "DBS.200047", "DBS.200076", "DBS.200611",
        "DBS.200080", "DBS.200452", "DBS.201015", "DBS.201206", "DBS.212033", "DBS.280011", "DBS.280343",
        "DBS.280816", "DBS.01010337", "DBS.01280030"]},
    {"statuses": [500], "codes": ["DBS.280036"]},
]

# ECS-family-style job statuses of DCS: SUCCESS and FAIL end a job; anything else (the API names no
# others) keeps it pending.
_DCS_PHASES = {"pending": ["INIT"], "running": ["RUNNING"], "succeeded": ["SUCCESS"], "failed": ["FAIL"], "unknown": []}

# BSS order statuses (api-notes.md): 1 pending review, 2 pending refund, 3 processing, 4 cancelled,
# 5 completed, 6 pending payment, 9 pending confirmation, 10-13 shipment states. Terraform waits while
# 2, 3 or 6, succeeds on 5 and fails on any other: so do we. A completed order whose resources are not
# listed yet reads ORDER_RESOURCES_PENDING (task_service.py) and keeps the gate waiting.
ORDER_RESOURCES_PENDING = "5 (resources pending)"
_ORDER_PHASES = {
    "pending": ["6"], "running": ["2", "3", ORDER_RESOURCES_PENDING], "succeeded": ["5"],
    "failed": ["1", "4", "9", "10", "11", "12", "13"], "unknown": [],
}


def _ims():
    """The ECS-family job API on the IMS host, with IMS's own entities (ims ShowJobResponse): the failure
    text at entities.error (its code at entities.error_code), sub-jobs at entities.sub_jobs_result."""
    entry = _ecs_family("IMS", "ims", "image_id", schemas.IMS_JOB, instance_name="image_name")
    entry["fields"] = dict(entry["fields"], progress="entities.process_percent")
    entry["fail_code"] = ["entities.error", "entities.addition_error_msg", "error_code", "entities.error_code"]
    entry["subtasks_key"] = "entities.sub_jobs_result"
    entry["subtask_fields"] = dict(entry["subtask_fields"], message=["fail_reason", "error_code"],
                                   entity_id="entities.image_id")
    return entry


_THIRD_WAVE = {
    "gaussdb": _db_job_family("GaussDB", "gaussdb-opengauss", "progress", _db_phases(),
                              busy=[{"statuses": [409], "codes": _GAUSSDB_BUSY_CODES + ["DBS.201202", "DBS.216011"]}]),
    # Terraform asks DDS in English (X-Language): fail_reason reads the same as on the console in English.
    "dds": _db_job_family("DDS", "dds", "progress", _db_phases(), headers={"X-Language": "en-us"},
                          busy=[{"statuses": [400, 403], "codes": [
                              "DBS.200019", "DBS.200076", "DBS.201014", "DBS.201015", "DBS.00010009"]}]),
    # TaurusDB also answers Pending (a delayed job) and, by its reference, Unauthorized and Canceled.
    "taurusdb": _db_job_family(
        "TaurusDB", "gaussdb", "process",
        dict(_db_phases(), pending=["Pending"], failed=["Failed", "Unauthorized", "Canceled"]),
        regional_hosts={"ap-southeast-1": "gaussdbformysql", "ap-southeast-2": "gaussdbformysql",
                        "cn-north-11": "gaussdbformysql", "tr-west-1": "gaussdbformysql",
                        "af-south-1": "gaussdb-mysql"},
        busy=[{"statuses": [409], "codes": _GAUSSDB_BUSY_CODES + ["DBS.212033"]}]),
    "cce": {
        "label": "CCE",
        "host": "cce",
        "list_capable": False,
        "path": "/api/v3/projects/{project_id}/jobs/{job_id}",
        "item_key": None,
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "metadata.uid", "name": "spec.type", "status": "status.phase",
            "created_at": "metadata.creationTimestamp", "ended_at": "metadata.updateTimestamp", "progress": _NO_FIELD,
            # A node job names the node, a cluster job the cluster; the cluster is always spec.clusterUID.
            "instance_id": ["spec.resourceID", "spec.clusterUID"], "instance_name": "spec.resourceName",
            "instance_status": _NO_FIELD, "fail_reason": ["status.reason", "status.message"],
        },
        "subtasks_key": "spec.subJobs",
        "subtask_fields": {
            "id": "metadata.uid", "name": "spec.type", "index": _NO_FIELD, "status": "status.phase",
            "message": ["status.reason", "status.message"], "created_at": "metadata.creationTimestamp",
            "entity_id": "spec.resourceID",
        },
        "subtask_phases": {"pending": ["Initializing"], "running": ["Running"], "succeeded": ["Success"], "failed": ["Failed"]},
        "phases": {"pending": ["Initializing"], "running": ["Running"], "succeeded": ["Success"], "failed": ["Failed"], "unknown": []},
        "schema": schemas.CCE_JOB,
        # Cluster and node creates answer the job at status.jobID, the add-node call at jobid.
        "job_id_paths": ["status.jobID", "jobid"],
    },
    "ims": _ims(),
    "dcs": {
        "label": "DCS",
        "host": "dcs",
        "list_capable": False,
        "path": "/v2/{project_id}/jobs/{job_id}",
        "item_key": None,
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "job_id", "name": "job_type", "status": "status",
            "created_at": "begin_time", "ended_at": "end_time", "progress": _NO_FIELD,
            # The job names no instance (api-notes.md and the SDK's ShowJobInfoResponse agree): the
            # create call's answer does (instances[].instance_id).
            "instance_id": _NO_FIELD, "instance_name": _NO_FIELD, "instance_status": _NO_FIELD,
            "fail_reason": "fail_reason",
        },
        "phases": _DCS_PHASES,
        "busy": [{"statuses": [400], "codes": ["DCS.4026", "DCS.4049"] + ["DCS.%d" % code for code in range(4096, 4122)]}],
        "schema": schemas.DCS_JOB,
    },
    "bss_order": {
        "label": "BSS order",
        # https://bss.{cloud}: one global endpoint, no region in the host and no project in the path.
        "host": "bss",
        "global_host": True,
        # An account of the international website gets 403 CBC.0150 (CBC.0156 in some regions) there and
        # uses https://bss-intl.myhuaweicloud.com: switched to for the rest of the process, on this cloud
        # only and never over endpoints.bss_order, as Terraform's provider does (website.py).
        "intl_site": {"host": "bss-intl", "cloud": "myhuaweicloud.com", "statuses": [403], "codes": ["CBC.0150", "CBC.0156"]},
        "list_capable": False,
        "path": "/v2/orders/customer-orders/details/{job_id}",
        "item_key": None,
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": {
            "id": "order_info.order_id", "name": "order_info.order_type", "status": "order_info.status",
            "created_at": "order_info.create_time", "ended_at": _NO_FIELD, "progress": _NO_FIELD,
            "instance_id": _NO_FIELD, "instance_name": _NO_FIELD, "instance_status": _NO_FIELD,
            "fail_reason": _NO_FIELD,
        },
        "phases": _ORDER_PHASES,
        # Once completed, the resources the order made: empty for a while after completion (pending).
        "order_resources": {
            "path": "/v2/orders/suscriptions/resources/query",  # the typo is the API's
            "body": {"only_main_resource": 1},
            "order_id_key": "order_id",
            "items_key": "data",
            "id_key": "resource_id",
            "schema": schemas.BSS_ORDER_RESOURCES,
        },
        "busy": [{"statuses": [400, 403, 409], "codes": ["CBC.99003651"]}],
        "schema": schemas.BSS_ORDER,
    },
}
CATALOG.update(_THIRD_WAVE)
CATALOG["rds"]["busy"] = _RDS_BUSY

# The service names users choose from (option choices), in catalog order.
SERVICES = tuple(CATALOG)

# Token endpoint: not a job service, but an `endpoints` key and a host like the services.
AUTH_ENDPOINT = "iam"
AUTH_HOST = "iam"

# The ECS metadata service (temporary keys of the ECS's agency): an `endpoints` key, not a host.
METADATA_ENDPOINT = "metadata"

# Keys of the `endpoints` option: every service, then IAM, then the ECS metadata service.
ENDPOINT_KEYS = SERVICES + (AUTH_ENDPOINT, METADATA_ENDPOINT)


def unknown_service(service, option="service"):
    """The one "unknown service" error: names the option and the services the catalog knows."""
    return InvalidInput("%s must be one of %s; got %r" % (option, ", ".join(SERVICES), service),
                        option=option, allowed=list(SERVICES))


# Entries of the job APIs declared in this process (declared_api.py), by name. A name is never reused
# for another definition: a wait in progress keeps reading the entry it started with.
_DECLARED = {}
_DECLARED_LOCK = threading.Lock()


def declare(entry):
    """Register a declared API's entry; returns its name: the entry's label, numbered (``api#2``) when
    another definition took it. The same definition gets the same name again."""
    label = entry["label"]
    with _DECLARED_LOCK:
        number = 1
        while True:
            name = label if number == 1 else "%s#%d" % (label, number)
            known = _DECLARED.get(name)
            if known is None and name not in CATALOG and name not in (AUTH_ENDPOINT, METADATA_ENDPOINT):
                _DECLARED[name] = entry
                return name
            if known == entry:
                return name
            number += 1


class ServiceEntry(Mapping):
    """A resolved catalog entry: the entry's keys (read through, ``entry["path"]``) and its ``name``.

    The planning step resolves the service (or the declared ``api``) once with ``service_entry``; the
    client, the contract check, the task service and the normalizer take this object and never look
    a name up again. ``name`` is what messages, ``endpoints`` keys and the tasks' ``service`` say.
    """

    __slots__ = ("name", "data")

    def __init__(self, name, data):
        self.name = name
        self.data = data

    def __getitem__(self, key):
        return self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        return "ServiceEntry(%r)" % self.name

    @property
    def endpoint_key(self):
        """The ``endpoints`` key whose URL serves this entry: its ``endpoint_key`` (a resource of a built-in
        service, resource_catalog.py), else its own name."""
        return self.data.get("endpoint_key") or self.name

    @property
    def endpoint_option(self):
        """The option that gives this entry's base URL, as messages name it."""
        return self.data.get("endpoint_option") or "endpoints.%s" % self.name


# The token endpoint, resolved like a service's entry so that the client takes one kind of target.
AUTH_ENTRY = ServiceEntry(AUTH_ENDPOINT, {"label": "IAM", "host": AUTH_HOST})


def service_entry(service, option="service"):
    """The resolved entry of ``service`` (or of a declared API); InvalidInput (``unknown_service``) otherwise."""
    entry = (CATALOG.get(service) or _DECLARED.get(service)) if isinstance(service, str) else None
    if entry is None:
        raise unknown_service(service, option)
    return ServiceEntry(service, entry)


def endpoint_entry(endpoint_key):
    """The resolved entry of an ``endpoints`` key: a service's (or a declared API's), or IAM's."""
    return AUTH_ENTRY if endpoint_key == AUTH_ENDPOINT else service_entry(endpoint_key)


def host_prefix(endpoint_key):
    """Host prefix of a service or of IAM (``https://{prefix}.{region}.{cloud}``)."""
    return endpoint_entry(endpoint_key)["host"]


def service_host(entry, region, cloud):
    """Host name of a resolved entry (``ServiceEntry`` or ``AUTH_ENTRY``): ``{prefix}.{region}.{cloud}``, the
    region's own prefix where the service has one (``regional_hosts``: TaurusDB), or ``{prefix}.{cloud}``
    for a global service (``global_host``: BSS; ``region`` may then be None)."""
    if global_service(entry):
        return "%s.%s" % (entry["host"], cloud)
    return "%s.%s.%s" % ((entry.get("regional_hosts") or {}).get(region, entry["host"]), region, cloud)


def global_service(entry):
    """True for a resolved entry with one endpoint for every region (no region needed to reach it)."""
    return bool(entry.get("global_host"))


def busy_answer(entry, status, error_code):
    """True when ``status`` + ``error_code`` is one of the resolved entry's "another operation is in
    progress" answers to a write (``busy``): the write may be sent again once the instance is free."""
    if not error_code or status is None:
        return False
    for rule in entry.get("busy") or ():
        if status in rule["statuses"] and error_code in rule["codes"]:
            return True
    return False


def raw_statuses(entry):
    """Every raw status value a resolved entry (``ServiceEntry``) knows, in phase order."""
    phases = entry["phases"]
    return [value for phase in PHASES for value in phases.get(phase, ())]


def per_task_schedule(entry):
    """True for services without a listing: each open id costs one request, so each task gets its own schedule."""
    return not entry["list_capable"]
