# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Service APIs: routes, parameter checks and response shapes, faithful to the seeds.

Each handler gets a ``Request`` and returns ``(status, body, jobs_served)`` or raises
``ServiceError``. ``jobs_served`` feeds the by_job / first_terminal_served counters.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time
from datetime import datetime

from .state import CAS_SUBMITTED_SHARE, ECS_FAMILY

THIRTY_DAYS = 30 * 86400
DB_STATUS = {"running": "Running", "succeeded": "Completed", "failed": "Failed"}
DB_STATUSES = ("Running", "Completed", "Failed")
CAS_STATUS = {"running": "RUNNING", "succeeded": "SUCCEEDED", "failed": "FAILED"}
# EXECUTION_STATUS once a job has ended, by outcome (api-notes.md lists UNKNOWN and PARTIALLY_FAILED).
CAS_END_STATUS = {"success": "SUCCEEDED", "failure": "FAILED", "unknown": "UNKNOWN", "partially_failed": "PARTIALLY_FAILED"}
# Sub-task paging (api-notes.md, second wave): at most 20 without `limit`, `limit` up to 100.
CAS_DEFAULT_LIMIT = 20
CAS_MAX_LIMIT = 100
CAS_OWNER = "cas-mgr-69bb87d7c-wpqwb:30114"
CAS_FAIL_CODE = "ECC00011"
# RDS instance_status while a non-create job runs, by job name keyword (seed's status list).
RDS_BUSY_STATUS = (("Restore", "RESTORING"), ("Backup", "BACKING UP"), ("Reboot", "REBOOTING"), ("Restart", "REBOOTING"),
                   ("Migrat", "MIGRATING"), ("Switch", "SWITCHOVER"))
_DB_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$")

# ECS/EVS/BMS job status by phase (INIT comes before, see ecs_family_status).
ECS_STATUS = {"running": "RUNNING", "succeeded": "SUCCESS", "failed": "FAIL"}
# Batch limits of the create calls (API references: ECS and EVS count up to 100, BMS up to 24).
ECS_FAMILY_MAX_COUNT = {"ecs": 100, "evs": 100, "bms": 24}

# Error codes per service for (bad parameter, not found). ECS family: Ecs.0005 "request body is illegal",
# EVS.1009 "invalid volumeForCreate!", BMS.0018 "Request parameter is invalid."; an unknown job id is
# Common.0011 in the ECS and EVS error-code tables (Ecs.0114 is a missing server, not a job).
PARAM_ERROR = {"geminidb": "DBS.200001", "rds": "DBS.200001", "ddm": "DDM.0003", "servicestage": "SVCSTG.00100400",
               "ecs": "Ecs.0005", "evs": "EVS.1009", "bms": "BMS.0018"}
NOT_FOUND_ERROR = {"rds": "DBS.280343", "ddm": "DDM.0602", "servicestage": "SVCSTG.00100429",
                   "ecs": "Common.0011", "evs": "Common.0011", "bms": "Common.0011"}


