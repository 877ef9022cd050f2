# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job APIs the user declares (the ``api`` option): one definition checked once, into a catalog entry.

    name = declare(definition)      # InvalidInput naming api.<key>, before any request

The definition says where a job is read (``endpoint`` or ``host``, ``path`` with ``{id}`` and
``{project_id}``, a query string and any ``{name}`` of its ``params`` map), where its status is (``status``, a dotted path) and which statuses are
``pending`` (or ``running``: pending too, but the task's phase reads running), ``succeeded`` and
``failed``; the other keys are dotted paths of the normalized fields.
``build_entry`` turns it into an entry shaped like those of ``catalog.CATALOG`` (a per-id API:
``list_capable`` False, no filters) and ``catalog.declare`` registers it, so the task service, the
task model, the completion rules and the client read it like a built-in service's entry. Choices
and ``catalog.SERVICES`` stay the built-in services.

Choices worth knowing:
- A status outside the three lists is unexpected (``strict_statuses``): a declared API lists every
  status it has, so an unknown one is a wrong definition or a new state, never "still pending".
- The status path is a required field of the response schema: a wrong path fails the first poll
  naming it (ContractError) instead of pending until the timeout.
- The job's id is the one asked for (``id`` only reads the sub-tasks' ids): the API may not echo it.
- ``path`` may carry a query string (``/v3/{project_id}/instances?id={id}``): ``{id}`` goes in the path or
  in one query value; other placeholders are filled from ``params`` when the definition is checked, so
  every one is known before any request. A status inside a list (``instances.0.status``) is read from
  its first item; ``gone_on`` says which answer means the resource or job is gone (``codes``: error codes
  at any HTTP status; ``not_found``: any 404 with a service code; ``empty``: the list at a dotted path is
  empty). Without ``gone_on`` a 404 with a service code means absent, as for the built-in job APIs.
- Sub-tasks (``subtasks``) are read with the job's own paths and status lists: Huawei Cloud job APIs
  nest jobs of the same shape (ECS ``entities.sub_jobs``, CCE ``spec.subJobs``). A path into one
  sub-task (``entities.sub_jobs.0.fail_reason``) reads the same key (``fail_reason``) of each.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from urllib.parse import parse_qsl, urlsplit

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import ENDPOINT_KEYS, declare as register
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import status_key

OPTION = "api"
DEFAULT_LABEL = "api"
# The placeholders a path may hold; ``{id}`` becomes the catalog's ``{job_id}``, which the task service fills.
PATH_PLACEHOLDERS = ("project_id", "id")
STATUS_KEYS = ("pending", "running", "succeeded", "failed")
# Optional dotted paths -> the normalized field they fill (the job's id is the one asked for).
FIELD_KEYS = (
    ("name", "name"), ("progress", "progress"), ("created_at", "created_at"), ("ended_at", "ended_at"),
    ("instance_id", "instance_id"), ("instance_name", "instance_name"), ("instance_status", "instance_status"),
    ("fail_reason", "fail_reason"),
)
KEYS = (("label", "endpoint", "host", "path", "params", "status") + STATUS_KEYS + ("id",)
        + tuple(key for key, _field in FIELD_KEYS) + ("subtasks", "gone_on"))
GONE_ON_KEYS = ("codes", "not_found", "empty")
_PARAM_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_HOST_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$")


def argument_spec():
    """The suboptions of ``api`` (Ansible checks types and unknown keys; ``check_definition`` the rest)."""
    spec = dict((key, dict(type="str")) for key in KEYS)
    for key in STATUS_KEYS:
        spec[key] = dict(type="list", elements="str")
    spec["params"] = dict(type="dict")
    spec["gone_on"] = dict(type="dict", options=dict(codes=dict(type="list", elements="str"), not_found=dict(type="bool"),
                                                     empty=dict(type="str")))
    return spec


def _bad(key, message, allowed=None):
    return InvalidInput("%s.%s %s" % (OPTION, key, message), option="%s.%s" % (OPTION, key), allowed=allowed)


