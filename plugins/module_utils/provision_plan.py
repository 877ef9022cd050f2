# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Step planning and bookkeeping of the ``provision`` role (pure, no I/O).

``build_plan`` validates the declarative step list (unknown keys, duplicates, missing
dependencies, cycles, references to results a step does not depend on) and layers it into
waves; the other functions turn loop results of the role's tasks into the ``provision_results``
dict and decide what each wave issues and gates. The filter plugin ``provision`` exposes them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import re

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG, unknown_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
# The same duration language as wait_for_task's timeout (re-exported for the provision filters).
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (  # noqa: F401 pylint: disable=unused-import
    epoch_seconds,
    parse_duration,
    parse_user_time,
)

STEP_KEYS = ("name", "service", "request", "gate", "depends_on", "exists")
REQUEST_KEYS = ("method", "path", "body", "query", "status_code", "job_id_path")
EXISTS_KEYS = ("method", "path", "query", "result_path", "match")
# wait_for_task options a step may set for its gate (ids, service and deadline come from the role).
GATE_KEYS = ("timeout", "expect", "delay", "poll_interval", "max_poll_interval", "mode", "fail_fast",
             "stable_for", "not_found_grace", "target_states", "pending_states", "failure_states", "progress",
             "resource_state")

# A create that answers an order (yearly/monthly, api_request's order_id) instead of a job is gated on the
# order: the catalog's service whose tasks are orders (``order_resources``), and the step's instance is then the
# first resource the order made. The gate options about the job's own statuses or resource do not apply to it.
ORDER_SERVICE = next((name for name, entry in CATALOG.items() if entry.get("order_resources")), None)
_JOB_ONLY_GATE_KEYS = ("expect", "target_states", "pending_states", "failure_states", "resource_state")

# Where create responses and found instances carry the instance id, most specific first.
INSTANCE_ID_PATHS = ("instance.id", "instance_id", "instance.instance_id", "instance.INSTANCE_ID", "id", "INSTANCE_ID")
# provision_results.NAME / provision_results['NAME'] / provision_results["NAME"] inside a template.
_REFERENCE_RE = re.compile(r"""provision_results\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([^'"]+)['"]\s*\])""")


def _unknown(keys, allowed):
    return sorted(str(k) for k in keys if k not in allowed)


def _describe(index, step):
    name = step.get("name") if isinstance(step, dict) else None
    return "provision_steps[%d]%s" % (index, " (%s)" % name if name else "")


def _check_subdict(where, key, value, allowed, problems, required=()):
    if not isinstance(value, dict):
        problems.append("%s: %s must be a dict with keys %s, got %s" % (where, key, ", ".join(allowed), type(value).__name__))
        return
    unknown = _unknown(value, allowed)
    if unknown:
        problems.append("%s: unknown %s key(s) %s (allowed: %s)" % (where, key, ", ".join(unknown), ", ".join(allowed)))
    for name in required:
        if not value.get(name):
            problems.append("%s: %s.%s is required" % (where, key, name))


def _depends_list(where, value, problems):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    problems.append("%s: depends_on must be a list of step names, got %r" % (where, value))
    return []


def _references(value):
    """Step names a request/exists template reads from provision_results."""
    found = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= _references(item)
    elif isinstance(value, str) and "provision_results" in value:
        for dotted, quoted in _REFERENCE_RE.findall(value):
            found.add(dotted or quoted)
    return found


