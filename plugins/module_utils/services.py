# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service catalog and TaskService: validation, paging and batching of job queries.

Everything that differs between the four job APIs is data in ``catalog.CATALOG``; ``TaskService`` is the
one code path that reads it. Responses are checked against the catalog entry's ``schema`` before they are
normalized (``task.normalize``), so a broken payload is a ContractError naming the field, never a
KeyError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    from urllib import quote

try:
    from importlib.util import find_spec
except ImportError:  # pragma: no cover - Python 2 is not supported
    find_spec = None

# jsonschema is imported only when the compiled fast check rejects a response (see check_response):
# importing it costs ~0.06 CPU s on every run, more than a whole 200-task wait spends on checks.
HAS_JSONSCHEMA = find_spec is not None and find_spec("jsonschema") is not None
JSONSCHEMA_IMPORT_ERROR = None if HAS_JSONSCHEMA else "No module named 'jsonschema'"

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ContractError, InvalidInput, NotFound, TaskGateError,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG, raw_statuses, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import canonical_view, normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    format_offset_utc, parse_api_time_dt, parse_user_time, to_epoch_ms, utc_now,
)

DEFAULT_CONCURRENCY = 8
# query(): a listing longer than this many pages is cut (and ``last_query_truncated`` set).
MAX_LIST_PAGES = 100
# fetch_many(): pages scanned beyond those the wanted ids fill (other jobs in the window) before
# falling back to one id query each.
FETCH_SCAN_PAGES = 4
# fetch_many(): up to this many ids, one id-filtered request each beats scanning the listing.
FETCH_BY_ID_MAX = 2
# fetch_many(): the listing window around the wanted jobs once their creation times are known.
WINDOW_BEFORE = timedelta(minutes=5)
WINDOW_AFTER = timedelta(minutes=1)


def _field_path(parts):
    text = ""
    for part in parts:
        text += "[%d]" % part if isinstance(part, int) else ("." if text else "") + str(part)
    return text


_VALIDATORS = {}


def _validator(service):
    if service not in _VALIDATORS:
        import jsonschema  # pylint: disable=import-outside-toplevel
        validator_class = getattr(jsonschema, "Draft7Validator", None) or jsonschema.Draft4Validator
        _VALIDATORS[service] = validator_class(CATALOG[service]["schema"])
    return _VALIDATORS[service]


# The fast path: jsonschema spends ~70 us per list item (one validator object per keyword and
# level), which was most of the controller CPU of a 200-job wait. The schemas only use the
# keywords below, so they are compiled once into plain predicates; a predicate accepts only what
# jsonschema accepts (it may reject more, e.g. 1.0 as an integer), and anything it rejects goes
# through jsonschema, which decides and names the field.
_PY_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "null": (type(None),),
             "boolean": (bool,), "integer": (int,), "number": (int, float)}
_ANNOTATIONS = ("title", "description", "$comment", "$schema")
_SUPPORTED_KEYWORDS = frozenset(("type", "required", "properties", "items", "minimum") + _ANNOTATIONS)


class _Unsupported(Exception):
    """The schema uses a keyword the fast path does not implement: jsonschema alone decides."""


def _compile_type(names):
    names = [names] if isinstance(names, str) else list(names)
    if any(name not in _PY_TYPES for name in names):
        raise _Unsupported()
    py_types = tuple(py_type for name in names for py_type in _PY_TYPES[name])
    # bool is an int to Python but not an integer/number to JSON schema.
    if "boolean" in names or not ("integer" in names or "number" in names):
        return lambda value: isinstance(value, py_types)
    return lambda value: isinstance(value, py_types) and not isinstance(value, bool)


def _compile_minimum(minimum):
    def check(value):
        # minimum only constrains numbers; NaN compares False and falls back to jsonschema.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return True
        return value >= minimum
    return check


def _compile_object(required, properties):
    def check(value):
        if not isinstance(value, dict):
            return True
        for name in required:
            if name not in value:
                return False
        for name, check_property in properties:
            if name in value and not check_property(value[name]):
                return False
        return True
    return check


