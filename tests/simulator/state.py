# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulator state: clocks, job records, instances, counters.

Everything here is plain data guarded by one lock (``SimState.lock``).  A job's
status is never stored: it is computed from the job clock on every read, so a
ManualClock advance is all a test needs to move jobs forward.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import calendar
import copy
import random
import threading
import time
import uuid

from . import progress as progress_profiles

SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms")
# One job API for the three (api-notes.md, "ECS-family job API"): GET /v1/{project_id}/jobs/{job_id}.
ECS_FAMILY = ("ecs", "evs", "bms")
OUTCOMES = ("success", "failure")
# ServiceStage CAS only: end states EXECUTION_STATUS UNKNOWN and PARTIALLY_FAILED (api-notes.md status list).
CAS_ONLY_OUTCOMES = ("unknown", "partially_failed")
# How DDM answers GET /v3/{project_id}/jobs/{job_id} while a job is invisible (Terraform's provider treats
# all three as "not visible yet"): 404 DDM.0602, 200 {"job": {}}, or 200 with the job and "status": "".
DDM_INVISIBLE_STYLES = ("404", "empty_job", "empty_status")
# Gateway code of an AK/SK request whose X-Sdk-Date is too far from the cloud clock (see auth.py).
SKEW_ERROR_CODES = ("APIGW.0301", "APIGW.0303")
CAS_MAX_SUBTASKS = 1000
MAX_SUBJOBS = 1000
# HTTP status of GET /v1/{project_id}/jobs/{job_id} for an unknown (or not yet visible) id: 404 per
# api-notes.md; the ECS and EVS error-code tables list the same Common.0011 under 400.
ECS_NOT_FOUND_STATUSES = (404, 400)

DEFAULT_CONFIG = {
    "job_duration": (2.0, 8.0),   # seconds, uniform(min, max) from the seeded RNG
    "failure_ratio": 0.0,         # share of jobs (outcome=None) that fail
    "invisible_for": 0.0,         # seconds a new job id answers "not found" (eventual consistency)
    "token_ttl": 86400.0,         # lifetime of IAM-issued tokens (real IAM: 24 h)
    "latency": 0.0,               # real server-side sleep before every service answer
    "max_clock_skew": 900.0,      # allowed |X-Sdk-Date - server time| for AK/SK (gateway: 15 min)
    "planned_end_time": True,     # show end_time while Running, as the seeds do
    "clock_offset": 0.0,          # seconds the cloud clock is ahead (+) or behind (-) the clock object
    "ddm_invisible_style": "404",  # DDM answer while a job is invisible: one of DDM_INVISIBLE_STYLES
    "rds_async_in_tasklist": True,  # RDS jobs (create_job(tasklist=None), POST instances) listed in /tasklist
    "skew_error_code": "APIGW.0301",  # code of the 401 for a stale/future X-Sdk-Date
    "init_for": 1.0,              # ECS/EVS/BMS: seconds a new job shows status INIT before RUNNING
    "ecs_not_found_status": 404,  # ECS/EVS/BMS: status of the Common.0011 answer for an unknown job id
    "progress_profile": "linear",  # how a running job's progress advances (progress.py); taken at creation
}

DEFAULT_JOB_NAMES = {
    "geminidb": "CreateCassandra",
    "rds": "CreateInstance",
    "ddm": "CreateInstance",
    "servicestage": "provision/provMain",
    "ecs": "createServer",
    "evs": "createVolume",            # one volume, no sub-jobs; with subjobs=N: EVS_BATCH_JOB_NAME
    "bms": "baremetalBatchCreate",
}
EVS_BATCH_JOB_NAME = "batchCreateVolume"
# job_type of the sub-jobs, from the job's job_type (ECS, BMS and EVS API references); others: the same name.
SUBJOB_TYPES = {"createServer": "createSingleServer", "baremetalBatchCreate": "baremetalSingleCreate",
                "batchCreateVolume": "createVolume"}
