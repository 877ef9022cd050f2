# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Results files: <date>.json (raw numbers + environment) and <date>.md (tables), plus latest.* copies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import shutil
from pathlib import Path

from taskbench.agency import markdown as agency_markdown
from taskbench.hosts import markdown as many_hosts_markdown
from taskbench.long_jobs import markdown as long_jobs_markdown
from taskbench.quota import markdown as quota_markdown
from taskbench.resources import markdown as resources_markdown
from taskbench.metrics import ratio
from taskbench.plan import SERVICES, SIDES

TABLE_COLUMNS = ("service", "N", "side", "slowest job s", "wall s", "requests", "req/task", "median lag s", "max lag s",
                 "CPU s", "CPU %", "speedup", "request ratio", "result")


def _num(value, digits=2):
    return "" if value is None else ("%.*f" % (digits, value))


def _result_text(run):
    if run.get("skipped"):
        return "skipped"
    if run.get("ok"):
        return "ok"
    return run.get("error") or "rc=%s" % run.get("rc")


def compare_to_baseline(runs):
    """Add ``speedup`` (baseline wall / wall) and ``request_ratio`` (requests / baseline requests) to each run."""
    baselines = dict(((run["service"], run["n"]), run) for run in runs if run["side"] == "baseline" and run.get("ok"))
    for run in runs:
        base = baselines.get((run["service"], run["n"]))
        usable = base is not None and run.get("ok")
        usable = usable and run["side"] != "baseline"
        run["speedup"] = ratio(base["wall_s"], run["wall_s"]) if usable else None
        run["request_ratio"] = ratio(run["requests"], base["requests"]) if usable else None
    return runs


def run_row(run):
    if run.get("skipped"):
        cells = [run["service"], str(run["n"]), run["side"], _num(run.get("slowest_job_s"))] + [""] * 9 + ["skipped"]
        return cells
    return [
        run["service"], str(run["n"]), run["side"], _num(run.get("slowest_job_s")), _num(run.get("wall_s")),
        "" if run.get("requests") is None else str(run["requests"]), _num(run.get("req_per_task")),
        _num(run.get("lag_median_s")), _num(run.get("lag_max_s")), _num(run.get("cpu_s")), _num(run.get("cpu_pct"), 1),
        _num(run.get("speedup"), 1) + ("x" if run.get("speedup") is not None else ""),
        _num(run.get("request_ratio"), 3), _result_text(run),
    ]


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def sort_runs(runs):
    """Services in the catalog's order, then N, baseline before wait_for_task."""
    service_order = dict((service, index) for index, service in enumerate(SERVICES))
    side_order = dict((side, index) for index, side in enumerate(SIDES))
    return sorted(runs, key=lambda run: (service_order.get(run["service"], 9), run["n"], side_order.get(run["side"], 9)))


def render_markdown(results):
    env = results["environment"]
    startup = results["startup"]
    lines = [
        "# wait_for_task vs uri + until: %s" % results["date"],
        "",
        "Seed %s%s; jobs of %s-%s s (uniform, seeded per service and N); python %s, ansible-core %s, %d CPUs (%s)." % (
            results["seed"], ", --quick" if results["quick"] else "", results["job_duration_range"][0],
            results["job_duration_range"][1], env["python"], env["ansible_core"], env["cpu_count"], env["platform"]),
        "Whole run: %.0f s. ansible-playbook startup overhead (no-op playbook, measured once after a warm-up): "
        "**%.2f s wall, %.2f CPU s**." % (results["total_wall_s"], startup["wall_s"], startup["cpu_s"]),
        "",
    ]
    if results.get("warning"):
        lines += ["> **Warning:** %s." % results["warning"], ""]
    lines += [
        "## Runs",
        "",
        "speedup = baseline wall / wall; request ratio = requests / baseline requests (lower is better); "
        "lag = first response carrying a terminal status minus the job's real end; CPU = user+sys of the "
        "ansible-playbook process tree, CPU % = CPU s / wall s (100 % = one core). All walls include ansible startup.",
        "",
        markdown_table(TABLE_COLUMNS, [run_row(run) for run in sort_runs(results["runs"])]),
        "",
        "## Targets (goals, not asserts)",
        "",
        "Walls include ansible-playbook startup. Jobs are created right before the playbook is launched, so the "
        "startup overlaps the jobs' own run time: the `slowest job + X` goals are judged on the **raw** wall "
        "(stricter); the value net of startup is given beside it. The CPU goal is judged **net of startup** "
        "(it is about the waiting, and startup alone is ~1-2 CPU s).",
        "",
        markdown_table(("goal", "scope", "status", "measured", "limit", "detail"), [
            [row["text"], row["scope"], row["summary"], _num(row["measured"]), "%g%s" % (row["limit"], row["unit"] and " " + row["unit"]),
             row["detail"]] for row in results["targets"]]),
        "",
    ]
    if results.get("many_hosts"):
        lines += [many_hosts_markdown(results["many_hosts"], markdown_table)]
    if results.get("quota"):
        lines += [quota_markdown(results["quota"], markdown_table)]
    if results.get("resources"):
        lines += [resources_markdown(results["resources"], markdown_table)]
    if results.get("agency"):
        lines += [agency_markdown(results["agency"], markdown_table)]
    if results.get("long_jobs"):
        lines += [long_jobs_markdown(results["long_jobs"], markdown_table)]
    notes = [run for run in results["runs"] if run.get("skipped") or not run.get("ok")]
    if notes:
        lines += ["## Notes", ""]
        for run in notes:
            lines.append("- %s N=%d %s: %s" % (run["service"], run["n"], run["side"], run.get("skipped") or _result_text(run)))
            if run.get("failure"):
                lines.append("  `%s`" % run["failure"].replace("`", "'"))
        lines.append("")
    return "\n".join(lines)


def write_results(results, out_dir, png_path=None):
    """Write <date>.json and <date>.md (and copy them and the plot to latest.*); returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / ("%s.json" % results["date"])
    md_path = out_dir / ("%s.md" % results["date"])
    json_path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    md_path.write_text(render_markdown(results))
    written = [json_path, md_path]
    # Plain copies, not symlinks: they survive archives and checkouts on any filesystem.
    for path in written + ([Path(png_path)] if png_path else []):
        latest = out_dir / ("latest" + path.suffix)
        shutil.copyfile(path, latest)
        written.append(latest)
    return written