def _compile_items(check_item):
    def check(value):
        if not isinstance(value, list):
            return True
        for item in value:
            if not check_item(item):
                return False
        return True
    return check


def _compile_all(checks):
    def check(value):
        for check_one in checks:
            if not check_one(value):
                return False
        return True
    return check


def _compile_schema(schema):
    """A predicate ``value -> bool`` that is True only where jsonschema finds no error."""
    if not isinstance(schema, dict) or not set(schema) <= _SUPPORTED_KEYWORDS:
        raise _Unsupported()
    checks = []
    if "type" in schema:
        checks.append(_compile_type(schema["type"]))
    if "minimum" in schema:
        checks.append(_compile_minimum(schema["minimum"]))
    if "required" in schema or "properties" in schema:
        properties = [(name, _compile_schema(sub)) for name, sub in sorted((schema.get("properties") or {}).items())]
        checks.append(_compile_object(list(schema.get("required") or ()), properties))
    if "items" in schema:
        checks.append(_compile_items(_compile_schema(schema["items"])))
    return checks[0] if len(checks) == 1 else _compile_all(checks)


_FAST_CHECKS = {}


def _fast_check(service):
    """The compiled predicate of the service's schema, or None when only jsonschema can check it."""
    if service not in _FAST_CHECKS:
        try:
            _FAST_CHECKS[service] = _compile_schema(CATALOG[service]["schema"])
        except _Unsupported:
            _FAST_CHECKS[service] = None
    return _FAST_CHECKS[service]


def check_response(service, body, method="GET", path=None, status=None, request_id=None):
    """Raise ContractError naming the first field of ``body`` that breaks the service's schema.

    ``body`` is the canonical view (``task.canonical_view``): CAS keys are compared upper-cased.
    """
    fast_check = _fast_check(service)
    if fast_check is not None and fast_check(body):
        return
    from jsonschema.exceptions import best_match  # pylint: disable=import-outside-toplevel
    error = best_match(_validator(service).iter_errors(body))
    if error is None:
        return
    parts = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        parts.extend(missing[:1])
    field = _field_path(parts)
    message = "%s response broke the contract at %s: %s" % (service, field or "the top level", error.message)
    raise ContractError(message, field=field or None, service=service, method=method, path=path,
                        status=status, request_id=request_id)


def _require_jsonschema():
    if not HAS_JSONSCHEMA:
        raise TaskGateError("the jsonschema Python library is required to check API responses; "
                            "install it with 'pip install jsonschema' on the host that runs the query "
                            "(import error: %s)" % JSONSCHEMA_IMPORT_ERROR)


def _invalid(message, option, allowed=None):
    return InvalidInput(message, option=option, allowed=allowed)


def _positive_int(value, option):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _invalid("%s must be a whole number of at least 1; got %r" % (option, value), option)
    return value


def clean_ids(ids, option):
    """``ids`` (one id or a list) as a list of stripped, de-duplicated ids in order; None stays None.

    InvalidInput naming ``option`` for anything but non-empty strings.
    """
    if ids is None:
        return None
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, (list, tuple)):
        raise _invalid("%s must be a list of task id strings; got %r" % (option, ids), option)
    cleaned = []
    unique = set()  # a list lookup made every poll of 1000 ids cost 500k comparisons
    for value in ids:
        if not isinstance(value, str) or not value.strip():
            raise _invalid("%s must be non-empty strings; got %r" % (option, value), option)
        value = value.strip()
        if value not in unique:
            unique.add(value)
            cleaned.append(value)
    return cleaned


def job_absent(err):
    """True when a 404 says "no such job" rather than "no such API".

    Only the service's own error body means the job is unknown (or not visible yet). A 404 from the
    gateway (APIGW.*: wrong path or endpoint) or one without a service error code (an HTML page from a
    proxy) is a configuration error and must not be taken for a missing job.
    """
    code = err.error_code or ""
    return bool(code) and not code.upper().startswith("APIGW.")