# The entity each sub-job names, default first (ECS/BMS NIC jobs name a nic_id).
ENTITY_KEYS = {"ecs": ("server_id", "nic_id"), "evs": ("volume_id",), "bms": ("server_id", "nic_id")}
# Default error_code of a failed ECS-family job, from each service's error-code table; the reason is
# the table's message for that code (DEFAULT_FAIL_REASONS).
DEFAULT_ERROR_CODES = {"ecs": "Ecs.0319", "evs": "EVS.2072", "bms": "BMS.3037"}

DEFAULT_FAIL_REASONS = {
    "geminidb": "Insufficient resources in the AZ",
    "rds": "Insufficient resources in the AZ",
    "ddm": "Insufficient resources in the AZ",
    "servicestage": "Building failed.",
    "ecs": "Insufficient resources for this flavor. Try another flavor.",
    "evs": "Volume type [SSD] in availability zone [AZ1] is sold out !",
    "bms": "Insufficient resources or failed to start the BMS.",
}

# Instance status per service and create-job phase.
INSTANCE_STATUS = {
    "geminidb": {"running": "creating", "succeeded": "normal", "failed": "createfail"},
    "rds": {"running": "BUILD", "succeeded": "ACTIVE", "failed": "CREATE FAIL"},
    "ddm": {"running": "CREATING", "succeeded": "RUNNING", "failed": "CREATEFAIL"},
    "servicestage": {"running": "DEPLOYING", "succeeded": "RUNNING", "failed": "FAILED"},
    "ecs": {"running": "BUILD", "succeeded": "ACTIVE", "failed": "ERROR"},
    "evs": {"running": "creating", "succeeded": "available", "failed": "error"},
    "bms": {"running": "BUILD", "succeeded": "ACTIVE", "failed": "ERROR"},
}

INSTANCE_NAME_PREFIX = {"geminidb": "nosql-", "rds": "rds-", "ddm": "DDM-", "servicestage": "cas-", "ecs": "ecs-",
                        "evs": "volume-", "bms": "bms-"}
INSTANCE_ID_SUFFIX = {"geminidb": "in06", "rds": "in01", "ddm": "in09", "servicestage": ""}
# The last create-call bodies kept for received_bodies() (a soak run must not grow without bound).
RECEIVED_KEEP = 1000

# Names starting with this prefix always fail: a deterministic way to get a failure.
FAIL_PREFIX = "fail-"

# ServiceStage CAS sub-tasks, copied from the seed example: (TASK_INDEX, TASK_NAME, TASK_TYPE).
CAS_SUBTASKS = (
    (1, "SEPARATOR_PREPARE_RESOURCES", "echo"),
    (4, "SEPARATOR_BUILDING", "echo"),
    (6, "TN00091", "restful"),
    (7, "TN00094", "restful"),
    (9, "TN00097", "restful"),
)
# Share of the job's duration spent SUBMITTED before the first sub-task shows up.
CAS_SUBMITTED_SHARE = 0.1


def cas_subtask_specs(count=None):
    """(TASK_INDEX, TASK_NAME, TASK_TYPE) of a CAS job's sub-tasks.

    None: the seed's five. N: N sub-tasks indexed 1..N, the seed's pattern stretched (a preparing
    echo task, a building separator, then restful TN000xx steps), so a failure in the last one
    (N of N) sits past the API's default page of 20 when N > 20.
    """
    if count is None:
        return list(CAS_SUBTASKS)
    specs = []
    for index in range(1, count + 1):
        if index == 1:
            specs.append((index, "SEPARATOR_PREPARE_RESOURCES", "echo"))
        elif index == 2:
            specs.append((index, "SEPARATOR_BUILDING", "echo"))
        else:
            specs.append((index, "TN%05d" % (88 + 3 * (index - 2)), "restful"))
    return specs


def parse_epoch(text):
    """'2026-01-01T00:00:00Z' or a number -> epoch float (ManualClock start helper)."""
    if isinstance(text, (int, float)):
        return float(text)
    return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))


