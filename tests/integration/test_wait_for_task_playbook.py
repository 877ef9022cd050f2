# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_task through ansible-playbook: live progress lines on a pipe, failure paragraph, no secrets.

ansible-playbook is a separate process, so the simulator runs on real time here (jobs of 2-3 s).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

PLAYBOOK = os.path.join(PLAYBOOK_DIR, "wait_progress.yml")
WAIT_TASK_HEADER = "TASK [Wait for the jobs]"


def run_playbook(server, service, job_ids, env_extra=None, drop_env=(), options=()):
    env = playbook_env(server, env_extra)
    for name in drop_env:
        env.pop(name, None)
    extra_vars = {"sim_endpoints": server.endpoints, "job_ids": job_ids, "wait_service": service}
    # stdout is a pipe, as in CI: progress must come through without a TTY.
    completed = subprocess.run(["ansible-playbook", "-vvv"] + list(options) + [PLAYBOOK, "-e", json.dumps(extra_vars)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180, check=False)
    return completed.returncode, completed.stdout.decode("utf-8", "replace")


def wait_task_output(output, result_marker):
    """The lines printed while the wait task ran, and the index of its result line."""
    lines = output.splitlines()
    start = [index for index, line in enumerate(lines) if line.startswith(WAIT_TASK_HEADER)][0]
    end = [index for index, line in enumerate(lines) if index > start and line.startswith(result_marker)][0]
    return lines[start + 1:end]


def secrets_of(server):
    creds = server.credentials
    return [creds["auth_token"], creds["secret_key"], creds["password"], "MIIiam-"]


def assert_no_secret(output, server):
    leaked = [secret[:6] + "..." for secret in secrets_of(server) if secret in output]
    assert not leaked, "secrets in the ansible-playbook output: %s" % leaked


PASSWORD_AUTH = "password"
TOKEN_AUTH = "token"


@pytest.mark.parametrize("auth, options", [(TOKEN_AUTH, ()), (PASSWORD_AUTH, ()), (TOKEN_AUTH, ("--check",))],
                         ids=["token", "password", "token-check-mode"])
def test_progress_lines_reach_a_pipe_before_the_result(live_sim, auth, options):
    job_ids = [live_sim.create_job("rds", duration=2), live_sim.create_job("rds", duration=3)]
    env_extra, drop_env = None, ()
    if auth == PASSWORD_AUTH:
        creds = live_sim.credentials
        env_extra = {"HW_USER_NAME": creds["user_name"], "HW_USER_PASSWORD": creds["password"],
                     "HW_DOMAIN_NAME": creds["domain_name"]}
        drop_env = ("HW_AUTH_TOKEN",)

    # Check mode changes nothing: the gate only reads, so it waits and reports as usual.
    returncode, output = run_playbook(live_sim, "rds", job_ids, env_extra, drop_env, options)

    assert returncode == 0, output
    progress = wait_task_output(output, "ok: [localhost]")
    assert "[localhost] waiting for 2 rds tasks (timeout 1m0s)" in progress, output
    for job_id in job_ids:
        about_job = [line for line in progress if job_id[:8] in line]
        assert about_job, "no progress line for %s before the task result:\n%s" % (job_id, output)
        assert about_job[-1].startswith("[localhost] rds CreateInstance ") and "succeeded" in about_job[-1]
    assert "\r" not in output and "\x1b[" not in output
    assert_no_secret(output, live_sim)


def test_failure_paragraph_reaches_the_output(live_sim):
    job_id = live_sim.create_job("servicestage", duration=2, outcome="failure")

    returncode, output = run_playbook(live_sim, "servicestage", [job_id])

    assert returncode != 0, output
    progress = wait_task_output(output, "fatal: [localhost]: FAILED!")
    assert [line for line in progress if job_id[:8] in line and "failed" in line], output
    assert "1 of 1 tasks failed after" in output
    assert "servicestage provision/provMain %s failed with status FAILED" % job_id in output
    assert "sub-task TN00097 failed: ECC00011: Building failed" in output
    assert_no_secret(output, live_sim)
