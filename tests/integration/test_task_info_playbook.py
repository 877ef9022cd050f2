# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""task_info and the task lookup in a real ansible-playbook run, and no secret in -vvv output."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = pytest.mark.playbook


def auth_env(sim, mode):
    """HW_* variables for one auth mode; the token of the default env is removed for the others."""
    creds = sim.credentials
    env = playbook_env(sim)
    if mode == "token":
        return env
    del env["HW_AUTH_TOKEN"]
    if mode == "aksk":
        env.update(HW_ACCESS_KEY=creds["access_key"], HW_SECRET_KEY=creds["secret_key"])
        if creds.get("security_token"):
            env["HW_SECURITY_TOKEN"] = creds["security_token"]
    else:
        del env["HW_PROJECT_ID"]  # learnt from the IAM token
        env.update(HW_USER_NAME=creds["user_name"], HW_USER_PASSWORD=creds["password"],
                   HW_DOMAIN_NAME=creds["domain_name"])
    return env


@pytest.mark.parametrize("mode", ["token", "aksk", "password"])
def test_task_info_playbook_works_and_never_prints_a_secret(live_sim, mode):
    if mode == "aksk":
        live_sim.configure(temporary_ak=True)
    extra = {
        "sim_endpoints": live_sim.endpoints,
        "rds_job": live_sim.create_job("rds", duration=60),
        "geminidb_job": live_sim.create_job("geminidb", duration=60),
    }
    run = subprocess.run(
        ["ansible-playbook", "-vvv", os.path.join(PLAYBOOK_DIR, "task_info.yml"), "-e", json.dumps(extra)],
        env=auth_env(live_sim, mode), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "ok=" in run.stdout and "failed=0" in run.stdout
    creds = live_sim.credentials
    for name in ("auth_token", "secret_key", "security_token", "password"):
        if creds.get(name):
            assert creds[name] not in run.stdout, "%s leaked into the -vvv output" % name


LOOKUP_RETRIES = """
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: One 503, and HW_MAX_RETRIES=0 says not to retry it
      ansible.builtin.set_fact:
        looked_up: "{{ query('taskgate.huaweicloud.task', rds_job, service='rds', endpoints=sim_endpoints) }}"
      ignore_errors: true
      register: lookup_run
    - ansible.builtin.assert:
        that:
          - lookup_run is failed
          - "'HTTP 503' in lookup_run.msg"
"""


def test_the_lookup_reads_hw_variables_its_documented_defaults_would_hide(live_sim, tmp_path):
    # The lookup's options have documented defaults (max_retries: 4); HW_MAX_RETRIES must still win.
    playbook = tmp_path / "lookup_retries.yml"
    playbook.write_text(LOOKUP_RETRIES)
    extra = {"sim_endpoints": live_sim.endpoints, "rds_job": live_sim.create_job("rds", duration=60)}
    live_sim.inject_fault("503", count=1, service="rds")
    live_sim.reset_stats()
    run = subprocess.run(["ansible-playbook", str(playbook), "-e", json.dumps(extra)],
                         env=playbook_env(live_sim, {"HW_MAX_RETRIES": "0"}), cwd=str(tmp_path),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
                         check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    assert live_sim.stats()["requests"] == 1, live_sim.stats()
