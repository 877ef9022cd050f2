# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""provision filters: lazy rendering against provision_results, error mapping, the deadline."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.taskgate.huaweicloud.plugins.filter import provision

FILTERS = provision.FilterModule().filters()
RESULTS = {"db": {"instance_id": "in01", "job_id": "j1", "json": {"port": 3306, "tags": ["a", "b"]}}}


@pytest.mark.parametrize("value, expected", [
    ("{{ provision_results.db.instance_id }}", "in01"),
    ("  {{ provision_results.db.json.port }} ", 3306),  # a whole expression keeps its type
    ("{{ provision_results.db.json.tags }}", ["a", "b"]),
    ("/v1/{project_id}/instances/{{ provision_results.db.instance_id }}/x", "/v1/{project_id}/instances/in01/x"),
    ("{{ provision_results['db'].job_id }}-{{ provision_results.db.instance_id }}", "j1-in01"),
    ("{% if provision_results.db.job_id %}yes{% endif %}", "yes"),
    ({"a": ["{{ provision_results.db.job_id }}", 1, None]}, {"a": ["j1", 1, None]}),
    ("no template {project_id}", "no template {project_id}"),
])
def test_render(value, expected):
    assert provision.render(value, RESULTS) == expected


@pytest.mark.parametrize("value", [
    "{{ provision_results.cache.instance_id }}",
    "x-{{ provision_results.db.nope.deeper }}",
    "{{ provision_results.db.instance_id.__class__.__mro__ }}",  # the sandbox refuses internals
])
def test_render_errors_name_the_place(value):
    with pytest.raises(AnsibleFilterError) as info:
        provision.render({"body": {"ref": value}}, RESULTS, "step web: body")
    assert "step web: body.body.ref" in str(info.value)


def test_calls_render_at_issue_time_only():
    plan = FILTERS["provision_plan"]([
        {"name": "db", "service": "rds", "request": {"path": "/v3/{project_id}/instances", "body": {"name": "db"}}},
        {"name": "proxy", "service": "ddm", "depends_on": ["db"],
         "request": {"path": "/v1/{project_id}/instances", "body": {"rds": "{{ provision_results.db.instance_id }}"}}},
    ])
    calls = FILTERS["provision_calls"](plan, ["proxy"], RESULTS, "issue")
    assert calls == [{"name": "proxy", "service": "ddm", "method": "POST", "path": "/v1/{project_id}/instances",
                      "body": {"rds": "in01"}}]


def test_plan_errors_become_filter_errors():
    with pytest.raises(AnsibleFilterError) as info:
        FILTERS["provision_plan"]([{"name": "a", "service": "rds", "request": {"path": "/x"}, "depends_on": ["b"]}])
    assert "depends_on names unknown step 'b'" in str(info.value)


@pytest.mark.parametrize("timeout, expected", [(90, 1090.0), ("30m", 2800.0), ("1h", 4600.0)])
def test_deadline(timeout, expected):
    assert provision.provision_deadline(timeout, now=1000.0) == expected


def test_deadline_rejects_garbage():
    with pytest.raises(AnsibleFilterError) as info:
        provision.provision_deadline("later", now=0)
    assert "provision_timeout" in str(info.value)


def test_record_rejects_an_unknown_phase():
    plan = FILTERS["provision_plan"]([{"name": "a", "service": "rds", "request": {"path": "/x"}}])
    with pytest.raises(AnsibleFilterError):
        FILTERS["provision_record"]({}, plan, "later", [], 1)


@pytest.mark.parametrize("deadline_at, now, expected", [
    (1090.0, 1000.0, "90.000s"),
    ("1090.5", 1000.25, "90.250s"),
    ("1970-01-01T00:18:10Z", 1000.0, "90.000s"),   # the ISO form of provision_deadline
    (1000.0019, 1000.0, "0.001s"),                  # rounded down: never past the deadline
])
def test_remaining_is_what_is_left_of_the_deadline_as_an_api_request_timeout(deadline_at, now, expected):
    assert provision.provision_remaining(deadline_at, now=now) == expected


@pytest.mark.parametrize("deadline_at, now", [(1000.0, 1000.0), (1000.0, 1200.0), (1000.0004, 1000.0)])
def test_remaining_after_the_deadline_fails_before_any_request(deadline_at, now):
    with pytest.raises(AnsibleFilterError) as info:
        provision.provision_remaining(deadline_at, now=now)
    assert "provision deadline" in str(info.value) and "provision_timeout" in str(info.value)


def test_remaining_rejects_a_deadline_that_is_no_time():
    with pytest.raises(AnsibleFilterError) as info:
        provision.provision_remaining("soon", now=0)
    assert "provision_deadline" in str(info.value)


def test_every_filter_has_its_documentation_file():
    """ansible-doc, antsibull-docs and galaxy-importer fail on a filter without its <name>.yml."""
    here = os.path.dirname(provision.__file__)
    for name in provision.FilterModule().filters():
        path = os.path.join(here, name + ".yml")
        assert os.path.exists(path), "%s has no %s" % (name, path)
        with open(path) as handle:
            assert yaml.safe_load(handle)["DOCUMENTATION"]["name"] == name
