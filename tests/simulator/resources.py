# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resources that jobs make and delete: ECS servers, EVS volumes, RDS instances, DDS instances, CCE clusters.

api-notes.md, "Added for the third wave: resources, deletions, ...". A resource's status is computed
on every read, like a job's, from the job clock:

* made by a create job (ECS/EVS entities, RDS instances): its building status while the job runs,
  still building for ``settle_for`` seconds after the job succeeded (Terraform waits for exactly this),
  then ready; after a failed job its error status (an ECS server with a ``fault``);
* made here (``create`` for DDS and CCE, whose job APIs are not simulated): building for ``build_for``;
* ``break_(id, after)``: goes to its error status (with a fault) ``after`` seconds from now;
* deleted (the DELETE endpoints, or ``delete``): a delete job (ECS, EVS, RDS) or a timer (DDS, CCE); while
  it runs the resource shows its deleting status; once it ends, ``linger`` seconds more in its deleted
  status (ECS DELETED, the notes' "the server can still exist after the job"), then gone: the
  service's real not-found answer (ECS 404 Ecs.0114, EVS 404 EVS.5404, CCE 404, RDS and DDS an empty
  list, DDS also 400 DBS.280110 on a delete of a gone id); ``stuck`` keeps it forever.

The routes below are registered by server.py before services.py's (``match``), so the RDS instance
listing here replaces the plain one with these lifecycle statuses.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from . import services
from .services import ServiceError

# Bad-parameter codes of the prefixes only this file serves (services.Request.bad reads them).
services.PARAM_ERROR.setdefault("dds", "DBS.200001")
services.PARAM_ERROR.setdefault("cce", "CCE.01400001")

# Prefixes served only by this file (sim.url + "/dds", "/cce"); declared APIs reach them by endpoint.
PREFIXES = ("dds", "cce")

# kind -> statuses by lifecycle step, api-notes.md.
KINDS = {
    "ecs": {"building": "BUILD", "ready": "ACTIVE", "error": "ERROR", "deleting": "ACTIVE", "deleted": "DELETED"},
    "evs": {"building": "creating", "ready": "available", "error": "error", "deleting": "deleting", "deleted": "deleting"},
    "rds": {"building": "BUILD", "ready": "ACTIVE", "error": "FAILED", "deleting": "ACTIVE", "deleted": "ACTIVE"},
    "dds": {"building": "creating", "ready": "normal", "error": "abnormal", "deleting": "normal", "deleted": "normal"},
    "cce": {"building": "Creating", "ready": "Available", "error": "Error", "deleting": "Deleting", "deleted": "Deleting"},
}
# The not-found answers of the GET (and DELETE) of a gone id, per service (api-notes.md).
GONE = {
    "ecs": (404, "Ecs.0114", "Instance[%s] could not be found."),
    "evs": (404, "EVS.5404", "Volume %s could not be found."),
    "rds": (404, "DBS.280343", "The DB instance %s does not exist."),
    "dds": (400, "DBS.280110", "The DB instance %s does not exist."),
    "cce": (404, "CCE.01404001", "Resource not found: cluster %s."),
}
DEFAULT_FAULT = {"code": 500, "message": "No valid host was found. There are not enough hosts available.",
                 "details": "simulated hardware failure"}
DELETE_JOB_NAMES = {"ecs": "deleteServer", "evs": "deleteVolume", "rds": "DeleteInstance"}


