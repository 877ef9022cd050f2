# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS against the simulator's real HTTPS: cacert_file / OS_CACERT, validate_certs / HW_INSECURE, and
certificate failures that say what is wrong and how to get out, once, without retries."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import subprocess
import warnings

import pytest
import requests
from urllib3.exceptions import InsecureRequestWarning

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.client import Client, ClientConfig
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ApiError, InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.modules import task_info
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry

from simulator import Simulator
from support import playbook_env, run_module_main, token_params

pytestmark = pytest.mark.simulator

PATH = "/v3/{project_id}/tasklist"
WAY_OUT = ("cacert_file", "OS_CACERT", "validate_certs", "HW_INSECURE")


class NoSleep(object):
    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


@pytest.fixture
def tls_sim(request):
    with Simulator(seed=0, tls=request.param) as server:
        yield server


def client_for(sim, **options):
    params = dict(token_params(sim), **options)
    return Client(ClientConfig.from_params(params), sleep=NoSleep())


def tasklist(client):
    return client.request(service_entry("rds"), "GET", PATH, query={"limit": 1})


def certificate_failure(sim, **options):
    client = client_for(sim, **options)
    with pytest.raises(ApiError) as info:
        tasklist(client)
    return client, info.value


# ---- certificate failures: not retried, the reason whole, the way out ------------------------

@pytest.mark.parametrize("tls_sim, options, reason, advice", [
    ("self-signed", {}, "self-signed certificate", "cacert_file"),
    ("ca", {}, "unable to get local issuer certificate", "cacert_file"),
    ("hostname-mismatch", {"cacert_file": "CA"}, "IP address mismatch, certificate is not valid for '127.0.0.1'",
     "cannot fix a name mismatch"),
    ("expired", {"cacert_file": "CA"}, "certificate has expired", "clock of this host"),
], indirect=["tls_sim"])
def test_certificate_failure_is_not_retried_and_says_why_and_how_out(tls_sim, options, reason, advice):
    options = dict((name, tls_sim.ca_file if value == "CA" else value) for name, value in options.items())
    client, err = certificate_failure(tls_sim, max_retries=4, **options)
    message = str(err)

    assert type(err).__name__ == "CertificateError" and err.status is None
    assert client.stats["requests"] == 1 and client.stats["retries"] == 0 and client.sleep.calls == []
    host = "127.0.0.1:%d" % tls_sim.port
    assert message.startswith("rds GET %s failed: TLS certificate of %s rejected: %s" % (PATH, host, reason)), message
    assert "not retried" in message and advice in message
    for name in WAY_OUT:
        assert name in message, (name, message)
    # the reason is whole and readable: no urllib3 wrapper text, nothing cut off
    assert "HTTPSConnectionPool" not in message and "..." not in message and "_ssl.c" not in message
    assert err.to_dict()["host"] == host and err.to_dict()["reason"].startswith(reason)


@pytest.mark.parametrize("tls_sim", ["self-signed"], indirect=True)
def test_a_wrong_ca_bundle_is_named_in_the_failure(tls_sim):
    with Simulator(seed=0, tls="ca") as other:   # a real CA, just not the one that signed this certificate
        _client, err = certificate_failure(tls_sim, cacert_file=other.ca_file)
    assert "cacert_file %s" % other.ca_file in str(err) and "replaces the system CA store" in str(err)


# ---- cacert_file / OS_CACERT and validate_certs / HW_INSECURE make it work -------------------

@pytest.mark.parametrize("tls_sim", ["ca", "self-signed"], indirect=True)
def test_cacert_file_trusts_a_private_ca(tls_sim):
    client = client_for(tls_sim, cacert_file=tls_sim.ca_file)
    assert tasklist(client).status == 200
    assert client.config.warnings == []


@pytest.mark.parametrize("tls_sim", ["self-signed", "hostname-mismatch", "expired"], indirect=True)
def test_validate_certs_false_works_with_every_certificate_and_warns(tls_sim):
    client = client_for(tls_sim, validate_certs=False)
    assert tasklist(client).status == 200
    [warning] = client.config.warnings
    assert "TLS certificate verification is off" in warning and "HW_INSECURE" in warning


