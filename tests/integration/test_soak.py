# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Soak: one wait_for_task over 600 RDS jobs of 2-40 s, in real time, under random faults.

The simulator runs on real time (the waiter really sleeps, as in production) and answers about one
request in six with a fault: 429 with and without Retry-After, 503, a dropped connection, a slow
reply. The wait must report every job once with its true outcome, lose and invent none, show no
traceback, end within 15 s of the slowest job and cost at most 0.5 requests per job, faults and
retries included. docs/reliability.md reports the figures of a real run; ``SOAK_REPORT=path.json``
writes them (``tests/utils/pytest.sh source tests/integration/test_soak.py``).

Reproducible: the job durations and the failing jobs come from ``random.Random(SEED)``, and the
simulator draws its faults from its own RNG seeded with SEED, one draw sequence per request in the
order served; the requests are sequential (one listing scan per poll), so the n-th request meets
the same fault in every run. Only how many requests a run needs depends on timing. SEED was chosen
so that no request of the run can meet five failing faults (test_no_request_of_the_soak_can_exhaust_its_retries).
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import json
import os
import random
import statistics
import time

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.options import DEFAULT_MAX_RETRIES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.task_service import FETCH_BY_ID_MAX
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.wait_runner import run_wait

from simulator import Simulator
from simulator.faults import Fault, FaultBook

from support import token_params

pytestmark = [pytest.mark.simulator, pytest.mark.soak]

SEED = 7
JOBS = 600
FAILING = 30                      # exactly 5 %
DURATION = (2.0, 40.0)            # seconds, uniform
WALL_SLACK = 15.0                 # wall <= slowest job + this
REQUESTS_PER_JOB = 0.5            # every request the simulator served, faulted ones included
SLOW_DELAY = 2.0                  # well under request_timeout (30 s): a slow reply, not a timeout
# (kind, inject_fault options), checked by the simulator in this order for every request.
FAULT_MIX = (
    ("429", {"probability": 0.05, "retry_after": 1}),
    ("429", {"probability": 0.05}),
    ("503", {"probability": 0.03}),
    ("drop", {"probability": 0.02}),
    ("slow", {"probability": 0.05, "delay": SLOW_DELAY}),
)
# Faults that fail a try (the client retries it); "slow" answers, late.
FAILING_KINDS = ("429", "503", "drop")
RDS_FAIL_REASON = "Insufficient resources in the AZ"


def soak_world(seed=SEED):
    """(durations, indexes of the failing jobs): the jobs of the soak, seeded."""
    rng = random.Random(seed)
    durations = [rng.uniform(*DURATION) for _index in range(JOBS)]
    failing = set(rng.sample(range(JOBS), FAILING))
    return durations, failing


def fault_sequence(seed, requests):
    """The fault kind (or None) the simulator serves the n-th request with, for the first ``requests``."""
    book = FaultBook(seed=seed)
    for kind, options in FAULT_MIX:
        book.add(Fault(kind, count=None, **options))
    kinds = []
    for _request in range(requests):
        fault = book.take("rds", "/rds/v3/project/tasklist")
        kinds.append(fault.kind if fault is not None else None)
    return kinds


def soak_figures(sim, result, wall, durations):
    """What docs/reliability.md reports of a run."""
    stats = sim.stats()
    lags = [stats["first_terminal_served"][job_id] - stats["job_end"][job_id]
            for job_id in stats["job_end"] if job_id in stats["first_terminal_served"]]
    return {
        "date": time.strftime("%Y-%m-%d"),
        "seed": SEED,
        "jobs": JOBS,
        "failing": FAILING,
        "durations": {"min": round(min(durations), 2), "max": round(max(durations), 2)},
        "fault_mix": [dict(options, kind=kind) for kind, options in FAULT_MIX],
        "wall": round(wall, 2),
        "slowest_job": round(max(durations), 2),
        "over_slowest": round(wall - max(durations), 2),
        "requests": stats["requests"],
        "requests_per_job": round(stats["requests"] / float(JOBS), 3),
        "client": dict(result["requests"]),
        "polls": result["polls"],
        "faults_served": stats["faults_served"],
        "faults_by_kind": dict(stats["faults_by_kind"]),
        "by_endpoint": dict(stats["by_endpoint"]),
        "detection_lag": {"median": round(statistics.median(lags), 2) if lags else None,
                          "max": round(max(lags), 2) if lags else None, "jobs": len(lags)},
        "outcome": result["outcome"],
        "succeeded": len(result["succeeded"]),
        "failed": len(result["failed_ids"]),
        "pending": len(result["pending"]),
        "vanished": len(result["vanished"]),
    }


@pytest.fixture
def soak_sim():
    with Simulator(seed=SEED) as server:
        yield server


