# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The provision role and the third wave's answers: its requests run on what is left of its shared budget (a
write the instance stays too busy for is retried only until the role's deadline, never for api_request's own
default timeout), and a prepaid create is gated on its order before the steps that depend on it are issued.

ansible-playbook is a separate process, so the simulator runs on real time; the deadline shows in the
failed call's own words (the timeout it was given), never in a wall-clock assertion.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

import pytest

from test_provision_role import RUN_PLAYBOOK, jobs_by_step, run, step

pytestmark = [pytest.mark.playbook, pytest.mark.simulator]

BUDGET = 8  # seconds: provision_timeout of the run
# The instance stays busy longer than the budget but far shorter than api_request's default timeout (10m):
# a write with that default would go through after BUSY_FOR and the run would fail later, at its gate.
BUSY_FOR = 40


def test_a_busy_write_stops_at_the_roles_deadline(live_sim, tmp_path):
    running = live_sim.create_job("gaussdb", duration=BUSY_FOR)
    instance_id = live_sim.job(running)["instance_id"]
    steps = "\n".join([
        "- name: restart",
        "  service: gaussdb",
        "  request:",
        "    method: POST",
        "    path: /v3/{project_id}/instances/%s/restart" % instance_id,
        "    body: {restart: {}}",
    ])

    _rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps, extra={"timeout": "%ds" % BUDGET})

    error = outcome["error"] or ""
    assert "still busy with another operation after" in error, output[-3000:]
    given = re.search(r"timeout ([0-9.]+)s ended before the next one", error)
    assert given is not None, error
    assert 0 < float(given.group(1)) <= BUDGET  # what was left of the role's budget, not the call's default
    assert "restart" not in (outcome["results"] or {}) or outcome["results"]["restart"].get("job_id") is None


def test_a_prepaid_create_is_gated_on_its_order_before_its_dependents(live_sim, tmp_path):
    live_sim.configure(job_duration="4:4")
    steps = "\n".join([
        "- name: db",
        "  service: rds",
        "  request:",
        "    path: /v3/{project_id}/instances",
        "    body: {name: it-prepaid-db, charge_info: {charge_mode: prePaid, period_type: month, period_num: 1}}",
        step("proxy", "ddm", depends_on=["db"]),
    ])

    rc, output, outcome = run(live_sim, tmp_path, RUN_PLAYBOOK, steps)

    assert rc == 0 and outcome["error"] is None, output[-3000:]
    db = outcome["results"]["db"]
    order = live_sim.job(db["order_id"])
    assert (db["state"], order["service"], db["instance_id"]) == ("succeeded", "bss_order", order["instance_id"])
    assert db["resource_ids"] == [order["instance_id"]]
    # The dependent step was issued only once the order was paid and delivered, and its resources listed.
    assert jobs_by_step(live_sim, outcome["results"])["proxy"]["created"] >= order["ends_at"]
    assert "db (rds): succeeded instance_id=%s order_id=%s" % (order["instance_id"], db["order_id"]) in outcome["summary"]
