# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TaskService for the third wave's APIs: ids in the query (/jobs?id=), per-service headers, BSS orders and
the resources they made, CCE sub-jobs, integer statuses."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections import namedtuple

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import catalog
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError, NotFound
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import RateLimiter
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import TaskService

Response = namedtuple("Response", "status json headers request_id")


class FakeClient(object):
    """Records calls (headers included); ``answers`` maps (method, path) to a list of bodies or errors, in turn."""

    def __init__(self, answers):
        self.answers = dict((key, list(values)) for key, values in answers.items())
        self.calls = []
        self.limiters = {}

    def limiter(self, entry):
        """Unpaced, on a clock that does not move (as the real client's, one per endpoint)."""
        return self.limiters.setdefault(entry.name, RateLimiter(lambda: 0.0))

    def request(self, entry, method, path, query=None, body=None, deadline=None, path_params=None, headers=None):
        self.calls.append({"method": method, "path": path, "path_params": path_params, "query": query, "body": body,
                           "headers": headers})
        queue = self.answers[(method, path)]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return Response(200, answer, {}, "req-%d" % len(self.calls))


def db_job(job_id, status, **extra):
    return {"job": dict({"id": job_id, "name": "CreateInstance", "status": status, "created": "2026-12-01T10:00:00+0000",
                         "instance": {"id": "in-1", "name": "db-1"}, "fail_reason": ""}, **extra)}


@pytest.mark.parametrize("service, progress", [("gaussdb", {"progress": "40%"}), ("taurusdb", {"process": "40%"})])
def test_db_family_ids_go_into_the_query_one_per_request(service, progress):
    client = FakeClient({("GET", "/v3/{project_id}/jobs"): [db_job("j-1", "Running", **progress)]})

    found = TaskService(client, catalog.service_entry(service)).fetch_many(["j-1", "j-2"], concurrency=1)

    assert [call["query"] for call in client.calls] == [{"id": "j-1"}, {"id": "j-2"}]
    assert all(call["path_params"] is None for call in client.calls)
    assert (found["j-1"]["progress"], found["j-1"]["instance"]["id"], found["j-1"]["phase"]) == (40, "in-1", "running")


def test_dds_asks_in_english():
    client = FakeClient({("GET", "/v3/{project_id}/jobs"): [db_job("j-1", "Completed")]})
    TaskService(client, catalog.service_entry("dds")).fetch_many(["j-1"])
    assert client.calls[0]["headers"] == {"X-Language": "en-us"}


@pytest.mark.parametrize("answer", [{"job": {}}, NotFound(status=404, error_code="DBS.280343", error_msg="no job")])
def test_db_family_job_not_visible_yet_is_absent(answer):
    client = FakeClient({("GET", "/v3/{project_id}/jobs"): [answer]})
    assert TaskService(client, catalog.service_entry("gaussdb")).fetch_many(["j-1"]) == {}


def test_taurusdb_pending_is_pending():
    client = FakeClient({("GET", "/v3/{project_id}/jobs"): [db_job("j-1", "Pending")]})
    assert TaskService(client, catalog.service_entry("taurusdb")).fetch_many(["j-1"])["j-1"]["phase"] == "pending"


def test_cce_job_reads_its_sub_jobs():
    job = {"kind": "Job", "metadata": {"uid": "c-job"}, "status": {"phase": "Failed", "reason": ""},
           "spec": {"type": "CreateNode", "clusterUID": "cluster-1", "resourceID": "", "subJobs": [
               {"metadata": {"uid": "s1"}, "spec": {"type": "CreateNodeVM", "resourceID": "node-1"}, "status": {"phase": "Success"}},
               {"metadata": {"uid": "s2"}, "spec": {"type": "CreateNodeVM", "resourceID": "node-2"},
                "status": {"phase": "Failed", "reason": "no quota"}}]}}
    client = FakeClient({("GET", "/api/v3/projects/{project_id}/jobs/{job_id}"): [job]})

    task = TaskService(client, catalog.service_entry("cce")).fetch_many(["c-job"])["c-job"]

    assert (task["phase"], task["instance"]["id"], task["fail_reason"]) == ("failed", "cluster-1", "CreateNodeVM: no quota")
    assert [(sub["id"], sub["phase"], sub["entity_id"]) for sub in task["subtasks"]] == [
        ("s1", "succeeded", "node-1"), ("s2", "failed", "node-2")]