@pytest.mark.parametrize("tls_sim", ["self-signed"], indirect=True)
def test_the_config_warning_replaces_urllib3s_warning_per_request(tls_sim):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = client_for(tls_sim, validate_certs=False)
        tasklist(client)
        tasklist(client)
        assert [w for w in caught if issubclass(w.category, InsecureRequestWarning)] == []
        # Only the hosts this client was told to trust blindly are quieted.
        requests.get(tls_sim.url.replace("127.0.0.1", "localhost") + "/_sim/info", verify=False, timeout=5)
        assert [w for w in caught if "'localhost'" in str(w.message)]


def test_the_iam_token_call_uses_the_same_trust():
    with Simulator(seed=0, tls="ca") as sim:
        creds = sim.credentials
        params = {"region": sim.region, "endpoints": dict(sim.endpoints), "user_name": creds["user_name"],
                  "password": creds["password"], "domain_name": creds["domain_name"]}
        with pytest.raises(ApiError) as info:
            tasklist(Client(ClientConfig.from_params(params), sleep=NoSleep()))
        assert info.value.service == "iam" and "unable to get local issuer certificate" in str(info.value)
        client = Client(ClientConfig.from_params(dict(params, cacert_file=sim.ca_file)), sleep=NoSleep())
        assert tasklist(client).status == 200


@pytest.mark.parametrize("value", ["/nonexistent/ca.pem", "DIR", "NOT_PEM"])
def test_unusable_cacert_file_is_invalid_input_before_any_request(tmp_path, value):
    not_pem = tmp_path / "not-a-ca.pem"
    not_pem.write_text("hello\n")
    path = {"DIR": str(tmp_path), "NOT_PEM": str(not_pem)}.get(value, value)
    with Simulator(seed=0, tls="ca") as sim:
        with pytest.raises(InvalidInput) as info:
            client_for(sim, cacert_file=path)
        assert info.value.option == "cacert_file"
        assert "cacert_file" in str(info.value) and "OS_CACERT" in str(info.value) and path in str(info.value)
        assert sim.stats()["requests"] == 0


# ---- the same at the module level: OS_CACERT and HW_INSECURE from the module's environment ----

def module_args(sim, **options):
    return dict(token_params(sim), service="rds", status="Running", **options)


@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_module_works_with_os_cacert_and_with_hw_insecure(tls_sim, capsys, monkeypatch):
    job_id = tls_sim.create_job("rds", duration=600)
    monkeypatch.setenv("OS_CACERT", tls_sim.ca_file)
    result = run_module_main(task_info.main, module_args(tls_sim), capsys)
    assert not result.get("failed"), result
    assert [task["id"] for task in result["tasks"]] == [job_id]

    monkeypatch.delenv("OS_CACERT")
    monkeypatch.setenv("HW_INSECURE", "true")
    result = run_module_main(task_info.main, module_args(tls_sim), capsys)
    assert not result.get("failed"), result
    assert [task["id"] for task in result["tasks"]] == [job_id]

    # the explicit option wins over HW_INSECURE
    result = run_module_main(task_info.main, module_args(tls_sim, validate_certs=True), capsys)
    assert result["failed"] and result["error"]["type"] == "CertificateError"


@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_module_without_either_fails_clearly(tls_sim, capsys, monkeypatch):
    monkeypatch.delenv("OS_CACERT", raising=False)
    monkeypatch.delenv("HW_INSECURE", raising=False)
    result = run_module_main(task_info.main, module_args(tls_sim), capsys)
    assert result["failed"] is True
    assert result["error"]["type"] == "CertificateError"
    assert "unable to get local issuer certificate" in result["msg"]
    for name in WAY_OUT:
        assert name in result["msg"]


