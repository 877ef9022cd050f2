# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""resource_catalog: the built-in resources as catalog-shaped entries."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import catalog, resource_catalog
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, InvalidInput, NotFound
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import normalize
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import job_absent


@pytest.mark.parametrize("service, kind, label", [("ecs", "server", "ECS server"), ("evs", "volume", "EVS volume"),
                                                  ("rds", "instance", "RDS instance")])
def test_each_resource_registers_under_its_label_and_is_served_by_its_service_endpoint(service, kind, label):
    entry = resource_catalog.resource_entry(service, kind)
    name = entry.name
    assert name == label == resource_catalog.resource_name(service)  # the only kind is the default
    assert entry["label"] == catalog.service_entry(name)["label"] == label
    assert entry.endpoint_key == service and entry.endpoint_option == "endpoints.%s" % service
    client = Client(ClientConfig.from_params({"auth_token": "t", "region": "r", "project_id": "p",
                                              "endpoints": {service: "http://127.0.0.1:9/" + service}}))
    assert client.endpoint(entry) == "http://127.0.0.1:9/" + service
    assert name not in catalog.SERVICES


def test_unknown_service_and_kind_name_the_option():
    with pytest.raises(InvalidInput) as info:
        resource_catalog.resource_name("bms")
    assert info.value.option == "service" and "ecs, evs, rds" in str(info.value)
    with pytest.raises(InvalidInput) as info:
        resource_catalog.resource_name("ecs", "volume")
    assert info.value.option == "resource" and "server" in str(info.value)


def test_an_ecs_server_normalizes_with_its_fault_as_the_reason():
    entry = resource_catalog.resource_entry("ecs")
    body = {"id": "s-1", "name": "web", "status": "ERROR", "fault": {"code": 500, "message": "No valid host", "details": "x"}}
    task = normalize(entry, body)
    assert (task["id"], task["name"], task["status"], task["phase"], task["fail_reason"]) == ("s-1", "web", "ERROR", "failed", "No valid host")


def test_states_of_each_resource_hold_ready_failed_and_gone():
    every, ready, failed, gone, delete_failed = resource_catalog.resource_states(resource_catalog.resource_entry("evs"))
    assert ready == ["available", "in-use"] and "error_deleting" in failed and delete_failed == ["error_deleting"] and gone == []
    assert set(ready + failed) <= set(every) and "deleting" in every
    every, ready, failed, gone, _delete_failed = resource_catalog.resource_states(resource_catalog.resource_entry("ecs"))
    assert ready == ["ACTIVE"] and failed == ["ERROR"] and gone == ["DELETED", "SOFT_DELETED"] and "SHUTOFF" in every


@pytest.mark.parametrize("status, code, only, absent", [
    (404, "Ecs.0114", True, True),
    (404, "Ecs.0005", True, False),      # another code: an error, not gone
    (404, "APIGW.0101", True, False),    # the gateway: a wrong path
    (404, "Ecs.0005", False, True),      # the job APIs: any service 404
    (404, "APIGW.0101", False, False),
    (400, "Ecs.0114", True, True),       # the listed code at any status
])
def test_only_the_resource_own_codes_mean_absent(status, code, only, absent):
    err = (NotFound if status == 404 else ApiError)("x", status=status, error_code=code)
    assert job_absent(err, ["Ecs.0114"], only_codes=only) is absent
