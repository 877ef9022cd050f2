# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""received_bodies(): what the create calls sent, so a test can prove a secret reached the cloud."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

import simulator.state
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api, signed  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

RDS_INSTANCES = "/v3/{project_id}/instances"


def test_rds_create_password_is_recorded_with_its_job(sim, api):
    response = api.post("rds", RDS_INSTANCES, json_body={"name": "db-1", "password": "Secr3t-Pa55!"})
    assert response.status_code == 202
    (entry,) = sim.received_bodies("rds")
    assert entry["body"]["password"] == "Secr3t-Pa55!"
    assert (entry["service"], entry["method"], entry["template"], entry["status"], entry["job_id"]) == \
        ("rds", "POST", RDS_INSTANCES, 202, response.json()["job_id"])
    assert entry["path"] == RDS_INSTANCES.format(project_id=sim.project_id)
    assert entry["at"] == sim.cloud_time()
    assert '"Secr3t-Pa55!"' in entry["raw"]


def test_signed_body_is_recorded_as_sent(sim, signed):
    raw = '{"name": "db-2", "password": "S1gned-Pa55"}'
    assert signed("POST", "rds", RDS_INSTANCES, body=raw).status_code == 202
    assert sim.received_bodies("rds")[0]["raw"] == raw


def test_rejected_and_non_json_bodies_are_recorded_too(sim, api):
    api.post("ecs", "/v1/{project_id}/cloudservers", json_body={"server": {"count": 1, "adminPass": "x"}})
    api.session.post(api.url("ddm", "/v1/{project_id}/instances"), data="not json",
                     headers={"X-Auth-Token": sim.credentials["auth_token"]}, timeout=5)
    ecs, ddm = sim.received_bodies()
    assert (ecs["service"], ecs["status"], ecs["job_id"], ecs["body"]["server"]["adminPass"]) == ("ecs", 400, None, "x")
    assert (ddm["service"], ddm["status"], ddm["body"], ddm["raw"]) == ("ddm", 400, None, "not json")


def test_only_create_calls_are_recorded_and_the_filter_works(sim, api):
    api.get("rds", "/v3/{project_id}/tasklist")
    assert sim.received_bodies() == []
    api.post("geminidb", RDS_INSTANCES, json_body={"name": "g"})
    api.post("evs", "/v2/{project_id}/cloudvolumes", json_body={"volume": {"size": 10}})
    assert [e["service"] for e in sim.received_bodies()] == ["geminidb", "evs"]
    assert [e["service"] for e in sim.received_bodies("evs")] == ["evs"]
    assert sim.received_bodies("rds") == []


def test_answers_are_copies(sim, api):
    api.post("rds", RDS_INSTANCES, json_body={"name": "db", "password": "p"})
    sim.received_bodies()[0]["body"]["password"] = "changed"
    assert sim.received_bodies()[0]["body"]["password"] == "p"


def test_clear_and_bound(sim, api, monkeypatch):
    monkeypatch.setattr(simulator.state, "RECEIVED_KEEP", 3)
    for index in range(5):
        api.post("rds", RDS_INSTANCES, json_body={"name": "db-%d" % index})
    assert [e["body"]["name"] for e in sim.received_bodies()] == ["db-2", "db-3", "db-4"]
    sim.clear_received()
    assert sim.received_bodies() == []


def test_control_api_reads_and_clears(sim, api):
    api.post("rds", RDS_INSTANCES, json_body={"name": "db", "password": "Ctl-Pa55"})
    api.post("ecs", "/v1/{project_id}/cloudservers", json_body={"server": {"name": "web"}})
    everything = requests.get(sim.url + "/_sim/received", timeout=5).json()["received"]
    assert [e["service"] for e in everything] == ["rds", "ecs"]
    only_rds = requests.get(sim.url + "/_sim/received", params={"service": "rds"}, timeout=5).json()["received"]
    assert [e["body"]["password"] for e in only_rds] == ["Ctl-Pa55"]
    assert requests.delete(sim.url + "/_sim/received", timeout=5).status_code == 200
    assert requests.get(sim.url + "/_sim/received", timeout=5).json() == {"received": []}