def _map_concurrent(func, values, concurrency):
    """``[func(v) for v in values]`` on up to ``concurrency`` threads; the first error is raised."""
    if concurrency <= 1 or len(values) <= 1:
        return [func(value) for value in values]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(values))) as pool:
        return list(pool.map(func, values))


class _Listing(object):
    """One paged walk through a list endpoint; iterating yields normalized tasks.

    Stops at an empty or short page, once ``total_count`` is reached, when a page brings no new
    id (an API ignoring ``offset`` would otherwise loop) or after ``max_pages`` (``truncated``).
    With ``limit`` it asks for no more than it still needs (rounded up to an allowed page size).
    With ``wanted`` (a set of ids) only those items are normalized and yielded; the others still
    count for paging (normalizing jobs the caller drops was a third of a waiter's CPU).
    """

    def __init__(self, service, query, page_size, deadline, max_pages, limit=None, wanted=None):
        self.service = service
        self.wanted = wanted
        self.query = query
        self.page_size = page_size
        self.deadline = deadline
        self.max_pages = max_pages
        self.limit = limit
        self.truncated = False

    def _request_size(self, still_needed):
        entry = self.service.entry
        if still_needed is None or still_needed >= self.page_size:
            return self.page_size
        allowed = entry["page_sizes"] or range(entry["min_page_size"], entry["max_page_size"] + 1)
        return min(size for size in allowed if size >= still_needed)

    def __iter__(self):
        entry = self.service.entry
        seen = set()
        offset = 0
        for _page in range(self.max_pages):
            size = self._request_size(None if self.limit is None else self.limit - len(seen))
            body, request_id = self.service.call(entry["path"], dict(self.query, offset=offset, limit=size), self.deadline)
            items = body[entry["items_key"]]
            fresh = [item for item in items if item["id"] not in seen]
            for item in fresh:
                seen.add(item["id"])
                if self.wanted is None or item["id"] in self.wanted:
                    yield normalize(self.service.service, item, request_id)
            offset += len(items)
            total = body.get(entry["total_key"])
            if not fresh or len(items) < size or (total is not None and offset >= total):
                return
            if self.limit is not None and len(seen) >= self.limit:
                return
        self.truncated = True


