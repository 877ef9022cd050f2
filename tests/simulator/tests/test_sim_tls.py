# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS with generated certificates: a private CA, self-signed, hostname mismatch, expired."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings

import pytest
import requests
import urllib3

from simulator import ManualClock, Simulator

pytestmark = pytest.mark.simulator

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def tls_sim(request):
    with Simulator(seed=0, clock=ManualClock(), tls=request.param) as server:
        yield server


def tasklist(sim, verify):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        return requests.get(sim.endpoints["rds"] + "/v3/%s/tasklist" % sim.project_id,
                            headers={"X-Auth-Token": sim.credentials["auth_token"]}, verify=verify, timeout=5)


def verify_error(sim, verify):
    with pytest.raises(requests.exceptions.SSLError) as caught:
        tasklist(sim, verify)
    return str(caught.value)


@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_private_ca(tls_sim):
    sim = tls_sim
    assert sim.url.startswith("https://127.0.0.1:") and all(e.startswith("https://") for e in sim.endpoints.values())
    assert sim.ca_file != sim.cert_file and os.path.isfile(sim.ca_file) and os.path.isfile(sim.cert_file)
    assert tasklist(sim, sim.ca_file).status_code == 200
    assert "unable to get local issuer certificate" in verify_error(sim, True)   # the system store does not know the CA
    info = requests.get(sim.url + "/_sim/info", verify=sim.ca_file, timeout=5).json()
    assert info["tls"] == {"mode": "ca", "ca_file": sim.ca_file, "cert_file": sim.cert_file, "names": ["localhost", "127.0.0.1", "::1"]}


@pytest.mark.parametrize("tls_sim", ["self-signed"], indirect=True)
def test_self_signed(tls_sim):
    sim = tls_sim
    assert sim.ca_file == sim.cert_file
    message = verify_error(sim, True)
    assert "self-signed certificate" in message or "self signed certificate" in message
    assert tasklist(sim, sim.ca_file).status_code == 200   # trusting the certificate itself works
    assert tasklist(sim, False).status_code == 200         # insecure


@pytest.mark.parametrize("tls_sim", ["hostname-mismatch"], indirect=True)
def test_hostname_mismatch(tls_sim):
    sim = tls_sim
    message = verify_error(sim, sim.ca_file)   # the chain is fine, the name is not
    assert "mismatch" in message and "127.0.0.1" in message
    assert tasklist(sim, False).status_code == 200


@pytest.mark.parametrize("tls_sim", ["expired"], indirect=True)
def test_expired(tls_sim):
    sim = tls_sim
    assert "certificate has expired" in verify_error(sim, sim.ca_file)
    assert tasklist(sim, False).status_code == 200


@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_stalled_handshake_does_not_block_others(tls_sim):
    sim = tls_sim
    idle = socket.create_connection(("127.0.0.1", sim.port))   # connects, never says hello
    plain = socket.create_connection(("127.0.0.1", sim.port))
    try:
        plain.sendall(b"GET /_sim/info HTTP/1.1\r\nHost: x\r\n\r\n")   # plain HTTP to the TLS port
        started = time.monotonic()
        assert tasklist(sim, sim.ca_file).status_code == 200
        assert time.monotonic() - started < 2
    finally:
        idle.close()
        plain.close()
    assert tasklist(sim, sim.ca_file).status_code == 200


def test_plain_http_by_default(sim):
    assert sim.url.startswith("http://")
    assert (sim.ca_file, sim.cert_file, sim.tls) == (None, None, None)
    assert "tls" not in sim.info()


def test_unknown_mode():
    with pytest.raises(ValueError):
        Simulator(tls="letsencrypt")


def test_files_go_away_with_the_material():
    sim = Simulator(tls="ca")
    folder = os.path.dirname(sim.ca_file)
    assert sorted(os.listdir(folder)) == ["ca.crt", "server.crt", "server.key"]
    sim.tls.remove()
    assert not os.path.exists(folder)


def test_cli_tls():
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "--port", "0", "--tls", "ca", "--clock-offset", "-30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert info["url"].startswith("https://127.0.0.1:")
        config = requests.post(info["url"] + "/_sim/configure", json={}, verify=info["tls"]["ca_file"], timeout=5).json()
        assert config["clock_offset"] == -30
    finally:
        proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 0, stderr