class SystemClock:
    """Real time (the default job clock)."""

    def time(self):
        return time.time()


class ManualClock:
    """A clock that only moves when told to: ``advance(seconds)``.

    ``start`` defaults to the current wall time (whole seconds) so AK/SK requests
    signed with the real time stay within the gateway's skew window.
    """

    def __init__(self, start=None):
        self._now = float(int(time.time())) if start is None else parse_epoch(start)
        self._lock = threading.Lock()

    def time(self):
        with self._lock:
            return self._now

    def advance(self, seconds):
        if seconds < 0:
            raise ValueError("ManualClock.advance: seconds must be >= 0, got %r" % (seconds,))
        with self._lock:
            self._now += float(seconds)
            return self._now

    def set(self, epoch):
        with self._lock:
            self._now = parse_epoch(epoch)
            return self._now


class Job:
    """One async job. Its phase is a pure function of the clock."""

    def __init__(self, **fields):
        self.id = fields["id"]
        self.seq = fields["seq"]
        self.service = fields["service"]
        self.name = fields["name"]
        self.created = fields["created"]
        self.duration = fields["duration"]
        self.outcome = fields["outcome"]
        self.fail_reason = fields["fail_reason"]
        self.instance_id = fields["instance_id"]
        self.instance_name = fields["instance_name"]
        self.invisible_for = fields["invisible_for"]
        self.order_id = fields["order_id"]
        self.subtask_ids = fields.get("subtask_ids") or []
        # ServiceStage: (TASK_INDEX, TASK_NAME, TASK_TYPE) per sub-task, same length as subtask_ids.
        self.subtasks = fields.get("subtasks") or []
        # RDS: False = only GET /v3/{project_id}/jobs?id= knows the job, /tasklist does not list it.
        self.in_tasklist = fields.get("in_tasklist", True)
        # ECS/EVS/BMS: subtask_ids are the sub-job ids (none for a single EVS createVolume job), one
        # entity id (server_id / volume_id / nic_id) per sub-job, or the job's own one.
        self.init_for = fields.get("init_for", 0.0)
        self.entity_key = fields.get("entity_key")
        self.entity_ids = fields.get("entity_ids") or []
        self.error_code = fields.get("error_code")
        self.top_level_reason = fields.get("top_level_reason", False)
        self.subjob_type = fields.get("subjob_type")
        # None: progress linear in time; else the breakpoints of a "phased" job (progress.py).
        self.progress_points = fields.get("progress_points")

    @property
    def ends_at(self):
        return self.created + self.duration

    def visible(self, now):
        return now >= self.created + self.invisible_for

    @property
    def run_start(self):
        """End of the INIT phase (ECS family): never after the job's end."""
        return self.created + min(self.init_for, self.duration)

    def initializing(self, now):
        """ECS family: status INIT (a pending state, inside the "running" phase)."""
        return now < self.run_start

    def phase(self, now):
        """running | succeeded | failed."""
        if now < self.ends_at:
            return "running"
        return "succeeded" if self.outcome == "success" else "failed"

    def fraction(self, now):
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self.created) / self.duration))

    def percent(self, now):
        """Progress while running, capped at 99 (100 means finished): linear in time, or phased (progress.py)."""
        return progress_profiles.percent(self.progress_points, self.fraction(now))

    def snapshot(self, now):
        return {
            "id": self.id,
            "service": self.service,
            "name": self.name,
            "created": self.created,
            "duration": self.duration,
            "ends_at": self.ends_at,
            "outcome": self.outcome,
            "phase": self.phase(now),
            "progress": 100 if self.phase(now) != "running" else self.percent(now),
            "visible": self.visible(now),
            "visible_at": self.created + self.invisible_for,
            "fail_reason": self.fail_reason,
            "instance_id": self.instance_id,
            "instance_name": self.instance_name,
            "invisible_for": self.invisible_for,
            "order_id": self.order_id,
            "subtask_ids": list(self.subtask_ids),
            "subtask_count": len(self.subtask_ids),
            "in_tasklist": self.in_tasklist,
            "init_for": self.init_for,
            "initializing": self.initializing(now),
            "entity_key": self.entity_key,
            "entity_ids": list(self.entity_ids),
            "error_code": self.error_code,
        }


