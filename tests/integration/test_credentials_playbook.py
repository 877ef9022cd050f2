# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in any output: a -vvv playbook run whose credentials are a KooCLI profile turned into agency
keys (module, action plugin and lookup), scanned for every key the profile and the cloud handed out."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]


def test_profile_and_agency_keys_never_reach_the_vvv_output(live_sim, tmp_path):
    live_sim.configure_credentials(sts_ttl=900)
    creds = live_sim.credentials
    profile = tmp_path / "config.json"
    profile.write_text(json.dumps({"current": "ci", "profiles": [{
        "name": "ci", "mode": "AKSK", "accessKeyId": creds["access_key"], "secretAccessKey": creds["secret_key"],
        "region": live_sim.region, "agencyName": "sim-agency", "agencyDomainName": "sim-other-domain"}]}))
    job_ids = [live_sim.create_job("rds", duration=1) for _unused in range(2)]
    env = playbook_env(live_sim, {"HW_SHARED_CONFIG_FILE": str(profile), "ANSIBLE_INJECT_INVOCATION": "1"})
    for name in ("HW_AUTH_TOKEN", "HW_PROJECT_ID", "HW_REGION_NAME"):
        env.pop(name, None)

    completed = subprocess.run(["ansible-playbook", "-vvv", os.path.join(PLAYBOOK_DIR, "credential_chain.yml"), "-e",
                                json.dumps({"sim_endpoints": live_sim.endpoints, "job_ids": job_ids})],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240, check=False)
    output = completed.stdout.decode("utf-8", "replace")

    assert completed.returncode == 0, output[-4000:]
    issued = live_sim.credential_book.issued()
    assert len(issued) >= 3, "the action plugin, the module and the lookup each got agency keys"
    secrets = {"profile secret key": creds["secret_key"]}
    for number, record in enumerate(issued):
        secrets.update({"temporary access key %d" % number: record["access"], "temporary secret key %d" % number: record["secret"],
                        "security token %d" % number: record["token"]})
    leaked = sorted(name for name, value in secrets.items() if value in output)
    assert not leaked, "secrets in the -vvv output: %s" % leaked
    assert "sim-agency" in output or "not-an-agency" in output   # the run really printed its details
