# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real ansible-rulebook with extensions/eda/rulebooks/remediate_failed_jobs.yml against the simulator.

Run by tests/utils/eda.sh (`make test` step "eda"): ansible-rulebook comes from its own venv
($EDA_VENV, default .venv-eda, requirements/eda.txt), the collection from the build, the simulator
runs in this pytest process on real time. Skipped only where Java (>= 17, for drools) is missing.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import shutil
import subprocess
import time

import pytest
import yaml

from integration.support import COLLECTIONS_PATH, playbook_env

pytestmark = [pytest.mark.simulator]

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDA_VENV = os.environ.get("EDA_VENV") or os.path.join(REPO_ROOT, ".venv-eda")
RULEBOOK = "taskgate.huaweicloud.remediate_failed_jobs"


@pytest.fixture(scope="module")
def rulebook_bin():
    if shutil.which("java") is None:
        pytest.skip("ansible-rulebook needs Java >= 17 and 'java' is not on PATH (apt-get install openjdk-17-jre-headless)")
    path = os.path.join(EDA_VENV, "bin", "ansible-rulebook")
    if not os.access(path, os.X_OK):
        pytest.fail("no ansible-rulebook in %s: run tests/utils/eda.sh (it creates the venv from requirements/eda.txt)" % EDA_VENV)
    return path


def run_rulebook(rulebook_bin, server, tmp_path, variables):
    eda_bin = os.path.dirname(rulebook_bin)
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": os.path.join(eda_bin, "python")}}}}))
    vars_file = tmp_path / "vars.yml"
    vars_file.write_text(yaml.safe_dump(variables))
    env = playbook_env(server, {
        "PATH": eda_bin + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_PYTHON_INTERPRETER": os.path.join(eda_bin, "python"),
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
    })
    env.pop("PYTHONPATH", None)   # the source must find the collection from where it is installed
    started = time.monotonic()
    completed = subprocess.run([rulebook_bin, "-v", "-i", str(inventory), "-r", RULEBOOK, "-e", str(vars_file),
                                "--shutdown-delay", "60"],
                               cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=90, check=False)
    return completed.returncode, completed.stdout.decode("utf-8", "replace"), time.monotonic() - started


def test_the_failure_rule_fires_for_the_failed_job_only_and_until_terminal_ends_the_run(rulebook_bin, live_sim, tmp_path):
    # Long enough to be seen running first: ansible-rulebook itself takes a few seconds to start.
    good = live_sim.create_job("rds", duration=8)
    bad = live_sim.create_job("rds", duration=6, outcome="failure")
    variables = {"watch_service": "rds", "watch_ids": [good, bad], "watch_interval": 0.5,
                 "taskgate_endpoints": live_sim.endpoints}

    returncode, output, seconds = run_rulebook(rulebook_bin, live_sim, tmp_path, variables)

    assert returncode == 0, output
    remediations = [line for line in output.splitlines() if "remediation for " in line]
    assert len(remediations) == 1, output
    assert "remediation for rds job %s (CreateInstance): status Failed (was Running)" % bad in remediations[0]
    assert "reason Insufficient resources in the AZ" in remediations[0]
    assert good not in remediations[0]
    assert output.count("rds job %s (CreateInstance) succeeded" % good) == 1, output
    # until_terminal: the source ended once both jobs were terminal, and ansible-rulebook with it.
    assert "every watched task is terminal, ending the source" in output
    assert seconds < 60, "ansible-rulebook ran %.1f s" % seconds
    assert live_sim.credentials["auth_token"] not in output


def test_a_bad_source_argument_stops_the_rulebook_before_any_request(rulebook_bin, live_sim, tmp_path):
    variables = {"watch_service": "rdss", "watch_ids": ["x"], "taskgate_endpoints": live_sim.endpoints}
    live_sim.reset_stats()

    returncode, output, _seconds = run_rulebook(rulebook_bin, live_sim, tmp_path, variables)

    assert returncode != 0, output
    assert "service must be one of geminidb, rds, ddm, servicestage, ecs, evs, bms, gaussdb, dds, taurusdb, cce, ims, dcs, bss_order; got 'rdss'" in output
    assert live_sim.stats()["requests"] == 0