class ServiceError(Exception):
    def __init__(self, status, code, message):
        super(ServiceError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message


# Services whose errors nest as {"error": {"code", "message"}} besides the ECS family (register_routes).
NESTED_ERRORS = set()
# Services whose errors have a shape of their own: service -> function(code, message) -> body.
ERROR_BODIES = {}


def error_body(service, code, message):
    # DDM still answers from its older gateway: errCode/externalMessage (all DDM 4xx use it here).
    if service == "ddm":
        return {"errCode": code, "externalMessage": message}
    if service in ERROR_BODIES:
        return ERROR_BODIES[service](code, message)
    if service in ECS_FAMILY or service in NESTED_ERRORS:
        return {"error": {"code": code, "message": message}}
    return {"error_code": code, "error_msg": message}


class Request:
    def __init__(self, sim, service, method, path, raw_query, query, params, body, now):
        self.sim = sim
        self.state = sim.state
        self.service = service
        self.method = method
        self.path = path
        self.raw_query = raw_query
        self.query = query
        self.params = params
        self.body = body
        self.now = now

    def bad(self, message):
        return ServiceError(400, PARAM_ERROR[self.service], message)

    def json_body(self):
        try:
            data = json.loads((self.body or b"{}").decode("utf-8"))
        except ValueError:
            raise self.bad("The request body is not valid JSON.")
        if not isinstance(data, dict):
            raise self.bad("The request body must be a JSON object.")
        return data

    def text(self, name):
        """A filter value; empty means not given."""
        value = self.query.get(name)
        return value if value else None

    def integer(self, name, default, minimum=None, maximum=None, allowed=None):
        raw = self.query.get(name)
        if raw is None:
            return default
        if not re.match(r"^-?\d+$", raw):
            raise self.bad("Invalid parameter %s=%r: must be an integer." % (name, raw))
        value = int(raw)
        if allowed is not None and value not in allowed:
            raise self.bad("Invalid parameter %s=%s: allowed values are %s." % (name, raw, ", ".join(str(a) for a in allowed)))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = "between %s and %s" % (minimum, maximum) if maximum is not None else ">= %s" % minimum
            raise self.bad("Invalid parameter %s=%s: must be %s." % (name, raw, bounds))
        return value

    def choice(self, name, allowed):
        value = self.text(name)
        if value is not None and value not in allowed:
            raise self.bad("Invalid parameter %s=%r: allowed values are %s." % (name, value, ", ".join(allowed)))
        return value


# ---- formatting ---------------------------------------------------------------
def db_time(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch))