def _iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class ResourceBook(object):
    """Lifecycle facts of the resources (guarded by the state's lock); the records live in state.instances."""

    def __init__(self, state):
        self.state = state
        self.settle_for = 0.0
        self.linger = 0.0

    # ---- Python API (sim.resources) -------------------------------------------------------
    def configure(self, settle_for=None, linger=None):
        with self.state.lock:
            if settle_for is not None:
                self.settle_for = float(settle_for)
            if linger is not None:
                self.linger = float(linger)
            return {"settle_for": self.settle_for, "linger": self.linger}

    def create(self, kind, name=None, build_for=5.0, resource_id=None):
        """A DDS instance or CCE cluster (no job simulated): building for ``build_for`` seconds."""
        if kind not in ("dds", "cce"):
            raise ValueError("create: kind must be dds or cce (ECS, EVS and RDS resources come from their create jobs)")
        state = self.state
        with state.lock:
            resource_id = resource_id or (state.new_hex() + "in02" if kind == "dds" else state.new_uuid())
            state._seq += 1  # pylint: disable=protected-access
            state.instances[resource_id] = {
                "service": kind, "id": resource_id, "name": name or "%s-%s" % (kind, state.new_hex(4)),
                "seq": state._seq, "create_job": None, "app_id": None, "component_id": None,  # pylint: disable=protected-access
                "ready_at": state.now() + float(build_for)}
            return resource_id

    def break_(self, resource_id, after=0.0, fault=None):
        """The resource goes to its error status ``after`` seconds from now (an ECS server with ``fault``)."""
        with self.state.lock:
            record = self._record(resource_id)
            record["broken_at"] = self.state.now() + float(after)
            record["fault"] = dict(DEFAULT_FAULT, **(fault or {}))

    def delete(self, resource_id, duration=3.0, stuck=False):
        """Start a deletion without the API (DDS, CCE; or any kind): gone ``duration`` + linger seconds from now."""
        with self.state.lock:
            record = self._record(resource_id)
            record["delete_ends_at"] = self.state.now() + float(duration)
            record["stuck"] = bool(stuck)

    def keep(self, resource_id):
        """A deletion of this resource never completes: it stays, in its deleting status."""
        with self.state.lock:
            self._record(resource_id)["stuck"] = True

    def view(self, resource_id):
        """(status, fault) now, or None once gone / unknown."""
        with self.state.lock:
            record = self.state.instances.get(resource_id)
            return None if record is None else self._status(record, self.state.now())

    def _record(self, resource_id):
        record = self.state.instances.get(resource_id)
        if record is None or record["service"] not in KINDS:
            raise KeyError("no such resource: %s" % resource_id)
        return record

    # ---- the lifecycle (lock held) ------------------------------------------------------
    def _status(self, record, now):
        statuses = KINDS[record["service"]]
        delete_end = self._delete_end(record)
        if delete_end is not None:
            if record.get("stuck"):
                return statuses["deleting"], None
            if now >= delete_end + self.linger:
                return None
            return (statuses["deleted"] if now >= delete_end else statuses["deleting"]), None
        broken_at = record.get("broken_at")
        if broken_at is not None and now >= broken_at:
            return statuses["error"], record.get("fault")
        job = self.state.jobs.get(record["create_job"]) if record.get("create_job") else None
        if job is not None:
            phase = job.phase(now)
            if phase == "running" or (phase == "succeeded" and now < job.ends_at + self.settle_for):
                return statuses["building"], None
            if phase == "failed":
                return statuses["error"], {"code": 500, "message": job.fail_reason or DEFAULT_FAULT["message"],
                                           "details": job.error_code or ""}
            return statuses["ready"], None
        ready_at = record.get("ready_at")
        if ready_at is not None and now < ready_at:
            return statuses["building"], None
        return statuses["ready"], None

    def _delete_end(self, record):
        job_id = record.get("delete_job")
        if job_id is not None:
            job = self.state.jobs.get(job_id)
            # A failed delete job leaves the resource as it was.
            if job.phase(self.state.now()) == "failed":
                return None
            return job.ends_at
        return record.get("delete_ends_at")

    def listed(self, kind, now, ids=None, name=None):
        """Resources of ``kind`` that still exist, newest first, as (record, status, fault)."""
        with self.state.lock:
            found = []
            for record in self.state.instances.values():
                if record["service"] != kind or (ids is not None and record["id"] not in ids):
                    continue
                if name is not None and record["name"] != name:
                    continue
                seen = self._status(record, now)
                if seen is not None:
                    found.append((record, seen[0], seen[1]))
        found.sort(key=lambda item: item[0]["seq"], reverse=True)
        return found

    def one(self, kind, resource_id, now):
        with self.state.lock:
            record = self.state.instances.get(resource_id)
            seen = self._status(record, now) if record is not None and record["service"] == kind else None
        if seen is None:
            status, code, message = GONE[kind]
            raise ServiceError(status, code, message % resource_id)
        return record, seen[0], seen[1]

    def start_delete(self, kind, resource_ids, now, duration=None):
        """The delete job of ``resource_ids`` (ECS, EVS, RDS): one job, its sub-jobs one per resource (ECS).
        ``duration`` (seconds) as create_job's; None draws it like any job's."""
        with self.state.lock:
            for resource_id in resource_ids:
                self.one(kind, resource_id, now)
            subjobs = len(resource_ids) if kind == "ecs" else None
            job_id = self.state.create_job(kind, name=DELETE_JOB_NAMES[kind], instance_id=resource_ids[0],
                                           outcome="success", subjobs=subjobs, duration=duration)
            job = self.state.jobs[job_id]
            if kind == "ecs":
                # create_job drew entity ids for the sub-jobs past the first: they are the servers deleted.
                for drawn in job.entity_ids[1:]:
                    self.state.instances.pop(drawn, None)
                job.entity_ids = list(resource_ids)
            for resource_id in resource_ids:
                self.state.instances[resource_id]["delete_job"] = job_id
            return job_id


