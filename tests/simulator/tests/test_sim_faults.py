# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: every kind, counts, filters."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest
import requests
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"


@pytest.mark.parametrize("kind,status,code", [
    ("429", 429, "APIGW.0308"), ("500", 500, "APIGW.0103"), ("502", 502, "APIGW.0202"), ("503", 503, "APIGW.0203"), ("504", 504, "APIGW.0204"),
])
def test_json_gateway_errors(sim, api, kind, status, code):
    sim.inject_fault(kind)
    response = api.get("rds", TASKLIST)
    assert response.status_code == status
    body = response.json()
    assert (body["error_code"], body["request_id"]) == (code, response.headers["X-Request-Id"])
    assert "Retry-After" not in response.headers
    assert api.get("rds", TASKLIST).status_code == 200   # count=1 by default


def test_retry_after_only_when_given(sim, api):
    sim.inject_fault("429", retry_after=7)
    response = api.get("rds", TASKLIST)
    assert (response.status_code, response.headers.get("Retry-After")) == (429, "7")


@pytest.mark.parametrize("kind,status", [("html", 502), ("html-200", 200)])
def test_html_bodies(sim, api, kind, status):
    sim.inject_fault(kind)
    response = api.get("rds", TASKLIST)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.text.lstrip().startswith("<html>")


def test_bad_json(sim, api):
    sim.inject_fault("bad-json")
    response = api.get("rds", TASKLIST)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        response.json()


def test_drop_closes_without_answer(sim, api):
    sim.inject_fault("drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get("rds", TASKLIST)
    assert api.get("rds", TASKLIST).status_code == 200


def test_slow_answers_after_the_delay(sim, api):
    sim.inject_fault("slow", delay=0.2)
    started = time.monotonic()
    response = api.get("rds", TASKLIST)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


def test_count_and_until_cleared(sim, api):
    sim.inject_fault("503", count=2)
    assert [api.get("rds", TASKLIST).status_code for _unused in range(3)] == [503, 503, 200]
    sim.inject_fault("500", count=None)
    assert [api.get("rds", TASKLIST).status_code for _unused in range(4)] == [500] * 4
    sim.clear_faults()
    assert api.get("rds", TASKLIST).status_code == 200
    assert sim.stats()["faults_served"] == 6


def test_service_and_path_filters(sim, api):
    sim.inject_fault("429", count=None, service="geminidb")
    sim.inject_fault("504", count=None, path_contains="/cas/jobs/")
    job_id = sim.create_job("servicestage")
    assert api.get("rds", TASKLIST).status_code == 200
    assert api.get("geminidb", "/v3/{project_id}/jobs").status_code == 429
    assert api.get("servicestage", "/v2/{project_id}/cas/jobs/%s" % job_id).status_code == 504


def test_faults_come_before_auth(sim, api):
    # Like the real gateway's throttling, a fault answers even a request with bad credentials.
    sim.inject_fault("429")
    assert api.get("rds", TASKLIST, token=False).status_code == 429


@pytest.mark.parametrize("kwargs", [{"kind": "418"}, {"kind": "429", "count": 0}, {"kind": "429", "service": "dws"}, {"kind": "slow", "delay": -1}])
def test_invalid_fault_arguments(sim, kwargs):
    with pytest.raises(ValueError):
        sim.inject_fault(**kwargs)


def test_latency_knob_delays_every_answer(sim, api):
    sim.configure(latency=0.1)
    started = time.monotonic()
    assert api.get("rds", TASKLIST).status_code == 200
    assert time.monotonic() - started >= 0.1


def test_every_answer_has_its_own_request_id(sim, api):
    sim.inject_fault("500")
    ids = [api.get("rds", TASKLIST).headers["X-Request-Id"] for _unused in range(2)]
    ids.append(api.get("rds", "/v3/{project_id}/nothing").headers["X-Request-Id"])
    assert len(set(ids)) == 3 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