def cas_time(epoch):
    millis = int(round(epoch * 1000))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(millis // 1000)) + ".%03dZ" % (millis % 1000)


def parse_db_time(req, name):
    """GeminiDB 'yyyy-mm-ddThh:mm:ss+hhmm' (any numeric offset) -> epoch, 400 otherwise."""
    raw = req.text(name)
    if raw is None:
        return None
    if not _DB_TIME_RE.match(raw):
        raise req.bad("Invalid parameter %s=%r: format is yyyy-mm-ddThh:mm:ss+hhmm, e.g. 2023-09-12T06:44:01+0000." % (name, raw))
    try:
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        raise req.bad("Invalid parameter %s=%r: not a valid date and time." % (name, raw))


def _planned_end(req, job, phase):
    # The seeds show end_time (the planned end) even while a job is Running.
    if phase != "running" or req.state.config["planned_end_time"]:
        return db_time(job.ends_at)
    return ""


def _page(items, offset, limit):
    return items[offset:offset + limit] if limit else items[offset:]


def _instance_ref(job):
    return {"id": job.instance_id, "name": job.instance_name}


def _failure_text(job, phase):
    return job.fail_reason if phase == "failed" else ""


# ---- GeminiDB -----------------------------------------------------------------
def geminidb_job_view(req, job):
    phase = job.phase(req.now)
    return {
        "id": job.id,
        "name": job.name,
        "status": DB_STATUS[phase],
        "start_time": db_time(job.created),
        "end_time": _planned_end(req, job, phase),
        "progress": "%d%%" % job.percent(req.now) if phase == "running" else "",
        "instance": _instance_ref(job),
        "fail_reason": _failure_text(job, phase),
    }


def geminidb_list_jobs(req):
    limit = req.integer("limit", 50, allowed=(10, 20, 50))
    offset = req.integer("offset", 0, minimum=0)
    status = req.choice("status", DB_STATUSES)
    start, end = parse_db_time(req, "start_time"), parse_db_time(req, "end_time")
    # Defaults: end = now, start = 30 days before end.
    end = int(req.now) if end is None else end
    start = end - THIRTY_DAYS if start is None else start
    if end <= start:
        raise req.bad("Invalid parameter end_time: it must be later than start_time.")
    if end - start > THIRTY_DAYS:
        raise req.bad("Invalid parameter start_time/end_time: the time span cannot exceed 30 days.")
    job_id, name = req.text("id"), req.text("name")
    # jobs_of() is newest first, the real API's order.
    jobs = [j for j in req.state.jobs_of("geminidb", req.now)
            if start <= int(j.created) <= end and (job_id is None or j.id == job_id) and (name is None or j.name == name)
            and (status is None or DB_STATUS[j.phase(req.now)] == status)]
    page = _page(jobs, offset, limit)
    return 200, {"total_count": len(jobs), "jobs": [geminidb_job_view(req, j) for j in page]}, page


# ---- RDS ----------------------------------------------------------------------
def rds_instance_status(req, job, phase):
    if job.name.startswith("Create"):
        return {"running": "BUILD", "succeeded": "ACTIVE", "failed": "CREATE FAIL"}[phase]
    if phase == "running":
        for keyword, status in RDS_BUSY_STATUS:
            if keyword in job.name:
                return status
        return "MODIFYING"
    return "ACTIVE" if phase == "succeeded" else "FAILED"


def rds_task_view(req, job):
    phase = job.phase(req.now)
    return {
        "id": job.id,
        "name": job.name,
        "instance_id": job.instance_id,
        "instance_name": job.instance_name,
        "instance_status": rds_instance_status(req, job, phase),
        "order_id": job.order_id,
        "process": str(job.percent(req.now)) if phase == "running" else "",
        "fail_reason": _failure_text(job, phase),
        "create_time": db_time(job.created),
        "end_time": _planned_end(req, job, phase),   # "Planned task end time" in the seed
        "status": DB_STATUS[phase],
    }


def rds_tasklist(req):
    limit = req.integer("limit", 10, minimum=1, maximum=50)
    offset = req.integer("offset", 0, minimum=0)
    start_ms = req.integer("start_time", None, minimum=0)
    end_ms = req.integer("end_time", None, minimum=0)
    status = req.choice("status", DB_STATUSES)
    if start_ms is not None and end_ms is None:
        raise req.bad("Invalid parameter end_time: it is mandatory when start_time is specified.")
    if start_ms is not None and end_ms < start_ms:
        raise req.bad("Invalid parameter end_time: it must not be earlier than start_time.")
    filters = dict((key, req.text(key)) for key in ("id", "instance_id", "order_id", "name"))
    jobs = []
    for job in req.state.jobs_of("rds", req.now):
        if not job.in_tasklist:   # an async call's job that only GET /v3/{project_id}/jobs?id= knows
            continue
        created_ms = int(job.created * 1000)
        if (start_ms is not None and created_ms < start_ms) or (end_ms is not None and created_ms > end_ms):
            continue
        if any(want is not None and getattr(job, key) != want for key, want in filters.items()):
            continue
        if status is not None and DB_STATUS[job.phase(req.now)] != status:
            continue
        jobs.append(job)
    actions = []
    for job in jobs:
        if job.name not in actions:
            actions.append(job.name)
    page = _page(jobs, offset, limit)
    return 200, {"tasks": [rds_task_view(req, j) for j in page], "actions": actions, "total_count": len(jobs)}, page


def _visible_job(req, service, job_id):
    job = req.state.get_job(job_id) if job_id else None
    if job is None or job.service != service or not job.visible(req.now):
        if service in ECS_FAMILY:
            # Same answer for an id never issued and one not visible yet: the client cannot tell them apart.
            raise ServiceError(req.state.config["ecs_not_found_status"], NOT_FOUND_ERROR[service],
                               "query job fail. The job %s does not exist." % job_id)
        raise ServiceError(404, NOT_FOUND_ERROR[service], "The job %s does not exist." % job_id)
    return job


def rds_show_job(req):
    job_id = req.text("id")
    if job_id is None:
        raise req.bad("Invalid parameter id: it is mandatory.")
    job = _visible_job(req, "rds", job_id)
    phase = job.phase(req.now)
    view = {
        "id": job.id,
        "name": job.name,
        "status": DB_STATUS[phase],
        "created": db_time(job.created),
        "process": "%d%%" % job.percent(req.now) if phase == "running" else "",
        "instance": _instance_ref(job),
        "fail_reason": _failure_text(job, phase),
    }
    if phase != "running":
        view["ended"] = db_time(job.ends_at)   # no planned end on this API: "ended" appears once finished
    return 200, {"job": view}, [job]


# ---- DDM ----------------------------------------------------------------------
def ddm_show_job(req):
    job_id = req.params["job_id"]
    hidden = req.state.get_job(job_id)
    style = req.state.config["ddm_invisible_style"]
    if hidden is not None and hidden.service == "ddm" and not hidden.visible(req.now) and style != "404":
        # The other "not there yet" answers Terraform's provider tolerates: an empty job object, or
        # the job with an empty status. Both are 200 and name no job the client could act on.
        if style == "empty_job":
            return 200, {"job": {}}, []
        return 200, {"job": {"id": hidden.id, "name": hidden.name, "status": "", "created_time": db_time(hidden.created),
                             "end_time": "", "process": "", "instance": _instance_ref(hidden)}}, []
    job = _visible_job(req, "ddm", job_id)
    phase = job.phase(req.now)
    view = {
        "id": job.id,
        "name": job.name,
        "status": DB_STATUS[phase],
        "created_time": db_time(job.created),
        "end_time": _planned_end(req, job, phase),
        "process": "%d%%" % job.percent(req.now) if phase == "running" else "",
        "instance": _instance_ref(job),
    }
    return 200, {"job": view}, [job]


# ---- ServiceStage CAS -----------------------------------------------------------
def cas_messages(code, detail):
    # Same spacing as the seed: "{ \"Message\" : \"ECC00011\", \"Detail\" : \"Building failed.\" }"
    return '{ "Message" : %s, "Detail" : %s }' % (json.dumps(code), json.dumps(detail))


def _cas_failed_position(job):
    """Position of the FAILED sub-task once the job has ended, or None.

    FAILED: the last one (N of N, the seed's example fails in its last). PARTIALLY_FAILED: the one
    before the last (the job went on after it), so a client must look at every sub-task, not the last.
    """
    count = len(job.subtasks)
    if job.outcome == "failure":
        return count - 1
    if job.outcome == "partially_failed":
        return max(0, count - 2)
    return None


def cas_subtasks(job, now):
    """Sub-tasks visible at ``now``: they appear one by one; a failure sits in the last one.

    UNKNOWN: the engine lost track of the job, so its last sub-task stays RUNNING with its health
    check frozen at the time it started.
    """
    phase = job.phase(now)
    count = len(job.subtasks)
    span = job.duration * (1.0 - CAS_SUBMITTED_SHARE)
    failed_position = _cas_failed_position(job) if phase != "running" else None
    tasks = []
    for position, (index, name, task_type) in enumerate(job.subtasks):
        started = job.created + job.duration * CAS_SUBMITTED_SHARE + span * position / count
        finished = job.created + job.duration * CAS_SUBMITTED_SHARE + span * (position + 1) / count
        if phase == "running" and now < started:
            break
        if phase != "running" and job.outcome == "unknown" and position == count - 1:
            status, messages, checked = "RUNNING", "{}", min(started, job.ends_at)
        elif now >= finished or phase != "running":
            if position == failed_position:
                status, messages = "FAILED", cas_messages(CAS_FAIL_CODE, job.fail_reason)
            else:
                status, messages = "SUCCEEDED", "{}"
            checked = min(finished, job.ends_at)
        else:
            status, messages, checked = "RUNNING", "{}", now
        tasks.append({
            "MESSAGES": messages,
            "TASK_ID": job.subtask_ids[position],
            "TASK_TYPE": task_type,
            "TASK_INDEX": index,
            "TASK_NAME": name,
            "TASK_STATUS": status,
            "LAST_HEALTH_CHECK": cas_time(checked),
            "CREATED_AT": cas_time(started),
            "OWNER_ID": CAS_OWNER,
        })
    return tasks


def cas_job_type(job):
    kind = job.name.split("/", 1)[0].upper()
    return kind if kind in ("PROVISION", "DEPLOY", "UPGRADE", "DELETE", "ROLLBACK") else "PROVISION"


def cas_execution_status(job, now):
    phase = job.phase(now)
    if phase == "running" and now < job.created + job.duration * CAS_SUBMITTED_SHARE:
        return "SUBMITTED"
    if phase == "running":
        return CAS_STATUS[phase]
    return CAS_END_STATUS[job.outcome]


def servicestage_show_job(req):
    limit = req.integer("limit", CAS_DEFAULT_LIMIT, minimum=1, maximum=CAS_MAX_LIMIT)
    offset = req.integer("offset", 0, minimum=0)
    desc = req.text("desc")
    if desc is not None and desc.lower() not in ("true", "false"):
        raise req.bad("Invalid parameter desc=%r: allowed values are true, false." % desc)
    job = _visible_job(req, "servicestage", req.params["job_id"])
    instance_id = req.text("instance_id")
    if instance_id is not None and instance_id != job.instance_id:
        raise ServiceError(404, NOT_FOUND_ERROR["servicestage"], "The job %s does not exist for instance %s." % (job.id, instance_id))
    tasks = cas_subtasks(job, req.now)
    tasks.sort(key=lambda t: t["TASK_INDEX"], reverse=bool(desc and desc.lower() == "true"))
    body = {
        "job": {
            "JOB_ID": job.id,
            "JOB_NAME": job.name,
            "JOB_TYPE": cas_job_type(job),
            "SERVICE_INSTANCE_ID": job.instance_id,
            "PROJECT_ID": req.sim.project_id,
            "ORDER_ID": job.order_id,
            "JOB_DESC": job.name,
            "EXECUTION_STATUS": cas_execution_status(job, req.now),
            "CREATED_BY": req.sim.user_id,
        },
        "tasks": _page(tasks, offset, limit),
        "task_count": len(tasks),   # every sub-task there is, whatever the page
    }
    return 200, body, [job]


# ---- ECS / EVS / BMS ------------------------------------------------------------------
def ecs_family_status(job, now):
    if job.initializing(now):
        return "INIT"
    return ECS_STATUS[job.phase(now)]


def _subjob_view(job, position, now):
    """One sub-job: INIT with the job, then RUNNING until its own end (the sub-jobs end one after
    another, the last one with the job). When the job fails, its last sub-job is the one that FAILs
    and carries the reason: a client must look at every sub-job, not only the first."""
    count = len(job.subtask_ids)
    if position == count - 1:
        ends = job.ends_at
    else:
        ends = job.run_start + (job.ends_at - job.run_start) * (position + 1) / count
    failing = job.outcome == "failure" and position == count - 1
    if job.initializing(now):
        status = "INIT"
    elif now < ends:
        status = "RUNNING"
    else:
        status = "FAIL" if failing else "SUCCESS"
    entities = {job.entity_key: job.entity_ids[position]}
    if status == "FAIL":
        entities["errorcode_message"] = job.fail_reason
    return {
        "status": status,
        "entities": entities,
        "job_id": job.subtask_ids[position],
        "job_type": job.subjob_type,
        "begin_time": cas_time(job.created),
        "end_time": cas_time(ends) if status in ("SUCCESS", "FAIL") else "",
        "error_code": job.error_code if status == "FAIL" else None,   # null unless failed, as in the examples
        "fail_reason": job.fail_reason if status == "FAIL" else None,
    }


def ecs_family_job_view(job, now):
    """GET /v1/{project_id}/jobs/{job_id} of ECS, EVS and BMS (api-notes.md; the services' API references)."""
    phase = job.phase(now)
    failed = phase == "failed"
    if job.subtask_ids:
        sub_jobs = [_subjob_view(job, position, now) for position in range(len(job.subtask_ids))]
        # EVS's batch job lists its sub_jobs without a sub_jobs_total (EVS API reference).
        entities = {"sub_jobs": sub_jobs} if job.service == "evs" else {"sub_jobs_total": len(sub_jobs), "sub_jobs": sub_jobs}
    else:
        entities = {job.entity_key: job.entity_ids[0]}
    # Without sub-jobs the reason can only be at the top; with them, the top carries only the code
    # unless the job was made with top_level_reason=True.
    top_reason = failed and (job.top_level_reason or not job.subtask_ids)
    return {
        "status": ecs_family_status(job, now),
        "entities": entities,
        "job_id": job.id,
        "job_type": job.name,
        "begin_time": cas_time(job.created),
        "end_time": cas_time(job.ends_at) if phase != "running" else "",
        "error_code": job.error_code if failed else None,
        "fail_reason": job.fail_reason if top_reason else None,
    }


def ecs_family_show_job(req):
    job = _visible_job(req, req.service, req.params["job_id"])
    return 200, ecs_family_job_view(job, req.now), [job]


def _ecs_family_spec(req, wrapper, name_required):
    """The create body's object (server / volume): a name (mandatory for servers) and a count."""
    spec = req.json_body().get(wrapper)
    if not isinstance(spec, dict):
        raise req.bad("Invalid parameter %s: it is mandatory and must be an object." % wrapper)
    name = spec.get("name")
    if (name_required or name is not None) and (not isinstance(name, str) or not name.strip()):
        raise req.bad("Invalid parameter %s.name: %s a non-empty string." % (wrapper, "it is mandatory and must be" if name_required else "must be"))
    count = spec.get("count", 1)
    limit = ECS_FAMILY_MAX_COUNT[req.service]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= limit:
        raise req.bad("Invalid parameter %s.count=%r: must be an integer from 1 to %d." % (wrapper, count, limit))
    return name, count


def ecs_create(req):
    name, count = _ecs_family_spec(req, "server", name_required=True)
    job = req.state.get_job(req.state.create_job("ecs", instance_name=name, subjobs=count))
    return 200, {"job_id": job.id, "serverIds": list(job.entity_ids)}, []


def evs_create(req):
    name, count = _ecs_family_spec(req, "volume", name_required=False)
    # One volume is a plain createVolume job; count > 1 a batchCreateVolume job with a sub-job each.
    job_id = req.state.create_job("evs", instance_name=name, subjobs=count if count > 1 else None)
    return 200, {"job_id": job_id}, []


def bms_create(req):
    name, count = _ecs_family_spec(req, "server", name_required=True)
    return 200, {"job_id": req.state.create_job("bms", instance_name=name, subjobs=count)}, []


# ---- instance create / list (for idempotent roles) --------------------------------
def _create(req, instance_name=None, **where):
    data = req.json_body()
    if instance_name is None:
        instance_name = data.get("name")
    if not isinstance(instance_name, str) or not instance_name.strip():
        raise req.bad("Invalid parameter name: it is mandatory and must be a non-empty string.")
    job_id = req.state.create_job(req.service, instance_name=instance_name, **where)
    return req.state.get_job(job_id)


def geminidb_create(req):
    job = _create(req)
    return 202, {"id": job.instance_id, "name": job.instance_name, "job_id": job.id}, []


def rds_create(req):
    job = _create(req)
    instance = {"id": job.instance_id, "name": job.instance_name, "status": "BUILD"}
    return 202, {"instance": instance, "job_id": job.id}, []


def ddm_create(req):
    data = req.json_body()
    # Real DDM v1 wraps the fields in "instance"; a flat {"name": ...} is accepted too.
    nested = data.get("instance") if isinstance(data.get("instance"), dict) else {}
    job = _create(req, instance_name=nested.get("name", data.get("name")))
    return 200, {"id": job.instance_id, "name": job.instance_name, "job_id": job.id}, []


def servicestage_create(req):
    job = _create(req, app_id=req.params["application_id"], component_id=req.params["component_id"])
    return 200, {"instance_id": job.instance_id, "job_id": job.id}, []


def _listed_instances(req, **where):
    name, instance_id = req.text("name"), req.text("id")
    return [{"id": i["id"], "name": i["name"], "status": i["status"]}
            for i in req.state.instances_of(req.service, req.now, **where)
            if (name is None or i["name"] == name) and (instance_id is None or i["id"] == instance_id)]


def db_list_instances(req):
    offset = req.integer("offset", 0, minimum=0)
    limit = req.integer("limit", 100, minimum=1, maximum=100)
    found = _listed_instances(req)
    return 200, {"instances": _page(found, offset, limit), "total_count": len(found)}, []


def ddm_list_instances(req):
    offset = req.integer("offset", 0, minimum=0)
    limit = req.integer("limit", 128, minimum=1, maximum=128)
    found = _listed_instances(req)
    return 200, {"instances": _page(found, offset, limit), "total_record": len(found)}, []


def servicestage_list_instances(req):
    offset = req.integer("offset", 0, minimum=0)
    limit = req.integer("limit", 100, minimum=0, maximum=100)
    found = _listed_instances(req, app_id=req.params["application_id"], component_id=req.params["component_id"])
    for instance in found:
        instance["status_detail"] = {"status": instance["status"]}
    return 200, {"instances": _page(found, offset, limit), "count": len(found)}, []


# ---- IAM ------------------------------------------------------------------------
class IamError(Exception):
    def __init__(self, status, code, message):
        super(IamError, self).__init__(message)
        self.status = status
        self.body = {"error_code": code, "error_msg": message,
                     "error": {"code": status, "title": "Unauthorized" if status == 401 else "Bad Request", "message": message}}


def iam_issue_token(req):
    """POST /v3/auth/tokens with a password identity, scoped to a project (by name or id)."""
    try:
        data = json.loads((req.body or b"").decode("utf-8"))
        auth = data["auth"]
        identity = auth["identity"]
        user = identity["password"]["user"]
        if "password" not in identity.get("methods", []):
            raise KeyError("methods")
        project = auth["scope"]["project"]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IamError(400, "IAM.0007", "The request body is invalid: expected auth.identity.methods=['password'], "
                                        "auth.identity.password.user{name,password,domain{name}} and auth.scope.project{name|id}.")
    return req.sim.issue_token(user, project, req.now)


# (service, method, template, handler, needs_auth)
ROUTES = (
    ("geminidb", "GET", "/v3/{project_id}/jobs", geminidb_list_jobs),
    ("geminidb", "POST", "/v3/{project_id}/instances", geminidb_create),
    ("geminidb", "GET", "/v3/{project_id}/instances", db_list_instances),
    ("rds", "GET", "/v3/{project_id}/tasklist", rds_tasklist),
    ("rds", "GET", "/v3/{project_id}/jobs", rds_show_job),
    ("rds", "POST", "/v3/{project_id}/instances", rds_create),
    ("rds", "GET", "/v3/{project_id}/instances", db_list_instances),
    ("ddm", "GET", "/v3/{project_id}/jobs/{job_id}", ddm_show_job),
    ("ddm", "POST", "/v1/{project_id}/instances", ddm_create),
    ("ddm", "GET", "/v1/{project_id}/instances", ddm_list_instances),
    ("servicestage", "GET", "/v2/{project_id}/cas/jobs/{job_id}", servicestage_show_job),
    ("servicestage", "POST", "/v2/{project_id}/cas/applications/{application_id}/components/{component_id}/instances", servicestage_create),
    ("servicestage", "GET", "/v2/{project_id}/cas/applications/{application_id}/components/{component_id}/instances", servicestage_list_instances),
    ("ecs", "GET", "/v1/{project_id}/jobs/{job_id}", ecs_family_show_job),
    ("ecs", "POST", "/v1/{project_id}/cloudservers", ecs_create),
    ("evs", "GET", "/v1/{project_id}/jobs/{job_id}", ecs_family_show_job),
    ("evs", "POST", "/v2/{project_id}/cloudvolumes", evs_create),
    ("bms", "GET", "/v1/{project_id}/jobs/{job_id}", ecs_family_show_job),
    ("bms", "POST", "/v1/{project_id}/baremetalservers", bms_create),
    ("iam", "POST", "/v3/auth/tokens", iam_issue_token),
)


def _compile(template):
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile("^" + pattern + "$")


COMPILED = [(service, method, template, _compile(template), handler) for service, method, template, handler in ROUTES]


def match(service, method, path):
    """-> (template, params dict, handler) or None; path is after the service prefix."""
    for route_service, route_method, template, regex, handler in COMPILED:
        if route_service == service and route_method == method:
            found = regex.match(path)
            if found:
                return template, found.groupdict(), handler
    return None


def register_routes(routes, param_errors=None, not_found_errors=None, nested_errors=(), error_bodies=None):
    """Serve more routes (services added from their own file, e.g. extra_services.py).

    They are matched before the built-in ones, so a handler may take over a built-in route for some
    requests (a prepaid create) and hand the others to the built-in handler.
    """
    COMPILED[:0] = [(service, method, template, _compile(template), handler) for service, method, template, handler in routes]
    PARAM_ERROR.update(param_errors or {})
    NOT_FOUND_ERROR.update(not_found_errors or {})
    NESTED_ERRORS.update(nested_errors)
    ERROR_BODIES.update(error_bodies or {})