def _text(definition, key, required=False):
    """The stripped string at ``key`` (None when unset); InvalidInput naming api.<key> otherwise."""
    value = definition.get(key)
    if value is None:
        if required:
            raise _bad(key, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(key, "must be a non-empty string; got %r" % (value,))
    return value.strip()


def _dotted(definition, key, required=False):
    """A dotted path such as ``status.phase`` or ``entities.sub_jobs.0.fail_reason``."""
    path = _text(definition, key, required)
    if path is not None and (any(not part.strip() or part != part.strip() for part in path.split(".")) or " " in path):
        raise _bad(key, "must be a dotted path such as status.phase or entities.sub_jobs.0.fail_reason; got %r" % path)
    return path


def _endpoint(definition):
    url = _text(definition, "endpoint")
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise _bad("endpoint", "must be an http:// or https:// URL without query string; got %r" % url)
    return url.rstrip("/")


def _host(definition):
    host = _text(definition, "host")
    if host is not None and not _HOST_RE.match(host):
        raise _bad("host", "must be the host name prefix of https://{host}.{region}.{cloud}, such as cce; got %r" % host)
    return host


def _params(definition):
    """``params``: placeholder name -> the text that fills it (checked before any request)."""
    params = definition.get("params")
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise _bad("params", "must be a dict of placeholder names to values, such as {instance_id: ...}; got %r" % (params,))
    checked = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME_RE.match(name) or name in PATH_PLACEHOLDERS:
            raise _bad("params", "has the key %r; a placeholder name is letters, digits and _, and not id or "
                                 "project_id (those are filled for you)" % (name,))
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
            raise _bad("params.%s" % name, "must be a non-empty string; got %r" % (value,))
        value = str(value).strip()
        if "/" in value or "{" in value or "}" in value:
            raise _bad("params.%s" % name, "must not hold /, { or }; got %r" % (value,))
        checked[name] = value
    return checked


def _path(definition, params):
    """(path, query): the path with ``params`` filled, and its query string as {name: value template}."""
    path = _text(definition, "path", required=True)
    allowed = list(PATH_PLACEHOLDERS) + sorted(params)
    if not path.startswith("/") or "#" in path:
        raise _bad("path", "must be the request path from its leading /, such as /v1/{project_id}/jobs/{id} or "
                           "/v3/{project_id}/instances?id={id}; got %r" % path, allowed=allowed)
    path_part, _mark, query_part = path.partition("?")
    if "{" in _PLACEHOLDER_RE.sub("", path) or "}" in _PLACEHOLDER_RE.sub("", path):
        raise _bad("path", "has an unmatched { or }; got %r" % path, allowed=allowed)
    names = _PLACEHOLDER_RE.findall(path)
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise _bad("path", "has the placeholder {%s}, which %s.params does not define; allowed: %s; got %r"
                   % (unknown[0], OPTION, ", ".join("{%s}" % name for name in allowed), path), allowed=allowed)
    if names.count("id") != 1:
        raise _bad("path", "must hold {id} once, where the id goes (in the path or the query string); got %r" % path,
                   allowed=allowed)
    unused = sorted(set(params) - set(names))
    if unused:
        raise _bad("params", "defines %s, which %s.path does not use; got path %r" % (unused[0], OPTION, path))
    if "{project_id}" in query_part:
        raise _bad("path", "can hold {project_id} in its path part only; got %r" % path, allowed=allowed)

    def fill(text):
        return _PLACEHOLDER_RE.sub(lambda found: params.get(found.group(1), found.group(0)), text)
    query = {}
    for name, value in parse_qsl(query_part, keep_blank_values=True):
        query[name] = fill(value).replace("{id}", "{job_id}")
    if "?" in path and not query:
        raise _bad("path", "has an empty query string; got %r" % path, allowed=allowed)
    return fill(path_part), query


def _gone_on(definition):
    """``gone_on``: which answer means gone; None when unset."""
    gone_on = definition.get("gone_on")
    if gone_on is None:
        return None
    if not isinstance(gone_on, dict) or not gone_on:
        raise _bad("gone_on", "must be a dict with codes (error codes), not_found (true: a 404 with a service code) "
                              "and/or empty (the dotted path of a list that is empty once gone); got %r" % (gone_on,))
    unknown = sorted(str(key) for key in gone_on if key not in GONE_ON_KEYS)
    if unknown:
        raise _bad("gone_on.%s" % unknown[0], "is not a key of %s.gone_on; allowed keys: %s" % (OPTION, ", ".join(GONE_ON_KEYS)),
                   allowed=list(GONE_ON_KEYS))
    codes = gone_on.get("codes")
    if codes is not None:
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, (list, tuple)) or not codes or not all(isinstance(code, str) and code.strip() for code in codes):
            raise _bad("gone_on.codes", "must list non-empty error codes, such as DBS.280110; got %r" % (gone_on.get("codes"),))
        if any(code.strip().upper().startswith("APIGW.") for code in codes):
            raise _bad("gone_on.codes", "cannot list a gateway code (APIGW.*): it means a wrong path or endpoint, not a "
                                        "deleted resource; got %r" % (codes,))
    not_found = gone_on.get("not_found")
    if not_found is not None and not isinstance(not_found, bool):
        raise _bad("gone_on.not_found", "must be true or false; got %r" % (not_found,))
    checked = {"codes": [code.strip() for code in codes or ()], "not_found": bool(not_found),
               "empty": _dotted({"gone_on.empty": gone_on.get("empty")}, "gone_on.empty")}
    if not checked["codes"] and not checked["not_found"] and not checked["empty"]:
        raise _bad("gone_on", "must set codes, not_found: true or empty; got %r" % (gone_on,))
    return checked


def _statuses(definition, key, required):
    """The statuses listed at ``key`` (a list, or one string), de-duplicated by the one status rule."""
    values = definition.get(key)
    if values is None:
        values = []
    elif isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise _bad(key, "must be a list of statuses; got %r" % (values,))
    checked = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise _bad(key, "must list non-empty status strings; got %r" % (value,))
        if status_key(value) not in [status_key(seen) for seen in checked]:
            checked.append(value.strip())
    if required and not checked:
        raise _bad(key, "must list at least one status")
    return checked


