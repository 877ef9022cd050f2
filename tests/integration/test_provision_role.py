# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provision and task_gate roles through ansible-playbook against the simulator.

ansible-playbook is a separate process, so the simulator runs on real time; orderings are checked
with the simulator's own job timestamps (created / ends_at), never with sleeps.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import subprocess
import time

import pytest

from support import PLAYBOOK_DIR, playbook_env

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

RUN_PLAYBOOK = os.path.join(PLAYBOOK_DIR, "provision_run.yml")
GATE_PLAYBOOK = os.path.join(PLAYBOOK_DIR, "provision_task_gate.yml")

PATHS = {
    "rds": "/v3/{project_id}/instances",
    "geminidb": "/v3/{project_id}/instances",
    "ddm": "/v1/{project_id}/instances",
}


def step(name, service, depends_on=(), instance_name=None, path=None, **extra):
    """A step as a YAML block; extra keys are raw YAML lines (so !unsafe templates stay tags)."""
    lines = [
        "- name: %s" % name,
        "  service: %s" % service,
        "  depends_on: [%s]" % ", ".join(depends_on),
        "  request:",
        "    path: %s" % (path or PATHS[service]),
        "    body: {name: %s}" % (instance_name or "it-" + name),
    ]
    for key, value in extra.items():
        lines.append("  %s: %s" % (key, value))
    return "\n".join(lines)


def run(server, tmp_path, playbook, steps_yaml=None, extra=None):
    """Run a playbook, return (rc, output, outcome dict written by the playbook)."""
    out = tmp_path / "outcome.json"
    extra_vars = {"sim_endpoints": server.endpoints, "out": str(out)}
    extra_vars.update(extra or {})
    command = ["ansible-playbook", playbook, "-e", json.dumps(extra_vars)]
    if steps_yaml is not None:
        steps_file = tmp_path / "steps.yml"
        steps_file.write_text("steps:\n" + "\n".join("  " + line for line in steps_yaml.splitlines()) + "\n")
        command += ["-e", "@%s" % steps_file]
    completed = subprocess.run(command, env=playbook_env(server), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=240, check=False)
    output = completed.stdout.decode("utf-8", "replace")
    outcome = json.loads(out.read_text()) if out.exists() else None
    assert outcome is not None, "the playbook wrote no outcome:\n" + output[-3000:]
    return completed.returncode, output, outcome


def jobs_by_step(server, results):
    return dict((name, server.job(record["job_id"])) for name, record in results.items() if record.get("job_id"))


def test_waves_issue_together_and_dependencies_wait(live_sim, tmp_path):
    # Jobs outlast the ~1 s Ansible needs per loop item, so "issued together" is observable.
    live_sim.configure(job_duration="4:4")
    steps = "\n".join([
        step("db", "rds"),
        step("cache", "geminidb"),
        step("proxy", "ddm", depends_on=["db"]),
        # The path uses the RDS instance id: proves results are rendered at issue time.
        step("web", "servicestage", depends_on=["proxy", "cache"],
             path='!unsafe "/v2/{project_id}/cas/applications/{{ provision_results.db.instance_id }}/components/c1/instances"'),
    ])
    rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps)
    assert rc == 0, output[-3000:]
    assert outcome["waves"] == [["db", "cache"], ["proxy"], ["web"]]
    results = outcome["results"]
    assert [results[name]["state"] for name in ("db", "cache", "proxy", "web")] == ["succeeded"] * 4
    jobs = jobs_by_step(live_sim, results)
    # One wave: both jobs were issued before either finished (so before either gate could pass).
    assert jobs["cache"]["created"] < jobs["db"]["ends_at"]
    assert jobs["db"]["created"] < jobs["cache"]["ends_at"]
    # Dependencies: a step is issued only after the job of each dependency has finished.
    assert jobs["proxy"]["created"] >= jobs["db"]["ends_at"]
    assert jobs["web"]["created"] >= max(jobs["proxy"]["ends_at"], jobs["cache"]["ends_at"])
    stats = live_sim.stats()
    assert stats["first_terminal_served"][jobs["db"]["id"]] <= jobs["proxy"]["created"]
    web_instances = live_sim.state.instances_of("servicestage", live_sim.state.now(), app_id=results["db"]["instance_id"])
    assert [i["id"] for i in web_instances] == [results["web"]["instance_id"]]


def test_exists_check_skips_the_create_on_a_second_run(live_sim, tmp_path):
    live_sim.configure(job_duration="0.5:0.5")
    exists = '{path: "/v3/{project_id}/instances", query: {name: it-db}, result_path: instances}'
    steps = step("db", "rds", exists=exists)
    rc, output, first = run(live_sim, tmp_path, RUN_PLAYBOOK, steps)
    assert rc == 0, output[-3000:]
    assert first["results"]["db"]["state"] == "succeeded"
    creates_before = live_sim.stats()["by_endpoint"].get("POST rds /v3/{project_id}/instances")
    rc, output, second = run(live_sim, tmp_path, RUN_PLAYBOOK, steps)
    assert rc == 0, output[-3000:]
    assert second["results"]["db"]["state"] == "existing"
    assert second["results"]["db"]["instance_id"] == first["results"]["db"]["instance_id"]
    assert live_sim.stats()["by_endpoint"].get("POST rds /v3/{project_id}/instances") == creates_before == 1
    recap = output.split("PLAY RECAP")[-1]
    # Only the outcome file write of the test playbook may change.
    assert "changed=1 " in recap, recap


