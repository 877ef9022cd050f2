# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counters, the /_sim/ control API, the CLI, concurrency and determinism."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import subprocess
import sys
import threading

import pytest
import requests

from simulator import ManualClock, Simulator
# Fixtures come by name from sim_fixtures.py (not a conftest: see there); pytest injects them.
from sim_fixtures import api  # noqa: F401  pylint: disable=unused-import
# pylint: disable=redefined-outer-name

pytestmark = pytest.mark.simulator

TASKLIST = "/v3/{project_id}/tasklist"
TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_endpoints_and_credentials(sim):
    names = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "gaussdb", "dds", "taurusdb", "cce", "ims", "dcs",
             "bss_order", "iam", "metadata")
    assert sim.endpoints == dict((name, "%s/%s" % (sim.url, name)) for name in names)
    assert sim.url.startswith("http://127.0.0.1:")
    assert (sim.project_id, sim.region) == ("0549b4a43100d4f32f51c01c2fe4acdb", "ap-southeast-1")
    assert set(sim.credentials) == {"auth_token", "access_key", "secret_key", "security_token", "user_name", "password",
                                    "domain_name", "project_id", "region"}
    assert sim.credentials["security_token"] is None


def test_counters_and_first_terminal_served(sim, api, sim_clock):
    job_id = sim.create_job("rds", duration=10)
    start = sim_clock.time()
    api.get("rds", TASKLIST)
    sim_clock.advance(12)
    api.get("rds", TASKLIST)
    api.get("rds", "/v3/{project_id}/jobs", params={"id": job_id})
    api.get("ddm", "/v3/{project_id}/jobs/unknown")
    stats = sim.stats()
    assert stats["requests"] == 4
    assert stats["by_endpoint"] == {"GET rds /v3/{project_id}/tasklist": 2, "GET rds /v3/{project_id}/jobs": 1,
                                    "GET ddm /v3/{project_id}/jobs/{job_id}": 1}
    assert stats["by_job"] == {job_id: 3}
    assert stats["first_terminal_served"] == {job_id: start + 12}
    assert stats["job_end"] == {job_id: start + 10}
    assert stats["faults_served"] == 0
    sim.reset_stats()
    stats = sim.stats()
    assert (stats["requests"], stats["by_endpoint"], stats["by_job"], stats["first_terminal_served"]) == (0, {}, {}, {})
    assert stats["job_end"] == {job_id: start + 10}


def test_job_snapshot_and_argument_checks(sim, sim_clock):
    job_id = sim.create_job("ddm", name="EnlargeNode", duration=4, outcome="failure", fail_reason="quota", order_id="CS1", instance_name="DDM-x")
    sim_clock.advance(2)
    snap = sim.job(job_id)
    assert (snap["phase"], snap["progress"], snap["fail_reason"], snap["order_id"], snap["instance_name"]) == ("running", 50, "quota", "CS1", "DDM-x")
    with pytest.raises(KeyError):
        sim.job("nope")
    for bad in ({"service": "dws"}, {"service": "rds", "outcome": "maybe"}, {"service": "rds", "duration": -1}):
        with pytest.raises(ValueError):
            sim.create_job(**bad)


@pytest.mark.parametrize("options", [{"failure_ratio": 2}, {"job_duration": (5, 1)}, {"latency": -1}, {"job_duration": "x"}])
def test_configure_rejects_bad_values(sim, options):
    with pytest.raises(ValueError):
        sim.configure(**options)


def test_failure_ratio_and_fail_prefix(sim):
    sim.configure(failure_ratio=1.0)
    assert sim.job(sim.create_job("rds"))["outcome"] == "failure"
    assert sim.job(sim.create_job("rds", outcome="success"))["outcome"] == "success"
    sim.configure(failure_ratio=0.0)
    assert sim.job(sim.create_job("rds"))["outcome"] == "success"
    assert sim.job(sim.create_job("rds", instance_name="fail-db"))["outcome"] == "failure"


def test_same_seed_same_world():
    worlds = []
    for seed in (7, 7, 8):
        sim = Simulator(seed=seed, clock=ManualClock(start=1767225600))
        worlds.append((sim.credentials, [sim.create_job(s) for s in ("geminidb", "rds", "ddm", "servicestage")],
                       sim.job(sim.create_job("rds"))["duration"]))
    assert worlds[0] == worlds[1]
    assert worlds[0] != worlds[2]


