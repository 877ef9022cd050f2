# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway's flow control: a token bucket per service, 429 APIGW.0308 beyond it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"


def test_no_quota_by_default(sim, api):
    assert all(api.get("rds", TASKLIST).status_code == 200 for _unused in range(30))


def test_the_burst_passes_then_429_apigw_0308_until_tokens_refill(sim, sim_clock, api):
    sim.set_quota(rate=5, burst=3)
    statuses = [api.get("rds", TASKLIST).status_code for _unused in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = api.get("rds", TASKLIST)
    body = refused.json()
    assert (body["error_code"], body["request_id"]) == ("APIGW.0308", refused.headers["X-Request-Id"])
    assert "policy user over ratelimit" in body["error_msg"] and "Retry-After" not in refused.headers
    sim_clock.advance(0.2)                      # one token at 5/s
    assert [api.get("rds", TASKLIST).status_code for _unused in range(2)] == [200, 429]
    counts = sim.gateway.snapshot()
    assert (counts["admitted"]["rds"], counts["refused"]["rds"]) == (4, 4)


def test_one_bucket_per_service(sim, api):
    sim.set_quota(rate=1, burst=1)
    assert api.get("rds", TASKLIST).status_code == 200
    assert api.get("rds", TASKLIST).status_code == 429
    assert api.get("geminidb", "/v3/{project_id}/jobs", params={"id": "x"}).status_code != 429


def test_retry_after_only_when_configured_and_off_again(sim, api):
    sim.set_quota(rate=1, burst=1, retry_after=2)
    api.get("rds", TASKLIST)
    assert api.get("rds", TASKLIST).headers.get("Retry-After") == "2"
    sim.set_quota(rate=None)
    assert all(api.get("rds", TASKLIST).status_code == 200 for _unused in range(5))


def test_the_control_api_sets_and_reads_the_quota(sim, api):
    response = requests.post(sim.url + "/_sim/quota", json={"rate": 2, "burst": 2, "services": ["ecs"]}, timeout=5)
    assert response.status_code == 200 and response.json()["rate"] == 2.0
    assert all(api.get("rds", TASKLIST).status_code == 200 for _unused in range(4))   # only ECS is limited
    assert requests.get(sim.url + "/_sim/quota", timeout=5).json()["services"] == ["ecs"]
    bad = requests.post(sim.url + "/_sim/quota", json={"rate": -1}, timeout=5)
    assert bad.status_code == 400 and "rate" in bad.json()["error"]
