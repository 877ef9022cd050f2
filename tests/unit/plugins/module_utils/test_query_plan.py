# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""query_plan: every "which tasks?" option checked once, named as the module user knows it; the plan's API query."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timezone

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.query_plan import QuerySpec, clean_ids, plan_query
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

UTC = timezone.utc
NOW = datetime(2025, 6, 4, 12, 0, 0, tzinfo=UTC)


def clock():
    return NOW


class NoRequests(object):
    """A client that must not be asked anything: every check happens before the first request."""

    calls = []

    def request(self, *args, **kwargs):
        self.calls.append(args)
        raise AssertionError("a request was sent: %r" % (args,))


def plan(service, **kwargs):
    return plan_query(service, now=clock, **kwargs)


@pytest.mark.parametrize("service, kwargs, option, message, allowed", [
    ("geminidb", {"page_size": 15}, "page_size", "page_size must be one of 10, 20, 50 for geminidb", [10, 20, 50]),
    ("geminidb", {"page_size": True}, "page_size", "page_size must be one of 10, 20, 50", [10, 20, 50]),
    ("rds", {"page_size": 0}, "page_size", "page_size must be between 1 and 50 for rds", [1, 50]),
    ("rds", {"page_size": 51}, "page_size", "page_size must be between 1 and 50 for rds", [1, 50]),
    ("rds", {"page_size": "10"}, "page_size", "page_size must be between 1 and 50", [1, 50]),
    ("rds", {"limit": 0}, "limit", "limit must be a whole number of at least 1", None),
    ("rds", {"limit": True}, "limit", "limit must be a whole number of at least 1", None),
    ("ddm", {"ids": ["a"], "limit": "5"}, "limit", "limit must be a whole number of at least 1", None),
    ("geminidb", {"filters": {"order_id": "x"}}, "order_id",
     "unknown filter order_id for geminidb; allowed: id, status, name, instance_id, start_time, end_time",
     ["id", "status", "name", "instance_id", "start_time", "end_time"]),
    ("ddm", {"ids": ["a"], "filters": {"name": "x"}}, "name", "ddm supports lookup by id only; give id (name is not supported)", []),
    ("ddm", {"filters": {"name": "x", "status": "Running"}}, "name",
     "ddm supports lookup by id only; give id (name, status are not supported)", []),
    ("ddm", {}, "id", "ddm supports lookup by id only; give id", None),
    ("servicestage", {"filters": {"status": "RUNNING"}}, "status", "servicestage supports lookup by id only", []),
    ("servicestage", {"ids": []}, "id", "servicestage supports lookup by id only; give id", None),
    ("rds", {"ids": [""]}, "id", "id must be non-empty strings", None),
    ("rds", {"ids": ["a", 3]}, "id", "id must be non-empty strings", None),
    ("ddm", {"ids": "   "}, "id", "id must be non-empty strings", None),
    ("ddm", {"ids": {"a": 1}}, "id", "id must be a list of task id strings", None),
    ("rds", {"ids": ["a"], "filters": {"id": "b"}}, "id", "id was given twice", None),
    ("rds", {"filters": {"status": "Pending"}}, "status",
     "status must be one of Running, Completed, Failed for rds; got 'Pending'", ["Running", "Completed", "Failed"]),
    ("geminidb", {"filters": {"name": ""}}, "name", "name must be a non-empty string", None),
    ("rds", {"filters": {"order_id": 42}}, "order_id", "order_id must be a non-empty string", None),
    ("rds", {"filters": {"start_time": "tomorrow", "end_time": "2025-06-04T00:00:00Z"}}, "start_time",
     "start_time must be a time", None),
    ("rds", {"filters": {"start_time": "2025-06-04T10:00:00Z", "end_time": "2025-06-04T09:00:00Z"}}, "end_time",
     "end_time (2025-06-04T09:00:00+00:00) must be later than start_time (2025-06-04T10:00:00+00:00)", None),
    ("geminidb", {"filters": {"start_time": "2025-06-04T10:00:00Z", "end_time": "2025-06-04T10:00:00Z"}}, "end_time",
     "must be later than", None),
    ("geminidb", {"filters": {"start_time": "2025-04-01T00:00:00Z", "end_time": "2025-06-01T00:00:00Z"}}, "start_time",
     "geminidb lists at most 30 days: start_time 2025-04-01T00:00:00+00:00 is 61 days before", None),
    ("geminidb", {"filters": {"start_time": "2025-04-01T00:00:00Z"}}, "start_time",
     "more than 30 days before now (the default end_time)", None),
    # A start_time ahead of this host's clock may be the cloud's past (issue 12): refused beyond a day only.
    ("rds", {"filters": {"start_time": "2025-06-05T12:00:00Z"}}, "start_time",
     "start_time 2025-06-05T12:00:00+00:00 is in the future (more than 24 hours ahead of this host's clock)", None),
    ("geminidb", {"filters": {"start_time": "2025-06-06T00:00:00Z"}}, "start_time", "is in the future", None),
    # RDS reads end_time only with start_time (issue 12): refused, naming both options.
    ("rds", {"filters": {"end_time": "2025-05-29T13:15:01.390Z"}}, "end_time",
     "end_time needs start_time for rds: the API reads end_time only together with start_time; give start_time too", None),
    ("rds", {"ids": ["a"], "filters": {"end_time": 1748524501}}, "end_time", "end_time needs start_time", None),
    # Per-id services put the id in the path as one segment; requests would send '.' and '..' as dot segments.
    ("ddm", {"ids": ["ok", "."]}, "id",
     "id '.' cannot be looked up on ddm: an id sent in the request path cannot be '.' or '..'", None),
    ("servicestage", {"ids": [".."]}, "id", "id '..' cannot be looked up on servicestage", None),
])
def test_plan_rejects_before_any_request(service, kwargs, option, message, allowed):
    svc = TaskService(NoRequests(), service_entry(service), now=clock)
    with pytest.raises(InvalidInput) as caught:
        svc.plan(**kwargs)
    assert caught.value.option == option
    assert message in str(caught.value)
    assert caught.value.allowed == allowed
    # The modules' option names only: no message speaks of filters or ids.
    assert "filters" not in str(caught.value) and "ids" not in str(caught.value)
    with pytest.raises(InvalidInput):
        plan(service, **kwargs)
    assert NoRequests.calls == []