def _check_step(index, step, problems):
    """Normalized copy of one step (values untouched, so templates stay unrendered) or None."""
    where = _describe(index, step)
    if not isinstance(step, dict):
        problems.append("%s: each step must be a dict with keys %s, got %s" % (where, ", ".join(STEP_KEYS), type(step).__name__))
        return None
    unknown = _unknown(step, STEP_KEYS)
    if unknown:
        problems.append("%s: unknown key(s) %s (allowed: %s)" % (where, ", ".join(unknown), ", ".join(STEP_KEYS)))
    name = step.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append("%s: name is required (a non-empty string)" % where)
    if not isinstance(step.get("service"), str) or step.get("service") not in CATALOG:
        problems.append("%s: %s" % (where, unknown_service(step.get("service")).message))
    _check_subdict(where, "request", step.get("request"), REQUEST_KEYS, problems, required=("path",))
    gate = step.get("gate", {})
    if gate is False or gate is None:
        gate = False
    else:
        _check_subdict(where, "gate", gate, GATE_KEYS, problems)
    exists = step.get("exists")
    if exists is not None:
        _check_subdict(where, "exists", exists, EXISTS_KEYS, problems, required=("path",))
        if isinstance(exists, dict) and str(exists.get("method", "GET")).upper() != "GET":
            problems.append("%s: exists.method must be GET (an existence check must not change anything)" % where)
    normalized = dict(step)
    normalized["depends_on"] = _depends_list(where, step.get("depends_on"), problems)
    normalized["gate"] = gate if isinstance(gate, dict) or gate is False else {}
    normalized["index"] = index
    return normalized


def _find_cycle(steps):
    """One dependency cycle as a list of names (first name repeated at the end), or None."""
    state = {}

    def visit(name, trail):
        state[name] = "open"
        trail.append(name)
        for dep in steps[name]["depends_on"]:
            if dep not in steps:
                continue
            if state.get(dep) == "open":
                return trail[trail.index(dep):] + [dep]
            if dep not in state:
                cycle = visit(dep, trail)
                if cycle:
                    return cycle
        trail.pop()
        state[name] = "done"
        return None

    for name in steps:
        if name not in state:
            cycle = visit(name, [])
            if cycle:
                return cycle
    return None


def _ancestors(steps, name, seen=None):
    seen = set() if seen is None else seen
    for dep in steps[name]["depends_on"]:
        if dep in steps and dep not in seen:
            seen.add(dep)
            _ancestors(steps, dep, seen)
    return seen


def _waves(steps, order):
    """Kahn layering: a step joins the first wave after all its dependencies; input order inside a wave."""
    level = {}
    for name in order:  # dependencies are acyclic here, so the recursion ends
        _level_of(steps, name, level)
    waves = [[] for wave_number in range(max(level.values()) + 1)] if level else []
    for name in order:
        waves[level[name]].append(name)
    return waves


def _level_of(steps, name, level):
    if name not in level:
        deps = steps[name]["depends_on"]
        level[name] = 1 + max(_level_of(steps, dep, level) for dep in deps) if deps else 0
    return level[name]


def build_plan(steps):
    """Validate ``steps`` and return ``{"order": [names], "waves": [[names]], "steps": {name: step}}``.

    Raises InvalidInput (option ``provision_steps``) listing every problem found.
    """
    if not isinstance(steps, (list, tuple)) or not steps:
        raise InvalidInput("provision_steps must be a non-empty list of steps (dicts with keys %s)" % ", ".join(STEP_KEYS),
                           option="provision_steps")
    problems = []
    by_name, order = {}, []
    for index, raw in enumerate(steps):
        step = _check_step(index, raw, problems)
        if step is None or not isinstance(step.get("name"), str):
            continue
        if step["name"] in by_name:
            problems.append("%s: duplicate step name %r (also provision_steps[%d])"
                            % (_describe(index, raw), step["name"], by_name[step["name"]]["index"]))
            continue
        by_name[step["name"]] = step
        order.append(step["name"])
    for name in order:
        step = by_name[name]
        for dep in step["depends_on"]:
            if dep == name:
                problems.append("%s: depends on itself" % _describe(step["index"], step))
            elif dep not in by_name:
                problems.append("%s: depends_on names unknown step %r (known: %s)"
                                % (_describe(step["index"], step), dep, ", ".join(order)))
    if not problems:
        cycle = _find_cycle(by_name)
        if cycle:
            problems.append("provision_steps: dependency cycle %s" % " -> ".join(cycle))
    if not problems:
        for name in order:
            step = by_name[name]
            refs = _references([step.get("request"), step.get("exists")]) - _ancestors(by_name, name)
            for ref in sorted(refs):
                problems.append("%s: uses provision_results %r but does not depend on it (add %r to depends_on, "
                                "directly or through another step)" % (_describe(step["index"], step), ref, ref))
    if problems:
        raise InvalidInput("invalid provision_steps: " + "; ".join(problems), option="provision_steps",
                           details={"problems": problems})
    return {"order": order, "waves": _waves(by_name, order), "steps": by_name}


