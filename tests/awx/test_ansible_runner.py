# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection run the way an AWX / Automation Platform execution node runs a job: ansible-runner.

The private data dir's env/envvars comes from extensions/awx/credential_type.yml applied to credential
inputs as AWX applies it (tests/awx/awx_credential.py), so a wrong injector fails here: the simulator
runs HTTPS with a private CA that only the injected OS_CACERT file makes trusted, and checks the
credentials. Everything is asserted on the runner's own records (status, job_events/, stdout, the
artifact dir). The simulator runs on real time: ansible-runner is a separate process.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import os
import xml.etree.ElementTree as ET

import pytest

import awx_job

pytestmark = [pytest.mark.simulator, pytest.mark.playbook]

SVG = "{http://www.w3.org/2000/svg}"
DB_TASK = "Wait for the jobs of rds"   # the task_gate role's wait (event_data.role: task_gate)
COMPONENT_TASK = "Wait for the component"
FOREGROUND_TASK = "Wait for the mirror in the foreground"
BACKGROUND_TASK = "Collect the background wait for the mirror"


def start_jobs(sim):
    """Jobs long enough to outlast ansible-runner's start (the first task waits for the databases, so that wait
    still lasts several seconds on a busy machine); the mirror's background wait runs during the next gates."""
    return {
        "db_ids": [sim.create_job("rds", duration=12), sim.create_job("rds", duration=22)],
        "component_id": sim.create_job("servicestage", duration=2, outcome="failure"),
        "mirror_id": sim.create_job("ddm", duration=28),
    }


def created(event):
    return datetime.datetime.fromisoformat(event["created"].replace("Z", "+00:00"))


def test_an_awx_style_job_of_gates(tls_sim, user_collections, tmp_path):
    """A temporary AK/SK with its security token and the CA as PEM text; tests/awx/test_navigator.py logs in as
    an IAM user instead."""
    auth = "aksk"
    tls_sim.configure(temporary_ak=True)
    inputs = awx_job.credential_inputs(tls_sim, auth)
    jobs = start_jobs(tls_sim)
    private_data_dir = str(tmp_path / "pdd")
    env, safe_env, files = awx_job.prepare(private_data_dir, inputs, dict(jobs, sim_endpoints=tls_sim.endpoints))

    job = awx_job.run(private_data_dir, "gates.yml", "job-" + auth, user_collections)

    assert job.returncode == 0, job.console
    assert job.status == "successful", job.console
    # What the credential type injected (names only), and how AWX would show it.
    assert sorted(name for name, value in env.items() if value) == [
        "HW_ACCESS_KEY", "HW_PROJECT_ID", "HW_REGION_NAME", "HW_SECRET_KEY", "HW_SECURITY_TOKEN", "OS_CACERT"]
    assert env["OS_CACERT"] == files["template.cacert"] and env["OS_CACERT"].startswith(private_data_dir)
    assert safe_env["HW_SECRET_KEY"] == safe_env["HW_SECURITY_TOKEN"] == "**********"
    print("injected: %s" % ", ".join(sorted(name for name, value in env.items() if value)))

    # The progress lines of a wait arrive as events while it runs, not all when the task ends.
    started = job.one(DB_TASK, "playbook_on_task_start")
    finished = job.one(DB_TASK, "runner_on_ok")
    progress = job.task_events(DB_TASK, "verbose")
    assert len(progress) >= 3, [event.get("stdout") for event in job.events]
    times = sorted(created(event) for event in progress)
    wait = (created(finished) - created(started)).total_seconds()
    assert wait >= 3, wait   # the slower database job ends 22 s after its creation
    assert created(started) <= times[0] and times[-1] <= created(finished)
    assert (times[-1] - times[0]).total_seconds() >= wait / 2, (times, wait)
    assert (times[0] - created(started)).total_seconds() < wait / 2, (times, wait)
    for event in [started] + progress + [finished]:
        print("%-22s %s %s" % (event["event"], event["created"], (event.get("stdout") or "").strip()[:90]))
    assert sorted(finished["event_data"]["res"]["succeeded"]) == sorted(jobs["db_ids"])

    # The failed gate: its reason and the request id in the failed task's event data; rescued.
    failed = job.one(COMPONENT_TASK, "runner_on_failed")
    res = failed["event_data"]["res"]
    assert "Building failed" in res["msg"] and "request id " in res["msg"], res["msg"]
    assert res["failed_ids"] == [jobs["component_id"]]
    assert job.one("Note the failed gate", "runner_on_ok")

    # async: the background wait collected by async_status comes back as the foreground wait of the same job.
    foreground = job.one(FOREGROUND_TASK, "runner_on_ok")["event_data"]["res"]
    background = job.task_events(BACKGROUND_TASK, "runner_on_ok")
    assert len(background) == 1, [event["event"] for event in job.task_events(BACKGROUND_TASK)]
    background = background[0]["event_data"]["res"]
    assert background["finished"] == 1 and background.get("failed") is not True
    for key in ("outcome", "succeeded", "failed_ids", "pending", "vanished"):
        assert background[key] == foreground[key], key
    assert [(task["id"], task["phase"]) for task in background["tasks"]] == [
        (task["id"], task["phase"]) for task in foreground["tasks"]] == [(jobs["mirror_id"], "succeeded")]

    # The gate_report callback wrote its report into the runner's artifact dir (AWX_ISOLATED_DATA_DIR).
    junit = ET.parse(os.path.join(job.artifact_dir, "junit.xml")).getroot()
    assert (junit.get("tests"), junit.get("failures")) == ("5", "1")
    svg = ET.parse(os.path.join(job.artifact_dir, "timeline.svg")).getroot()
    bars = [rect for rect in svg.iter(SVG + "rect") if (rect.get("class") or "").startswith("bar ")]
    assert sorted(rect.get("data-outcome") for rect in bars) == ["failed"] + ["succeeded"] * 4
    assert "TASKGATE GATES" in job.stdout

    # No secret in the job events or the stdout (the runner's command and env/ copies are AWX's business).
    secrets = awx_job.secrets_of(tls_sim, inputs)
    assert len(secrets) >= 3
    for text in job.raw_text():
        for secret in secrets:
            assert secret not in text