class SimState:
    """All mutable simulator state; every public method takes the lock."""

    def __init__(self, seed=0, clock=None):
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.clock = clock if clock is not None else SystemClock()
        self.config = dict(DEFAULT_CONFIG)
        self.jobs = {}
        self.instances = {}   # instance id -> dict(service, id, name, create_job, app_id, component_id, seq)
        self.received = []    # bodies of create calls, oldest first (see record_received)
        self._seq = 0
        self.reset_stats()

    # ---- ids -------------------------------------------------------------
    def new_uuid(self):
        with self.lock:
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def new_hex(self, nchars=32):
        with self.lock:
            return "%0*x" % (nchars, self.rng.getrandbits(4 * nchars))

    def new_token_text(self, prefix, nchars):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        with self.lock:
            return prefix + "".join(self.rng.choice(alphabet) for _unused in range(nchars))

    def _job_id(self, service):
        if service == "rds" or service in ECS_FAMILY:
            return self.new_hex()              # tasklist seed, ECS/EVS/BMS job examples: 32 hex digits
        if service == "servicestage":
            return "JOB" + self.new_uuid()     # CAS seed: JOB<uuid>
        return self.new_uuid()

    def _instance_id(self, service):
        if service == "servicestage" or service in ECS_FAMILY:
            return self.new_uuid()
        return self.new_hex() + INSTANCE_ID_SUFFIX[service]

    def now(self):
        """The cloud's clock: the clock object plus ``clock_offset`` (jobs, tokens, AK/SK, Date header)."""
        return self.clock.time() + self.config["clock_offset"]

    # ---- config ----------------------------------------------------------
    def configure(self, **changes):
        unknown = sorted(set(changes) - set(DEFAULT_CONFIG))
        if unknown:
            raise ValueError("configure: unknown option(s) %s; allowed: %s" % (", ".join(unknown), ", ".join(sorted(DEFAULT_CONFIG))))
        checked = {}
        for key, value in changes.items():
            if value is None:
                continue
            if key == "job_duration":
                low, high = _duration_range(value)
                checked[key] = (low, high)
            elif key == "failure_ratio":
                value = float(value)
                if not 0.0 <= value <= 1.0:
                    raise ValueError("configure: failure_ratio must be between 0 and 1, got %r" % (value,))
                checked[key] = value
            elif key in ("planned_end_time", "rds_async_in_tasklist"):
                checked[key] = bool(value)
            elif key == "clock_offset":
                checked[key] = float(value)   # negative: the cloud is behind
            elif key == "ddm_invisible_style":
                if value not in DDM_INVISIBLE_STYLES:
                    raise ValueError("configure: ddm_invisible_style must be one of %s, got %r" % (", ".join(DDM_INVISIBLE_STYLES), value))
                checked[key] = value
            elif key == "ecs_not_found_status":
                if isinstance(value, bool) or value not in ECS_NOT_FOUND_STATUSES:
                    raise ValueError("configure: ecs_not_found_status must be one of %s, got %r"
                                     % (", ".join(str(v) for v in ECS_NOT_FOUND_STATUSES), value))
                checked[key] = int(value)
            elif key == "progress_profile":
                if value not in progress_profiles.PROFILES:
                    raise ValueError("configure: progress_profile must be one of %s, got %r" % (", ".join(progress_profiles.PROFILES), value))
                checked[key] = value
            elif key == "skew_error_code":
                if value not in SKEW_ERROR_CODES:
                    raise ValueError("configure: skew_error_code must be one of %s, got %r" % (", ".join(SKEW_ERROR_CODES), value))
                checked[key] = value
            else:
                value = float(value)
                if value < 0:
                    raise ValueError("configure: %s must be >= 0, got %r" % (key, value))
                checked[key] = value
        with self.lock:
            self.config.update(checked)
            return dict(self.config)

    # ---- jobs ------------------------------------------------------------
    def create_job(self, service, name=None, duration=None, outcome=None, fail_reason=None, instance_id=None,
                   instance_name=None, invisible_for=None, order_id=None, app_id=None, component_id=None,
                   job_id=None, subtasks=None, tasklist=None, subjobs=None, error_code=None, top_level_reason=None,
                   entity_key=None):
        if service not in SERVICES:
            raise ValueError("create_job: service must be one of %s, got %r" % (", ".join(SERVICES), service))
        if outcome not in (None,) + OUTCOMES + CAS_ONLY_OUTCOMES:
            raise ValueError("create_job: outcome must be 'success', 'failure', 'unknown', 'partially_failed' or None, got %r" % (outcome,))
        if outcome in CAS_ONLY_OUTCOMES and service != "servicestage":
            raise ValueError("create_job: outcome %r exists only for servicestage (CAS EXECUTION_STATUS)" % (outcome,))
        if job_id is not None and (not isinstance(job_id, str) or not job_id):
            raise ValueError("create_job: job_id must be a non-empty string, got %r" % (job_id,))
        if subtasks is not None:
            if service != "servicestage":
                raise ValueError("create_job: subtasks exists only for servicestage")
            if isinstance(subtasks, bool) or not isinstance(subtasks, int) or not 1 <= subtasks <= CAS_MAX_SUBTASKS:
                raise ValueError("create_job: subtasks must be an integer from 1 to %d, got %r" % (CAS_MAX_SUBTASKS, subtasks))
        if tasklist is not None and service != "rds":
            raise ValueError("create_job: tasklist exists only for rds")
        _check_ecs_family_args(service, subjobs, error_code, top_level_reason, entity_key)
        with self.lock:
            if job_id is not None and job_id in self.jobs:
                raise ValueError("create_job: job_id %r exists already" % (job_id,))
            low, high = self.config["job_duration"]
            # Always draw both numbers so the RNG sequence does not depend on which arguments were given.
            drawn_duration = self.rng.uniform(low, high)
            failure_draw = self.rng.random()
            duration = drawn_duration if duration is None else float(duration)
            invisible_for = self.config["invisible_for"] if invisible_for is None else float(invisible_for)
            if duration < 0 or invisible_for < 0:
                raise ValueError("create_job: duration and invisible_for must be >= 0")
            instance_id = instance_id or self._instance_id(service)
            known = self.instances.get(instance_id)
            if instance_name is None:
                instance_name = known["name"] if known else INSTANCE_NAME_PREFIX[service] + self.new_hex(4)
            if outcome is None:
                if instance_name.startswith(FAIL_PREFIX):
                    outcome = "failure"
                else:
                    outcome = "failure" if failure_draw < self.config["failure_ratio"] else "success"
            if outcome in ("failure", "partially_failed"):
                fail_reason = fail_reason or DEFAULT_FAIL_REASONS[service]
            elif outcome == "unknown":
                fail_reason = fail_reason or ""
            else:
                fail_reason = ""
            self._seq += 1
            generated_id = self._job_id(service)   # drawn even when job_id is given: later ids stay the same
            specs = cas_subtask_specs(subtasks) if service == "servicestage" else []
            subtask_ids = ["Task-" + self.new_uuid() for _unused in specs]
            family = {}
            if service in ECS_FAMILY:
                family = self._ecs_family_fields(service, name, subjobs, error_code, top_level_reason, entity_key, instance_id)
                subtask_ids = family.pop("subtask_ids")
                name = family.pop("name")
            job = Job(
                id=job_id or generated_id, seq=self._seq, service=service, name=name or DEFAULT_JOB_NAMES[service],
                created=self.now(), duration=duration, outcome=outcome, fail_reason=fail_reason,
                instance_id=instance_id, instance_name=instance_name, invisible_for=invisible_for,
                order_id=order_id or "", subtask_ids=subtask_ids, subtasks=specs,
                in_tasklist=self.config["rds_async_in_tasklist"] if tasklist is None else bool(tasklist),
                **family
            )
            if self.config["progress_profile"] == "phased":
                job.progress_points = progress_profiles.phased_points(job.id)
            self.jobs[job.id] = job
            if service in ECS_FAMILY:
                # Every server / volume of the job is an instance of its own, created by this job.
                creates = "create" in job.name.lower()
                for entity_id in job.entity_ids:
                    self.instances.setdefault(entity_id, {
                        "service": service, "id": entity_id, "name": instance_name, "seq": self._seq,
                        "create_job": job.id if creates else None, "app_id": None, "component_id": None})
            elif known is None:
                self.instances[instance_id] = {
                    "service": service, "id": instance_id, "name": instance_name, "seq": self._seq,
                    # Only a create job drives the instance status; other jobs run on a healthy instance.
                    "create_job": job.id if job.name.startswith("Create") or service == "servicestage" else None,
                    "app_id": app_id, "component_id": component_id,
                }
            return job.id

    def _ecs_family_fields(self, service, name, subjobs, error_code, top_level_reason, entity_key, instance_id):
        """Job fields of an ECS/EVS/BMS job (lock held). One sub-job per entity; a single EVS volume
        (subjobs=None) is a plain createVolume job without sub-jobs, as in the EVS API reference."""
        batch = service != "evs" or subjobs is not None
        count = (subjobs or 1) if batch else 1
        if name is None:
            name = EVS_BATCH_JOB_NAME if service == "evs" and batch else DEFAULT_JOB_NAMES[service]
        # The given instance_id names the first entity; the others are drawn.
        entity_ids = [instance_id] + [self._instance_id(service) for _unused in range(count - 1)]
        return {
            "name": name,
            "subtask_ids": [self.new_hex() for _unused in range(count)] if batch else [],
            "init_for": self.config["init_for"],
            "entity_key": entity_key or ENTITY_KEYS[service][0],
            "entity_ids": entity_ids,
            "error_code": error_code or DEFAULT_ERROR_CODES[service],
            "top_level_reason": bool(top_level_reason),
            "subjob_type": SUBJOB_TYPES.get(name, name),
        }

    def get_job(self, job_id):
        with self.lock:
            return self.jobs.get(job_id)

    def jobs_of(self, service, now):
        """Visible jobs of a service, newest first (the real list APIs return newest first)."""
        with self.lock:
            jobs = [j for j in self.jobs.values() if j.service == service and j.visible(now)]
        jobs.sort(key=lambda j: (j.created, j.seq), reverse=True)
        return jobs

    def instance_status(self, instance, now):
        statuses = INSTANCE_STATUS[instance["service"]]
        job = self.jobs.get(instance["create_job"]) if instance["create_job"] else None
        if job is None:
            return statuses["succeeded"]
        return statuses[job.phase(now)]

    def instances_of(self, service, now, app_id=None, component_id=None):
        with self.lock:
            found = [dict(i, status=self.instance_status(i, now)) for i in self.instances.values()
                     if i["service"] == service and (app_id is None or i["app_id"] == app_id)
                     and (component_id is None or i["component_id"] == component_id)]
        found.sort(key=lambda i: i["seq"], reverse=True)
        return found

    # ---- create-call bodies (tests prove what reached the cloud, secrets included) ----------------
    def record_received(self, entry):
        with self.lock:
            self.received.append(entry)
            del self.received[:-RECEIVED_KEEP]

    def received_bodies(self, service=None):
        with self.lock:
            return [copy.deepcopy(e) for e in self.received if service is None or e["service"] == service]

    def clear_received(self):
        with self.lock:
            self.received = []

    # ---- stats -----------------------------------------------------------
    def reset_stats(self):
        with self.lock:
            self.stats = {"requests": 0, "by_endpoint": {}, "by_job": {}, "first_terminal_served": {}, "faults_served": 0,
                          "faults_by_kind": {}}

    def count_request(self, endpoint_key):
        with self.lock:
            self.stats["requests"] += 1
            by_endpoint = self.stats["by_endpoint"]
            by_endpoint[endpoint_key] = by_endpoint.get(endpoint_key, 0) + 1

    def count_fault(self, kind=None):
        with self.lock:
            self.stats["faults_served"] += 1
            if kind is not None:
                by_kind = self.stats["faults_by_kind"]
                by_kind[kind] = by_kind.get(kind, 0) + 1

    def count_served(self, jobs, now):
        """Record that one response carried these jobs (as seen at ``now``)."""
        with self.lock:
            by_job = self.stats["by_job"]
            first = self.stats["first_terminal_served"]
            for job in jobs:
                by_job[job.id] = by_job.get(job.id, 0) + 1
                if job.phase(now) != "running" and job.id not in first:
                    first[job.id] = now

    def stats_snapshot(self):
        with self.lock:
            snap = {
                "requests": self.stats["requests"],
                "by_endpoint": dict(self.stats["by_endpoint"]),
                "by_job": dict(self.stats["by_job"]),
                "first_terminal_served": dict(self.stats["first_terminal_served"]),
                "faults_served": self.stats["faults_served"],
                "faults_by_kind": dict(self.stats["faults_by_kind"]),
            }
            snap["job_end"] = dict((j.id, j.ends_at) for j in self.jobs.values())
            return snap


