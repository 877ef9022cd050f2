# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TaskService against a fake client: paging, batching, 404 handling, contract errors through a query.

The fake client records every call and answers from canned pages or a small in-memory job list, so
request counts are exact. Real HTTP is covered by the simulator integration tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from collections import namedtuple
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from payloads import load_fixtures

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import contract, rate_limit, task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError, ContractError, InvalidInput, NotFound, TaskGateError, Throttled, WaitTimeout,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import RateLimiter
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

UTC = timezone.utc
NOW = datetime(2025, 6, 4, 12, 0, 0, tzinfo=UTC)

Response = namedtuple("Response", "status json headers request_id")


class FakeClient(object):
    """Records calls; ``handler(service, path, query)`` returns a Response or raises."""

    def __init__(self, handler):
        self.handler = handler
        self.calls = []
        self._lock = threading.Lock()
        self.limiters = {}

    def limiter(self, entry):
        """Unpaced until told otherwise, on a clock that does not move (as the real client's, one per endpoint)."""
        return self.limiters.setdefault(entry.name, RateLimiter(lambda: 0.0))

    def request(self, entry, method, path, query=None, body=None, deadline=None, path_params=None):
        # ``path`` is the template; the handlers see it filled, as the server would (the client encodes
        # each value as one segment: test_client checks that). The client takes the resolved entry.
        service = entry.name
        filled = path
        for name, value in (path_params or {}).items():
            filled = filled.replace("{%s}" % name, value)
        with self._lock:
            self.calls.append({"service": service, "method": method, "path": filled, "template": path,
                               "path_params": path_params, "query": dict(query or {}), "body": body, "deadline": deadline})
            number = len(self.calls)
        return self.handler(service, filled, dict(query or {}), number)

    @property
    def queries(self):
        return [call["query"] for call in self.calls]


