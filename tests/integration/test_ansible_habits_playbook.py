# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible habits users bring, through ansible-playbook against the simulator: secrets inside request
bodies, credentials from the environment keyword, async + async_status, and one wait for many hosts.

ansible-playbook is a separate process, so the simulator runs on real time here (jobs of 1-3 s).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.modules import api_request
from support import PLAYBOOK_DIR, playbook_env, run_module_main, token_params

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

NO_LOG = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def run_playbook(server, name, extra_vars, env_extra=None, drop_env=(), options=()):
    env = playbook_env(server, env_extra)
    for variable in drop_env:
        env.pop(variable, None)
    extra_vars = dict(extra_vars, sim_endpoints=server.endpoints)
    completed = subprocess.run(["ansible-playbook"] + list(options) + [os.path.join(PLAYBOOK_DIR, name), "-e", json.dumps(extra_vars)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240, check=False)
    return completed.returncode, completed.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# 1. secrets inside request bodies


def test_body_secrets_reach_the_cloud_and_no_output(live_sim):
    secrets = {"db_password": "Db-pass-4d7e1c!", "admin_pass": "Adm1n-9b2f", "dsn_secret": "pg://app:dsn-pw-61a0@db:5432",
               "echoed_name": "name-that-is-secret-5c3e"}

    # ansible-core 2.21 adds the invocation (the module args, body included) only when asked to; 2.19 always does.
    rc, output = run_playbook(live_sim, "api_request_secrets.yml", secrets, options=("-vvv",),
                              env_extra={"ANSIBLE_INJECT_INVOCATION": "1"})

    assert rc == 0, output[-4000:]
    creates = dict((entry["body"]["name"], (entry["service"], entry["body"])) for entry in live_sim.received_bodies())
    assert creates["db-secret-test"][1]["password"] == secrets["db_password"]
    assert creates["db-secret-test"][1]["servers"][0]["AdminPass"] == secrets["admin_pass"]
    assert creates["db-secret-test"][1]["custom"]["dsn"] == secrets["dsn_secret"]
    assert creates[secrets["echoed_name"]][0] == "geminidb"
    assert creates["db-secret-fail"][1]["password"] == secrets["db_password"]
    assert "db-never-sent" not in creates, "a mistyped body_secrets path must fail before sending"
    leaked = [name for name, value in secrets.items() if value in output]
    assert not leaked, "secrets in the -vvv output: %s" % leaked
    # -vvv prints each module's invocation: the body is there, its secrets masked.
    for key in ("password", "AdminPass", "dsn"):
        assert '"%s": "%s"' % (key, NO_LOG) in output, "the -vvv invocation should show %s masked" % key


@pytest.mark.parametrize("status_code, failed", [([202], False), ([200], True)], ids=["answered", "refused"])
def test_api_request_masks_body_secrets_in_result_invocation_and_error(sim, capsys, status_code, failed):
    password, echoed = "Pw-in-process-81c2", "echoed-secret-name-3f"
    args = dict(token_params(sim), service="rds", method="POST", path="/v3/{project_id}/instances", status_code=status_code,
                body={"name": echoed, "password": password}, body_secrets=["name"])

    result = run_module_main(api_request.main, args, capsys)

    assert bool(result.get("failed")) is failed, result
    assert password not in json.dumps(result) and echoed not in json.dumps(result)
    # The invocation (what -vvv and AWX show) keeps the body's shape with the secret values masked.
    if "invocation" in result:
        assert result["invocation"]["module_args"]["body"] == {"name": NO_LOG, "password": NO_LOG}
    if not failed:
        assert result["json"]["instance"]["name"] == NO_LOG, "the echo of a secret in the answer must be masked too"
    assert [entry["body"] for entry in sim.received_bodies("rds")] == [args["body"]], "the secrets must reach the cloud as given"


# ---------------------------------------------------------------------------
# 2. the environment keyword


def test_environment_keyword_credentials_work_for_every_plugin(live_sim):
    job_ids = [live_sim.create_job("rds", duration=1), live_sim.create_job("rds", duration=2)]
    extra = {"sim_token": live_sim.credentials["auth_token"], "sim_project_id": live_sim.project_id,
             "sim_region": live_sim.region, "job_ids": job_ids}

    # The controller's own environment has no credential at all.
    rc, output = run_playbook(live_sim, "environment_auth.yml", extra, options=("-vvv",),
                              drop_env=("HW_AUTH_TOKEN", "HW_PROJECT_ID", "HW_REGION_NAME"))

    assert rc == 0, output[-4000:]
    assert "no credentials" not in output
    assert "rds CreateInstance %s" % job_ids[0][:8] in output, "the controller-side wait printed no progress"
    # ansible-core itself prints a module's environment in its -vvv EXEC line (README: prefer no_log options
    # for secrets); the collection's own output - results, invocations, progress, errors - never has it.
    token = live_sim.credentials["auth_token"]
    leaking = [line for line in output.splitlines() if token in line and not line.startswith("<127.0.0.1> EXEC /bin/sh -c 'HW_AUTH_TOKEN=")]
    assert not leaking, leaking


# ---------------------------------------------------------------------------
# 3. async + async_status


def test_async_wait_is_collected_by_async_status(live_sim, tmp_path):
    job_ids = [live_sim.create_job("rds", duration=2), live_sim.create_job("rds", duration=3)]
    out = tmp_path / "outcome.json"

    rc, output = run_playbook(live_sim, "wait_async.yml", {"job_ids": job_ids, "out": str(out)},
                              env_extra={"ANSIBLE_ASYNC_DIR": str(tmp_path / "async")})

    assert rc == 0, output[-4000:]
    assert "does not support async" not in output
    outcome = json.loads(out.read_text())
    started, collected, polled = outcome["started"], outcome["collected"], outcome["polled"]
    assert started["ansible_job_id"] and not started.get("finished"), "poll: 0 must hand back a job to collect later"
    assert outcome["other"] is True
    for result in (collected, polled):
        assert result["finished"] and not result.get("failed"), result
        assert sorted(result["succeeded"]) == sorted(job_ids)
        assert sorted(result["by_id"]) == sorted(job_ids)
        assert [task["phase"] for task in result["tasks"]] == ["succeeded", "succeeded"]
        assert result["outcome"] == "succeeded" and result["requests"]["requests"] > 0
    assert live_sim.credentials["auth_token"] not in out.read_text()


# ---------------------------------------------------------------------------
# 4. many hosts, one job each, one wait


HOSTS = 20
FORKS = 5


def fleet_inventory(tmp_path, count):
    hosts = ["host%02d" % number for number in range(1, count + 1)]
    path = tmp_path / "inventory.ini"
    path.write_text("[fleet]\n%s\n\n[fleet:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                    % ("\n".join(hosts), sys.executable))
    return hosts, str(path)


def recap(output):
    """host -> (ok, failed) from the PLAY RECAP."""
    found = {}
    for host, ok, failed in re.findall(r"^(\S+)\s+: ok=(\d+)\s+changed=\d+\s+unreachable=\d+\s+failed=(\d+)", output, re.M):
        found[host] = (int(ok), int(failed))
    return found


def run_fleet(live_sim, tmp_path, ways, outcomes=None):
    hosts, inventory = fleet_inventory(tmp_path, HOSTS)
    outcomes = outcomes or {}
    host_jobs = dict((host, live_sim.create_job("rds", duration=1 + index % 3, outcome=outcomes.get(host, "success")))
                     for index, host in enumerate(hosts))
    out_dir = tmp_path / "hosts"
    out_dir.mkdir()
    rc, output = run_playbook(live_sim, "many_hosts.yml", {"host_jobs": host_jobs, "out_dir": str(out_dir), "ways": ways},
                              options=("-i", inventory, "-f", str(FORKS)))
    seen = dict((path.stem, json.loads(path.read_text())) for path in out_dir.iterdir())
    return hosts, host_jobs, rc, output, seen


def test_one_wait_serves_every_host_and_each_finds_its_job(live_sim, tmp_path):
    hosts, host_jobs, rc, output, seen = run_fleet(live_sim, tmp_path, ["by_hand", "role"])

    assert rc == 0, output[-4000:]
    assert sorted(seen) == hosts
    for host in hosts:
        for way in ("gate_job", "role_job"):
            assert seen[host][way]["id"] == host_jobs[host] and seen[host][way]["phase"] == "succeeded", (host, way)
        assert sorted(seen[host]["gate_ids"]) == sorted(host_jobs.values())
    # One wait per way for all 20 jobs, not one per host.
    assert output.count("waiting for %d rds tasks" % HOSTS) == 2, output[-4000:]
    assert "waiting for 1 rds task" not in output


def test_with_the_role_only_the_host_whose_job_failed_fails(live_sim, tmp_path):
    hosts, host_jobs, rc, output, seen = run_fleet(live_sim, tmp_path, ["role"], outcomes={"host07": "failure"})

    assert rc != 0
    verdicts = recap(output)
    assert sorted(verdicts) == hosts, output[-4000:]
    assert [host for host in hosts if verdicts[host][1]] == ["host07"], output[-4000:]
    assert sorted(seen) == [host for host in hosts if host != "host07"]
    assert all(seen[host]["role_job"]["phase"] == "succeeded" for host in seen)
    failure = [line for line in output.splitlines() if line.startswith("fatal: [host07]")]
    assert failure and host_jobs["host07"] in failure[0] and "Insufficient resources in the AZ" in failure[0], output[-4000:]
    assert output.count("waiting for %d rds tasks" % HOSTS) == 1
