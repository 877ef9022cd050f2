# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built-in resources (what jobs make): where each is read, its states, and what "gone" looks like.

``RESOURCES[service][kind]`` is data, like ``catalog.CATALOG`` (api-notes.md, third wave; Terraform's
provider for the state lists). ``resource_entry(service, kind)`` turns one into a catalog-shaped entry
(a per-id API, or for RDS a listing batched by the task service) registered with ``catalog.declare``,
so the task service, the task model, the client and the completion rules read it like a job API's.
A resource entry has three keys of its own:

- ``ready_states``: what ``state`` waits for by default (the ``succeeded`` phase);
- ``gone_states``: statuses that count as deleted for ``state: absent`` (ECS DELETED, SOFT_DELETED);
- ``delete_failed_states``: statuses that fail a deletion wait at once (EVS error_deleting).

Gone is otherwise the service's own not-found answer: ``absent_codes`` with ``absent_codes_only`` (a
404 with another code, or a gateway's APIGW.* 404, is an error), or, for a listing, the id missing
from it (RDS answers an empty ``instances`` list, never a 404).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import ServiceEntry, declare
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

# state: absent, as the option and the resources' status show it once a resource is gone.
ABSENT = "absent"


def _object_with(key, required):
    """A tolerant schema: ``key`` is an object holding ``required`` (strict only on id and status)."""
    return {"type": "object", "required": [key],
            "properties": {key: {"type": "object", "required": list(required)}}}


RESOURCES = {
    "ecs": {
        "server": {
            "label": "ECS server",
            "path": "/v1/{project_id}/cloudservers/{job_id}",
            "item_key": "server",
            "fields": {"id": "id", "name": "name", "status": "status",
                       # Terraform fails a server in ERROR with its fault; message first, then details.
                       "fail_reason": ["fault.message", "fault.details"], "fault": "fault"},
            "pending": ["BUILD", "REBOOT", "HARD_REBOOT", "REBUILD", "RESIZE", "VERIFY_RESIZE", "REVERT_RESIZE",
                        "MIGRATING", "SHUTOFF", "PAUSED", "SUSPENDED", "SHELVED", "SHELVED_OFFLOADED",
                        "SOFT_DELETED", "DELETED"],
            "ready": ["ACTIVE"],
            "failed": ["ERROR"],
            "gone_states": ["DELETED", "SOFT_DELETED"],
            "delete_failed_states": [],
            # {"error": {"code": "Ecs.0114", "message": "Instance[...] could not be found."}}
            "absent_codes": ["Ecs.0114"],
            "schema": _object_with("server", ["id", "status"]),
        },
    },
    "evs": {
        "volume": {
            "label": "EVS volume",
            "path": "/v2/{project_id}/cloudvolumes/{job_id}",
            "item_key": "volume",
            "fields": {"id": "id", "name": "name", "status": "status", "fail_reason": None, "fault": None},
            "pending": ["creating", "attaching", "detaching", "restoring-backup", "backing-up", "uploading",
                        "downloading", "extending", "deleting", "rollbacking", "awaiting-transfer"],
            "ready": ["available", "in-use"],
            "failed": ["error", "error_restoring", "error_extending", "error_deleting", "error_rollbacking"],
            "gone_states": [],
            "delete_failed_states": ["error_deleting"],
            "absent_codes": ["EVS.5404"],
            "schema": _object_with("volume", ["id", "status"]),
        },
    },
    "rds": {
        "instance": {
            "label": "RDS instance",
            # Listed: many ids cost one page per 100 instances, not one request each (Terraform asks ?id=).
            "list_path": "/v3/{project_id}/instances",
            "items_key": "instances",
            "max_page_size": 100,
            "fields": {"id": "id", "name": "name", "status": "status", "fail_reason": None, "fault": None},
            "pending": ["BUILD", "MODIFYING", "REBOOTING", "RESTORING", "MODIFYING INSTANCE TYPE", "SWITCHOVER",
                        "MIGRATING", "BACKING UP", "MODIFYING DATABASE PORT", "STORAGE FULL", "FROZEN"],
            "ready": ["ACTIVE"],
            "failed": ["FAILED"],
            "gone_states": [],
            "delete_failed_states": [],
            "absent_codes": [],
            "schema": {"type": "object", "required": ["instances"],
                       "properties": {"instances": {"type": "array", "items": {"type": "object", "required": ["id", "status"]}}}},
        },
    },
}


