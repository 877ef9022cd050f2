# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TaskService: the jobs of one service, fetched by query plan (task_info) or by id (the waiter).

Everything that differs between the job APIs is data in the service's ``catalog`` entry; this is
the one code path that reads it to page, batch and fetch. The options are checked once, by
``plan`` (``query_plan.plan_query``), and ``query`` trusts the plan. Every response passes
``contract.check_response`` before it is normalized (``task.normalize``), so a broken payload is a
ContractError naming the field, never a KeyError.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import quote

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.contract import check_response, require_jsonschema
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import NotFound
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import (
    QueryPlan, encode_window, plan_query, positive_int, required_ids,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import canonical_view, normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import parse_api_time_dt, utc_now

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
        require_jsonschema()
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

    def plan(self, ids=None, filters=None, limit=None, page_size=None):
        """The checked QueryPlan for ``query`` (no I/O); InvalidInput naming the user's option.

        ``filters`` maps the filter options (``status``, ``name``, ``instance_id``, ``order_id``,
        ``start_time``, ``end_time``) to values; see ``query_plan.plan_query``.
        """
        return plan_query(self.service, ids=ids, filters=filters, limit=limit, page_size=page_size, now=self.now)

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

    def query(self, plan, deadline=None, concurrency=DEFAULT_CONCURRENCY):
        """Tasks matching ``plan`` (a QueryPlan from ``plan``; task_info, lookup); unknown ids are simply absent.

        List services without ids page through the listing (``page_size`` per request) until it ends or
        ``limit`` tasks were found. More than FETCH_BY_ID_MAX ids without other API filters go through
        fetch_many's listing scan; otherwise every id is one id-filtered query (combined with the
        other filters). Per-id services (DDM, CAS) fetch each id (404 = absent), ``concurrency``
        requests at a time.
        """
        if not isinstance(plan, QueryPlan) or plan.service != self.service:
            raise TypeError("query() takes the QueryPlan of this service's plan(); got %r" % (plan,))
        concurrency = positive_int(concurrency, "concurrency")
        self.last_query_truncated = False
        limit = plan.limit
        if not self.entry["list_capable"]:
            found = _map_concurrent(lambda task_id: self._get_one(task_id, deadline), plan.ids, concurrency)
            return [task for task in found if task is not None][:limit]
        matches = self._local_matcher(plan.local)
        api_query = plan.api_query(self.now)
        if plan.ids and len(plan.ids) > FETCH_BY_ID_MAX and not api_query:
            # Ids of recent jobs sit on the first listing page: one scan instead of one request per id
            # (20 ids: 1 request instead of 20); ids the scan cannot reach are still looked up by id.
            found = self.fetch_many(plan.ids, deadline=deadline, concurrency=concurrency)
            return [found[task_id] for task_id in plan.ids if task_id in found and matches(found[task_id])][:limit]
        if plan.ids:
            per_id = _map_concurrent(
                lambda task_id: self._lookup_listed(task_id, api_query, plan.page_size, deadline),
                plan.ids, concurrency)
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
        ids = required_ids(ids)
        concurrency = positive_int(concurrency, "concurrency")
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
            query = encode_window(self.service, start, end)
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
