# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The catalog is the only list of services: every static doc and spec must agree with it."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest
import yaml

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import catalog
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.doc_fragments import auth, task_selection
from ansible_collections.taskgate.huaweicloud.plugins.modules import api_request, task_info, wait_for_task

COLLECTION = os.path.dirname(os.path.abspath(catalog.__file__)).rsplit(os.sep + "plugins", 1)[0]


def _role_service_choices(role):
    with open(os.path.join(COLLECTION, "roles", role, "meta", "argument_specs.yml")) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("service", "provision_steps", "task_gate_service") and isinstance(value, dict) and "choices" in value:
                    found.append(value["choices"])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(specs)
    return found


@pytest.mark.parametrize("name, documentation", [
    ("wait_for_task", wait_for_task.DOCUMENTATION),
    ("api_request", api_request.DOCUMENTATION),
    ("task_selection fragment (task_info, task lookup)", task_selection.ModuleDocFragment.DOCUMENTATION),
])
def test_documented_service_choices_are_the_catalog(name, documentation):
    options = yaml.safe_load(documentation)["options"]
    assert options["service"]["choices"] == list(catalog.SERVICES), name


def test_task_info_and_lookup_take_service_from_the_fragment():
    assert "taskgate.huaweicloud.task_selection" in yaml.safe_load(task_info.DOCUMENTATION)["extends_documentation_fragment"]
    assert "service" not in yaml.safe_load(task_info.DOCUMENTATION)["options"]


@pytest.mark.parametrize("role", ["task_gate", "provision"])
def test_role_service_choices_are_the_catalog(role):
    choices = _role_service_choices(role)
    assert choices, "the %s role documents no service choices" % role
    for found in choices:
        assert found == list(catalog.SERVICES)


def test_argument_specs_take_choices_from_the_catalog():
    assert wait_for_task_spec()["service"]["choices"] == list(catalog.SERVICES)
    assert api_request.argument_spec()["service"]["choices"] == list(catalog.SERVICES)


def wait_for_task_spec():
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import argument_spec
    return argument_spec()


def test_every_endpoint_key_is_documented():
    text = yaml.safe_load(auth.ModuleDocFragment.DOCUMENTATION)["options"]["endpoints"]["description"]
    text = " ".join(text) if isinstance(text, list) else text
    for key in catalog.ENDPOINT_KEYS:
        assert "V(%s)" % key in text


def test_one_unknown_service_check_with_one_wording():
    with pytest.raises(InvalidInput) as caught:
        catalog.service_entry("dws")
    assert str(caught.value) == ("service must be one of geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, "
                                 "taurusdb, cce, ims, dcs, bss_order; got 'dws'")
    assert caught.value.option == "service"
    assert caught.value.allowed == list(catalog.SERVICES)
    with pytest.raises(InvalidInput):
        catalog.service_entry(None)
    with pytest.raises(InvalidInput):
        catalog.service_entry(["rds"])


@pytest.mark.parametrize("service", catalog.SERVICES)
def test_every_entry_has_what_the_code_reads(service):
    entry = catalog.CATALOG[service]
    for key in ("label", "host", "path", "list_capable", "filters", "local_filters", "fields", "phases", "schema"):
        assert key in entry, key
    assert set(entry["fields"]) == {"id", "name", "status", "created_at", "ended_at", "progress",
                                    "instance_id", "instance_name", "instance_status", "fail_reason"}
    assert set(entry["phases"]) <= set(catalog.PHASES)
    if entry["list_capable"]:
        assert "{job_id}" not in entry["path"] and entry["items_key"] and entry["default_page_size"]
    else:
        # The id goes into the path, or into the query parameter id_param (GET /v3/{project_id}/jobs?id=).
        assert ("{job_id}" in entry["path"]) != bool(entry.get("id_param")) and not entry["filters"]
    assert catalog.per_task_schedule(catalog.service_entry(service)) is (not entry["list_capable"])


def test_hosts_come_from_the_catalog():
    assert catalog.host_prefix("geminidb") == "gaussdb-nosql"
    assert catalog.host_prefix("iam") == "iam"
    assert catalog.ENDPOINT_KEYS[-2:] == ("iam", "metadata")


@pytest.mark.parametrize("service", sorted(catalog.CATALOG))
def test_catalog_entries_are_complete(service):
    entry = catalog.CATALOG[service]
    assert set(entry["phases"]) == {"pending", "running", "succeeded", "failed", "unknown"}
    assert set(entry["fields"]) >= {"id", "name", "status", "created_at", "ended_at", "progress", "instance_id",
                                    "instance_name", "instance_status", "fail_reason"}
    # Only a global service (BSS: no project in its paths) goes without {project_id}.
    assert ("{project_id}" in entry["path"]) is not bool(entry.get("global_host")) and "max_page_size" in entry
    if entry["list_capable"]:
        assert entry["max_page_size"] == 50 and "{job_id}" not in entry["path"]
    else:
        assert ("{job_id}" in entry["path"]) != bool(entry.get("id_param")) and entry["filters"] == []


