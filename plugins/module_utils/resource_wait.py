# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Glue of wait_for_resource: wait until resources reach a state, or are gone, on wait_for_task's engine.

``run_resource_wait(params)`` checks every option (``plan_resource_wait``: no I/O), then runs
``wait_runner.run_wait`` with that plan: the same client, task service, waiter, deadline, retries,
progress lines, failure paragraph and ``expect``. What differs is data and two small hooks:

* the resource is a catalog-shaped entry (``resource_catalog`` for the built-in ones, ``declared_api`` for
  ``api``), so a server is polled like a job of a per-id API and RDS instances through their listing;
* the completion rules come from ``state``: the states to reach (default: the resource's ready states),
  its error states fail at once (with the fault text), every other state is still on its way;
* ``state: absent`` waits for deletion: the refresh hook turns an id the service answers "not found"
  (the service's own not-found code, or missing from the listing: never a gateway 404) into the
  status ``absent``, which is the target together with the resource's deleted states (ECS DELETED).
  A resource still there at the deadline is a timeout naming its last state.

The result has ``resources`` (id, name, status, phase, fault, raw) instead of ``tasks``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import declared_api
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import auth_argument_spec
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.resource_catalog import (
    ABSENT,
    RESOURCES,
    kinds,
    resource_entry,
    resource_states,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import CompletionRules, status_key
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import check_service_rules
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_plan import plan_wait
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import run_wait

# service or api (not both, one of them); resource only goes with service.
ARGUMENT_CONSTRAINTS = dict(mutually_exclusive=[["service", "api"], ["resource", "api"]], required_one_of=[["service", "api"]])

# The phase a resource shows in ``resources``.
PHASE_BY_VERDICT = {"target": "succeeded", "failure": "failed"}


def argument_spec():
    """The option spec of wait_for_resource (module and action plugin); a fresh dict on every call."""
    spec = auth_argument_spec()
    spec.update(
        service=dict(type="str", choices=list(RESOURCES)),
        resource=dict(type="str"),
        api=dict(type="dict", options=declared_api.argument_spec()),
        id=dict(type="list", elements="str", required=True),
        state=dict(type="list", elements="str"),
        timeout=dict(type="raw", default="30m"),
        deadline=dict(type="raw"),
        delay=dict(type="float", default=0),
        poll_interval=dict(type="float", default=1),
        max_poll_interval=dict(type="float", default=10),
        not_found_grace=dict(type="float", default=30),
        progress=dict(type="bool", default=True),
        expect=dict(type="list", elements="dict"),
    )
    return spec


class ResourceTarget(object):
    """What a resource wait waits for: the resolved entry (``catalog.ServiceEntry``), the rules, and whether it
    waits for gone. ``name`` is the entry's registered name (the tasks' ``service``)."""

    def __init__(self, entry, rules, absent):
        self.entry = entry
        self.name = entry.name
        self.rules = rules
        self.absent = absent
        self.label = entry["label"]


def _resource(params):
    """The resolved entry of the resource the params mean (built-in, or declared with ``api``): the planning step."""
    check_service_rules(params)
    if params.get("api") is not None:
        if params.get("resource") is not None:
            raise InvalidInput("resource goes with service (a built-in resource); a declared api is one resource already",
                               option="resource")
        return service_entry(declared_api.declare(params["api"]), "api")
    return resource_entry(params["service"], params.get("resource"))


def _states(params, every):
    """``state`` checked: None (the default), [ABSENT], or states the resource knows (their catalog spelling)."""
    values = params.get("state")
    if values is None:
        return None
    if isinstance(values, str):
        values = [values]
    allowed = list(every) + [ABSENT]
    if not isinstance(values, (list, tuple)) or not values:
        raise InvalidInput("state: expected a state or a list of states; allowed: %s" % ", ".join(allowed),
                           option="state", allowed=allowed)
    spelled = dict((status_key(status), status) for status in every)
    checked = []
    for value in values:
        if status_key(value) == ABSENT:
            if len(values) > 1:
                raise InvalidInput("state: absent waits for deletion and cannot be listed with other states; got %s"
                                   % ", ".join(str(v) for v in values), option="state", allowed=allowed)
            return [ABSENT]
        status = spelled.get(status_key(value))
        if status is None:
            raise InvalidInput("state: %r is not a state of this resource; allowed: %s" % (value, ", ".join(allowed)),
                               option="state", allowed=allowed)
        if status not in checked:
            checked.append(status)
    return checked


def plan_target(params):
    """The ResourceTarget of ``params`` (InvalidInput naming the option, before any request)."""
    entry = _resource(params)
    every, ready, failed, gone, delete_failed = resource_states(entry)
    states = _states(params, every)
    strict = bool(entry.get("strict_statuses"))
    if states == [ABSENT]:
        target = gone + [ABSENT]
        failure = [status for status in delete_failed if status not in target]
        absent = True
    else:
        target = states or ready
        # A resource deleted meanwhile (ECS DELETED) will never reach the state either.
        failure = [status for status in failed + gone if status not in target]
        absent = False
    pending = [status for status in every if status not in target and status not in failure]
    rules = CompletionRules(target, failure, pending, terminal_states=(), strict=strict, service=entry.name)
    return ResourceTarget(entry, rules, absent)


def plan_resource_wait(params, wall_clock=time.time):
    """(WaitPlan, ResourceTarget): every option checked, no I/O."""
    target = plan_target(params)
    timing = dict((key, value) for key, value in params.items()
                  if key not in ("service", "api", "resource", "state"))
    plan = plan_wait(timing, wall_clock, entry=target.entry)
    plan.rules = target.rules
    plan.noun = "resource"
    return plan, target


def _resource_refresh(target, names):
    """The refresh hook of a resource wait: each resource's ``phase`` by the wait's rules (ACTIVE is pending while
    a deletion is awaited), and with ``state: absent`` an id the service does not find is a resource with status absent."""
    def wrap(refresh, task_service):
        def resource_aware(ids, deadline):
            fetched = refresh(ids, deadline)
            by_id = dict(fetched) if isinstance(fetched, dict) else dict((task["id"], task) for task in fetched or ())
            for resource_id, task in by_id.items():
                names[resource_id] = task.get("name") or names.get(resource_id)
                task["phase"] = _phase(task.get("status"), target)
            if target.absent:
                for resource_id in ids or ():
                    if resource_id not in by_id:
                        by_id[resource_id] = _gone(target, resource_id, names.get(resource_id))
            return by_id
        return resource_aware
    return wrap


def _phase(status, target):
    if status == ABSENT and target.absent:
        return ABSENT
    if status is None:
        return "pending"
    return PHASE_BY_VERDICT.get(target.rules.classify(status), "pending")


def _gone(target, resource_id, name):
    return {"id": resource_id, "name": name, "service": target.name, "status": ABSENT, "phase": ABSENT,
            "progress": None, "instance": {"id": None, "name": None, "status": None}, "created_at": None,
            "ended_at": None, "fail_reason": None, "subtasks": [], "request_id": None, "raw": None}


def to_resource(task, target):
    """A normalized resource from the waiter's task: id, name, status, phase, fault, raw (+ note, request_id)."""
    entry = target.entry
    status = task.get("status")
    phase = _phase(status, target)
    fault = None
    if task.get("raw") is not None and entry.get("fault_path"):
        fault = lookup_path(task["raw"], entry["fault_path"])
    if fault is None and phase == "failed":
        fault = task.get("fail_reason")
    resource = {"id": task.get("id"), "name": task.get("name"), "service": target.label, "status": status,
                "phase": phase, "fault": fault, "raw": task.get("raw"), "request_id": task.get("request_id")}
    if task.get("note"):
        resource["note"] = task["note"]
    return resource


def run_resource_wait(params, clock=time.monotonic, sleep=time.sleep, wall_clock=time.time, emit=None, session=None):
    """Run one wait_for_resource; the result dict (``failed`` when the resources did not get there)."""
    plan, target = plan_resource_wait(params, wall_clock)
    names = {}
    wanted = "gone" if target.absent else "/".join(target.rules.target_states)
    count = len(plan.ids)
    subject = "%d %s%s to be %s" % (count, target.label, "" if count == 1 else "s", wanted)
    result = run_wait(params, clock=clock, sleep=sleep, wall_clock=wall_clock, emit=emit, session=session, plan=plan,
                      wrap_refresh=_resource_refresh(target, names), subject_text=subject)
    resources = [to_resource(task, target) for task in result.pop("tasks")]
    result.pop("vanished", None)
    result["resources"] = resources
    result["by_id"] = dict((resource["id"], resource) for resource in resources)
    result["state"] = [ABSENT] if target.absent else list(target.rules.target_states)
    return result


# ---------------------------------------------------------------------------
# wait_for_task resource_state: the job, then what it made, under one deadline

# A job service -> its resource (wait_for_task resource_state): what the job's instance.id or sub-job entity is.
# The built-in resources belong to the job service of the same name (an ECS job makes ECS servers).
JOB_RESOURCES = dict((service, (service, kinds(service)[0])) for service in RESOURCES)


def plan_resource_phase(params):
    """The ResourceTarget of ``resource_state`` (InvalidInput naming resource_state, before any request), or None."""
    states = params.get("resource_state")
    if not states:
        return None
    service = params.get("service")
    if params.get("api") is not None or service not in JOB_RESOURCES:
        raise InvalidInput("resource_state goes with service %s (the jobs whose resource is built in); got %s"
                           % (", ".join(JOB_RESOURCES), "a declared api" if params.get("api") is not None else repr(service)),
                           option="resource_state", allowed=list(JOB_RESOURCES))
    resource_service, kind = JOB_RESOURCES[service]
    try:
        return plan_target({"service": resource_service, "resource": kind, "state": states})
    except InvalidInput as exc:
        raise InvalidInput(str(exc).replace("state:", "resource_state:", 1), option="resource_state",
                           allowed=exc.details.get("allowed"))


def made_by(tasks):
    """Ids of what the jobs made: each sub-job's entity, else the job's instance id (in job order, once each)."""
    ids = []
    for task in tasks:
        entities = [sub.get("entity_id") for sub in task.get("subtasks") or () if sub.get("entity_id")]
        for resource_id in entities or [(task.get("instance") or {}).get("id")]:
            if resource_id and resource_id not in ids:
                ids.append(resource_id)
    return ids


def run_task_wait(params, clock=time.monotonic, sleep=time.sleep, wall_clock=time.time, emit=None, session=None):
    """wait_for_task with ``resource_state``: the job wait, then (once every job succeeded) the resource wait
    until the same deadline. Both phases are in ``timeline`` (job ids, then resource ids), ``phases`` and ``msg``."""
    target = plan_resource_phase(params)
    plan = plan_wait(params, wall_clock)  # every job option checked before the first request as well
    job = run_wait(params, clock=clock, sleep=sleep, wall_clock=wall_clock, emit=emit, session=session, plan=plan)
    if target is None:
        return job
    phases = {"job": {"outcome": job["outcome"], "elapsed": job["elapsed"]}}
    job["phases"] = phases
    if job["outcome"] != "succeeded":
        phases["resource"] = {"outcome": "skipped", "elapsed": 0.0}
        job["msg"] = "job phase: %s The resource phase did not start." % job["msg"]
        return job
    ids = made_by(job["tasks"])
    if not ids:
        phases["resource"] = {"outcome": "failed", "elapsed": 0.0}
        job.update(failed=True, outcome="failed", msg="job phase: %s Resource phase: the job%s named no resource to wait for "
                   "(no instance id, no sub-job entity)." % (job["msg"], "" if len(job["tasks"]) == 1 else "s"))
        return job
    resource_params = dict((key, value) for key, value in params.items()
                           if key not in ("service", "api", "id", "expect", "resource_state", "timeout", "deadline", "delay")
                           and key not in _TASK_ONLY_OPTIONS)
    resource_service, kind = JOB_RESOURCES[params["service"]]
    resource_params.update(service=resource_service, resource=kind, id=ids, state=params["resource_state"],
                           timeout=params.get("timeout") or "30m", deadline=job["deadline"])
    resource = run_resource_wait(resource_params, clock=clock, sleep=sleep, wall_clock=wall_clock, emit=emit, session=session)
    phases["resource"] = {"outcome": resource["outcome"], "elapsed": resource["elapsed"]}
    job["timeline"] = dict(job["timeline"], **resource["timeline"])
    job["requests"] = dict((key, job["requests"].get(key, 0) + resource["requests"].get(key, 0))
                           for key in set(job["requests"]) | set(resource["requests"]))
    job["reasons"] = dict(job["reasons"], **resource["reasons"])
    job.update(failed=resource["failed"], outcome=resource["outcome"], resources=resource["resources"],
               elapsed=round(job["elapsed"] + resource["elapsed"], 3), polls=job["polls"] + resource["polls"],
               failed_ids=job["failed_ids"] + resource["failed_ids"], pending=job["pending"] + resource["pending"],
               msg="job phase: %s Resource phase: %s" % (job["msg"], resource["msg"]))
    if resource.get("error") is not None:
        job["error"] = resource["error"]
    return job


# wait_for_task options the resource phase has no use for.
_TASK_ONLY_OPTIONS = ("status", "name", "instance_id", "order_id", "start_time", "end_time", "mode", "fail_fast",
                      "stable_for", "target_states", "pending_states", "failure_states")
