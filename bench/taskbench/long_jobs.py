# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The long-jobs rows: jobs of minutes, against the Terraform provider's cadence on the same jobs.

* ``ddm``: N=50 DDM jobs of 60-240 s that report progress the way the real API does (the simulator's
  ``phased`` profile: uneven phases, plateaus, jumps). Goals: requests/job <= half the provider's,
  median detection lag <= half the provider's, wall <= slowest job + ansible start-up + 1 s.
* ``ecs``: N=50 ECS jobs of 60-180 s without progress, same figures, no goal: without any information
  on when a job ends, requests x lag is about half the job's length for any poller.

The provider (terraform-provider-huaweicloud) waits for such a job with a StateChangeConf of Delay 5 s
and PollInterval 10 s: for a job of d seconds it asks at 5, 15, 25, ... s and the first ask at or after
d sees it finished. Its figures are computed on the row's own durations, not run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import random
from dataclasses import dataclass, field

from taskbench import metrics, plan, runner

PROVIDER_DELAY_S = 5.0
PROVIDER_INTERVAL_S = 10.0
# Goals of the row with progress: a fraction of the provider's figures, and the wall's slack.
REQUEST_SHARE = 0.5
LAG_SHARE = 0.5
WALL_SLACK_S = 1.0


@dataclass(frozen=True)
class LongCase:
    name: str
    service: str
    n: int
    durations: tuple = field(repr=False)
    progress_profile: str          # the simulator's progress_profile knob for the jobs
    judged: bool                   # False: figures only, no goal

    @property
    def slowest_job_s(self):
        return max(self.durations)

    def as_plan_case(self):
        return plan.Case(service=self.service, n=self.n, durations=self.durations, baseline_skip_reason="long-jobs row")


def job_durations(seed, tag, n, low, high):
    """N durations uniform in [low, high], seeded per (seed, row): reruns get the same jobs."""
    rng = random.Random("taskbench:long-jobs:%s:%s:%d" % (seed, tag, n))
    return tuple(round(rng.uniform(low, high), 3) for _index in range(n))


def build_cases(seed, n=50):
    return [
        LongCase("ddm, progress", "ddm", n, job_durations(seed, "ddm", n, 60.0, 240.0), "phased", True),
        LongCase("ecs, no progress", "ecs", n, job_durations(seed, "ecs", n, 60.0, 180.0), "linear", False),
    ]


def estimate_seconds(cases, startup_s=plan.ESTIMATED_STARTUP_S):
    return sum(startup_s + case.slowest_job_s + plan.ESTIMATED_WAITER_TAIL_S for case in cases)


def provider_polls(duration, delay=PROVIDER_DELAY_S, interval=PROVIDER_INTERVAL_S):
    """(requests, detection lag) of the provider's cadence on one job of ``duration`` seconds."""
    extra = max(0, int(math.ceil((duration - delay) / interval - 1e-9)))
    return extra + 1, delay + extra * interval - duration


def provider_figures(durations, delay=PROVIDER_DELAY_S, interval=PROVIDER_INTERVAL_S):
    """The provider's requests/job and median/max lag over a set of jobs."""
    polls = [provider_polls(duration, delay, interval) for duration in durations]
    lags = metrics.summarize([lag for _requests, lag in polls])
    return {"req_per_job": sum(requests for requests, _lag in polls) / len(polls), "lag_median_s": lags["median"],
            "lag_max_s": lags["max"], "delay_s": delay, "interval_s": interval}