def test_catalog_phases_are_independent_copies():
    assert catalog.CATALOG["rds"]["phases"] == catalog.CATALOG["geminidb"]["phases"]
    assert catalog.CATALOG["rds"]["phases"]["running"] is not catalog.CATALOG["geminidb"]["phases"]["running"]


def test_api_facts_of_issue_12_are_catalog_data():
    # CAS sub-tasks are paged (default 20, at most 100, task_count the total); read with the largest page.
    paging = catalog.CATALOG["servicestage"]["subtask_paging"]
    assert paging == {"limit_param": "limit", "offset_param": "offset", "max_page_size": 100,
                      "default_page_size": 20, "total_key": "task_count"}
    assert "UNKNOWN" in catalog.CATALOG["servicestage"]["phases"]["failed"]
    assert "UNKNOWN" in catalog.raw_statuses(catalog.service_entry("servicestage"))
    # RDS reads end_time only with start_time; GeminiDB completes it with its 30-day default start.
    assert [catalog.CATALOG[name]["end_requires_start"] for name in catalog.SERVICES if catalog.CATALOG[name]["list_capable"]] == [False, True]
    # DDM's "not visible yet" 200 answers, and the same job shape on the /jobs?id= family.
    assert [name for name in catalog.SERVICES if catalog.CATALOG[name].get("blank_is_absent")] == ["ddm", "gaussdb", "dds", "taurusdb"]


def test_api_facts_of_issue_22_are_catalog_data():
    entries = catalog.CATALOG
    # The /v3/{project_id}/jobs?id= family: one id per request, in the query.
    for name, host, progress in (("gaussdb", "gaussdb-opengauss", "progress"), ("dds", "dds", "progress"),
                                 ("taurusdb", "gaussdb", "process")):
        entry = entries[name]
        assert (entry["host"], entry["path"], entry["id_param"], entry["fields"]["progress"][0]) == (
            host, "/v3/{project_id}/jobs", "id", progress)
        assert catalog.per_task_schedule(catalog.service_entry(name))
    assert entries["dds"]["headers"] == {"X-Language": "en-us"}
    assert entries["taurusdb"]["phases"]["pending"] == ["Pending"]
    # TaurusDB's regional hosts; BSS is one global host.
    assert catalog.service_host(catalog.service_entry("taurusdb"), "ap-southeast-1", "myhuaweicloud.com") == "gaussdbformysql.ap-southeast-1.myhuaweicloud.com"
    assert catalog.service_host(catalog.service_entry("taurusdb"), "af-south-1", "myhuaweicloud.com") == "gaussdb-mysql.af-south-1.myhuaweicloud.com"
    assert catalog.service_host(catalog.service_entry("taurusdb"), "eu-west-101", "myhuaweicloud.eu") == "gaussdb.eu-west-101.myhuaweicloud.eu"
    assert catalog.service_host(catalog.service_entry("bss_order"), None, "myhuaweicloud.com") == "bss.myhuaweicloud.com"
    assert catalog.service_host(catalog.service_entry("ims"), "cn-north-4", "myhuaweicloud.com") == "ims.cn-north-4.myhuaweicloud.com"
    assert catalog.global_service(catalog.service_entry("bss_order")) and not catalog.global_service(catalog.service_entry("cce"))
    # CCE: status.phase, sub-jobs under spec.subJobs, the create's job id at status.jobID.
    assert (entries["cce"]["fields"]["status"], entries["cce"]["subtasks_key"], entries["cce"]["job_id_paths"][0]) == (
        "status.phase", "spec.subJobs", "status.jobID")
    # BSS order: Terraform's verdicts (2, 3, 6 wait; 5 done; any other fails).
    phases = entries["bss_order"]["phases"]
    assert set(phases["pending"] + phases["running"]) == {"2", "3", "6", catalog.ORDER_RESOURCES_PENDING}
    assert phases["succeeded"] == ["5"]
    # Busy answers: code and status class together.
    busy = catalog.busy_answer
    rds, gaussdb, taurusdb, dcs = (catalog.service_entry(name) for name in ("rds", "gaussdb", "taurusdb", "dcs"))
    assert busy(rds, 409, "DBS.200019") and busy(rds, 500, "DBS.280036")
    assert not busy(rds, 500, "DBS.200019")
    assert busy(gaussdb, 409, "DBS.216011") and not busy(taurusdb, 409, "DBS.216011")
    assert busy(dcs, 400, "DCS.4121") and not busy(dcs, 400, "DCS.4122")
    assert not busy(catalog.service_entry("geminidb"), 409, "DBS.200019")
