# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What to measure: services, sizes, seeded job durations, and a time estimate for the plan."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
from dataclasses import dataclass, field

SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "gaussdb", "cce")
SIDES = ("baseline", "wait_for_task")

# Sizes per service for a full run (the matrix) and for --quick (a smoke run).
FULL_SIZES = {
    "geminidb": (1, 10, 50, 200, 1000),
    "rds": (1, 10, 50, 200, 1000),
    "ddm": (1, 10, 50),
    "servicestage": (1, 10, 50),
    # The ECS-family job API (EVS and BMS are the same API): one row at the size of the goal.
    "ecs": (200,),
    # The /v3/{project_id}/jobs?id= family (GaussDB, DDS, TaurusDB: one id per request) and CCE, at the
    # sizes of issue 22's goals.
    "gaussdb": (200,),
    "cce": (50,),
}
QUICK_SIZES = (1, 10)

JOB_DURATION_RANGE = (2.0, 8.0)

# The baseline polls one job at a time with one uri module run per try; past this size it would take
# minutes per service and blow the `make bench` budget, so it is skipped with a printed reason.
DEFAULT_BASELINE_MAX_N = 200

# Rough costs used only for the printed estimate (seconds, measured on a 2-core machine).
ESTIMATED_STARTUP_S = 2.0
ESTIMATED_URI_CALL_S = 0.65
ESTIMATED_WAITER_PER_JOB_S = 0.005
ESTIMATED_WAITER_TAIL_S = 1.5

# Seconds the harness itself may take (make bench: < 15 min including the venv and the build). A baseline
# run that would not fit in what is left is skipped with a printed reason; wait_for_task runs always run.
DEFAULT_BUDGET_S = 780.0


@dataclass(frozen=True)
class Case:
    """One (service, N) pair; both sides run it with the same job durations."""

    service: str
    n: int
    durations: tuple = field(repr=False)
    baseline_skip_reason: str = ""

    @property
    def slowest_job_s(self):
        return max(self.durations)

    @property
    def mean_job_s(self):
        return sum(self.durations) / len(self.durations)


def job_durations(seed, service, n):
    """N durations uniform in JOB_DURATION_RANGE, seeded per (seed, service, N).

    Seeding per case keeps a case's durations stable when other services or sizes are added or removed.
    """
    rng = random.Random("taskbench:%s:%s:%d" % (seed, service, n))
    low, high = JOB_DURATION_RANGE
    return tuple(round(rng.uniform(low, high), 3) for _index in range(n))


def parse_services(text):
    """'rds,ddm' -> ('rds', 'ddm'); ValueError naming the allowed values."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in SERVICES]
    if unknown or not names:
        raise ValueError("--services: unknown service(s) %s; allowed: %s" % (", ".join(unknown) or "(none given)", ", ".join(SERVICES)))
    return names


def parse_sizes(text):
    """'1,10,50' -> (1, 10, 50); ValueError unless every size is a positive integer."""
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise ValueError("--sizes: %r is not a positive integer; give a comma list such as 1,10,50" % part)
        sizes.append(int(part))
    if not sizes:
        raise ValueError("--sizes: give at least one size, e.g. 1,10,50")
    return tuple(sorted(set(sizes)))


def build_plan(seed, services=SERVICES, sizes=None, quick=False, baseline_max_n=DEFAULT_BASELINE_MAX_N):
    """The ordered list of cases. ``sizes`` (if given) applies to every service, else the issue's matrix."""
    cases = []
    for service in services:
        service_sizes = sizes or (QUICK_SIZES if quick else FULL_SIZES[service])
        for n in service_sizes:
            reason = ""
            if n > baseline_max_n:
                reason = ("baseline skipped: N=%d > %d; it polls one job at a time (one uri run per try, ~%.2f s each), "
                          "so it would take ~%.0f s for this case alone" % (n, baseline_max_n, ESTIMATED_URI_CALL_S, n * ESTIMATED_URI_CALL_S))
            cases.append(Case(service=service, n=n, durations=job_durations(seed, service, n), baseline_skip_reason=reason))
    return cases


def waiter_estimate(case, startup_s=ESTIMATED_STARTUP_S):
    return startup_s + case.slowest_job_s + ESTIMATED_WAITER_TAIL_S + case.n * ESTIMATED_WAITER_PER_JOB_S


def baseline_estimate(case, startup_s=ESTIMATED_STARTUP_S, uri_call_s=ESTIMATED_URI_CALL_S):
    """One uri run per job once the first jobs are done; the first job is polled until it ends."""
    return startup_s + case.slowest_job_s + case.n * uri_call_s


def estimate_seconds(cases, sides=SIDES):
    """A coarse wall-time estimate of the whole plan, printed before it starts."""
    total = 3 * ESTIMATED_STARTUP_S  # the no-op warm-up and measurement, the waiter's fixed cost
    for case in cases:
        if "wait_for_task" in sides:
            total += waiter_estimate(case)
        if "baseline" in sides and not case.baseline_skip_reason:
            total += baseline_estimate(case)
    return total
