# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_resource and resource_state in a real ansible-playbook run (action plugin, action group, role).

ansible-playbook is a separate process, so the simulator runs on real time (jobs of 1-2 s).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]


def test_create_job_resource_then_delete_and_gone(live_sim, tmp_path):
    live_sim.configure(job_duration="1:2", init_for=0.2)
    live_sim.resources.configure(settle_for=1)
    out = tmp_path / "outcome.json"
    extra = {"sim_endpoints": live_sim.endpoints, "token": live_sim.credentials["auth_token"],
             "project": live_sim.project_id, "region": live_sim.region, "out": str(out)}

    report_dir = tmp_path / "reports"
    env = playbook_env(live_sim, {"ANSIBLE_CALLBACKS_ENABLED": "taskgate.huaweicloud.gate_report",
                                  "TASKGATE_REPORT_DIR": str(report_dir)})
    run = subprocess.run(["ansible-playbook", os.path.join(PLAYBOOK_DIR, "wait_for_resource.yml"), "-e", json.dumps(extra)],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=240, check=False)

    assert run.returncode == 0, run.stdout[-4000:]
    outcome = json.loads(out.read_text())
    gate = outcome["gate"]
    assert gate["phases"]["job"]["outcome"] == "succeeded" and gate["phases"]["resource"]["outcome"] == "succeeded"
    assert sorted(resource["id"] for resource in gate["resources"]) == sorted(outcome["checked"]["succeeded"])
    assert all(resource["status"] == "ACTIVE" for resource in gate["resources"])
    assert outcome["checked"]["changed"] is False and outcome["checked"]["outcome"] == "succeeded"
    assert outcome["rds_ready"]["resources"][0]["status"] == "ACTIVE"
    assert outcome["rds_deleted"]["job_id"] and outcome["rds_deleted"]["resource_id"] == outcome["rds_ready"]["succeeded"][0]
    assert outcome["rds_gone"]["resources"][0]["phase"] == "absent" and outcome["rds_gone"]["outcome"] == "succeeded"
    bad = outcome["bad_state"]
    assert bad["failed"] is True and bad["error"]["option"] == "state" and "available, in-use" in bad["msg"]
    # The action plugin's live progress lines.
    assert "waiting for 1 RDS instance to be gone" in run.stdout
    assert u"RDS instance db-1 %s\u2026 pending [ACTIVE]" % outcome["rds_ready"]["succeeded"][0][:8] in run.stdout
    assert "waiting for 1 RDS instance to be ACTIVE" in run.stdout
    assert live_sim.credentials["auth_token"] not in run.stdout
    # The gate report charts the resource waits too: one test case per resource, the service's resource as class.
    cases = list(ET.parse(str(report_dir / "junit.xml")).getroot().iter("testcase"))
    instance = outcome["rds_ready"]["succeeded"][0]
    assert [case.get("classname") for case in cases if instance in case.get("name")] == ["RDS instance", "RDS instance"]
    assert sum(1 for case in cases if case.get("classname") == "ECS server") >= 2
    table = run.stdout[run.stdout.index("TASKGATE GATES"):]
    assert "Wait until the instance is ACTIVE" in table and "Wait until it is gone" in table
