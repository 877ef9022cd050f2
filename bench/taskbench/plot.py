# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""<date>.png: wall time and requests against N, both sides, log scales (matplotlib, Agg backend)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from taskbench.plan import SERVICES

SIDE_STYLE = {"wait_for_task": {"linestyle": "-", "marker": "o"}, "baseline": {"linestyle": "--", "marker": "s"}}
SERVICE_COLOR = {"geminidb": "tab:blue", "rds": "tab:orange", "ddm": "tab:green", "servicestage": "tab:red", "ecs": "tab:purple",
                 "gaussdb": "tab:brown", "cce": "tab:olive"}
METRICS = (("wall_s", "wall time (s)"), ("requests", "requests served"))


def series(runs):
    """{(service, side): [(n, run), ...]} of successful runs, sorted by N."""
    grouped = {}
    for run in runs:
        if run.get("ok"):
            grouped.setdefault((run["service"], run["side"]), []).append((run["n"], run))
    return dict((key, sorted(points, key=lambda point: point[0])) for key, points in grouped.items())


def write_plot(results, png_path):
    """Draw the figure; raises ImportError with the install hint when matplotlib is missing."""
    try:
        import matplotlib
    except ImportError:
        raise ImportError("matplotlib is not installed: pip install -r requirements/bench.txt (make bench does it), "
                          "or run with --no-plot")
    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    grouped = series(results["runs"])
    figure, axes = pyplot.subplots(1, len(METRICS), figsize=(13, 5))
    for axis, (metric, label) in zip(axes, METRICS):
        for service in SERVICES:
            for side, style in SIDE_STYLE.items():
                points = grouped.get((service, side))
                if not points:
                    continue
                axis.plot([n for n, _run in points], [max(run[metric], 1e-3) for _n, run in points],
                          color=SERVICE_COLOR[service], label="%s %s" % (service, side), **style)
        axis.set_xscale("log")
        axis.set_yscale("log")
        for scale in (axis.xaxis, axis.yaxis):
            scale.set_major_formatter(FuncFormatter(lambda value, _pos: "%g" % value))   # 200, not 2x10^2
        axis.set_xlabel("jobs waited for (N)")
        axis.set_ylabel(label)
        axis.set_title(label + " vs N")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].legend(fontsize=8)
    figure.suptitle("wait_for_task (solid) vs uri + until baseline (dashed), %s" % results["date"])
    figure.tight_layout()
    figure.savefig(png_path, dpi=110)
    pyplot.close(figure)
    return png_path
