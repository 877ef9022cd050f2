# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wait_for_task behind the simulator's gateway flow control (issue 26): no answer lost, a refused
request is never taken for a missing job, max_request_rate keeps under the quota, and several hosts
sharing one quota each learn their share.

The first two run in-process on the simulator's ManualClock (the limiter's waits advance it); the
shared quota needs separate processes, so it runs ansible-playbook against the simulator on real time.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys

import pytest

from support import PLAYBOOK_DIR, playbook_env, run_module_main, token_params, wait_params

pytestmark = pytest.mark.simulator


def test_a_refused_request_loses_no_answer_and_is_not_taken_for_a_missing_job(sim, sim_time):
    """40 ids against a 10/s quota, no client retries: each refresh is partly refused. Every answer that
    came is kept, the refused ids are asked again, and not_found_grace (0: the first "no such job" fails)
    never runs out on them."""
    sim.set_quota(rate=10, burst=10, services=["ecs"])
    ids = [sim.create_job("ecs", duration=3 + index % 5) for index in range(40)]

    result = sim_time.run(wait_params(sim, "ecs", id=ids, max_retries=0, not_found_grace=0, timeout=300))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sorted(result["succeeded"]) == sorted(ids)
    refused = sim.gateway.snapshot()["refused"]["ecs"]
    assert refused > 0 and result["pace"]["refused"] == refused
    assert result["pace"]["rate"] is not None and result["pace"]["rate"] <= 20


def test_the_timeout_names_the_ids_that_could_not_be_asked(sim, sim_time):
    sim.set_quota(rate=0.01, burst=1, services=["ecs"])   # one request, then nothing for 100 s
    ids = [sim.create_job("ecs", duration=2), sim.create_job("ecs", duration=2)]

    result = sim_time.run(wait_params(sim, "ecs", id=ids, max_retries=0, not_found_grace=5, timeout=20))

    assert result["outcome"] == "timeout", result["msg"]
    assert "could not be asked" in result["msg"] and "not found" not in result["msg"]
    assert "HTTP 429" in result["msg"]


def test_task_info_returns_the_answered_tasks_beside_the_refused_ids(sim, capsys):
    """The gateway's clock stands still: 3 requests pass, the next ones are refused (no retries)."""
    from ansible_collections.taskgate.huaweicloud.plugins.modules import task_info
    sim.set_quota(rate=1, burst=3, services=["ecs"])
    ids = [sim.create_job("ecs", duration=30) for _unused in range(5)]

    result = run_module_main(task_info.main, dict(token_params(sim), service="ecs", id=ids, max_retries=0), capsys)

    assert result["failed"] is True and result["error"]["type"] == "Throttled"
    assert len(result["tasks"]) == 3 and set(task["id"] for task in result["tasks"]) < set(ids)
    assert "2 of 5 ids could not be asked" in result["msg"] and "max_request_rate" in result["msg"]


def test_max_request_rate_at_the_quota_is_never_refused(sim, sim_time):
    sim.set_quota(rate=10, burst=10, services=["ecs"])
    ids = [sim.create_job("ecs", duration=2 + index % 4) for index in range(30)]

    result = sim_time.run(wait_params(sim, "ecs", id=ids, max_request_rate=10, timeout=300))

    assert result["outcome"] == "succeeded", result["msg"]
    assert sim.gateway.snapshot()["refused"].get("ecs", 0) <= 1
    assert result["pace"]["rate"] == 10.0


def test_a_bad_max_request_rate_is_refused_before_any_request(sim, sim_time):
    result = None
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
    with pytest.raises(InvalidInput) as info:
        result = sim_time.run(wait_params(sim, "ecs", id=["x"], max_request_rate=0))
    assert result is None and "max_request_rate" in str(info.value)
    assert sim.stats()["by_endpoint"] == {} or not any("ecs" in key for key in sim.stats()["by_endpoint"])


@pytest.mark.playbook
def test_four_hosts_sharing_one_quota_all_succeed(live_sim, tmp_path):
    """Four hosts at forks 4, each waiting for its own 12 jobs under one 10/s quota: each process learns
    its share; no job that exists is reported missing."""
    live_sim.set_quota(rate=10, burst=10, services=["ecs"])
    hosts = ["host%d" % number for number in range(1, 5)]
    inventory = tmp_path / "inventory.ini"
    inventory.write_text("[fleet]\n%s\n\n[fleet:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                         % ("\n".join(hosts), sys.executable))
    host_jobs = dict((host, [live_sim.create_job("ecs", duration=2 + (index + number) % 3) for index in range(12)])
                     for number, host in enumerate(hosts))
    extra_vars = {"host_jobs": host_jobs, "sim_endpoints": live_sim.endpoints}
    completed = subprocess.run(["ansible-playbook", "-i", str(inventory), "-f", "4", os.path.join(PLAYBOOK_DIR, "quota_hosts.yml"),
                                "-e", json.dumps(extra_vars)], env=playbook_env(live_sim), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=240, check=False)
    output = completed.stdout.decode("utf-8", "replace")

    assert completed.returncode == 0, output
    assert "not found" not in output
    paces = re.findall(r"PACE (host\d) refused=(\d+) rate=(\S+?)\"", output)
    assert sorted(host for host, _refused, _rate in paces) == hosts, output
    refused = live_sim.gateway.snapshot()["refused"].get("ecs", 0)
    assert sum(int(count) for _host, count, _rate in paces) == refused