def test_filters_that_are_not_a_dict_are_a_caller_bug():
    # No user reaches this: the modules build the dict from their options.
    with pytest.raises(TypeError) as caught:
        plan("rds", filters=["status"])
    assert "filters must be a dict" in str(caught.value)


def test_plan_for_geminidb_encodes_times_and_status():
    checked = plan("geminidb", filters={"status": "running", "name": "CreateCassandra", "id": None,
                                        "start_time": "2025-06-01T08:00:00+08:00", "end_time": 1749024000})
    assert isinstance(checked, QuerySpec)
    assert (checked.service, checked.ids, checked.limit, checked.page_size, checked.local) == ("geminidb", None, None, 50, {})
    assert checked.api_query(clock) == {"status": "Running", "name": "CreateCassandra",
                                        "start_time": "2025-06-01T00:00:00+0000", "end_time": "2025-06-04T08:00:00+0000"}


def test_geminidb_instance_filter_is_applied_locally_not_sent():
    checked = plan("geminidb", filters={"instance_id": "inst-1", "status": "Running"})
    assert checked.local == {"instance_id": "inst-1"} and checked.api_query(clock) == {"status": "Running"}


def test_geminidb_end_time_alone_gets_an_explicit_30_day_start():
    query = plan("geminidb", filters={"end_time": "2025-03-31T00:00:00Z"}).api_query(clock)
    assert query == {"start_time": "2025-03-01T00:00:00+0000", "end_time": "2025-03-31T00:00:00+0000"}


def test_geminidb_recent_start_time_alone_leaves_end_to_the_api():
    assert plan("geminidb", filters={"start_time": "2025-05-20T00:00:00Z"}).api_query(clock) == {"start_time": "2025-05-20T00:00:00+0000"}


def test_rds_start_time_alone_gets_end_time_now_in_epoch_ms():
    query = plan("rds", filters={"start_time": 1747919701}).api_query(clock)
    # NOW = 2025-06-04T12:00:00Z = 1749038400 s
    assert query == {"start_time": 1747919701000, "end_time": 1749038400000}


def test_rds_end_time_now_is_the_time_of_each_request():
    # One plan serves a whole wait in filter mode: jobs created during the wait must stay in the window.
    checked = plan("rds", filters={"start_time": 1747919701})
    later = datetime(2025, 6, 4, 12, 30, 0, tzinfo=UTC)
    assert checked.api_query(lambda: later)["end_time"] == 1749040200000


@pytest.mark.parametrize("service", ["rds", "geminidb"])
def test_a_start_time_ahead_of_this_host_within_the_allowance_is_the_clouds_past(service):
    # The cloud's clock may be hours ahead of this host's: its "a minute ago" is our future.
    checked = plan(service, filters={"start_time": "2025-06-04T23:00:00Z"})
    assert checked.api_query(clock)["start_time"] in ("2025-06-04T23:00:00+0000", 1749078000000)


def test_geminidb_end_time_alone_is_still_completed_with_the_default_start():
    assert plan("geminidb", filters={"end_time": 1748524501}).api_query(clock) == {
        "start_time": "2025-04-29T13:15:01+0000", "end_time": "2025-05-29T13:15:01+0000"}


def test_ids_that_stay_one_path_segment_pass():
    assert plan("ddm", ids=["a b", "50%", "\u00fc", "..a", "a.b"]).ids == ["a b", "50%", "\u00fc", "..a", "a.b"]
    # List services send the id as a query value: any text will do.
    assert plan("rds", ids=["x/y"]).ids == ["x/y"]


def test_filters_id_is_folded_into_ids_and_ids_are_cleaned():
    assert plan("rds", filters={"id": "abc", "status": "Failed"}).ids == ["abc"]
    checked = plan("ddm", ids=[" a ", "b", "a"], page_size=7)
    assert checked.ids == ["a", "b"] and checked.page_size is None and checked.api_query(clock) == {}
    assert plan("ddm", ids="single").ids == ["single"]


def test_clean_ids_names_the_option_it_is_given():
    assert clean_ids(None) is None and clean_ids([" a", "a "]) == ["a"]
    with pytest.raises(InvalidInput) as caught:
        clean_ids([""], "id")
    assert caught.value.option == "id"
