# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job API declared in full, in a real ansible-playbook run: the task lookup and the task_gate role.

ansible-playbook is a separate process, so the simulator runs on real time (ECS jobs of 1-3 s).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess

import pytest

from support import PLAYBOOK_DIR, ecs_api, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

ECS_JOB_PATH = "GET ecs /v1/{project_id}/jobs/{job_id}"


def test_lookup_and_task_gate_read_a_declared_api(live_sim, tmp_path):
    live_sim.configure(job_duration="1:3", init_for=0.5)
    ok_job = live_sim.create_job("ecs", subjobs=2)
    bad_job = live_sim.create_job("ecs", outcome="failure", fail_reason="No capacity for flavor c7.large")
    out = tmp_path / "outcome.json"
    extra = {"ecs_api": ecs_api(live_sim), "ok_job": ok_job, "bad_job": bad_job, "out": str(out)}

    run = subprocess.run(["ansible-playbook", os.path.join(PLAYBOOK_DIR, "declared_api.yml"), "-e", json.dumps(extra)],
                         env=playbook_env(live_sim), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=240, check=False)

    assert run.returncode == 0, run.stdout[-4000:]
    outcome = json.loads(out.read_text())
    # The lookup: the job by id (the unknown id is simply absent), normalized with the declared paths.
    [task] = outcome["looked_up"]
    assert (task["id"], task["service"], task["name"]) == (ok_job, "ecs-job", "createServer")
    assert task["status"] in ("INIT", "RUNNING", "SUCCESS")
    assert [sub["id"] for sub in task["subtasks"]] == live_sim.job(ok_job)["subtask_ids"]
    assert "taskgate.huaweicloud.task: api.path is required" in outcome["bad_lookup"]
    # The role: a gate that passes, one that fails with the failed sub-job's reason, one that refuses.
    gate = outcome["ok_gate"]
    assert gate["succeeded"] == [ok_job] and gate["tasks"][0]["service"] == "ecs-job"
    assert "ecs-job createServer %s failed with status FAIL" % bad_job in outcome["bad_gate"]
    assert "No capacity for flavor c7.large" in outcome["bad_gate"]
    assert "task_gate_service" in outcome["both"] and "not both" in outcome["both"]
    assert live_sim.credentials["auth_token"] not in run.stdout
    # Only the two jobs were asked for, by the declared path (the refused gate and the bad lookup sent nothing).
    requests = live_sim.stats()["by_endpoint"]
    assert set(key for key in requests if requests[key]) == {ECS_JOB_PATH}