def test_no_request_of_the_soak_can_exhaust_its_retries():
    """With SEED, no request of the soak can meet more failing faults than its 1 + max_retries tries.

    A request that met five failing faults in a row would end the wait with outcome "error" (a 503 or a
    dropped connection after the retry budget): the fault mix makes that rare (about one request in
    17 000) but not impossible, and the seed keeps the soak about the rest. The requests of a poll are
    sequential, except at the very end of a wait, when the last FETCH_BY_ID_MAX ids are looked up side
    by side: then one request's tries lie within FETCH_BY_ID_MAX * (1 + max_retries) draws. Twice the
    request budget is checked, far more than a run sends.
    """
    tries = 1 + DEFAULT_MAX_RETRIES
    span = FETCH_BY_ID_MAX * tries
    failing = [kind in FAILING_KINDS for kind in fault_sequence(SEED, int(2 * REQUESTS_PER_JOB * JOBS))]
    assert max(sum(failing[start:start + span]) for start in range(len(failing) - span + 1)) < tries
    # The mix really reaches the client: every kind is served within the first polls.
    assert set(fault_sequence(SEED, JOBS // 5)) >= {"429", "503", "drop", "slow"}


def test_soak_600_rds_jobs_under_random_faults(soak_sim, capfd):
    sim = soak_sim
    durations, failing = soak_world()
    for kind, options in FAULT_MIX:
        sim.inject_fault(kind, count=None, **options)
    params = token_params(sim)
    # Every option a user would tune is at its default but fail_fast: false, so every outcome is reported.
    params.update(service="rds", timeout="5m", fail_fast=False)
    lines = []

    started = time.monotonic()
    # Created right before the wait, so they run while it waits; the wall includes creating them.
    ids = [sim.create_job("rds", duration=duration, outcome="failure" if index in failing else "success")
           for index, duration in enumerate(durations)]
    params["id"] = ids
    result = run_wait(params, emit=lines.append)
    wall = time.monotonic() - started

    figures = soak_figures(sim, result, wall, durations)
    if os.environ.get("SOAK_REPORT"):
        with open(os.environ["SOAK_REPORT"], "w") as report:
            json.dump(figures, report, indent=2, sort_keys=True)
    captured = capfd.readouterr()

    assert "error" not in result, result["msg"]
    assert result["outcome"] == "failed", result["msg"]
    assert result["failed"] is True

    # The truth: what the simulator says each job did.
    truth = dict((job_id, sim.job(job_id)) for job_id in ids)
    assert all(job["phase"] in ("succeeded", "failed") for job in truth.values())
    true_failed = set(job_id for job_id, job in truth.items() if job["phase"] == "failed")
    assert len(true_failed) == FAILING

    # Every job reported exactly once, none invented.
    reported = collections.Counter(task["id"] for task in result["tasks"])
    assert set(reported) == set(ids)
    assert max(reported.values()) == 1
    assert set(result["by_id"]) == set(ids)
    # ... with its true outcome, nothing left pending or vanished.
    assert sorted(result["failed_ids"]) == sorted(true_failed)
    assert sorted(result["succeeded"]) == sorted(set(ids) - true_failed)
    assert len(result["succeeded"]) + len(result["failed_ids"]) == JOBS
    assert result["pending"] == [] and result["vanished"] == []
    for job_id in ids:
        assert result["by_id"][job_id]["phase"] == truth[job_id]["phase"], job_id
    # ... each failure with its reason.
    assert sorted(result["reasons"]) == sorted(true_failed)
    for job_id in true_failed:
        assert RDS_FAIL_REASON in result["reasons"][job_id], result["reasons"][job_id]
    assert result["msg"].startswith("%d of %d tasks failed" % (FAILING, JOBS)), result["msg"][:200]

    # No traceback anywhere: the result (json-safe, as a module returns it), progress lines, stdout/stderr
    # (the simulator prints one for any bug of its own).
    text = json.dumps(result) + "\n".join(lines) + captured.out + captured.err
    assert "Traceback" not in text

    # The faults really happened, and the client saw every request the simulator served (none lost).
    assert set(figures["faults_by_kind"]) == {"429", "503", "drop", "slow"}, figures["faults_by_kind"]
    assert result["requests"]["requests"] == figures["requests"]
    # Each failed try was retried (no request met more failing faults in a row than the budget allows).
    failed_tries = sum(figures["faults_by_kind"].get(kind, 0) for kind in FAILING_KINDS)
    assert result["requests"]["retries"] == failed_tries, figures
    assert result["requests"]["throttled"] == figures["faults_by_kind"]["429"], figures
    # Every job's end was served to the waiter.
    assert figures["detection_lag"]["jobs"] == JOBS

    # The budgets.
    assert wall <= max(durations) + WALL_SLACK, figures
    assert figures["requests"] <= REQUESTS_PER_JOB * JOBS, figures
