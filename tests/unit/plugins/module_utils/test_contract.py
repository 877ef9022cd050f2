# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""contract: the compiled schema fast path agrees with jsonschema, which is imported only to name a field.

Broken payloads through a whole query (the ContractError a user sees) are in test_task_service.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest

from payloads import load_fixtures

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import contract
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import CATALOG
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task import canonical_view
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry


def _contract_cases():
    """(service, body) of every payload fixture plus edge cases of the types the schemas pin."""
    cases = [(param.values[0]["service"], param.values[0]["response"])
             for param in load_fixtures("normalize") + load_fixtures("contract")]
    job = {"id": "j", "status": "Running"}
    cases += [
        ("geminidb", {"jobs": [job], "total_count": 1}),
        ("geminidb", {"jobs": [job], "total_count": -1}),
        ("geminidb", {"jobs": [job], "total_count": True}),
        ("geminidb", {"jobs": [job], "total_count": 1.5}),
        ("geminidb", {"jobs": [job], "total_count": float("nan")}),
        ("geminidb", {"jobs": [dict(job, instance=None, extra=[1])]}),
        ("geminidb", {"jobs": [dict(job, instance={"id": 3})]}),
        ("geminidb", {"jobs": [{"id": "j"}]}),
        ("geminidb", {"jobs": "none"}),
        ("geminidb", []),
        ("rds", {"tasks": [dict(job, process=None, create_time="x")], "total_count": None}),
        ("rds", {"tasks": [dict(job, id=None)]}),
        ("ddm", {"job": dict(job, instance="db")}),
        ("servicestage", {"job": {"JOB_ID": "j", "EXECUTION_STATUS": "RUNNING"}, "tasks": None}),
        ("servicestage", {"job": {"JOB_ID": "j", "EXECUTION_STATUS": "RUNNING"}, "tasks": [{"TASK_INDEX": False}]}),
        ("servicestage", {"job": {"JOB_ID": "j", "EXECUTION_STATUS": "RUNNING"}, "tasks": [{"MESSAGES": {"a": 1}}]}),
        # Tolerant fields take any value, strict ones (ids, statuses, containers) do not.
        ("geminidb", {"jobs": None, "total_count": "0"}),
        ("geminidb", {"jobs": [dict(job, progress=60, start_time=1772589600000, fail_reason=None)], "total_count": "1"}),
        ("geminidb", {"jobs": [dict(job, status=None)]}),
        ("geminidb", {"jobs": [dict(job, id=7)]}),
        ("geminidb", {"jobs": [dict(job, instance=[])]}),
        ("ecs", {"job_id": "j", "status": "RUNNING", "entities": {"sub_jobs_total": "1", "sub_jobs": None}}),
        ("ecs", {"job_id": "j", "status": "RUNNING", "entities": {"sub_jobs": [{"status": 3}]}}),
        ("evs", {"job_id": "j", "status": "RUNNING", "entities": {"size": "10", "name": None}}),
        ("bms", {"job_id": "j", "status": "RUNNING", "entities": "x"}),
    ]
    return [pytest.param(service, body, id="%s-%d" % (service, number)) for number, (service, body) in enumerate(cases)]


@pytest.mark.parametrize("service, body", _contract_cases())
def test_schema_fast_path_agrees_with_jsonschema(service, body):
    view = canonical_view(service_entry(service), body)
    schema = service_entry(service)["schema"]
    assert contract._fast_check(schema)(view) == contract._validator(schema).is_valid(view)


def test_schema_fast_path_may_reject_more_but_jsonschema_then_decides():
    # 1.0 is an integer to JSON schema; the fast path says no, jsonschema accepts: no error.
    schema = {"type": "object", "properties": {"count": {"type": "integer"}}}
    body = {"count": 1.0}
    assert contract._fast_check(schema)(body) is False
    assert contract.check_response(service_entry("geminidb"), body, schema=schema) is None


def test_a_schema_keyword_the_fast_path_lacks_leaves_the_check_to_jsonschema(monkeypatch):
    schema = {"type": "object", "properties": {"state": {"enum": ["A", "B"]}}}
    monkeypatch.setitem(CATALOG, "enum-service", {"schema": schema})
    assert contract._fast_check(service_entry("enum-service")["schema"]) is None
    contract.check_response(service_entry("enum-service"), {"state": "A"})
    with pytest.raises(ContractError) as caught:
        contract.check_response(service_entry("enum-service"), {"state": "C"})
    assert caught.value.field == "state"


def test_compiled_checks_follow_the_catalog_schema(monkeypatch):
    # Keyed by the schema, not by the service name: a service given a new schema is checked by it.
    body = {"tasks": [{"id": "t", "status": "Running"}]}
    assert contract._fast_check(service_entry("rds")["schema"])(body) is True
    monkeypatch.setitem(CATALOG["rds"], "schema", {"type": "object", "required": ["jobs"]})
    assert contract._fast_check(service_entry("rds")["schema"])(body) is False
    with pytest.raises(ContractError) as caught:
        contract.check_response(service_entry("rds"), body)
    assert caught.value.field == "jobs"


def test_importing_the_query_layer_does_not_import_jsonschema():
    # Importing jsonschema costs ~0.06 CPU s per run; it is only needed to name a broken field.
    code = ("import sys; from ansible_collections.taskgate.huaweicloud.plugins.module_utils import contract, task_service, task_query; "
            "assert contract.HAS_JSONSCHEMA; assert 'jsonschema' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))


def test_a_valid_body_is_not_walked_by_jsonschema(monkeypatch):
    # jsonschema costs ~70 us per list item on every poll; it only runs to name a broken field.
    def fail(_schema):
        raise AssertionError("jsonschema ran on a valid body")
    monkeypatch.setattr(contract, "_validator", fail)
    contract.check_response(service_entry("rds"), {"tasks": [{"id": "t%d" % number, "status": "Running"} for number in range(50)]})