ORDER_PATH = "/v2/orders/customer-orders/details/{job_id}"
RESOURCES_PATH = "/v2/orders/suscriptions/resources/query"


def order(status):
    return {"total_count": 1, "order_info": {"order_id": "CS1", "status": status, "order_type": 1}, "order_line_items": []}


def test_an_order_in_processing_does_not_ask_for_its_resources():
    client = FakeClient({("GET", ORDER_PATH): [order(3)]})
    task = TaskService(client, catalog.service_entry("bss_order")).fetch_many(["CS1"])["CS1"]
    assert (task["status"], task["phase"], task["resource_ids"]) == ("3", "running", [])
    assert len(client.calls) == 1


def test_a_completed_order_waits_until_its_resources_are_listed():
    client = FakeClient({("GET", ORDER_PATH): [order(5)],
                         ("POST", RESOURCES_PATH): [{"total_count": 0, "data": []},
                                                    {"total_count": 1, "data": [{"resource_id": "in-9"}]}]})
    service = TaskService(client, catalog.service_entry("bss_order"))

    first = service.fetch_many(["CS1"])["CS1"]
    second = service.fetch_many(["CS1"])["CS1"]

    assert (first["status"], first["phase"], first["ended_at"]) == (catalog.ORDER_RESOURCES_PENDING, "running", None)
    assert (second["status"], second["phase"], second["resource_ids"], second["instance"]["id"]) == (
        "5", "succeeded", ["in-9"], "in-9")
    assert client.calls[1]["body"] == {"order_id": "CS1", "only_main_resource": 1}
    assert client.calls[1]["path_params"] is None


@pytest.mark.parametrize("status, phase", [(6, "pending"), (2, "running"), (4, "failed"), (1, "failed"), ("9", "failed")])
def test_order_statuses_follow_terraform(status, phase):
    client = FakeClient({("GET", ORDER_PATH): [order(status)]})
    assert TaskService(client, catalog.service_entry("bss_order")).fetch_many(["CS1"])["CS1"]["phase"] == phase


def test_a_broken_resource_listing_is_a_contract_error():
    client = FakeClient({("GET", ORDER_PATH): [order(5)], ("POST", RESOURCES_PATH): [{"data": [{"id": "x"}]}]})
    with pytest.raises(ContractError):
        TaskService(client, catalog.service_entry("bss_order")).fetch_many(["CS1"])


@pytest.mark.parametrize("service, params, expected", [
    ("taurusdb", {"region": "ap-southeast-1"}, "https://gaussdbformysql.ap-southeast-1.myhuaweicloud.com"),
    ("taurusdb", {"region": "af-south-1"}, "https://gaussdb-mysql.af-south-1.myhuaweicloud.com"),
    ("taurusdb", {"region": "cn-north-4"}, "https://gaussdb.cn-north-4.myhuaweicloud.com"),
    ("gaussdb", {"region": "cn-north-4"}, "https://gaussdb-opengauss.cn-north-4.myhuaweicloud.com"),
    ("bss_order", {"region": "eu-west-101"}, "https://bss.myhuaweicloud.eu"),
    ("bss_order", {"project_id": "p"}, "https://bss.myhuaweicloud.com"),   # no region needed
    ("bss_order", {"region": "cn-north-4", "endpoints": {"bss_order": "https://bss-intl.myhuaweicloud.com"}},
     "https://bss-intl.myhuaweicloud.com"),
])
def test_default_endpoints_of_the_new_services(service, params, expected):
    client = Client(ClientConfig.from_params(dict(params, auth_token="t")), session=object())
    assert client.endpoint(catalog.service_entry(service)) == expected
