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
import random
import threading
import time
import uuid

SERVICES = ("geminidb", "rds", "ddm", "servicestage")
OUTCOMES = ("success", "failure")
# ServiceStage CAS only: end states EXECUTION_STATUS UNKNOWN and PARTIALLY_FAILED (api-notes.md status list).
CAS_ONLY_OUTCOMES = ("unknown", "partially_failed")
# How DDM answers GET /v3/{project_id}/jobs/{job_id} while a job is invisible (Terraform's provider treats
# all three as "not visible yet"): 404 DDM.0602, 200 {"job": {}}, or 200 with the job and "status": "".
DDM_INVISIBLE_STYLES = ("404", "empty_job", "empty_status")
# Gateway code of an AK/SK request whose X-Sdk-Date is too far from the cloud clock (see auth.py).
SKEW_ERROR_CODES = ("APIGW.0301", "APIGW.0303")
CAS_MAX_SUBTASKS = 1000

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
}

DEFAULT_JOB_NAMES = {
    "geminidb": "CreateCassandra",
    "rds": "CreateInstance",
    "ddm": "CreateInstance",
    "servicestage": "provision/provMain",
}

DEFAULT_FAIL_REASONS = {
    "geminidb": "Insufficient resources in the AZ",
    "rds": "Insufficient resources in the AZ",
    "ddm": "Insufficient resources in the AZ",
    "servicestage": "Building failed.",
}

# Instance status per service and create-job phase.
INSTANCE_STATUS = {
    "geminidb": {"running": "creating", "succeeded": "normal", "failed": "createfail"},
    "rds": {"running": "BUILD", "succeeded": "ACTIVE", "failed": "CREATE FAIL"},
    "ddm": {"running": "CREATING", "succeeded": "RUNNING", "failed": "CREATEFAIL"},
    "servicestage": {"running": "DEPLOYING", "succeeded": "RUNNING", "failed": "FAILED"},
}

INSTANCE_NAME_PREFIX = {"geminidb": "nosql-", "rds": "rds-", "ddm": "DDM-", "servicestage": "cas-"}
INSTANCE_ID_SUFFIX = {"geminidb": "in06", "rds": "in01", "ddm": "in09", "servicestage": ""}

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

    @property
    def ends_at(self):
        return self.created + self.duration

    def visible(self, now):
        return now >= self.created + self.invisible_for

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
        """Progress while running: linear in time, capped at 99 (100 means finished)."""
        return min(99, int(100 * self.fraction(now)))

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
        if service == "rds":
            return self.new_hex()              # tasklist seed: 32 hex digits
        if service == "servicestage":
            return "JOB" + self.new_uuid()     # CAS seed: JOB<uuid>
        return self.new_uuid()

    def _instance_id(self, service):
        if service == "servicestage":
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
                   job_id=None, subtasks=None, tasklist=None):
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
            job = Job(
                id=job_id or generated_id, seq=self._seq, service=service, name=name or DEFAULT_JOB_NAMES[service],
                created=self.now(), duration=duration, outcome=outcome, fail_reason=fail_reason,
                instance_id=instance_id, instance_name=instance_name, invisible_for=invisible_for,
                order_id=order_id or "",
                subtask_ids=["Task-" + self.new_uuid() for _unused in specs], subtasks=specs,
                in_tasklist=self.config["rds_async_in_tasklist"] if tasklist is None else bool(tasklist),
            )
            self.jobs[job.id] = job
            if known is None:
                self.instances[instance_id] = {
                    "service": service, "id": instance_id, "name": instance_name, "seq": self._seq,
                    # Only a create job drives the instance status; other jobs run on a healthy instance.
                    "create_job": job.id if job.name.startswith("Create") or service == "servicestage" else None,
                    "app_id": app_id, "component_id": component_id,
                }
            return job.id

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
