# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ansible-navigator run --ee false --mode stdout`` on the AWX test playbook (tests/awx/project/gates.yml).

The collection comes from ``ansible-galaxy collection install`` of the built artifact into a collections path
(conftest.py), never from the checkout. This run logs in as an IAM user (the credential type's password inputs,
the simulator behind HTTPS with certificate checks turned off by the ``insecure`` input), so the password and
the IAM token the collection gets must not show in the output or in navigator's playbook artifact.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import awx_credential
import awx_job

pytestmark = [pytest.mark.simulator, pytest.mark.playbook]


def test_navigator_runs_the_job_playbook(tls_sim, user_collections, tmp_path):
    inputs = awx_job.credential_inputs(tls_sim, "password")
    jobs = {
        "db_ids": [tls_sim.create_job("rds", duration=8), tls_sim.create_job("rds", duration=12)],
        "component_id": tls_sim.create_job("servicestage", duration=2, outcome="failure"),
        "mirror_id": tls_sim.create_job("ddm", duration=14),
    }
    project = str(tmp_path / "project")
    shutil.copytree(awx_job.PROJECT, project)
    env = awx_credential.inject(awx_credential.load_credential_type(awx_job.CREDENTIAL_TYPE), inputs, str(tmp_path))[0]
    extravars = tmp_path / "extravars.json"
    extravars.write_text(json.dumps(dict(jobs, sim_endpoints=tls_sim.endpoints)))
    report_dir = tmp_path / "reports"
    artifact = tmp_path / "gates-artifact.json"

    completed = subprocess.run(
        [os.path.join(awx_job.BIN, "ansible-navigator"), "run", "gates.yml",
         "--ee", "false", "--mode", "stdout", "--pae", "true", "--pas", str(artifact),
         "--lf", str(tmp_path / "navigator.log"),
         "-i", os.path.join(awx_job.INVENTORY, "hosts.yml"), "-e", "@" + str(extravars)],
        cwd=project, env=awx_job.clean_environment(user_collections, dict(env, TASKGATE_REPORT_DIR=str(report_dir))),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240, check=False)
    output = completed.stdout.decode("utf-8", "replace")

    assert completed.returncode == 0, output
    # The live progress lines and the callback's table, as ansible-playbook prints them.
    assert "[localhost] waiting for 2 rds tasks (timeout 1m0s)" in output, output
    for job_id in jobs["db_ids"]:
        assert "rds CreateInstance %s" % job_id[:8] in output
    assert "servicestage provision/provMain %s" % jobs["component_id"][:8] in output
    assert "rescued: failed ['%s']" % jobs["component_id"] in output
    assert "TASKGATE GATES" in output and "4 gates, 5 tasks waited on, 1 gate did not succeed" in output, output
    junit = ET.parse(str(report_dir / "junit.xml")).getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("5", "1")

    # navigator's playbook artifact holds every task result: the rescued failure, the collected background wait.
    with open(str(artifact)) as handle:
        recorded = json.load(handle)
    assert recorded["status"] == "successful"
    results = dict((task["task"], task["res"]) for task in recorded["plays"][0]["tasks"] if "res" in task)
    assert results["Wait for the component"]["failed_ids"] == [jobs["component_id"]]
    assert "Building failed" in results["Wait for the component"]["msg"]
    background = results["Collect the background wait for the mirror"]
    foreground = results["Wait for the mirror in the foreground"]
    assert (background["outcome"], background["succeeded"]) == (foreground["outcome"], foreground["succeeded"]) == (
        "succeeded", [jobs["mirror_id"]])
    texts = [output, artifact.read_text()]
    secrets = awx_job.secrets_of(tls_sim, inputs)
    assert inputs["password"] in secrets and len(secrets) >= 2   # the password and at least one IAM token
    for text in texts:
        for secret in secrets:
            assert secret not in text