def http_date(moment):
    """The Date header the gateway sends (RFC 7231, whole seconds)."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def ok(body, number=0, cloud_now=NOW):
    """A 200 from a cloud whose clock reads ``cloud_now`` (this host's NOW unless a test skews it)."""
    return Response(200, body, {"Date": http_date(cloud_now)}, "req-%d" % number)


def not_found(service, path):
    return NotFound(status=404, error_code="SVCSTG.00100429" if service == "servicestage" else "DBS.280001",
                    error_msg="job not found", service=service, method="GET", path=path, request_id="req-404")


def pages(*bodies):
    """Handler answering the n-th request with the n-th body (and the last one after that)."""
    def handler(service, path, query, number):
        return ok(bodies[min(number, len(bodies)) - 1], number)
    return handler


def pages_at(bodies, beyond=None):
    """Handler answering by the request's offset (pages may be asked at once, in any order): ``bodies``
    {offset: body}, ``beyond`` for any other offset (default: an empty page)."""
    def handler(service, path, query, number):
        return ok(bodies.get(query.get("offset", 0), beyond if beyond is not None else {}), number)
    return handler


# The first page tells the total; then up to this many pages are asked together (the limiter's start).
WAVE = rate_limit.DEFAULT_IN_FLIGHT


class JobList(object):
    """An in-memory list endpoint (newest first) honouring offset/limit, id/status and time windows.

    ``clock_offset`` (seconds) puts the cloud's clock ahead of this host's NOW (negative: behind): job
    times and the Date header follow the cloud's; job n was created ``spacing`` x n before its now.
    Like the RDS API, it refuses a start_time without an end_time. RDS ``/jobs?id=`` (catalog
    ``id_lookup``) answers ``async_jobs`` ({id: job in its shape}), which the listing never shows,
    and DBS.280343 (404) for any other id.
    """

    def __init__(self, service, count, total_offset=0, ignore_filters=False, clock_offset=0, spacing=timedelta(minutes=10),
                 async_jobs=None):
        self.service = service
        self.async_jobs = async_jobs or {}
        self.entry = CATALOG[service]
        self.total_offset = total_offset
        self.ignore_filters = ignore_filters
        self.cloud_now = NOW + timedelta(seconds=clock_offset)
        created_key = "start_time" if service == "geminidb" else "create_time"
        self.jobs = [{"id": "job-%03d" % index, "name": "Job%d" % index, "status": "Running",
                      created_key: (self.cloud_now - spacing * index).strftime("%Y-%m-%dT%H:%M:%S+0000")}
                     for index in range(count)]
        self.created_key = created_key
        self.created = dict((job["id"], datetime.strptime(job[created_key], "%Y-%m-%dT%H:%M:%S%z")) for job in self.jobs)

    def _decode(self, value):
        if self.service == "geminidb":
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        return datetime.fromtimestamp(int(value) / 1000.0, UTC)

    def _matches(self, job, query):
        if self.ignore_filters:
            return True
        created = self.created[job["id"]]
        if "start_time" in query and created < self._decode(query["start_time"]):
            return False
        if "end_time" in query and created > self._decode(query["end_time"]):
            return False
        return all(job[key] == query[key] for key in ("id", "status", "name") if key in query)

    def __call__(self, service, path, query, number):
        if path == (self.entry.get("id_lookup") or {}).get("path"):
            if query.get("id") not in self.async_jobs:
                raise NotFound(status=404, error_code="DBS.280343", error_msg="The job does not exist.", service=service,
                               method="GET", path=path, request_id="req-404")
            return ok({"job": self.async_jobs[query["id"]]}, number, cloud_now=self.cloud_now)
        if self.entry["start_requires_end"] and "start_time" in query and "end_time" not in query:
            raise ApiError(status=400, error_code="DBS.200001", error_msg="end_time is mandatory with start_time",
                           service=service, method="GET", path=path)
        selected = [job for job in self.jobs if self._matches(job, query)]
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
        return ok({self.entry["items_key"]: selected[offset:offset + limit],
                   self.entry["total_key"]: len(selected) + self.total_offset}, number, cloud_now=self.cloud_now)


def service_with(service, handler):
    client = FakeClient(handler)
    return TaskService(client, service_entry(service), now=lambda: NOW), client


def run_query(svc, deadline=None, concurrency=task_service.DEFAULT_CONCURRENCY, **selection):
    """``svc.query`` of the plan of ``selection`` (ids, filters, limit, page_size): how task_info calls it."""
    return svc.query(svc.plan(**selection), deadline=deadline, concurrency=concurrency)


def listing_page(service, start, count, total=None):
    entry = CATALOG[service]
    jobs = [{"id": "job-%03d" % index, "status": "Running"} for index in range(start, start + count)]
    body = {entry["items_key"]: jobs}
    if total is not None:
        body[entry["total_key"]] = total
    return body


# ---------------------------------------------------------------------------- catalog

def test_unknown_service_lists_the_allowed_ones():
    with pytest.raises(InvalidInput) as caught:
        TaskService(FakeClient(pages({})), service_entry("dws"))
    assert caught.value.option == "service"
    assert caught.value.allowed == ["geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "gaussdb", "dds", "taurusdb",
                                    "cce", "ims", "dcs", "bss_order"]
    assert str(caught.value) == ("service must be one of geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, "
                                 "taurusdb, cce, ims, dcs, bss_order; got 'dws'")


def test_missing_jsonschema_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(contract, "HAS_JSONSCHEMA", False)
    with pytest.raises(TaskGateError) as caught:
        TaskService(FakeClient(pages({})), service_entry("rds"))
    assert "jsonschema" in str(caught.value) and "pip install" in str(caught.value)


def test_query_takes_only_a_checked_plan_of_its_own_service():
    # query() trusts its plan (no second validation), so it accepts nothing else.
    svc, client = service_with("rds", JobList("rds", 3))
    with pytest.raises(TypeError):
        svc.query({"ids": ["job-001"]})
    other, _client = service_with("geminidb", JobList("geminidb", 3))
    with pytest.raises(TypeError):
        svc.query(other.plan())
    assert client.calls == []


# ---------------------------------------------------------------------------- paging

@pytest.mark.parametrize("service", ["geminidb", "rds"])
def test_query_walks_three_pages_until_total_count(service):
    svc, client = service_with(service, pages(listing_page(service, 0, 50, 120), listing_page(service, 50, 50, 120),
                                              listing_page(service, 100, 20, 120)))
    tasks = run_query(svc)
    assert [task["id"] for task in tasks] == ["job-%03d" % index for index in range(120)]
    assert client.queries == [{"offset": 0, "limit": 50}, {"offset": 50, "limit": 50}, {"offset": 100, "limit": 50}]
    assert [call["path"] for call in client.calls] == [CATALOG[service]["path"]] * 3
    assert tasks[0]["request_id"] == "req-1" and tasks[-1]["request_id"] == "req-3"
    assert svc.last_query_truncated is False


def test_query_stops_on_an_empty_page_when_total_count_lies():
    svc, client = service_with("geminidb", pages_at({0: listing_page("geminidb", 0, 50, 500), 50: listing_page("geminidb", 50, 50, 500)},
                                                    beyond=listing_page("geminidb", 100, 0, 500)))
    assert len(run_query(svc)) == 100
    # The first page, then one set of pages asked together; none after the empty one's set.
    assert sorted(query["offset"] for query in client.queries) == [0, 50, 100, 150, 200][:1 + WAVE]


def test_query_stops_on_a_short_page_even_if_total_count_says_more():
    svc, client = service_with("rds", pages_at({0: listing_page("rds", 0, 50, 200), 50: listing_page("rds", 50, 30, 200)},
                                               beyond=listing_page("rds", 80, 30, 200)))
    assert len(run_query(svc)) == 80
    # The total says 3 more pages: asked together, the ones after the short page are dropped.
    assert sorted(query["offset"] for query in client.queries) == [0, 50, 100, 150]


def test_query_pages_without_total_count_until_a_short_page():
    svc, client = service_with("rds", pages(listing_page("rds", 0, 10), listing_page("rds", 10, 10), listing_page("rds", 20, 3)))
    assert len(run_query(svc, page_size=10)) == 23
    assert [query["offset"] for query in client.queries] == [0, 10, 20]


def test_query_stops_when_the_api_ignores_offset():
    svc, client = service_with("rds", pages(listing_page("rds", 0, 50, 1000)))
    assert len(run_query(svc)) == 50
    assert len(client.calls) == 1 + WAVE      # the first page, one set of pages asked together, then no more


def test_the_pages_after_the_first_are_asked_together_once_the_total_is_known():
    """A listing of thousands of jobs took one round trip per page on every poll: the pages after the first
    only get past the barrier once WAVE of them are in flight at the same time."""
    together = threading.Barrier(WAVE, timeout=10)
    listing = JobList("rds", 400)

    def handler(service, path, query, number):
        if 0 < query.get("offset", 0) <= 50 * WAVE:
            together.wait()
        return listing(service, path, query, number)

    svc, client = service_with("rds", handler)
    assert len(run_query(svc)) == 400
    assert sorted(query["offset"] for query in client.queries) == list(range(0, 400, 50))


def test_query_drops_jobs_repeated_across_pages():
    # A job created while paging shifts the list by one: job-049 shows up again on page two.
    svc, _client = service_with("rds", pages(listing_page("rds", 0, 50, 101), listing_page("rds", 49, 50, 101),
                                             listing_page("rds", 99, 2, 101)))
    ids = [task["id"] for task in run_query(svc)]
    assert len(ids) == len(set(ids)) == 101


def test_query_is_cut_at_max_pages_and_says_so(monkeypatch):
    monkeypatch.setattr(task_service, "MAX_LIST_PAGES", 3)
    svc, client = service_with("rds", JobList("rds", 500))
    assert len(run_query(svc, page_size=10)) == 30
    assert len(client.calls) == 3
    assert svc.last_query_truncated is True


@pytest.mark.parametrize("service, limit, expected_limits", [
    ("rds", 70, [50, 20]),
    ("geminidb", 70, [50, 20]),
    ("geminidb", 75, [50, 50]),
    ("geminidb", 5, [10]),
    ("rds", 5, [5]),
    ("rds", 50, [50]),
])
def test_limit_cuts_mid_page_and_asks_only_for_what_is_needed(service, limit, expected_limits):
    svc, client = service_with(service, JobList(service, 300))
    tasks = run_query(svc, limit=limit)
    assert [task["id"] for task in tasks] == ["job-%03d" % index for index in range(limit)]
    assert [query["limit"] for query in client.queries] == expected_limits


def test_geminidb_instance_filter_keeps_paging_past_limit_until_enough_matches():
    # 3 pages of 10; only every third job belongs to the instance: limit=4 needs all matches of 2 pages.
    def item(number):
        return {"id": "job-%02d" % number, "name": "Create", "status": "Running", "start_time": "2025-06-04T12:00:00+0000",
                "end_time": "", "progress": "10%", "fail_reason": "",
                "instance": {"id": "inst-1" if number % 3 == 0 else "other", "name": "n"}}
    bodies = dict((start, {"total_count": 30, "jobs": [item(number) for number in range(start, start + 10)]})
                  for start in (0, 10, 20))
    svc, client = service_with("geminidb", pages_at(bodies))
    tasks = run_query(svc, filters={"instance_id": "inst-1"}, page_size=10, limit=4)
    assert [task["id"] for task in tasks] == ["job-00", "job-03", "job-06", "job-09"]
    assert len(client.calls) == 1
    svc, client = service_with("geminidb", pages_at(bodies))
    tasks = run_query(svc, filters={"instance_id": "inst-1"}, page_size=10, limit=5)
    # The two pages left are asked together.
    assert [task["id"] for task in tasks][-1] == "job-12" and len(client.calls) == 3
    assert all("instance_id" not in query for query in client.queries)


def test_query_sends_filters_on_every_page():
    svc, client = service_with("geminidb", JobList("geminidb", 30))
    run_query(svc, filters={"status": "Running", "start_time": "2025-06-01T00:00:00Z", "end_time": "2025-06-04T12:00:00Z"},
              page_size=10)
    assert len(client.calls) == 3
    for number, query in enumerate(client.queries):
        assert query == {"status": "Running", "start_time": "2025-06-01T00:00:00+0000",
                         "end_time": "2025-06-04T12:00:00+0000", "offset": 10 * number, "limit": 10}


def test_query_passes_the_deadline_to_the_client():
    svc, client = service_with("rds", JobList("rds", 3))
    run_query(svc, deadline=123.5)
    assert [call["deadline"] for call in client.calls] == [123.5]


# ---------------------------------------------------------------------------- ids

def test_query_ids_on_a_list_service_is_one_id_query_each_and_unknown_ids_are_absent():
    svc, client = service_with("rds", JobList("rds", 80))
    tasks = run_query(svc, ids=["job-070", "nope", "job-002"], filters={"status": "Running"}, concurrency=1)
    assert [task["id"] for task in tasks] == ["job-070", "job-002"]
    assert client.queries == [{"id": "job-070", "status": "Running", "offset": 0, "limit": 50},
                              {"id": "nope", "status": "Running", "offset": 0, "limit": 50},
                              {"id": "job-002", "status": "Running", "offset": 0, "limit": 50}]


def test_query_id_keeps_only_exact_matches_when_the_api_ignores_the_id_filter():
    svc, client = service_with("geminidb", JobList("geminidb", 500, ignore_filters=True))
    assert [task["id"] for task in run_query(svc, ids=["job-001", "missing"])] == ["job-001"]
    assert len(client.calls) == 2


def test_query_id_treats_a_404_as_absent():
    def handler(service, path, query, number):
        raise not_found(service, path)
    svc, _client = service_with("geminidb", handler)
    assert run_query(svc, ids=["gone"]) == []


def per_id_handler(known, service):
    """DDM/CAS get-by-id answering from ``known`` {id: body}; others are 404."""
    def handler(_service, path, query, number):
        job_id = path.rsplit("/", 1)[1]
        if job_id not in known:
            raise not_found(service, path)
        return ok(known[job_id], number)
    return handler


def test_ddm_query_fetches_each_id_and_404_is_absent():
    known = {"a": {"job": {"id": "a", "status": "Running", "process": "10%"}},
             "b": {"job": {"id": "b", "status": "Completed", "process": ""}}}
    svc, client = service_with("ddm", per_id_handler(known, "ddm"))
    tasks = run_query(svc, ids=["a", "missing", "b"], concurrency=1)
    assert [(task["id"], task["phase"], task["progress"]) for task in tasks] == [("a", "running", 10), ("b", "succeeded", None)]
    assert [call["path"] for call in client.calls] == ["/v3/{project_id}/jobs/a", "/v3/{project_id}/jobs/missing",
                                                       "/v3/{project_id}/jobs/b"]
    assert all(call["query"] == {} for call in client.calls)


def test_per_id_path_carries_the_raw_id_for_the_client_to_encode_once():
    # Issue 12: quoting here AND in the client sent "a%2520b"; the client encodes each segment once.
    svc, client = service_with("ddm", per_id_handler({}, "ddm"))
    assert run_query(svc, ids=["a b?c", "50%", "\u00fc"], concurrency=1) == []
    assert [call["path"] for call in client.calls] == ["/v3/{project_id}/jobs/a b?c", "/v3/{project_id}/jobs/50%",
                                                       "/v3/{project_id}/jobs/\u00fc"]


@pytest.mark.parametrize("service", ["ddm", "servicestage", "ecs"])
def test_an_id_with_a_slash_goes_to_the_client_as_one_path_param(service):
    # Issue 12 item 7: the template keeps {job_id}; the client encodes the value as ONE segment.
    svc, client = service_with(service, per_id_handler({}, service))
    assert svc.fetch_many(["x/y", "a/../b"], concurrency=1) == {}
    assert [(call["template"], call["path_params"]) for call in client.calls] == [
        (CATALOG[service]["path"], {"job_id": "x/y"}), (CATALOG[service]["path"], {"job_id": "a/../b"})]


@pytest.mark.parametrize("task_id", ["..", "."])
def test_an_id_that_cannot_stay_one_path_segment_is_refused_before_any_request(task_id):
    svc, client = service_with("servicestage", per_id_handler({}, "servicestage"))
    with pytest.raises(InvalidInput) as caught:
        svc.plan(ids=["ok", task_id])
    assert caught.value.option == "id" and repr(task_id) in str(caught.value)
    assert client.calls == []


def test_per_id_limit_cuts_the_result():
    known = dict((name, {"job": {"id": name, "status": "Running"}}) for name in ("a", "b", "c"))
    svc, _client = service_with("ddm", per_id_handler(known, "ddm"))
    assert [task["id"] for task in run_query(svc, ids=["a", "b", "c"], limit=2)] == ["a", "b"]


@pytest.mark.parametrize("error_code, absent", [
    ("DDM.0602", True),            # the service's own "no such job"
    ("SVCSTG.00100429", True),
    ("APIGW.0101", False),         # the gateway knows no such API: wrong endpoint or path
    (None, False),                 # no service error body at all (a proxy's HTML page)
])
def test_only_a_service_404_means_the_job_is_absent(error_code, absent):
    def handler(service, path, query, number):
        raise NotFound(status=404, error_code=error_code, service=service, method="GET", path=path)
    svc, _client = service_with("ddm", handler)
    if absent:
        assert run_query(svc, ids=["x"]) == []
    else:
        with pytest.raises(NotFound):
            run_query(svc, ids=["x"])


def test_other_api_errors_propagate():
    def handler(service, path, query, number):
        raise ApiError(status=500, error_code="SVCSTG.00100500", service=service, method="GET", path=path)
    svc, _client = service_with("servicestage", handler)
    with pytest.raises(ApiError) as caught:
        run_query(svc, ids=["x"])
    assert caught.value.status == 500 and not isinstance(caught.value, NotFound)


@pytest.mark.parametrize("status, error_code, absent", [
    (404, "Common.0011", True),      # api-notes: a 404 for an unknown job id
    (400, "Common.0011", True),      # the ECS/EVS error-code tables list Common.0011 "Invalid job ID" under 400
    (400, "Ecs.0005", False),        # any other 400 is a real error
    (404, "APIGW.0101", False),      # the gateway: wrong path or endpoint
])
def test_ecs_family_unknown_job_is_absent_whatever_the_status(status, error_code, absent):
    def handler(service, path, query, number):
        cls = NotFound if status == 404 else ApiError
        raise cls(status=status, error_code=error_code, service=service, method="GET", path=path)
    svc, _client = service_with("evs", handler)
    if absent:
        assert svc.fetch_many(["x"]) == {}
    else:
        with pytest.raises(ApiError):
            svc.fetch_many(["x"])


RDS_ASYNC_JOB = {"id": "async-1", "name": "CreateMySQLInstance", "status": "Running", "created": "2025-06-04T11:59:00+0000",
                 "process": "40%", "instance": {"id": "inst-1", "name": "db-1"}, "fail_reason": None}


@pytest.mark.parametrize("ids", [["async-1"], ["async-1", "job-001", "job-002", "job-003"]])
def test_rds_job_only_jobs_knows_is_found_there_and_then_polled_there(ids):
    # Issue 11: an async call's job that the tasklist never lists; found at /jobs?id=, in its own shape.
    svc, client = service_with("rds", JobList("rds", 30, async_jobs={"async-1": RDS_ASYNC_JOB}))
    found = svc.fetch_many(ids)
    assert sorted(found) == sorted(ids)
    task = found["async-1"]
    assert (task["name"], task["phase"], task["progress"], task["created_at"]) == (
        "CreateMySQLInstance", "running", 40, "2025-06-04T11:59:00Z")
    assert task["instance"] == {"id": "inst-1", "name": "db-1", "status": None} and task["raw"] == RDS_ASYNC_JOB
    lookups = [call for call in client.calls if call["path"] == "/v3/{project_id}/jobs"]
    assert [call["query"] for call in lookups] == [{"id": "async-1"}]
    # Later polls ask /jobs?id= only for it; the tasklist keeps the others (one request for them all).
    del client.calls[:]
    assert sorted(svc.fetch_many(ids)) == sorted(ids)
    assert sorted((call["path"], tuple(sorted(call["query"]))) for call in client.calls) == sorted(
        [("/v3/{project_id}/jobs", ("id",))]
        + ([("/v3/{project_id}/tasklist", ("end_time", "limit", "offset", "start_time"))] if len(ids) > 1 else []))


def test_rds_query_by_id_asks_jobs_only_without_other_filters():
    svc, client = service_with("rds", JobList("rds", 3, async_jobs={"async-1": RDS_ASYNC_JOB}))
    assert [task["id"] for task in run_query(svc, ids=["async-1"])] == ["async-1"]
    assert run_query(svc, ids=["nowhere"]) == []
    assert [call["path"].rsplit("/", 1)[1] for call in client.calls] == ["tasklist", "jobs", "tasklist", "jobs"]
    # With a filter the tasklist's answer decides: /jobs?id= cannot apply it.
    del client.calls[:]
    svc2, client2 = service_with("rds", JobList("rds", 3, async_jobs={"async-1": RDS_ASYNC_JOB}))
    assert run_query(svc2, ids=["async-1"], filters={"status": "Running"}) == []
    assert [call["path"].rsplit("/", 1)[1] for call in client2.calls] == ["tasklist"]


def test_rds_jobs_answer_for_another_id_is_not_taken():
    svc, _client = service_with("rds", JobList("rds", 3, async_jobs={"async-1": dict(RDS_ASYNC_JOB, id="other")}))
    assert svc.fetch_many(["async-1"]) == {}


def test_rds_jobs_answer_is_checked_against_its_own_schema():
    svc, _client = service_with("rds", JobList("rds", 3, async_jobs={"async-1": {"id": "async-1"}}))
    with pytest.raises(ContractError) as caught:
        svc.fetch_many(["async-1"])
    assert caught.value.field == "job.status" and caught.value.path == "/v3/{project_id}/jobs"


def test_per_id_requests_run_concurrently():
    in_flight = threading.Barrier(3, timeout=10)

    def handler(service, path, query, number):
        in_flight.wait()  # only passes once three requests are in flight at the same time
        job_id = path.rsplit("/", 1)[1]
        return ok({"job": {"JOB_ID": job_id, "EXECUTION_STATUS": "RUNNING"}}, number)
    svc, client = service_with("servicestage", handler)
    found = svc.fetch_many(["a", "b", "c"], concurrency=3)
    assert sorted(found) == ["a", "b", "c"] and len(client.calls) == 3


# ---------------------------------------------------------------------------- fixtures through the service

def serve_fixture(fixture):
    return lambda service, path, query, number: Response(200, fixture["response"], {}, fixture.get("request_id", "req-x"))


@pytest.mark.parametrize("fixture", load_fixtures("normalize"))
def test_fixture_payloads_come_out_normalized(fixture):
    svc, client = service_with(fixture["service"], serve_fixture(fixture))
    entry = CATALOG[fixture["service"]]
    ids = None if entry["list_capable"] else [expected["id"] for expected in fixture["expected"]]
    tasks = run_query(svc, ids=ids)
    assert len(client.calls) == 1
    assert [dict((key, value) for key, value in task.items() if key not in ("raw", "request_id")) for task in tasks] == fixture["expected"]
    assert all(task["request_id"] == fixture["request_id"] for task in tasks)


@pytest.mark.parametrize("fixture", load_fixtures("contract"))
def test_broken_payloads_raise_contract_error_naming_the_field(fixture):
    def handler(service, path, query, number):
        return Response(200, fixture["response"], {}, "req-broken")
    svc, _client = service_with(fixture["service"], handler)
    with pytest.raises(ContractError) as caught:
        run_query(svc, ids=None if CATALOG[fixture["service"]]["list_capable"] else ["JOB-1"])
    assert str(caught.value) == fixture["expected_message"]
    assert caught.value.field == fixture["expected_field"]
    assert caught.value.service == fixture["service"] and caught.value.request_id == "req-broken"
    assert caught.value.to_dict()["type"] == "ContractError"


def test_a_non_json_body_is_a_contract_error():
    svc, _client = service_with("rds", lambda service, path, query, number: Response(200, None, {}, "r"))
    with pytest.raises(ContractError) as caught:
        run_query(svc)
    assert "rds response broke the contract at the top level" in str(caught.value)


# ---------------------------------------------------------------------------- fetch_many

def test_fetch_many_per_id_service_is_one_get_per_id():
    known = dict((name, {"job": {"id": name, "status": "Running"}}) for name in ("a", "b", "c"))
    svc, client = service_with("ddm", per_id_handler(known, "ddm"))
    found = svc.fetch_many(["a", "b", "c", "zz"])
    assert sorted(found) == ["a", "b", "c"] and found["a"]["id"] == "a"
    assert len(client.calls) == 4


def test_fetch_many_keeps_every_answer_when_some_requests_are_refused_or_unsent():
    """A 429 (after the client's retries) or a request the deadline left unsent marks only its own id."""
    known = dict((name, {"job": {"id": name, "status": "Running"}}) for name in ("a", "c", "e"))
    answer = per_id_handler(known, "ddm")

    def handler(service, path, query, number):
        job_id = path.rsplit("/", 1)[1]
        if job_id == "b":
            raise Throttled(status=429, error_code="APIGW.0308", error_msg="policy user over ratelimit",
                            service=service, method="GET", path=path)
        if job_id == "d":
            raise WaitTimeout("the deadline passed before the request rate allowed sending it")
        return answer(service, path, query, number)
    svc, client = service_with("ddm", handler)
    found = svc.fetch_many(["a", "b", "c", "d", "e", "zz"])
    assert list(found) == ["a", "c", "e"]
    assert found.refused == ["b"] and found.unsent == ["d"]
    assert len(client.calls) == 6


def test_a_query_by_ids_names_the_refused_ones_and_keeps_the_others_answers():
    known = dict((name, {"job": {"id": name, "status": "Running"}}) for name in ("a", "c"))
    answer = per_id_handler(known, "ddm")

    def handler(service, path, query, number):
        if path.endswith("/b"):
            raise Throttled(status=429, error_code="APIGW.0308", error_msg="policy user over ratelimit",
                            service=service, method="GET", path=path)
        return answer(service, path, query, number)
    svc, _client = service_with("ddm", handler)
    with pytest.raises(Throttled) as info:
        run_query(svc, ids=["a", "b", "c"])
    assert [task["id"] for task in info.value.tasks] == ["a", "c"]
    assert "1 of 3 ids could not be asked (refused by the API's rate limit after every retry: b)" in str(info.value)


def test_fetch_many_sends_as_many_at_once_as_the_endpoint_pace_wants():
    """In flight = the limiter's rate x latency: a paced endpoint at 2 requests in flight never sees a third."""
    lock = threading.Lock()
    pair = threading.Barrier(2, timeout=10)   # passes only with two requests in flight together
    active = {"now": 0, "most": 0}
    known = dict(("j%d" % number, {"job": {"id": "j%d" % number, "status": "Running"}}) for number in range(12))
    answer = per_id_handler(known, "ddm")

    def handler(service, path, query, number):
        with lock:
            active["now"] += 1
            active["most"] = max(active["most"], active["now"])
        try:
            pair.wait()
            return answer(service, path, query, number)
        finally:
            with lock:
                active["now"] -= 1
    svc, client = service_with("ddm", handler)
    client.limiter(service_entry("ddm")).set_ceiling(10)
    client.limiter(service_entry("ddm")).latency = 0.1          # 10/s x 0.1 s + 1 = 2 in flight
    found = svc.fetch_many(sorted(known))
    assert len(found) == 12 and active["most"] == 2


def test_fetch_many_two_ids_on_a_list_service_are_two_id_queries():
    svc, client = service_with("rds", JobList("rds", 300))
    found = svc.fetch_many(["job-250", "job-003"], concurrency=1)
    assert sorted(found) == ["job-003", "job-250"]
    assert client.queries == [{"id": "job-250", "offset": 0, "limit": 1}, {"id": "job-003", "offset": 0, "limit": 1}]


def test_fetch_many_many_recent_ids_cost_one_page_then_one_windowed_page():
    svc, client = service_with("geminidb", JobList("geminidb", 300))
    wanted = ["job-000", "job-004", "job-010", "job-020"]
    assert sorted(svc.fetch_many(wanted)) == wanted
    assert client.queries == [{"offset": 0, "limit": 50}]
    assert sorted(svc.fetch_many(wanted)) == wanted
    # job-020 was created 200 minutes before NOW: the window starts at NOW - 205 min and is left open
    # at the end (issue 12): the API's default end_time is its own now, whatever this host's clock says.
    assert client.queries[1] == {"start_time": "2025-06-04T08:35:00+0000", "offset": 0, "limit": 50}
    assert len(client.calls) == 2


def test_fetch_many_pages_until_every_id_was_seen():
    svc, client = service_with("rds", JobList("rds", 300))
    found = svc.fetch_many(["job-001", "job-060", "job-120"])
    assert sorted(found) == ["job-001", "job-060", "job-120"]
    # The first page, then the rest as far as the scan may reach (3 ids: 1 page + FETCH_SCAN_PAGES) together.
    assert sorted(query["offset"] for query in client.queries) == [0, 50, 100, 150, 200][:1 + WAVE]


def test_fetch_many_window_for_rds_is_epoch_ms():
    svc, client = service_with("rds", JobList("rds", 100))
    svc.fetch_many(["job-000", "job-001", "job-003"])
    svc.fetch_many(["job-000", "job-001", "job-003"])
    # job-003: NOW - 30 min; window start NOW - 35 min = 1749036300000, end: the cloud's now (its Date
    # header says NOW) + 1 min = 1749038460000.
    assert client.queries[-1] == {"start_time": 1749036300000, "end_time": 1749038460000, "offset": 0, "limit": 50}


def test_fetch_many_exhausted_listing_proves_absence_without_extra_requests():
    svc, client = service_with("geminidb", JobList("geminidb", 30))
    found = svc.fetch_many(["job-001", "job-002", "bogus"])
    assert sorted(found) == ["job-001", "job-002"]
    assert len(client.calls) == 1


def test_rds_id_the_tasklist_lacks_is_asked_at_jobs_before_it_is_absent():
    # Issue 11: nothing promises that /tasklist lists the job of an async call; /jobs?id= decides.
    svc, client = service_with("rds", JobList("rds", 30))
    found = svc.fetch_many(["job-001", "job-002", "bogus"])
    assert sorted(found) == ["job-001", "job-002"]
    assert [(call["path"], call["query"]) for call in client.calls] == [
        ("/v3/{project_id}/tasklist", {"offset": 0, "limit": 50}), ("/v3/{project_id}/jobs", {"id": "bogus"})]


def test_fetch_many_probes_an_id_the_window_may_hide_on_every_windowed_call():
    svc, client = service_with("rds", JobList("rds", 30))
    svc.fetch_many(["job-001", "job-002", "job-003"])
    assert len(client.calls) == 1
    found = svc.fetch_many(["job-001", "job-002", "bogus"])
    assert sorted(found) == ["job-001", "job-002"]
    # Window from the oldest *requested* known job, job-002 (NOW - 20 min): start NOW - 25 min.
    assert client.queries[1:] == [
        {"start_time": 1749036900000, "end_time": 1749038460000, "offset": 0, "limit": 50},
        {"id": "bogus", "offset": 0, "limit": 1},
        {"id": "bogus"},   # issue 11: /jobs?id= too, before it counts as absent
    ]
    # Issue 12: probed again, not taken as absent because it was probed once (the waiter's not-found
    # grace decides when a missing id fails; each verdict rests on a direct lookup).
    svc.fetch_many(["job-001", "job-002", "bogus"])
    assert client.queries[4:] == client.queries[1:4]


def test_fetch_many_finds_an_old_job_in_the_window_after_a_probe():
    # The play waits on two fresh jobs and one created long before them (job-090, 15 h older).
    svc, client = service_with("rds", JobList("rds", 100))
    svc.fetch_many(["job-000", "job-001", "job-002"])
    found = svc.fetch_many(["job-000", "job-001", "job-090"])
    assert sorted(found) == ["job-000", "job-001", "job-090"]
    assert client.queries[-1] == {"id": "job-090", "offset": 0, "limit": 1}
    svc.fetch_many(["job-000", "job-001", "job-090"])
    # Now the window reaches back to job-090 (NOW - 905 min): its 91 jobs take two pages, no probe.
    window = {"start_time": 1748984100000, "end_time": 1749038460000}
    assert client.queries[3:] == [dict(window, offset=0, limit=50), dict(window, offset=50, limit=50)]


def test_fetch_many_scan_limit_falls_back_to_id_queries(monkeypatch):
    monkeypatch.setattr(task_service, "FETCH_SCAN_PAGES", 2)
    svc, client = service_with("geminidb", JobList("geminidb", 400))
    found = svc.fetch_many(["job-000", "job-001", "job-250"], concurrency=1)
    assert sorted(found) == ["job-000", "job-001", "job-250"]
    # 3 wanted ids fill one page; + 2 pages of slack; then the straggler is probed by id.
    assert client.queries == [{"offset": 0, "limit": 50}, {"offset": 50, "limit": 50}, {"offset": 100, "limit": 50},
                              {"id": "job-250", "offset": 0, "limit": 10}]


def test_fetch_many_scans_as_many_pages_as_the_wanted_ids_fill():
    # 1000 fresh jobs are 20 pages of the listing: every one is found there, none probed by id.
    svc, client = service_with("rds", JobList("rds", 1100))
    wanted = ["job-%03d" % number for number in range(1000)]
    found = svc.fetch_many(wanted)
    assert sorted(found) == wanted
    # 20 pages, asked WAVE at a time after the first: the last set reaches past the 20th at most WAVE - 1 pages.
    assert 20 <= len(client.calls) < 20 + WAVE and all("id" not in query for query in client.queries)


def test_fetch_many_geminidb_window_never_exceeds_30_days():
    svc, client = service_with("geminidb", JobList("geminidb", 10))
    svc.cloud.learn({"Date": http_date(NOW)})
    svc._created_by_id.update({"old": NOW - timedelta(days=45), "job-001": NOW})
    svc.fetch_many(["old", "job-001", "job-002"])
    # The API measures 30 days back from its own now (the end is left open): the cloud's now + 1 min - 30 days.
    assert client.queries[0]["start_time"] == "2025-05-05T12:01:00+0000"
    assert "end_time" not in client.queries[0]


def test_fetch_many_keeps_scanning_as_far_as_every_id_it_was_asked_for():
    # Finished jobs stay in the listing: a later poll for the 300 oldest of 1000 waited-for jobs must
    # still scan the 20 pages they span, not give up after 6 + slack and call the rest absent.
    svc, client = service_with("rds", JobList("rds", 1100))
    wanted = ["job-%03d" % number for number in range(1000)]
    svc.fetch_many(wanted)
    still_open = wanted[700:]
    found = svc.fetch_many(still_open)
    assert sorted(found) == still_open
    assert all("id" not in query for query in client.queries)


# ---------------------------------------------------------------------------- issue 12: the cloud's clock

SKEWS = [300, -300, 3600, -3600]


@pytest.mark.parametrize("clock_offset", SKEWS)
@pytest.mark.parametrize("service", ["geminidb", "rds"])
def test_fetch_many_finds_fresh_jobs_whatever_this_hosts_clock_says(service, clock_offset):
    # 20 jobs created seconds ago by the cloud's clock, which is clock_offset ahead of this host's (NOW):
    # a window ending at this host's now + 1 min missed them when the cloud is ahead.
    jobs = JobList(service, 100, clock_offset=clock_offset, spacing=timedelta(seconds=10))
    svc, client = service_with(service, jobs)
    wanted = ["job-%03d" % number for number in range(20)]
    for poll in range(3):
        assert sorted(svc.fetch_many(wanted)) == wanted, "poll %d" % poll
    assert len(client.calls) == 3  # one listing page per poll, no id probes
    windowed = client.queries[-1]
    if service == "rds":
        # The end is the cloud's now (its Date header) + 1 min, never this host's clock.
        assert windowed["end_time"] == int((jobs.cloud_now + timedelta(minutes=1)).timestamp() * 1000)
    else:
        assert "end_time" not in windowed  # left open: the API's now


def test_cloud_offset_is_learned_from_every_answer():
    svc, _client = service_with("rds", JobList("rds", 5, clock_offset=3600))
    assert svc.cloud.offset is None
    svc.fetch_many(["job-000", "job-001", "job-002"])
    assert svc.cloud.offset == timedelta(hours=1)
    assert svc.cloud.now() == NOW + timedelta(hours=1)


def test_rds_start_time_alone_ends_at_the_clouds_now_not_this_hosts():
    jobs = JobList("rds", 30, clock_offset=300, spacing=timedelta(seconds=10))
    svc, client = service_with("rds", jobs)
    # Two minutes ago by the cloud's clock, three minutes ahead of this host's: jobs 0-12 (10 s apart).
    start = NOW + timedelta(minutes=3)
    # Nothing is known of the cloud's clock yet: the end is a day past this host's (no job is created in the future).
    assert len(run_query(svc, filters={"start_time": start.isoformat()})) == 13
    assert client.queries[0]["end_time"] == int((NOW + timedelta(days=1)).timestamp() * 1000)
    # Once a Date header was seen: the cloud's now + 1 min.
    assert len(run_query(svc, filters={"start_time": start.isoformat()})) == 13
    assert client.queries[1]["end_time"] == int((NOW + timedelta(minutes=6)).timestamp() * 1000)


def test_fetch_many_without_a_date_header_still_reaches_the_clouds_now():
    # A proxy that drops Date: the window end is a day past this host's clock instead.
    jobs = JobList("rds", 30, clock_offset=600, spacing=timedelta(seconds=10))

    def no_date(service, path, query, number):
        return jobs(service, path, query, number)._replace(headers={})
    svc, client = service_with("rds", no_date)
    wanted = ["job-000", "job-001", "job-002"]
    for _poll in range(2):
        assert sorted(svc.fetch_many(wanted)) == wanted
    assert client.queries[-1]["end_time"] == int((NOW + timedelta(days=1)).timestamp() * 1000)
    assert len(client.calls) == 2


@pytest.mark.parametrize("service", ["geminidb", "rds"])
def test_fetch_many_probes_ids_a_truncated_scan_hides_on_every_poll(service):
    # 250 newer jobs sit in front of the 20 waited-for ones: the scan stops after 5 pages each poll, and
    # the 20 are looked up by id every time instead of counting as absent from the second poll on.
    svc, client = service_with(service, JobList(service, 300, spacing=timedelta(seconds=1)))
    wanted = ["job-%03d" % number for number in range(250, 270)]
    for poll in range(3):
        before = len(client.calls)
        assert sorted(svc.fetch_many(wanted, concurrency=1)) == wanted, "poll %d" % poll
        probes = [query for query in client.queries[before:] if "id" in query]
        assert sorted(query["id"] for query in probes) == wanted


# ---------------------------------------------------------------------------- issue 12: CAS sub-task pages

class CasJob(object):
    """GET /v2/{project_id}/cas/jobs/{id}: ``count`` sub-tasks paged like the API (limit 1-100, default 20,
    offset, ascending index), ``task_count`` the total; the sub-task at ``failed_index`` FAILED."""

    def __init__(self, count, status="FAILED", failed_index=None, ignore_limit=False, ignore_offset=False, grow=0):
        self.count = count
        self.status = status
        self.failed_index = failed_index
        self.ignore_limit = ignore_limit
        self.ignore_offset = ignore_offset
        self.grow = grow      # sub-tasks that appear after each request (a running job)

    def subtask(self, index):
        failed = index == self.failed_index
        return {"TASK_ID": "Task-%d" % index, "TASK_INDEX": index, "TASK_NAME": "TN%05d" % index,
                "TASK_STATUS": "FAILED" if failed else "SUCCEEDED",
                "MESSAGES": '{ "Message" : "ECC00011", "Detail" : "Building failed." }' if failed else "{}",
                "CREATED_AT": "2021-05-01T08:00:00.000Z"}

    def __call__(self, service, path, query, number):
        limit = 20 if self.ignore_limit or "limit" not in query else int(query["limit"])
        if not 1 <= limit <= 100:
            raise ApiError(status=400, error_code="SVCSTG.00100400", service=service, method="GET", path=path)
        offset = 0 if self.ignore_offset else int(query.get("offset", 0))
        tasks = [self.subtask(index) for index in range(1, self.count + 1)]
        body = {"job": {"JOB_ID": path.rsplit("/", 1)[1], "EXECUTION_STATUS": self.status},
                "tasks": tasks[offset:offset + limit], "task_count": len(tasks)}
        self.count += self.grow
        return ok(body, number)


def test_cas_job_with_up_to_100_subtasks_is_one_request():
    svc, client = service_with("servicestage", CasJob(100))
    [task] = run_query(svc, ids=["JOB-1"])
    assert len(task["subtasks"]) == 100
    assert client.queries == [{"limit": 100}]
    assert svc.fetch_many(["JOB-1"])["JOB-1"]["subtasks"][-1]["index"] == 100
    assert client.queries[1:] == [{"limit": 100}]


def test_cas_failure_in_subtask_30_of_30_is_named():
    # The API's default page is 20 sub-tasks: the failed 30th was never seen before issue 12.
    svc, client = service_with("servicestage", CasJob(30, failed_index=30))
    [task] = run_query(svc, ids=["JOB-1"])
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, 31))
    assert task["phase"] == "failed" and task["fail_reason"] == "TN00030: ECC00011: Building failed."
    assert len(client.calls) == 1