def _check_ecs_family_args(service, subjobs, error_code, top_level_reason, entity_key):
    given = [key for key, value in (("subjobs", subjobs), ("error_code", error_code), ("top_level_reason", top_level_reason),
                                    ("entity_key", entity_key)) if value is not None]
    if given and service not in ECS_FAMILY:
        raise ValueError("create_job: %s exist(s) only for %s" % (", ".join(given), ", ".join(ECS_FAMILY)))
    if subjobs is not None and (isinstance(subjobs, bool) or not isinstance(subjobs, int) or not 1 <= subjobs <= MAX_SUBJOBS):
        raise ValueError("create_job: subjobs must be an integer from 1 to %d, got %r" % (MAX_SUBJOBS, subjobs))
    if error_code is not None and (not isinstance(error_code, str) or not error_code):
        raise ValueError("create_job: error_code must be a non-empty string, got %r" % (error_code,))
    if entity_key is not None and entity_key not in ENTITY_KEYS[service]:
        raise ValueError("create_job: entity_key for %s must be one of %s, got %r" % (service, ", ".join(ENTITY_KEYS[service]), entity_key))


def _duration_range(value):
    if isinstance(value, str):
        parts = value.split(":")
        value = (parts[0], parts[-1])
    elif isinstance(value, (int, float)):
        value = (value, value)
    try:
        low, high = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError):
        raise ValueError("configure: job_duration must be (min, max) seconds or 'min:max', got %r" % (value,))
    if low < 0 or high < low:
        raise ValueError("configure: job_duration needs 0 <= min <= max, got %r" % (value,))
    return low, high


def register_service(service, job_name, fail_reason, instance_status, name_prefix, id_suffix="", config=None):
    """Add a service to the job records (services registered from their own file, e.g. extra_services.py).

    ``instance_status`` maps the create job's phase to the instance status; ``config`` adds knobs with
    their defaults (numbers >= 0, checked by ``configure`` like the others). Call it at import time,
    before any SimState is made.
    """
    global SERVICES
    if service not in SERVICES:
        SERVICES = SERVICES + (service,)
    DEFAULT_JOB_NAMES[service] = job_name
    DEFAULT_FAIL_REASONS[service] = fail_reason
    INSTANCE_STATUS[service] = dict(instance_status)
    INSTANCE_NAME_PREFIX[service] = name_prefix
    INSTANCE_ID_SUFFIX[service] = id_suffix
    DEFAULT_CONFIG.update(config or {})