def control(sim, method, action, body=None):
    response = requests.request(method, "%s/_sim/%s" % (sim.url, action), json=body, timeout=5)
    return response.status_code, response.json()


def test_control_api(sim, api, sim_clock):
    status, created = control(sim, "POST", "jobs", {"service": "geminidb", "duration": 1, "count": 3})
    assert status == 200 and len(created["job_ids"]) == 3
    assert control(sim, "POST", "configure", {"failure_ratio": 1.0})[1]["failure_ratio"] == 1.0
    status, failing = control(sim, "POST", "jobs", {"service": "rds", "duration": 1})
    sim_clock.advance(1)
    assert api.ok_json("rds", "/v3/{project_id}/jobs", params={"id": failing["job_id"]})["job"]["status"] == "Failed"
    assert control(sim, "GET", "jobs/" + failing["job_id"])[1]["outcome"] == "failure"
    assert control(sim, "POST", "faults", {"kind": "503", "count": 1, "service": "rds"})[0] == 200
    assert api.get("rds", TASKLIST).status_code == 503
    control(sim, "POST", "faults", {"kind": "500", "count": None})
    assert control(sim, "DELETE", "faults")[0] == 200
    assert api.get("rds", TASKLIST).status_code == 200
    control(sim, "POST", "expire-tokens")
    assert api.get("rds", TASKLIST).json()["error_code"] == "APIGW.0307"
    stats = control(sim, "GET", "stats")[1]
    assert stats["faults_served"] == 1 and stats["requests"] == 4
    control(sim, "POST", "reset-stats")
    assert control(sim, "GET", "stats")[1]["requests"] == 0
    info = control(sim, "GET", "info")[1]
    assert (info["url"], info["endpoints"], info["project_id"]) == (sim.url, sim.endpoints, sim.project_id)
    assert info["credentials"]["access_key"] == sim.credentials["access_key"]
    before = sim_clock.time()
    assert control(sim, "POST", "clock/advance", {"seconds": 5})[1]["now"] == before + 5


@pytest.mark.parametrize("method,action,body,status", [
    ("GET", "nothing", None, 404),
    ("POST", "jobs", {"service": "dws"}, 400),
    ("POST", "jobs", {"service": "rds", "colour": "red"}, 400),
    ("POST", "faults", {"kind": "teapot"}, 400),
    ("POST", "configure", {"speed": 1}, 400),
])
def test_control_api_errors(sim, method, action, body, status):
    assert control(sim, method, action, body)[0] == status


def test_fifty_concurrent_requests(sim):
    for _unused in range(20):
        sim.create_job("rds")
    token = sim.credentials["auth_token"]
    url = sim.endpoints["rds"] + "/v3/%s/tasklist" % sim.project_id
    barrier = threading.Barrier(50)
    results = []

    def worker():
        barrier.wait()
        results.append(requests.get(url, headers={"X-Auth-Token": token}, params={"limit": 50}, timeout=10).json()["total_count"])

    threads = [threading.Thread(target=worker) for _unused in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [20] * 50
    assert sim.stats()["requests"] == 50


def test_cli_runs_until_sigterm(tmp_path):
    info_file = tmp_path / "info.json"
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", "0", "--seed", "3", "--job-duration", "1:2",
                             "--failure-ratio", "0.5", "--info-file", str(info_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert json.loads(info_file.read_text()) == info
        assert info["url"].startswith("http://127.0.0.1:")
        config = requests.post(info["url"] + "/_sim/configure", json={}, timeout=5).json()
        assert (config["job_duration"], config["failure_ratio"]) == ([1.0, 2.0], 0.5)
        response = requests.get(info["endpoints"]["rds"] + "/v3/%s/tasklist" % info["project_id"],
                                headers={"X-Auth-Token": info["credentials"]["auth_token"]}, timeout=5)
        assert response.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0, stderr


def test_cli_rejects_bad_options():
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.run([sys.executable, "-m", "simulator", "--failure-ratio", "3"], capture_output=True, text=True, env=env, timeout=10, check=False)
    assert proc.returncode == 2 and "failure_ratio" in proc.stderr