def test_cas_more_than_100_subtasks_are_read_page_by_page():
    svc, client = service_with("servicestage", CasJob(250, failed_index=249))
    [task] = run_query(svc, ids=["JOB-1"])
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, 251))
    assert task["fail_reason"].startswith("TN00249")
    assert client.queries == [{"limit": 100}, {"limit": 100, "offset": 100}, {"limit": 100, "offset": 200}]
    assert task["request_id"] == "req-3" and len(task["raw"]["tasks"]) == 250


def test_cas_pages_follow_task_count_when_the_api_caps_the_page():
    # An API that keeps its 20-item page whatever limit says: offsets follow what came back.
    svc, client = service_with("servicestage", CasJob(45, failed_index=45, ignore_limit=True))
    [task] = run_query(svc, ids=["JOB-1"])
    assert len(task["subtasks"]) == 45 and task["fail_reason"].startswith("TN00045")
    assert [query.get("offset", 0) for query in client.queries] == [0, 20, 40]


def test_cas_paging_stops_when_the_api_ignores_offset():
    svc, client = service_with("servicestage", CasJob(150, ignore_offset=True))
    [task] = run_query(svc, ids=["JOB-1"])
    assert len(task["subtasks"]) == 100 and len(client.calls) == 2


def test_cas_subtasks_appearing_while_paging_are_appended():
    svc, client = service_with("servicestage", CasJob(120, grow=5))
    [task] = run_query(svc, ids=["JOB-1"])
    assert [sub["index"] for sub in task["subtasks"]] == list(range(1, 126))
    assert len(client.calls) == 2


