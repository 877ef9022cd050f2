# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TaskService: the jobs of one service, fetched by query plan (task_info) or by id (the waiter).

``TaskService(client, entry)`` takes the service's resolved catalog entry (``catalog.ServiceEntry``,
made once by the planning step) and hands that entry on to the client, the contract check and the
normalizer.

Everything that differs between the job APIs is data in the service's ``catalog`` entry; this is
the one code path that reads it to page, batch and fetch. The options are checked once, by
``plan`` (``query_plan.plan_query``), and ``query`` trusts the plan. Every response passes
``contract.check_response`` before it is normalized (``task.normalize``), so a broken payload is a
ContractError naming the field, never a KeyError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import timedelta

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import ORDER_RESOURCES_PENDING
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.cloud_clock import CloudClock
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import check_response, require_jsonschema
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, NotFound
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.fetch_each import fetch_each, map_concurrent, partly_answered
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.lenient import as_count, as_list
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import (
    QuerySpec, encode_window, plan_query, positive_int,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import canonical_view, normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import parse_api_time_dt

# Parallel requests of the paths the endpoint's pace does not drive (id probes of a listing service).
DEFAULT_CONCURRENCY = 8
# query(): a listing longer than this many pages is cut (and ``last_query_truncated`` set).
MAX_LIST_PAGES = 100
# fetch_many(): pages scanned beyond those the wanted ids fill (other jobs in the window) before
# falling back to one id query each.
FETCH_SCAN_PAGES = 4
# fetch_many(): up to this many ids, one id-filtered request each beats scanning the listing.
FETCH_BY_ID_MAX = 2
# fetch_many(): the listing window starts this long before the oldest wanted job once creation times are known.
WINDOW_BEFORE = timedelta(minutes=5)
# Per-id services with paged sub-tasks: pages read per job at most (a runaway API cannot loop).
MAX_SUBTASK_PAGES = 100


def job_absent(err, absent_codes=(), only_codes=False):
    """True when an error says "no such job" rather than "no such API".

    Only the service's own error body means the job is unknown (or not visible yet): a 404 with a
    service code, or any status with one of ``absent_codes`` (catalog). A 404 from the gateway (APIGW.*:
    wrong path or endpoint) or one without a service error code (an HTML page from a proxy) is a
    configuration error and must not be taken for a missing job. ``only_codes`` (catalog
    ``absent_codes_only``: resources, declared ``gone_on``): only ``absent_codes`` mean absent.
    """
    code = err.error_code or ""
    if code and code in absent_codes:
        return True
    if only_codes:
        return False
    return isinstance(err, NotFound) and bool(code) and not code.upper().startswith("APIGW.")


def _key_like(body, key):
    """The key of ``body`` that is ``key`` in any letter case (CAS v2 and v3 differ), else ``key``."""
    return next((name for name in body if isinstance(name, str) and name.lower() == key), key)


class _Listing(object):
    """One paged walk through a list endpoint; iterating yields normalized tasks.

    Stops at an empty or short page, once ``total_count`` is reached, when a page brings no new
    id (an API ignoring ``offset`` would otherwise loop) or after ``max_pages`` (``truncated``).
    With ``limit`` it asks for no more than it still needs (rounded up to an allowed page size).
    With ``wanted`` (a set of ids) only those items are normalized and yielded; the others still
    count for paging (normalizing jobs the caller drops was a third of a waiter's CPU). Without ``limit``,
    once the first page's ``total_count`` says more pages follow, they are fetched several at once
    (``_fetch_ahead``).
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
        ahead = []   # the next pages, fetched together: (body, request id) by ascending offset
        for page in range(self.max_pages):
            size = self._request_size(None if self.limit is None else self.limit - len(seen))
            if ahead:
                body, request_id = ahead.pop(0)
            else:
                body, request_id = self._page(offset, size)
            # An absent or null list is an empty page (the SDK's models declare every list optional).
            items = as_list(body.get(entry["items_key"]), entry["items_key"])
            fresh = [item for item in items if item["id"] not in seen]
            for item in fresh:
                seen.add(item["id"])
                if self.wanted is None or item["id"] in self.wanted:
                    yield normalize(self.service.entry, item, request_id)
            offset += len(items)
            total = as_count(body.get(entry["total_key"]), entry["total_key"])
            if not fresh or len(items) < size or (total is not None and offset >= total):
                return
            if self.limit is not None and len(seen) >= self.limit:
                return
            if not ahead and self.limit is None and total is not None:
                ahead = self._fetch_ahead(offset, size, min(self.max_pages - page - 1, -(-(total - offset) // size)))
        self.truncated = True

    def _page(self, offset, size):
        return self.service.call(self.service.entry["path"], dict(self.query, offset=offset, limit=size), self.deadline)

    def _fetch_ahead(self, offset, size, pages_left):
        """The next pages at once, once ``total_count`` says how many are left: as many as the endpoint's pace
        wants in flight (each request paced by its limiter). One page after another, a listing of thousands of
        jobs took a round trip per page on every poll. Pages are read in order afterwards, so the stops above
        hold; the caller may stop early (every id found), wasting at most the rest of one such wave."""
        if pages_left <= 1:
            return []
        count = self.service.client.limiter(self.service.entry).in_flight(pages_left)
        if count <= 1:
            return []
        return map_concurrent(lambda number: self._page(offset + number * size, size), range(count), count)


class TaskService(object):
    """Queries the jobs of one service. ``now`` (callable returning a datetime) is injectable.

    ``cloud`` is the cloud's clock as the responses' Date headers show it (cloud_clock.py): windows
    meant to reach "now" end at the cloud's now, whatever this host's clock says.
    """

    def __init__(self, client, entry, now=None):
        self.entry = entry               # the resolved catalog.ServiceEntry; no name is looked up again
        require_jsonschema()
        self.client = client
        self.service = entry.name
        self.now = now
        self.cloud = CloudClock(now)
        # Learned by fetch_many: creation times of the requested jobs.
        self._created_by_id = {}
        # Every id a listing scan was asked for: finished jobs stay in the listing, so a later poll for
        # fewer ids must still scan as far as all of them reach (else the rest look absent).
        self._scanned_ids = set()
        # Ids the listing did not return but the catalog's id_lookup did: polled there from then on.
        self._looked_up_ids = set()
        self.last_query_truncated = False

    def plan(self, ids=None, filters=None, limit=None, page_size=None):
        """The checked QuerySpec for ``query`` (no I/O); InvalidInput naming the user's option.

        ``filters`` maps the filter options (``status``, ``name``, ``instance_id``, ``order_id``,
        ``start_time``, ``end_time``) to values; see ``query_plan.plan_query``.
        """
        return plan_query(self.entry, ids=ids, filters=filters, limit=limit, page_size=page_size, now=self.now)

    # ------------------------------------------------------------------ requests

    def call(self, path, query, deadline, absent_if_blank=False, path_params=None, schema=None):
        """GET ``path``; returns (body as sent, request id) once the body passed the schema check.

        With ``absent_if_blank`` a "not visible yet" answer (see ``_blank``) returns (None, request id).
        ``path_params`` fills the path's ``{name}`` segments (the client encodes each as one segment);
        ``schema`` replaces the service's for another endpoint's answer (catalog ``id_lookup``).
        """
        extra = {"headers": self.entry["headers"]} if self.entry.get("headers") else {}  # catalog: DDS's X-Language
        response = self.client.request(self.entry, "GET", path, query=query, deadline=deadline, path_params=path_params,
                                       **extra)
        self.cloud.learn(response.headers)
        if absent_if_blank and self._blank(response.json):
            return None, response.request_id
        check_response(self.entry, canonical_view(self.entry, response.json), path=path,
                       status=response.status, request_id=response.request_id, schema=schema)
        return response.json, response.request_id

    def _absent(self, err):
        return job_absent(err, self.entry.get("absent_codes", ()), self.entry.get("absent_codes_only", False))

    def _blank(self, body):
        """True for a 200 that names no job (catalog ``blank_is_absent``): an empty job object or a blank status;
        or (catalog ``absent_if_empty``, a dotted path) an empty list there: a declared API's "gone" listing."""
        empty_path = self.entry.get("absent_if_empty")
        if empty_path and isinstance(body, dict) and lookup_path(body, empty_path) == []:
            return True
        if not self.entry.get("blank_is_absent") or not isinstance(body, dict) or self.entry["item_key"] not in body:
            return False
        item = body[self.entry["item_key"]]
        if item is None or item == {}:
            return True
        if not isinstance(item, dict):
            return False  # not a job at all: the contract check names it
        status = lookup_path(item, self.entry["fields"]["status"])
        return status is None or (isinstance(status, str) and not status.strip())

    def _get_one(self, task_id, deadline):
        """Per-id services: the task or None (404, or a blank answer: unknown or not visible yet).

        The id fills the path's ``{job_id}`` segment raw: the client encodes it once, as one segment
        (``/`` included). Paged sub-tasks (catalog ``subtask_paging``) are all read.
        """
        path = self.entry["path"]
        paging = self.entry.get("subtask_paging")
        query = {paging["limit_param"]: paging["max_page_size"]} if paging else None
        if self.entry.get("id_param"):   # the id is a query parameter (jobs?id=): one request answers one id
            path_params, query = None, dict(query or {}, **{self.entry["id_param"]: task_id})
        else:
            path_params = {"job_id": task_id}
        if self.entry.get("query"):
            # A declared path's query string: its "{job_id}" values are the id asked for.
            query = dict(query or {}, **dict((name, value.replace("{job_id}", task_id))
                                             for name, value in self.entry["query"].items()))
        try:
            body, request_id = self.call(path, query, deadline, absent_if_blank=True, path_params=path_params)
            if body is not None and paging:
                body, request_id = self._remaining_subtasks(path, path_params, body, request_id, deadline)
        except ApiError as err:
            if not self._absent(err):
                raise
            return None
        if body is None:
            return None
        item_key = self.entry["item_key"]
        task = normalize(self.entry, body[item_key] if item_key else body, request_id)
        if task["id"] is None:
            task["id"] = task_id  # an API that does not echo the id (declared ones): it is the id asked for
        if self.entry.get("order_resources"):
            self._add_order_resources(task, deadline)
        return task

    def _add_order_resources(self, task, deadline):
        """A prepaid order (catalog ``order_resources``): once completed, the ids of the resources it made.

        ``task["resource_ids"]`` holds them (the main resources, as Terraform asks), and ``instance.id``
        the first. The API lists none for a while after the order completes: until it does, the task
        reads the status ``catalog.ORDER_RESOURCES_PENDING`` (running), so a gate keeps waiting and the
        next step can rely on the ids. Before completion the list is not asked for (empty).
        """
        task["resource_ids"] = []
        if task["phase"] != "succeeded":
            return
        spec = self.entry["order_resources"]
        body = dict(spec["body"], **{spec["order_id_key"]: task["id"]})
        response = self.client.request(self.entry, "POST", spec["path"], body=body, deadline=deadline)
        self.cloud.learn(response.headers)
        check_response(self.entry, response.json, method="POST", path=spec["path"], status=response.status,
                       request_id=response.request_id, schema=spec["schema"])
        items = (response.json or {}).get(spec["items_key"]) or []
        task["resource_ids"] = [item[spec["id_key"]] for item in items]
        if task["resource_ids"]:
            task["instance"]["id"] = task["resource_ids"][0]
        else:
            task["status"] = ORDER_RESOURCES_PENDING
            task["phase"] = next(phase for phase, values in self.entry["phases"].items() if ORDER_RESOURCES_PENDING in values)
            task["ended_at"] = None

    def _remaining_subtasks(self, path, path_params, body, request_id, deadline):
        """The job with every sub-task: further pages while fewer than the total count came.

        Pages go by ascending index, so sub-tasks that appear meanwhile are appended, never shift a
        page. Stops at the total, at a page with nothing new (an API ignoring offset) or after
        MAX_SUBTASK_PAGES. The job comes from the latest page; its sub-task list holds every page's.
        """
        paging = self.entry["subtask_paging"]
        subtasks, total = self._subtask_page(body, 0)
        seen = set(identity for identity, _raw in subtasks)
        collected = [raw for _identity, raw in subtasks]
        pages = 1
        while isinstance(total, int) and len(collected) < total and pages < MAX_SUBTASK_PAGES:
            query = {paging["limit_param"]: paging["max_page_size"], paging["offset_param"]: len(collected)}
            page, page_request_id = self.call(path, query, deadline, path_params=path_params)
            pages += 1
            subtasks, total = self._subtask_page(page, len(collected))
            fresh = [(identity, raw) for identity, raw in subtasks if identity not in seen]
            if not fresh:
                break
            seen.update(identity for identity, _raw in fresh)
            collected.extend(raw for _identity, raw in fresh)
            body, request_id = page, page_request_id
        merged = dict(body)
        merged[_key_like(body, self.entry["subtasks_key"])] = collected
        return merged, request_id

    def _subtask_page(self, body, offset):
        """([(identity, raw sub-task)], total count or None) of the page at ``offset``.

        The identity is (id, index); a sub-task with neither is known by its position.
        """
        fields = self.entry["subtask_fields"]
        view = canonical_view(self.entry, body)
        raw_list = body.get(_key_like(body, self.entry["subtasks_key"])) or []
        pairs = []
        for position, (raw, sub) in enumerate(zip(raw_list, view.get(self.entry["subtasks_key"]) or [])):
            identity = (lookup_path(sub, fields["id"]), lookup_path(sub, fields["index"])) if isinstance(sub, dict) else (None, None)
            pairs.append((identity if identity != (None, None) else ("at", offset + position), raw))
        total_key = self.entry["subtask_paging"]["total_key"]
        return pairs, as_count(view.get(total_key), total_key)

    def _lookup_listed(self, task_id, query, page_size, deadline):
        """List services: the task with ``task_id`` that also matches ``query``, as a 0/1-item list.

        One page is enough for a unique id; keeping only exact id matches means an API that ignored
        the id filter cannot turn its whole listing into this id's result. An id asked alone (no
        other filter) that the listing does not return is asked at the catalog's ``id_lookup`` too.
        """
        if task_id in self._looked_up_ids and not query:
            return self._looked_up(task_id, deadline)
        try:
            listing = _Listing(self, dict(query, id=task_id), page_size, deadline, max_pages=1)
            found = [task for task in listing if task["id"] == task_id][:1]
        except NotFound as err:
            if not job_absent(err):
                raise
            found = []
        if not found and not query:
            return self._looked_up(task_id, deadline)
        return found

    def _looked_up(self, task_id, deadline):
        """The task from the catalog's ``id_lookup`` (a job the listing may not hold), as a 0/1-item list.

        Found once, the id is polled there from then on (``_looked_up_ids``); [] without an id_lookup.
        """
        lookup = self.entry.get("id_lookup")
        if lookup is None:
            return []
        try:
            body, request_id = self.call(lookup["path"], {lookup["id_param"]: task_id}, deadline, schema=lookup["schema"])
        except ApiError as err:
            if not self._absent(err):
                raise
            return []
        task = normalize(self.entry, body[lookup["item_key"]], request_id, fields=lookup["fields"])
        if task["id"] != task_id:
            return []
        self._looked_up_ids.add(task_id)
        return [task]

    # ------------------------------------------------------------------ public queries

    def query(self, plan, deadline=None, concurrency=None):
        """Tasks matching ``plan`` (a QuerySpec from ``plan``; task_info, lookup); unknown ids are simply absent.

        List services without ids page through the listing (``page_size`` per request) until it ends or
        ``limit`` tasks were found. More than FETCH_BY_ID_MAX ids without other API filters go through
        fetch_many's listing scan; otherwise every id is one id-filtered query (combined with the
        other filters); an id alone that the listing lacks is asked at the catalog's ``id_lookup`` (RDS
        ``/jobs?id=``). Per-id services (DDM, CAS, ECS/EVS/BMS) fetch each id (the service's 404 =
        absent), as many at a time as the endpoint's pace wants, or ``concurrency`` when given.
        """
        if not isinstance(plan, QuerySpec) or plan.service != self.service:
            raise TypeError("query() takes the QuerySpec of this service's plan(); got %r" % (plan,))
        if concurrency is not None:
            concurrency = positive_int(concurrency, "concurrency")
        self.last_query_truncated = False
        limit = plan.limit
        if not self.entry["list_capable"]:
            answers = fetch_each(lambda task_id: self._get_one(task_id, deadline), list(plan.ids),
                                 self._in_flight(concurrency))
            tasks = [answers[task_id] for task_id in plan.ids if task_id in answers][:limit]
            if answers.refusal is not None:
                raise partly_answered(answers, tasks, len(plan.ids))
            return tasks
        matches = self._local_matcher(plan.local)
        # A window open to "now" (RDS start_time alone) ends at the cloud's now, not this host's.
        api_query = plan.api_query(self.cloud.horizon)
        if plan.ids and len(plan.ids) > FETCH_BY_ID_MAX and not api_query:
            # Ids of recent jobs sit on the first listing page: one scan instead of one request per id
            # (20 ids: 1 request instead of 20); ids the scan cannot reach are still looked up by id.
            found = self.fetch_many(plan.ids, deadline=deadline, concurrency=concurrency)
            return [found[task_id] for task_id in plan.ids if task_id in found and matches(found[task_id])][:limit]
        if plan.ids:
            per_id = map_concurrent(
                lambda task_id: self._lookup_listed(task_id, api_query, plan.page_size, deadline),
                plan.ids, concurrency or DEFAULT_CONCURRENCY)
            return [task for tasks in per_id for task in tasks if matches(task)][:limit]
        # A local filter drops tasks after the API counted them: the listing cannot stop at ``limit``.
        listing = _Listing(self, api_query, plan.page_size, deadline, MAX_LIST_PAGES,
                           limit=None if plan.local else limit)
        tasks = []
        for task in listing:
            if not matches(task):
                continue
            tasks.append(task)
            if limit is not None and len(tasks) >= limit:
                break
        self.last_query_truncated = listing.truncated
        return tasks

    def _in_flight(self, concurrency):
        """in_flight(unanswered) for _fetch_each: the endpoint's pace, or the caller's explicit concurrency."""
        if concurrency is None:
            return self.client.limiter(self.entry).in_flight
        return lambda left: min(concurrency, left)

    def _local_matcher(self, local):
        """Predicate on normalized tasks for the filters the API cannot apply (see local_filters)."""
        paths = self.entry.get("local_filters", {})

        def matches(task):
            for key, value in local.items():
                if lookup_path(task, paths[key]) != value:
                    return False
            return True
        return matches

    def fetch_many(self, ids, deadline=None, concurrency=None):
        """``{id: task}`` for the waiter's poll cycle; ids not found are missing from the dict.

        Requests per call (n = len(ids), page = 50 jobs):
        - DDM, CAS, ECS/EVS/BMS: n GETs in the order given (CAS: one more per further 100 sub-tasks of a job), as
          many at a time as the endpoint's pace wants (rate x latency, ``rate_limit.RateLimiter.in_flight``) unless
          ``concurrency`` is given. The answer is an ``Answers``: the ids whose requests were refused (429) or
          could not be sent before the deadline are listed apart, every other answer is kept.
        - GeminiDB, RDS with n <= 2: n id-filtered list requests.
        - GeminiDB, RDS with more ids: the listing, newest first, stopping once every id was seen;
          usually one page, as the waited-for jobs are recent. Once creation times are known, the
          listing starts WINDOW_BEFORE before the oldest wanted job and reaches "now" by the cloud's
          clock: left open where the API allows it (GeminiDB), else the cloud's now from the Date
          headers (``CloudClock.horizon``), never this host's clock. The scan reads at most the pages
          filled by every id scanned for so far (finished jobs stay listed) plus FETCH_SCAN_PAGES.
          When that window or the scan limit could have hidden an id, each still missing id gets an
          id-filtered request, on every such call: a job counts as absent only when a direct lookup
          did not find it either (usually none is missing, so this costs nothing).
        - RDS (catalog ``id_lookup``): an id the listing does not return is asked at ``/jobs?id=`` before
          it counts as absent; once found there it is polled there (one GET per call), off the listing.
        """
        # ``ids`` come from a checked plan (plan_wait, plan_watch): cleaned once there, not on every poll.
        if not self.entry["list_capable"]:
            return fetch_each(lambda task_id: self._get_one(task_id, deadline), list(ids), self._in_flight(concurrency))
        # Ids only the id_lookup knows are polled there; the listing serves the rest.
        looked_up = [task_id for task_id in ids if task_id in self._looked_up_ids]
        listed = [task_id for task_id in ids if task_id not in self._looked_up_ids]
        if len(listed) <= FETCH_BY_ID_MAX:
            found = self._probe(ids, deadline, concurrency or DEFAULT_CONCURRENCY)
        else:
            found = self._scan_for(listed, deadline, concurrency or DEFAULT_CONCURRENCY)
            found.update(self._probe(looked_up, deadline, concurrency or DEFAULT_CONCURRENCY))
        for task_id, task in found.items():
            created = parse_api_time_dt(task["created_at"])
            if created is not None:
                self._created_by_id[task_id] = created
        return found

    def _probe(self, ids, deadline, concurrency):
        """One id-filtered listing request per id (the id_lookup's request for an id only it knows)."""
        page_size = self.entry["min_page_size"]
        results = map_concurrent(lambda task_id: self._lookup_listed(task_id, {}, page_size, deadline), ids, concurrency)
        return dict((tasks[0]["id"], tasks[0]) for tasks in results if tasks)

    def _window(self, ids):
        """The listing window of a scan for ``ids``: {} until a creation time is known.

        Job times come from the cloud's clock, so the window does too: its start from the wanted jobs'
        creation times, its end left open where the API allows it (the API's own now), else the cloud's
        now from the Date headers.
        """
        known = [self._created_by_id[task_id] for task_id in ids if task_id in self._created_by_id]
        if not known:
            return {}
        start = min(known) - WINDOW_BEFORE
        end = self.cloud.horizon() if self.entry["start_requires_end"] else None
        if self.entry["max_window_days"]:
            # Measured by the API from its own now when the end is left open.
            latest = end if end is not None else self.cloud.horizon()
            start = max(start, latest - timedelta(days=self.entry["max_window_days"]))
        return encode_window(self.entry, start, end)

    def _scan_for(self, ids, deadline, concurrency):
        wanted = set(ids)
        query = self._window(ids)
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
        # An exhausted, unwindowed listing proves absence from the listing; a window or the scan limit may
        # hide a job, so only a direct lookup can tell (every time: what it found once, a later scan may
        # hide again). A job the listing lacks may still be at the catalog's id_lookup.
        missing = [task_id for task_id in ids if task_id not in found]
        if missing and (query or listing.truncated):
            found.update(self._probe(missing, deadline, concurrency))
        elif missing and self.entry.get("id_lookup"):
            looked_up = map_concurrent(lambda task_id: self._looked_up(task_id, deadline), missing, concurrency)
            found.update((tasks[0]["id"], tasks[0]) for tasks in looked_up if tasks)
        return found
