# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The agency row: ECS N=200 waited for with agency keys (assume_role) that expire during the wait.

The credentials are what a cross-account pipeline holds: an AK/SK, an agency to assume (the
``HW_ASSUME_ROLE_*`` variables) and only the region (the project is found from it). The simulator's
agency keys live ``STS_TTL`` seconds, a fraction of the jobs' 2-8 s, so they are renewed several
times while the wait runs. The row is held to the ECS N=200 goals (targets.py); the IAM calls it
needs (project lookup, agency keys) are reported beside them and are not job requests.
"""

from __future__ import absolute_import, division, print_function

from taskbench import plan, runner, targets

SERVICE = "ecs"
N = 200
STS_TTL = 3.0
STS_CALL = "POST iam /v3.0/OS-CREDENTIAL/securitytokens"
PROJECTS_CALL = "GET iam /v3/projects"
ECS_GOALS = ("ecs_wall_200", "ecs_req_per_task", "ecs_lag_200")


class AgencyContext(runner.Context):
    """The harness context, with the pipeline's credentials instead of the token and project."""

    def playbook_env(self, sim):
        env = super(AgencyContext, self).playbook_env(sim)
        # Short-lived agency keys: set here, after the jobs exist and before the playbook starts.
        sim.configure_credentials(sts_ttl=STS_TTL)
        agency = sim.credential_book.snapshot()["agency"]
        creds = sim.credentials
        for name in ("HW_AUTH_TOKEN", "HW_PROJECT_ID"):
            env.pop(name, None)
        env.update({"HW_ACCESS_KEY": creds["access_key"], "HW_SECRET_KEY": creds["secret_key"],
                    "HW_ASSUME_ROLE_AGENCY_NAME": agency["agency_name"], "HW_ASSUME_ROLE_DOMAIN_NAME": agency["domain_name"]})
        return env


def build_case(seed):
    # The same durations as the matrix's ECS N=200 row: the two rows differ only in the credentials.
    return plan.Case(service=SERVICE, n=N, durations=plan.job_durations(seed, SERVICE, N), baseline_skip_reason="agency row")


def run_row(ctx, simulator_class, case, report=print):
    """Measure the row; returns {"case", "run", "sts_calls", "project_calls", "goals"} (goals filled by ``evaluate``)."""
    agency_ctx = AgencyContext(seed=ctx.seed, collections_path=ctx.collections_path, work_dir=ctx.work_dir,
                               ansible_playbook=ctx.ansible_playbook, timeout_s=ctx.timeout_s)
    record = runner.run_side(agency_ctx, simulator_class, case, "wait_for_task")
    record["auth"] = "agency"
    by_endpoint = record.get("requests_by_endpoint") or {}
    row = {"case": {"service": SERVICE, "n": N, "sts_ttl_s": STS_TTL, "slowest_job_s": case.slowest_job_s},
           "run": record, "sts_calls": by_endpoint.get(STS_CALL, 0), "project_calls": by_endpoint.get(PROJECTS_CALL, 0)}
    report("agency row (%s N=%d, agency keys of %.0f s): %s; %d agency-key calls, %d project lookups" % (
        SERVICE, N, STS_TTL, describe(record), row["sts_calls"], row["project_calls"]))
    return row


def describe(record):
    if record.get("wall_s") is None:
        return "FAILED: %s" % record.get("error")
    text = "wall %.2f s, %d requests (%.2f/task), lag median %s" % (
        record["wall_s"], record["requests"], record["req_per_task"],
        "n/a" if record["lag_median_s"] is None else "%.2f s" % record["lag_median_s"])
    return text if record["ok"] else "%s -- FAILED: %s" % (text, record.get("failure") or record["error"])


def evaluate(row, startup):
    """The ECS N=200 goals on this row, plus one of its own: keys were renewed during the wait."""
    rows = []
    for goal in targets.GOALS:
        if goal.key in ECS_GOALS:
            result = targets._case_goal(goal, [row["run"]], SERVICE, N, startup)   # pylint: disable=protected-access
            result["scope"] = "%s N=%d, agency keys of %.0f s" % (SERVICE, N, STS_TTL)
            rows.append(result)
    renewed = row["sts_calls"] >= 2
    rows.append({"goal": "agency_renewed", "text": "agency keys renewed during the wait (>= 2 agency-key calls)",
                 "scope": "%s N=%d, agency keys of %.0f s" % (SERVICE, N, STS_TTL),
                 "measured": row["sts_calls"], "limit": 2, "unit": "", "used": "raw",
                 "status": targets.PASS if renewed else targets.MISS, "margin": abs(row["sts_calls"] - 2),
                 "summary": "%s (%d calls)" % (targets.PASS if renewed else targets.MISS, row["sts_calls"]),
                 "detail": "%d agency-key calls and %d project lookup(s) besides the job requests" % (
                     row["sts_calls"], row["project_calls"])})
    return rows


def _number(value, text="%.2f"):
    return "" if value is None else text % value


def markdown(row, table):
    run = row["run"]
    cells = [_number(run.get("wall_s")), _number(run.get("requests"), "%d"), _number(run.get("req_per_task")),
             _number(run.get("lag_median_s")), str(row["sts_calls"]), str(row["project_calls"]),
             "ok" if run.get("ok") else "FAILED: %s" % run.get("error")]
    return "\n".join([
        "## Agency row", "",
        "ECS N=%d with the credentials of a cross-account pipeline: AK/SK + `HW_ASSUME_ROLE_*`, region only (the "
        "project is found from it), agency keys that live %.0f s, so they are renewed during the wait. Same job "
        "durations as the matrix's ECS N=%d row; its goals are in the targets table." % (N, STS_TTL, N), "",
        table(("wall s", "job requests", "req/task", "median lag s", "agency-key calls", "project lookups", "result"), [cells]),
        ""])