@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_module_with_a_missing_os_cacert_names_the_option(tls_sim, capsys, monkeypatch):
    monkeypatch.setenv("OS_CACERT", "/nonexistent/ca.pem")
    result = run_module_main(task_info.main, module_args(tls_sim), capsys)
    assert result["failed"] is True and result["error"] == {"type": "InvalidInput", "option": "cacert_file"}
    assert tls_sim.stats()["requests"] == 0


# ---- a real ansible-playbook run: environment OS_CACERT / HW_INSECURE on the task ----------

PLAYBOOK = """
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  module_defaults:
    group/taskgate.huaweicloud.huaweicloud:
      endpoints: "{{ sim_endpoints }}"
  tasks:
    - name: A private CA given through OS_CACERT
      taskgate.huaweicloud.task_info: {service: rds, id: "{{ rds_job }}"}
      environment: {OS_CACERT: "{{ ca_file }}"}
      register: with_ca
    - name: Verification turned off through HW_INSECURE
      taskgate.huaweicloud.task_info: {service: rds, id: "{{ rds_job }}"}
      environment: {HW_INSECURE: "true"}
      register: insecure
    - name: Neither
      taskgate.huaweicloud.task_info: {service: rds, id: "{{ rds_job }}"}
      register: neither
      ignore_errors: true
    - ansible.builtin.assert:
        that:
          - with_ca.tasks | map(attribute='id') | list == [rds_job]
          - insecure.tasks | map(attribute='id') | list == [rds_job]
          - neither is failed
          - neither.error.type == 'CertificateError'
          - "'unable to get local issuer certificate' in neither.msg"
          - "'cacert_file' in neither.msg and 'HW_INSECURE' in neither.msg"
"""


@pytest.mark.playbook
@pytest.mark.parametrize("tls_sim", ["ca"], indirect=True)
def test_playbook_with_os_cacert_and_hw_insecure_in_the_task_environment(tls_sim, tmp_path):
    playbook = tmp_path / "tls.yml"
    playbook.write_text(PLAYBOOK)
    extra = {"sim_endpoints": tls_sim.endpoints, "rds_job": tls_sim.create_job("rds", duration=600),
             "ca_file": tls_sim.ca_file}
    env = playbook_env(tls_sim)
    env.pop("OS_CACERT", None)
    env.pop("HW_INSECURE", None)
    run = subprocess.run(["ansible-playbook", str(playbook), "-e", json.dumps(extra)], env=env, cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "failed=0" in run.stdout and "ignored=1" in run.stdout
    # task_info warns when HW_INSECURE turned verification off (and only then: one warning in the run)
    assert run.stdout.count("TLS certificate verification is off") == 1, run.stdout[-4000:]


LOOKUP_PLAYBOOK = """
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: The lookup and wait_for_task (both on the controller) read HW_INSECURE from the controller's environment
      ansible.builtin.set_fact:
        looked_up: "{{ query('taskgate.huaweicloud.task', rds_job, service='rds', endpoints=sim_endpoints) }}"
    - taskgate.huaweicloud.wait_for_task: {service: rds, id: "{{ rds_job }}", timeout: 1m, endpoints: "{{ sim_endpoints }}"}
      register: waited
    - ansible.builtin.assert:
        that:
          - looked_up | map(attribute='id') | list == [rds_job]
          - waited is succeeded
"""


@pytest.mark.playbook
@pytest.mark.parametrize("tls_sim", ["self-signed"], indirect=True)
def test_controller_side_plugins_see_hw_insecure(tls_sim, tmp_path):
    playbook = tmp_path / "lookup.yml"
    playbook.write_text(LOOKUP_PLAYBOOK)
    extra = {"sim_endpoints": tls_sim.endpoints, "rds_job": tls_sim.create_job("rds", duration=1)}
    env = playbook_env(tls_sim, {"HW_INSECURE": "true"})
    env.pop("OS_CACERT", None)
    run = subprocess.run(["ansible-playbook", str(playbook), "-e", json.dumps(extra)], env=env, cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "failed=0" in run.stdout
    assert "TLS certificate verification is off" in run.stdout, run.stdout[-4000:]
