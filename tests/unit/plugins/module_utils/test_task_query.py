# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""task_query: the options of task_info and the lookup, checked once, in the modules' own names."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import task_service
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_query import (
    FILTER_OPTIONS, filters_from_params, ids_from_params, query_argument_spec, run_task_query, selection_argument_spec,
)

Response = namedtuple("Response", "status json headers request_id")


class ListingClient(object):
    """Answers every request with one RDS listing page of ``jobs``; records the queries."""

    def __init__(self, jobs=()):
        self.jobs = list(jobs)
        self.queries = []

    def request(self, service, method, path, query=None, body=None, deadline=None, path_params=None):
        self.queries.append(dict(query or {}))
        return Response(200, {"tasks": self.jobs, "total_count": len(self.jobs)}, {}, "req-1")

    def close(self):
        pass


def params(**options):
    base = dict((name, None) for name in query_argument_spec())
    base.update(service="rds")
    base.update(options)
    return base


def test_the_query_options_are_the_selection_plus_paging():
    selection = selection_argument_spec()
    assert set(FILTER_OPTIONS) | {"service", "id"} <= set(selection)
    assert set(query_argument_spec()) - set(selection) == {"limit", "page_size"}


def test_unset_and_empty_options_are_not_filters():
    assert filters_from_params(params(status="Running", name="", order_id=None)) == {"status": "Running"}
    assert ids_from_params(params(id="one")) == ["one"] and ids_from_params(params(id=[])) is None


@pytest.mark.parametrize("options, option, fragment", [
    ({"status": "Bogus"}, "status", "status must be one of Running, Completed, Failed for rds; got 'Bogus'"),
    ({"start_time": "yesterday-ish"}, "start_time", "start_time must be a time"),
    ({"id": ["a", ""]}, "id", "id must be non-empty strings"),
    ({"service": "ddm", "status": "Running", "id": ["x"]}, "status", "ddm supports lookup by id only; give id (status is not supported)"),
    ({"service": "servicestage"}, "id", "servicestage supports lookup by id only; give id"),
    ({"service": "geminidb", "order_id": "x"}, "order_id", "allowed: id, status, name, instance_id, start_time, end_time"),
    ({"page_size": 51}, "page_size", "page_size must be between 1 and 50 for rds"),
])
def test_a_bad_option_is_named_as_the_module_user_knows_it(options, option, fragment):
    client = ListingClient()
    with pytest.raises(InvalidInput) as caught:
        run_task_query(params(**options), client=client)
    assert caught.value.option == option
    assert fragment in str(caught.value) and "filters" not in str(caught.value)
    assert client.queries == []


def test_the_options_are_checked_once(monkeypatch):
    plans = []
    real_plan_query = task_service.plan_query

    def counted(*args, **kwargs):
        plans.append(kwargs)
        return real_plan_query(*args, **kwargs)
    monkeypatch.setattr(task_service, "plan_query", counted)
    client = ListingClient([{"id": "job-1", "status": "Running"}])
    tasks = run_task_query(params(status="running", limit=5), client=client)
    assert [task["id"] for task in tasks] == ["job-1"]
    assert len(plans) == 1
    assert client.queries == [{"status": "Running", "offset": 0, "limit": 5}]