def test_cas_lower_case_pages_are_merged_too():
    def lower(service, path, query, number):
        response = CasJob(130, failed_index=130)(service, path, query, number)
        body = response.json
        lowered = {"job": dict((key.lower(), value) for key, value in body["job"].items()),
                   "tasks": [dict((key.lower(), value) for key, value in sub.items()) for sub in body["tasks"]],
                   "task_count": body["task_count"]}
        return response._replace(json=lowered)
    svc, client = service_with("servicestage", lower)
    [task] = run_query(svc, ids=["JOB-1"])
    assert len(task["subtasks"]) == 130 and task["fail_reason"].startswith("TN00130")
    assert len(client.calls) == 2


# ---------------------------------------------------------------------------- issue 12: DDM "not visible yet"

@pytest.mark.parametrize("job", [{}, None, {"id": "a", "status": ""}, {"id": "a", "status": "  "}, {"id": "a"}],
                         ids=["empty job", "null job", "empty status", "blank status", "no status"])
def test_ddm_blank_answer_is_a_job_not_visible_yet(job):
    svc, client = service_with("ddm", lambda service, path, query, number: ok({"job": job}, number))
    assert run_query(svc, ids=["a"]) == []
    assert svc.fetch_many(["a"]) == {}
    assert len(client.calls) == 2