def evaluate(case, record, provider, startup_s):
    """[(check, PASS/MISS, detail)] of a judged case; [] for a case without goals."""
    if not case.judged:
        return []
    if not record["ok"]:
        return [("succeeds", "MISS", record.get("failure") or record["error"])]
    checks = []
    limit = REQUEST_SHARE * provider["req_per_job"]
    checks.append(("requests/job <= %g x the provider's" % REQUEST_SHARE,
                   "PASS" if record["req_per_task"] <= limit else "MISS",
                   "%.2f vs %.2f" % (record["req_per_task"], limit)))
    lag = record["lag_median_s"]
    limit = LAG_SHARE * provider["lag_median_s"]
    checks.append(("median lag <= %g x the provider's" % LAG_SHARE,
                   "PASS" if lag is not None and lag <= limit else "MISS",
                   "%s vs %.2f s" % ("n/a" if lag is None else "%.2f s" % lag, limit)))
    limit = case.slowest_job_s + startup_s + WALL_SLACK_S
    checks.append(("wall <= slowest job + start-up + %g s" % WALL_SLACK_S,
                   "PASS" if record["wall_s"] <= limit else "MISS",
                   "%.2f s vs %.2f s (slowest %.2f s, start-up %.2f s)" % (
                       record["wall_s"], limit, case.slowest_job_s, startup_s)))
    return checks


def run_rows(ctx, simulator_class, cases, startup_s, report=print):
    records = []
    for case in cases:
        record = runner.run_side(ctx, simulator_class, case.as_plan_case(), "wait_for_task",
                                 sim_config={"progress_profile": case.progress_profile})
        record.update(name=case.name, progress_profile=case.progress_profile, judged=case.judged,
                      durations=list(case.durations), provider=provider_figures(case.durations))
        record["checks"] = [{"check": check, "status": status, "detail": detail}
                            for check, status, detail in evaluate(case, record, record["provider"], startup_s)]
        report("long jobs: %s N=%d: %s" % (case.name, case.n, describe(record)))
        records.append(record)
    return {"startup_s": startup_s, "runs": records}


def describe(record):
    provider = record["provider"]
    text = "provider %.2f requests/job, lag median %.2f s" % (provider["req_per_job"], provider["lag_median_s"])
    if record.get("wall_s") is None or not record["ok"]:
        return "FAILED: %s; %s" % (record.get("failure") or record["error"], text)
    checks = "; ".join("%s %s (%s)" % (item["check"], item["status"], item["detail"]) for item in record.get("checks", ()))
    return "wall %.2f s (slowest job %.2f s), %.2f requests/job, lag median %.2f s max %.2f s; %s%s" % (
        record["wall_s"], record["slowest_job_s"], record["req_per_task"], record["lag_median_s"], record["lag_max_s"], text,
        "; " + checks if checks else " (no goal)")


def markdown(row, table):
    def num(value, fmt="%.2f"):
        return "" if value is None else fmt % value
    rows = []
    for run in row["runs"]:
        provider = run["provider"]
        rows.append([run["name"], str(run["n"]), num(run.get("slowest_job_s")), num(run.get("wall_s")),
                     num(run.get("req_per_task")), num(run.get("lag_median_s")), num(run.get("lag_max_s")),
                     num(provider["req_per_job"]), num(provider["lag_median_s"]), num(provider["lag_max_s"]),
                     "ok" if run["ok"] else run["error"],
                     "; ".join("%s: **%s** (%s)" % (item["check"], item["status"], item["detail"]) for item in run["checks"])
                     or "no goal"])
    return "\n".join([
        "## Long jobs",
        "",
        "Jobs of minutes, all started together right before the playbook: DDM jobs of 60-240 s whose progress advances "
        "as the real API's does (the simulator's `phased` profile), and ECS jobs of 60-180 s without progress. The "
        "provider's figures are its StateChangeConf cadence (first ask %g s after the start, then every %g s) computed "
        "on the same jobs. Start-up (no-op playbook): %.2f s." % (PROVIDER_DELAY_S, PROVIDER_INTERVAL_S, row["startup_s"]),
        "",
        table(("case", "N", "slowest job s", "wall s", "requests/job", "median lag s", "max lag s", "provider requests/job",
               "provider median lag s", "provider max lag s", "result", "goals"), rows),
        "",
    ])