def test_failure_mid_chain_stops_later_steps_and_lists_what_exists(live_sim, tmp_path):
    live_sim.configure(job_duration="1:1")
    steps = "\n".join([
        step("db", "rds"),
        step("cache", "geminidb", depends_on=["db"], instance_name="fail-cache"),
        step("proxy", "ddm", depends_on=["cache"]),
    ])
    rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps)
    assert rc == 0, output[-3000:]  # the test playbook rescues the failure
    error = outcome["error"]
    assert error.startswith("provision stopped: wave 2 step cache (geminidb): ")
    assert "status Failed" in error  # the forensics of wait_for_task
    results = outcome["results"]
    assert results["db"]["state"] == "succeeded"
    assert results["cache"]["state"] == "failed"
    assert "proxy" not in results
    assert live_sim.stats()["by_endpoint"].get("POST ddm /v1/{project_id}/instances") is None
    summary = outcome["summary"]
    assert "db (rds): succeeded instance_id=%s" % results["db"]["instance_id"] in summary[0]
    assert summary[1].startswith("cache (geminidb): failed instance_id=")
    assert summary[2] == "proxy (ddm): not issued"


def test_shared_deadline_fails_the_second_wave_on_time(live_sim, tmp_path):
    # Each job takes 12 s and the chain may take 19 s from the role's start: wave 1 fits (with up
    # to ~6 s of Ansible overhead), wave 2 cannot, as its job ends 24 s after the start at the
    # earliest. With a fresh per-gate timeout (1 h here) wave 2 would succeed instead.
    live_sim.configure(job_duration="12:12")
    steps = "\n".join([step("db", "rds"), step("proxy", "ddm", depends_on=["db"], gate="{timeout: 1h}")])
    rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps, extra={"timeout": 19})
    assert rc == 0, output[-3000:]
    results = outcome["results"]
    assert results["db"]["state"] == "succeeded", outcome["error"]
    assert results["proxy"]["state"] == "failed"
    # The gate gave up while the job was still running: it stopped at the deadline, not at job end.
    assert live_sim.stats()["first_terminal_served"].get(results["proxy"]["job_id"]) is None
    assert outcome["error"].startswith("provision stopped: wave 2 step proxy (ddm): "), outcome["error"]


def test_task_gate_chain_shares_one_budget(live_sim, tmp_path):
    first = live_sim.create_job("rds", duration=1)
    second = live_sim.create_job("rds", duration=60)
    started = time.monotonic()
    rc, output, outcome = run(live_sim, tmp_path, GATE_PLAYBOOK,
                              extra={"first_ids": [first], "second_ids": [second], "budget": 4})
    took = time.monotonic() - started
    assert rc == 0, output[-3000:]
    assert outcome["first"]["succeeded"] == [first]
    # float(): before ansible-core 2.19 a templated fact holds the number as text (the role accepts both).
    assert float(outcome["deadline"]) == outcome["first"]["deadline"]
    assert outcome["second"]["deadline"] == pytest.approx(outcome["first"]["deadline"], abs=0.01)
    assert outcome["second"]["pending"] == [second]
    assert outcome["error"]
    # The second gate asked for 10 minutes; the chain still ended within the 4 s budget (+ ansible overhead).
    assert took < 40


PLAN_ERRORS = [
    ("unknown step key", "[{name: a, service: rds, request: {path: /x}, retries: 3}]", "provision_steps.retries"),
    ("unknown request key", "[{name: a, service: rds, request: {path: /x, headers: {}}}]", "unknown request key(s) headers"),
    ("cycle", "[{name: a, service: rds, request: {path: /x}, depends_on: [b]},"
              " {name: b, service: rds, request: {path: /x}, depends_on: [a]}]", "dependency cycle a -> b -> a"),
    ("missing dependency", "[{name: a, service: rds, request: {path: /x}, depends_on: [nope]}]",
     "depends_on names unknown step 'nope'"),
    ("duplicate name", "[{name: a, service: rds, request: {path: /x}}, {name: a, service: ddm, request: {path: /y}}]",
     "duplicate step name 'a'"),
    ("argument spec: bad service", "[{name: a, service: nosql, request: {path: /x}}]", "nosql"),
    ("argument spec: no request", "[{name: a, service: rds}]", "request"),
]


@pytest.mark.parametrize("steps_yaml, expected", [case[1:] for case in PLAN_ERRORS], ids=[case[0] for case in PLAN_ERRORS])
def test_plan_errors_fail_before_any_request(live_sim, tmp_path, steps_yaml, expected):
    live_sim.reset_stats()
    rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps_yaml)
    assert rc == 0, output[-3000:]
    assert outcome["error"] and expected in outcome["error"], outcome["error"]
    assert live_sim.stats()["requests"] == 0