def test_a_blank_status_is_a_contract_error_where_the_catalog_does_not_say_otherwise():
    body = {"job": {"JOB_ID": "J", "EXECUTION_STATUS": ""}}
    svc, _client = service_with("servicestage", lambda service, path, query, number: ok(body, number))
    [task] = run_query(svc, ids=["J"])
    assert task["phase"] == "unknown"
    svc, _client = service_with("servicestage", lambda service, path, query, number: ok({"job": {}}, number))
    with pytest.raises(ContractError):
        run_query(svc, ids=["J"])


def test_ddm_gateway_404_stays_an_error():
    def handler(service, path, query, number):
        raise NotFound(status=404, error_code="APIGW.0101", error_msg="The API does not exist or has not been published",
                       service=service, method="GET", path=path)
    svc, _client = service_with("ddm", handler)
    with pytest.raises(NotFound) as caught:
        svc.fetch_many(["a"])
    assert caught.value.error_code == "APIGW.0101"


# ---------------------------------------------------------------------------- what the SDK tolerates (issue 21)

@pytest.mark.parametrize("service", ["geminidb", "rds"])
def test_total_count_as_text_still_ends_the_paging(service):
    first, second = listing_page(service, 0, 50, "70"), listing_page(service, 50, 20, "70")
    svc, client = service_with(service, pages(first, second))
    assert len(run_query(svc)) == 70 and len(client.calls) == 2