def _label(definition):
    label = _text(definition, "label") or DEFAULT_LABEL
    if label in ENDPOINT_KEYS:
        raise _bad("label", "%r is the name of a built-in service; choose another label (or use service: %s)"
                   % (label, label), allowed=None)
    return label


def check_definition(definition):
    """The definition with every key checked (InvalidInput naming api.<key>); unset keys are None.

    Returns a plain dict: label, endpoint, host, path (``params`` filled), query (its query string, ``{id}``
    as ``{job_id}``), status, gone_on, the status lists and the paths.
    """
    if not isinstance(definition, dict):
        raise InvalidInput("%s must be a dict that defines a job API (path, status, pending, succeeded, ...); got %r"
                           % (OPTION, definition), option=OPTION, allowed=list(KEYS))
    unknown = sorted(str(key) for key in definition if key not in KEYS)
    if unknown:
        raise _bad(unknown[0], "is not a key of %s; allowed keys: %s" % (OPTION, ", ".join(KEYS)), allowed=list(KEYS))
    params = _params(definition)
    path, query = _path(definition, params)
    checked = {
        "label": _label(definition),
        "endpoint": _endpoint(definition),
        "host": _host(definition),
        "path": path,
        "query": query,
        "status": _dotted(definition, "status", required=True),
        "gone_on": _gone_on(definition),
    }
    if checked["endpoint"] is None and checked["host"] is None:
        raise _bad("endpoint", "or %s.host is required: the base URL of the API, or the host name prefix of "
                               "https://{host}.{region}.{cloud}" % OPTION)
    seen = {}
    for key in STATUS_KEYS:
        checked[key] = _statuses(definition, key, required=key == "succeeded")
        for status in checked[key]:
            other = seen.get(status_key(status))
            if other is not None:
                raise _bad(key, "lists %r, which %s.%s lists too; a status can be in one list only" % (status, OPTION, other))
            seen[status_key(status)] = key
    if not checked["pending"] and not checked["running"]:
        # Without a status to wait on, the first poll of a job at work would fail it as unexpected.
        raise _bad("pending", "must list at least one status (or %s.running must)" % OPTION)
    for key in ("id", "subtasks") + tuple(key for key, _field in FIELD_KEYS):
        checked[key] = _dotted(definition, key)
    return checked


def response_schema(status_path):
    """A JSON schema that requires the object keys leading to the status (up to a list index, if any)."""
    schema = {"type": "object"}
    node = schema
    parts = status_path.split(".")
    for position, part in enumerate(parts):
        if part.lstrip("-").isdigit():
            break
        node["required"] = [part]
        child = {} if position == len(parts) - 1 or parts[position + 1].lstrip("-").isdigit() else {"type": "object"}
        node["properties"] = {part: child}
        node = child
    return schema


def _in_each_subtask(path, subtasks):
    """The path of a job field inside each sub-task: the same path, or, for a path into one sub-task
    (``entities.sub_jobs.0.fail_reason`` with ``subtasks: entities.sub_jobs``), its rest (``fail_reason``)."""
    prefix = subtasks + "."
    if path and path.startswith(prefix):
        index, _dot, rest = path[len(prefix):].partition(".")
        if rest and index.lstrip("-").isdigit():
            return rest
    return path


def build_entry(checked):
    """The catalog entry of a checked definition (see catalog.py for the keys)."""
    phases = dict((key, list(checked[key])) for key in STATUS_KEYS)
    phases["unknown"] = []
    fields = dict((field, checked[key]) for key, field in FIELD_KEYS)
    fields.update(id=None, status=checked["status"])
    entry = {
        "label": checked["label"],
        "declared": True,
        "host": checked["host"],
        "endpoint": checked["endpoint"],
        "endpoint_option": "%s.endpoint" % OPTION,
        "list_capable": False,
        "path": checked["path"].replace("{id}", "{job_id}"),
        "item_key": None,
        "filters": [],
        "local_filters": {},
        "max_page_size": None,
        "fields": fields,
        "phases": phases,
        "strict_statuses": True,
        "schema": response_schema(checked["status"]),
    }
    if checked["query"]:
        entry["query"] = dict(checked["query"])
    gone_on = checked["gone_on"]
    if gone_on is not None:
        # Only what gone_on names means absent: any other error (a gateway 404 above all) is an error.
        entry.update(absent_codes=list(gone_on["codes"]), absent_codes_only=not gone_on["not_found"],
                     absent_if_empty=gone_on["empty"])
    if checked["subtasks"]:
        def each(path):
            return _in_each_subtask(path, checked["subtasks"])
        entry.update(
            subtasks_key=checked["subtasks"],
            subtask_fields={"id": each(checked["id"]), "name": each(fields["name"]), "index": None,
                            "status": each(fields["status"]), "message": each(fields["fail_reason"]),
                            "created_at": each(fields["created_at"])},
            subtask_phases=dict((phase, list(values)) for phase, values in phases.items()),
        )
    return entry


def declare(definition):
    """Check ``definition`` and register its entry; returns the name to use as the service (its label)."""
    return register(build_entry(check_definition(definition)))