class TaskService(object):
    """Queries the jobs of one service. ``now`` (callable returning a datetime) is injectable."""

    def __init__(self, client, service, now=None):
        self.entry = service_entry(service)
        _require_jsonschema()
        self.client = client
        self.service = service
        self.now = now
        # Learned by fetch_many: creation times of the requested jobs, and ids already probed one by one.
        self._created_by_id = {}
        self._probed = set()
        # Every id a listing scan was asked for: finished jobs stay in the listing, so a later poll for
        # fewer ids must still scan as far as all of them reach (else the rest look absent).
        self._scanned_ids = set()
        self.last_query_truncated = False

    # ------------------------------------------------------------------ validation (no I/O)

    def validate(self, ids=None, filters=None, limit=None, page_size=None):
        """Check the options and return the query plan; InvalidInput (naming the option) on a bad value.

        Plan: ``{"service", "ids": [..] or None, "query": {encoded API filters}, "limit", "page_size"}``.
        ``filters.id`` is folded into ``ids``. List services combine ids with the other filters (the API
        does); DDM and CAS look jobs up by id only. ``page_size`` only matters to list services.
        """
        filters = self._clean_filters(filters)
        if "id" in filters:
            if ids:
                raise _invalid("give task ids either in ids or in filters.id, not both", "filters.id")
            ids = [filters.pop("id")]
        ids = self._validate_ids(ids)
        if not self.entry["list_capable"]:
            if filters:
                raise _invalid("%s supports lookup by id only; give ids (filters are not supported, got: %s)"
                               % (self.service, ", ".join(sorted(filters))), "filters", allowed=[])
            if ids is None:
                raise _invalid("%s supports lookup by id only; give ids" % self.service, "ids")
        local_keys = [key for key in filters if key in self.entry.get("local_filters", {})]
        return {
            "service": self.service,
            "ids": ids,
            "local": dict((key, filters.pop(key)) for key in local_keys),
            "query": self._encode_filters(filters),
            "limit": _positive_int(limit, "limit"),
            "page_size": self._validate_page_size(page_size),
        }

    def _validate_ids(self, ids, required=False):
        ids = clean_ids(ids, "ids")
        if not ids:
            if required:
                raise _invalid("ids must list at least one task id", "ids")
            return None
        return ids

    def _clean_filters(self, filters):
        if filters is None:
            return {}
        if not isinstance(filters, dict):
            raise _invalid("filters must be a dict; got %r" % (filters,), "filters")
        # Ansible passes unset sub-options as None.
        cleaned = dict((key, value) for key, value in filters.items() if value is not None)
        allowed = self.entry["filters"]
        unknown = sorted(key for key in cleaned if key not in allowed)
        if unknown and allowed:
            raise _invalid("unknown filter %s for %s; allowed: %s" % (", ".join(unknown), self.service, ", ".join(allowed)),
                           "filters", allowed=allowed)
        for key, value in cleaned.items():
            if key in ("start_time", "end_time") or not allowed:
                continue
            if not isinstance(value, str) or not value.strip():
                raise _invalid("filters.%s must be a non-empty string; got %r" % (key, value), "filters.%s" % key)
            cleaned[key] = value.strip()
        if "status" in cleaned:
            cleaned["status"] = self._canonical_status(cleaned["status"])
        return cleaned

    def _canonical_status(self, value):
        statuses = raw_statuses(self.service)
        for status in statuses:
            if status.lower() == value.lower():
                return status
        raise _invalid("filters.status must be one of %s for %s; got %r" % (", ".join(statuses), self.service, value),
                       "filters.status", allowed=statuses)

    def _validate_page_size(self, page_size):
        if not self.entry["list_capable"]:
            return None
        if page_size is None:
            return self.entry["default_page_size"]
        sizes = self.entry["page_sizes"]
        valid = isinstance(page_size, int) and not isinstance(page_size, bool)
        if sizes:
            if not valid or page_size not in sizes:
                raise _invalid("page_size must be one of %s for %s; got %r" % (", ".join(str(s) for s in sizes), self.service, page_size),
                               "page_size", allowed=sizes)
        elif not valid or not self.entry["min_page_size"] <= page_size <= self.entry["max_page_size"]:
            raise _invalid("page_size must be between %d and %d for %s; got %r"
                           % (self.entry["min_page_size"], self.entry["max_page_size"], self.service, page_size), "page_size",
                           allowed=[self.entry["min_page_size"], self.entry["max_page_size"]])
        return page_size

    def _encode_filters(self, filters):
        query = dict((key, value) for key, value in filters.items() if key not in ("start_time", "end_time"))
        start = parse_user_time(filters["start_time"], "filters.start_time") if "start_time" in filters else None
        end = parse_user_time(filters["end_time"], "filters.end_time") if "end_time" in filters else None
        if start is not None or end is not None:
            query.update(self._encode_window(*self._complete_window(start, end)))
        return query

    def _complete_window(self, start, end):
        """Fill in what the API would reject or misread, and reject what no filling can fix."""
        now = utc_now(self.now)
        window_days = self.entry["max_window_days"]
        if start is not None and end is None:
            if start >= now:
                raise _invalid("filters.start_time %s is in the future" % start.isoformat(), "filters.start_time")
            if window_days and now - start > timedelta(days=window_days):
                raise _invalid("filters.start_time %s is more than %d days before now (the default end_time); %s lists "
                               "at most %d days: give filters.end_time within %d days after it"
                               % (start.isoformat(), window_days, self.service, window_days, window_days), "filters.start_time")
            if self.entry["start_requires_end"]:
                end = now
        elif end is not None and start is None and window_days:
            # The API's default start is relative to today, not to end_time: send the window explicitly.
            start = end - timedelta(days=window_days)
        if start is not None and end is not None:
            if end <= start:
                raise _invalid("filters.end_time (%s) must be later than filters.start_time (%s)"
                               % (end.isoformat(), start.isoformat()), "filters.end_time")
            if window_days and end - start > timedelta(days=window_days):
                raise _invalid("%s lists at most %d days: filters.start_time %s is %d days before filters.end_time %s"
                               % (self.service, window_days, start.isoformat(), (end - start).days, end.isoformat()),
                               "filters.start_time")
        return start, end

    def _encode_window(self, start, end):
        encode = format_offset_utc if self.entry["time_encoding"] == "offset_utc" else to_epoch_ms
        query = {}
        if start is not None:
            query["start_time"] = encode(start)
        if end is not None:
            query["end_time"] = encode(end)
        return query

    # ------------------------------------------------------------------ requests

    def call(self, path, query, deadline):
        """GET ``path``; returns (body as sent, request id) once the body passed the schema check."""
        response = self.client.request(self.service, "GET", path, query=query, deadline=deadline)
        check_response(self.service, canonical_view(self.service, response.json), path=path,
                       status=response.status, request_id=response.request_id)
        return response.json, response.request_id

    def _get_one(self, task_id, deadline):
        """Per-id services: the task or None (404: unknown or not visible yet)."""
        path = self.entry["path"].replace("{job_id}", quote(task_id, safe=""))
        try:
            body, request_id = self.call(path, None, deadline)
        except NotFound as err:
            if not job_absent(err):
                raise
            return None
        item_key = self.entry["item_key"]
        return normalize(self.service, body[item_key] if item_key else body, request_id)

    def _lookup_listed(self, task_id, query, page_size, deadline):
        """List services: the task with ``task_id`` that also matches ``query``, as a 0/1-item list.

        One page is enough for a unique id; keeping only exact id matches means an API that ignored
        the id filter cannot turn its whole listing into this id's result.
        """
        try:
            listing = _Listing(self, dict(query, id=task_id), page_size, deadline, max_pages=1)
            return [task for task in listing if task["id"] == task_id][:1]
        except NotFound as err:
            if not job_absent(err):
                raise
            return []

    # ------------------------------------------------------------------ public queries

    def query(self, ids=None, filters=None, limit=None, page_size=None, deadline=None, concurrency=DEFAULT_CONCURRENCY):
        """Tasks matching ``ids`` and/or ``filters`` (task_info, lookup); unknown ids are simply absent.

        List services without ids page through the listing (``page_size`` per request) until it ends or
        ``limit`` tasks were found. More than FETCH_BY_ID_MAX ids without other API filters go through
        fetch_many's listing scan; otherwise every id is one id-filtered query (combined with the
        other filters). DDM and CAS fetch each id (404 = absent), ``concurrency``
        requests at a time.
        """
        plan = self.validate(ids=ids, filters=filters, limit=limit, page_size=page_size)
        concurrency = _positive_int(concurrency, "concurrency")
        self.last_query_truncated = False
        limit = plan["limit"]
        if not self.entry["list_capable"]:
            found = _map_concurrent(lambda task_id: self._get_one(task_id, deadline), plan["ids"], concurrency)
            return [task for task in found if task is not None][:limit]
        matches = self._local_matcher(plan["local"])
        if plan["ids"] and len(plan["ids"]) > FETCH_BY_ID_MAX and not plan["query"]:
            # Ids of recent jobs sit on the first listing page: one scan instead of one request per id
            # (20 ids: 1 request instead of 20); ids the scan cannot reach are still looked up by id.
            found = self.fetch_many(plan["ids"], deadline=deadline, concurrency=concurrency)
            return [found[task_id] for task_id in plan["ids"] if task_id in found and matches(found[task_id])][:limit]
        if plan["ids"]:
            per_id = _map_concurrent(
                lambda task_id: self._lookup_listed(task_id, plan["query"], plan["page_size"], deadline),
                plan["ids"], concurrency)
            return [task for tasks in per_id for task in tasks if matches(task)][:limit]
        # A local filter drops tasks after the API counted them: the listing cannot stop at ``limit``.
        listing = _Listing(self, plan["query"], plan["page_size"], deadline, MAX_LIST_PAGES,
                           limit=None if plan["local"] else limit)
        tasks = []
        for task in listing:
            if not matches(task):
                continue
            tasks.append(task)
            if limit is not None and len(tasks) >= limit:
                break
        self.last_query_truncated = listing.truncated
        return tasks

    def _local_matcher(self, local):
        """Predicate on normalized tasks for the filters the API cannot apply (see local_filters)."""
        paths = self.entry.get("local_filters", {})

        def matches(task):
            for key, value in local.items():
                if lookup_path(task, paths[key]) != value:
                    return False
            return True
        return matches

    def fetch_many(self, ids, deadline=None, concurrency=DEFAULT_CONCURRENCY):
        """``{id: task}`` for the waiter's poll cycle; ids not found are missing from the dict.

        Requests per call (n = len(ids), page = 50 jobs):
        - DDM, CAS: n GETs, ``concurrency`` at a time.
        - GeminiDB, RDS with n <= 2: n id-filtered list requests.
        - GeminiDB, RDS with more ids: the listing, newest first, stopping once every id was seen;
          usually one page, as the waited-for jobs are recent. Once creation times are known, the
          listing is narrowed to [oldest wanted job - 5 min, now + 1 min]. The scan reads at most the
          pages filled by every id scanned for so far (finished jobs stay listed) plus
          FETCH_SCAN_PAGES. When that window or the scan limit could have hidden an id, each still
          missing id gets one id-filtered request, once per TaskService; after that a missing id is
          simply absent.
        """
        ids = self._validate_ids(ids, required=True)
        concurrency = _positive_int(concurrency, "concurrency")
        if not self.entry["list_capable"]:
            found = _map_concurrent(lambda task_id: self._get_one(task_id, deadline), ids, concurrency)
            return dict((task["id"], task) for task in found if task is not None)
        if len(ids) <= FETCH_BY_ID_MAX:
            found = self._probe(ids, deadline, concurrency)
        else:
            found = self._scan_for(ids, deadline, concurrency)
        for task_id, task in found.items():
            created = parse_api_time_dt(task["created_at"])
            if created is not None:
                self._created_by_id[task_id] = created
        return found

    def _probe(self, ids, deadline, concurrency):
        page_size = self.entry["min_page_size"]
        results = _map_concurrent(lambda task_id: self._lookup_listed(task_id, {}, page_size, deadline), ids, concurrency)
        return dict((tasks[0]["id"], tasks[0]) for tasks in results if tasks)

    def _scan_for(self, ids, deadline, concurrency):
        wanted = set(ids)
        known = [self._created_by_id[task_id] for task_id in ids if task_id in self._created_by_id]
        query = {}
        if known:
            end = utc_now(self.now) + WINDOW_AFTER
            start = min(known) - WINDOW_BEFORE
            if self.entry["max_window_days"]:
                start = max(start, end - timedelta(days=self.entry["max_window_days"]))
            query = self._encode_window(start, end)
        page_size = self.entry["max_page_size"]
        self._scanned_ids.update(wanted)
        # 1000 waited-for jobs fill 20 pages on their own: scan that far plus some slack for other jobs.
        max_pages = min(MAX_LIST_PAGES, -(-len(self._scanned_ids) // page_size) + FETCH_SCAN_PAGES)
        listing = _Listing(self, query, page_size, deadline, max_pages, wanted=wanted)
        found = {}
        for task in listing:
            if task["id"] in wanted and task["id"] not in found:
                found[task["id"]] = task
                if len(found) == len(wanted):
                    return found
        # An exhausted, unwindowed listing proves absence; a window or the scan limit may hide older jobs.
        if known or listing.truncated:
            unprobed = [task_id for task_id in ids if task_id not in found and task_id not in self._probed]
            self._probed.update(unprobed)
            found.update(self._probe(unprobed, deadline, concurrency))
        return found