def find_instance_id(payload):
    for path in INSTANCE_ID_PATHS:
        value = lookup_path(payload, path)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return None


def existing_match(exists, payload):
    """The first instance an exists check found in ``payload``, or None.

    ``result_path`` points at a list (or a single object); ``match`` filters list items by equal fields.
    """
    found = lookup_path(payload, exists.get("result_path") or "")
    items = found if isinstance(found, list) else ([found] if found else [])
    wanted = exists.get("match") or {}
    for item in items:
        if all(isinstance(item, dict) and str(lookup_path(item, key)) == str(val) for key, val in wanted.items()):
            return item if isinstance(item, dict) else {"value": item}
    return None


def wave_calls(plan, wave, results, phase):
    """Unrendered api_request calls of ``wave`` for ``phase``: ``exists`` checks or ``issue`` requests.

    Steps already in ``results`` (found by their exists check) are not issued again.
    """
    calls = []
    for name in wave:
        if name in results:
            continue
        step = plan["steps"][name]
        if phase == "exists":
            if not step.get("exists"):
                continue
            source, method = step["exists"], "GET"
        else:
            source = step["request"]
            method = str(source.get("method") or "POST").upper()
        call = {"name": name, "service": step["service"], "method": method}
        for key in ("path", "query", "body", "status_code", "job_id_path"):
            if source.get(key) is not None and (phase == "issue" or key in ("path", "query")):
                call[key] = source[key]
        calls.append(call)
    return calls


def _item_name(loop_item):
    """Step name of one loop result; the role loops over call dicts that carry ``name``."""
    item = loop_item.get("item")
    return item.get("name") if isinstance(item, dict) else item


def record_exists(results, plan, loop_results, wave_index, wave):
    """provision_results with the steps whose exists check found an instance recorded as ``existing``."""
    updated = dict(results)
    for item in loop_results or []:
        name = _item_name(item)
        if item.get("skipped") or name not in wave:
            continue
        found = existing_match(plan["steps"][name]["exists"], item.get("json"))
        if found is not None:
            updated[name] = _record(plan, name, wave_index, state="existing", changed=False, json=item.get("json"),
                                    instance=found, instance_id=find_instance_id(found), request_id=item.get("request_id"))
    return updated


def record_issued(results, plan, loop_results, wave_index, wave):
    """provision_results with the wave's issued requests: ``issued`` (a job, or a prepaid order, to gate), ``done``
    or ``check_mode``. A prepaid create's record holds its ``order_id``."""
    updated = dict(results)
    for item in loop_results or []:
        name = _item_name(item)
        if name not in wave:
            continue
        order_id = None if item.get("job_id") else item.get("order_id")
        if item.get("failed"):
            state = "request_failed"
        elif item.get("skipped"):
            state = "check_mode"
        elif (item.get("job_id") or order_id) and plan["steps"][name]["gate"] is not False:
            state = "issued"
        else:
            state = "done"
        extra = {"order_id": order_id} if order_id else {}
        updated[name] = _record(plan, name, wave_index, state=state, changed=bool(item.get("changed")),
                                json=item.get("json"), job_id=item.get("job_id"), status=item.get("status"),
                                request_id=item.get("request_id"), instance_id=find_instance_id(item.get("json")),
                                msg=item.get("msg") if item.get("failed") else None, **extra)
    return updated