@pytest.mark.parametrize("jobs", [None, "absent"])
def test_a_null_or_absent_job_list_is_an_empty_answer(jobs):
    body = {"total_count": 0} if jobs == "absent" else {"jobs": jobs, "total_count": 0}
    svc, _client = service_with("geminidb", pages(body))
    assert run_query(svc) == []


def test_cas_task_count_as_text_still_pages_the_sub_tasks():
    def handler(service, path, query, number):
        offset = int(query.get("offset", 0))
        tasks = [{"TASK_ID": "T%d" % index, "TASK_INDEX": str(index), "TASK_STATUS": "SUCCEEDED"}
                 for index in range(offset, min(offset + 100, 150))]
        return ok({"job": {"JOB_ID": "J", "EXECUTION_STATUS": "RUNNING"}, "tasks": tasks, "task_count": "150"}, number)
    svc, client = service_with("servicestage", handler)
    [task] = run_query(svc, ids=["J"])
    assert len(task["subtasks"]) == 150 and len(client.calls) == 2


@pytest.mark.parametrize("service, body, field", [
    ("geminidb", {"jobs": [{"id": "j", "status": None}]}, "jobs[0].status"),
    ("geminidb", {"jobs": [{"id": "j", "status": 1}]}, "jobs[0].status"),
    ("rds", {"tasks": [{"status": "Running"}]}, "tasks[0].id"),
    ("ecs", {"job_id": "J", "status": None}, "status"),
    ("bms", {"job_id": "J"}, "status"),
    ("evs", {"job_id": 5, "status": "RUNNING"}, "job_id"),
    ("servicestage", {"job": {"job_id": "J", "execution_status": 2}}, "job.EXECUTION_STATUS"),
])
def test_ids_and_statuses_stay_exact(service, body, field):
    svc, _client = service_with(service, lambda _service, path, query, number: ok(body, number))
    with pytest.raises(ContractError) as caught:
        run_query(svc, ids=None if CATALOG[service]["list_capable"] else ["J"])
    assert caught.value.field == field