# ---- views ----------------------------------------------------------------------------
def _fault_view(fault, now):
    if not fault:
        return None
    return {"code": fault.get("code"), "created": _iso(now), "message": fault.get("message"), "details": fault.get("details")}


def ecs_show_server(req):
    record, status, fault = req.sim.resources.one("ecs", req.params["server_id"], req.now)
    server = {"id": record["id"], "name": record["name"], "status": status, "OS-EXT-STS:task_state": None}
    if fault:
        server["fault"] = _fault_view(fault, req.now)
    return 200, {"server": server}, []


def ecs_delete_servers(req):
    data = req.json_body()
    servers = data.get("servers")
    if not isinstance(servers, list) or not servers or not all(isinstance(s, dict) and isinstance(s.get("id"), str) for s in servers):
        raise req.bad("Invalid parameter servers: a non-empty list of {\"id\": ...} is mandatory.")
    job_id = req.sim.resources.start_delete("ecs", [s["id"] for s in servers], req.now)
    return 200, {"job_id": job_id}, []


def evs_show_volume(req):
    record, status, _fault = req.sim.resources.one("evs", req.params["volume_id"], req.now)
    return 200, {"volume": {"id": record["id"], "name": record["name"], "status": status}}, []


def evs_delete_volume(req):
    job_id = req.sim.resources.start_delete("evs", [req.params["volume_id"]], req.now)
    return 200, {"job_id": job_id}, []


def _instance_listing(req, kind, limit_max):
    offset = req.integer("offset", 0, minimum=0)
    limit = req.integer("limit", limit_max, minimum=1, maximum=limit_max)
    wanted = req.text("id")
    found = req.sim.resources.listed(kind, req.now, ids=None if wanted is None else {wanted}, name=req.text("name"))
    instances = []
    for record, status, _fault in found[offset:offset + limit]:
        instances.append({"id": record["id"], "name": record["name"], "status": status,
                          "created": _iso(req.now), "updated": _iso(req.now)})
    return 200, {"instances": instances, "total_count": len(found)}, []


def rds_list_instances(req):
    return _instance_listing(req, "rds", 100)


def rds_delete_instance(req):
    job_id = req.sim.resources.start_delete("rds", [req.params["instance_id"]], req.now)
    return 202, {"job_id": job_id}, []


def dds_list_instances(req):
    # The DDS listing filters by engine too; only DDS (the document database) instances live here.
    req.choice("datastore_type", ("DDS",))
    return _instance_listing(req, "dds", 100)


def dds_delete_instance(req):
    resources = req.sim.resources
    resources.one("dds", req.params["instance_id"], req.now)
    resources.delete(req.params["instance_id"])
    return 202, {"job_id": req.state.new_uuid()}, []


def cce_show_cluster(req):
    record, status, _fault = req.sim.resources.one("cce", req.params["cluster_id"], req.now)
    return 200, {"kind": "Cluster", "apiVersion": "v3", "metadata": {"uid": record["id"], "name": record["name"]},
                 "status": {"phase": status}}, []


ROUTES = (
    ("ecs", "GET", "/v1/{project_id}/cloudservers/{server_id}", ecs_show_server),
    ("ecs", "POST", "/v1/{project_id}/cloudservers/delete", ecs_delete_servers),
    ("evs", "GET", "/v2/{project_id}/cloudvolumes/{volume_id}", evs_show_volume),
    ("evs", "DELETE", "/v2/{project_id}/cloudvolumes/{volume_id}", evs_delete_volume),
    ("rds", "GET", "/v3/{project_id}/instances", rds_list_instances),
    ("rds", "DELETE", "/v3/{project_id}/instances/{instance_id}", rds_delete_instance),
    ("dds", "GET", "/v3/{project_id}/instances", dds_list_instances),
    ("dds", "DELETE", "/v3/{project_id}/instances/{instance_id}", dds_delete_instance),
    ("cce", "GET", "/api/v3/projects/{project_id}/clusters/{cluster_id}", cce_show_cluster),
)

_COMPILED = [(service, method, template, re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"),
              handler) for service, method, template, handler in ROUTES]


def match(service, method, path):
    """(template, params, handler) of a resource route, or None (server.py then asks services.match)."""
    for route_service, route_method, template, regex, handler in _COMPILED:
        if route_service == service and route_method == method:
            found = regex.match(path)
            if found:
                return template, found.groupdict(), handler
    return None