def wave_gates(plan, wave, results):
    """One gate per (service, gate options) among the wave's issued steps: [{service, ids, steps, gate}].

    A step that made a prepaid order is gated on the order (``ORDER_SERVICE``) with its timing options only.
    """
    groups = {}
    order = []
    for name in wave:
        record = results.get(name) or {}
        if record.get("state") != "issued":
            continue
        step = plan["steps"][name]
        service, gate, task_id = step["service"], dict(step["gate"]), record.get("job_id")
        if record.get("order_id"):
            service, task_id = ORDER_SERVICE, record["order_id"]
            gate = dict((key, value) for key, value in gate.items() if key not in _JOB_ONLY_GATE_KEYS)
        key = (service, json.dumps(gate, sort_keys=True, default=str))
        if key not in groups:
            groups[key] = {"service": service, "ids": [], "steps": [], "gate": gate}
            order.append(key)
        groups[key]["ids"].append(task_id)
        groups[key]["steps"].append(name)
    return [groups[key] for key in order]


def record_gates(results, gate_results, wave):
    """provision_results with each gated step ``succeeded`` or ``failed`` and its normalized task."""
    updated = dict(results)
    for item in gate_results or []:
        gate = item.get("item") or {}
        tasks = dict((task.get("id"), task) for task in item.get("tasks") or [] if isinstance(task, dict))
        for name, job_id in zip(gate.get("steps", []), gate.get("ids", [])):
            if name not in wave:
                continue
            record = dict(updated.get(name) or {})
            task = tasks.get(job_id)
            # A passed gate means every job met its condition; a failed one only fails jobs not yet done.
            if item.get("failed") and (task or {}).get("phase") != "succeeded":
                record["state"] = "failed"
                record["msg"] = item.get("msg")
            else:
                record["state"] = "succeeded"
            record["task"] = task
            # An order's task names the first resource it made (and all of them in resource_ids).
            record["instance_id"] = ((task or {}).get("instance") or {}).get("id") or record.get("instance_id")
            if (task or {}).get("resource_ids"):
                record["resource_ids"] = list(task["resource_ids"])
            updated[name] = record
    return updated


def _record(plan, name, wave_index, **fields):
    record = {"name": name, "service": plan["steps"][name]["service"], "wave": wave_index, "job_id": None,
              "instance_id": None, "changed": False}
    record.update(fields)
    return record


def summary(plan, results):
    """One line per step in plan order: what exists now, what is still running, what was never issued."""
    lines = []
    for name in plan["order"]:
        record = results.get(name)
        if record is None:
            lines.append("%s (%s): not issued" % (name, plan["steps"][name]["service"]))
            continue
        extras = ["%s=%s" % (key, record[key]) for key in ("instance_id", "job_id", "order_id") if record.get(key)]
        lines.append("%s (%s): %s%s" % (name, record["service"], record["state"], " " + " ".join(extras) if extras else ""))
    return lines


def failures(results):
    """``wave N step name (service): message`` for every step whose request or gate failed, in issue order."""
    failed = [record for record in results.values() if record.get("state") in ("failed", "request_failed")]
    failed.sort(key=lambda record: (record.get("wave") or 0, record["name"]))
    return ["wave %s step %s (%s): %s" % (record.get("wave"), record["name"], record["service"], record.get("msg") or record["state"])
            for record in failed]


def remaining_budget(deadline_at, now):
    """Seconds left of the role's shared budget at epoch ``now``, rounded down to the millisecond: the
    ``timeout`` of each api_request the role sends, so a busy write retried within it (or any retry) never
    outlives the deadline the gates share. InvalidInput when the deadline has passed: nothing is sent then.
    """
    end = epoch_seconds(parse_user_time(deadline_at, "provision_deadline"))
    left = math.floor((end - now) * 1000) / 1000.0
    if left <= 0:
        raise InvalidInput("the provision deadline (%s) has passed: no request is sent after it; raise provision_timeout "
                           "or give a later provision_deadline" % deadline_at, option="provision_deadline")
    return left