def kinds(service):
    """The resource kinds of a built-in service, in table order."""
    return tuple(RESOURCES.get(service, ()))


def _fields(spec):
    fields = dict.fromkeys(("created_at", "ended_at", "progress", "instance_id", "instance_name", "instance_status"))
    fields.update((key, value) for key, value in spec["fields"].items() if key != "fault")
    return fields


def build_entry(service, kind):
    """The catalog-shaped entry of a built-in resource (see the module docstring for its own keys)."""
    spec = RESOURCES[service][kind]
    entry = {
        "label": spec["label"],
        "host": service,
        # The resource is served where its service is: the `endpoints` key and its message name.
        "endpoint_key": service,
        "endpoint_option": "endpoints.%s" % service,
        "filters": [],
        "local_filters": {},
        "fields": _fields(spec),
        "fault_path": spec["fields"].get("fault"),
        "phases": {"pending": list(spec["pending"]), "running": [], "succeeded": list(spec["ready"]),
                   "failed": list(spec["failed"]), "unknown": []},
        "ready_states": list(spec["ready"]),
        "gone_states": list(spec["gone_states"]),
        "delete_failed_states": list(spec["delete_failed_states"]),
        "absent_codes": list(spec["absent_codes"]),
        "absent_codes_only": True,
        "schema": spec["schema"],
    }
    if "list_path" in spec:
        entry.update(list_capable=True, path=spec["list_path"], items_key=spec["items_key"], total_key="total_count",
                     page_sizes=None, min_page_size=1, max_page_size=spec["max_page_size"],
                     default_page_size=spec["max_page_size"], time_encoding=None, max_window_days=None,
                     start_requires_end=False, end_requires_start=False)
        entry["filters"] = ["id"]
    else:
        entry.update(list_capable=False, path=spec["path"], item_key=spec["item_key"], max_page_size=None)
    return entry


def resource_name(service, kind=None, option="resource"):
    """The registered name (catalog.service_entry finds it) of a built-in resource; InvalidInput otherwise.

    ``kind`` may be omitted where the service has one kind.
    """
    if service not in RESOURCES:
        raise InvalidInput("service must be one of %s for a built-in resource (declare any other with api); got %r"
                           % (", ".join(RESOURCES), service), option="service", allowed=list(RESOURCES))
    known = kinds(service)
    if kind is None:
        kind = known[0]
    if kind not in known:
        raise InvalidInput("%s must be one of %s for service %s; got %r" % (option, ", ".join(known), service, kind),
                           option=option, allowed=list(known))
    return declare(build_entry(service, kind))


def resource_entry(service, kind=None, option="resource"):
    """The resolved entry (``catalog.ServiceEntry``) of a built-in resource, registered under its name: what the
    planning step hands down (the task service, the client and the rules read it, no name is looked up again)."""
    name = resource_name(service, kind, option)
    return ServiceEntry(name, build_entry(service, kind or kinds(service)[0]))


def resource_states(entry):
    """(every state, ready, failed, gone, delete_failed) of a resource entry, or of a declared API's entry
    (its pending/running/succeeded/failed lists as resource states: succeeded = ready)."""
    phases = entry["phases"]
    every = []
    for phase in ("pending", "running", "succeeded", "failed"):
        every.extend(status for status in phases.get(phase, ()) if status not in every)
    return (every, list(entry.get("ready_states") or phases.get("succeeded") or ()), list(phases.get("failed") or ()),
            list(entry.get("gone_states") or ()), list(entry.get("delete_failed_states") or ()))
