# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A self-contained SVG Gantt chart of task rows (pure text, standard library only).

    render_svg([{"group": "Deploy", "label": "rds CreateInstance 4f2c0a4e", "start": 1767225600.0,
                 "end": 1767225606.8, "outcome": "failed", "tooltip": "..."}], title="taskgate gates")

One bar per row from ``start`` to ``end`` (epoch seconds), coloured by ``outcome``, its label on the
left, its duration and outcome on the right, under it a thin line from ``wait_start`` to ``wait_end``
(optional: when the gate was waiting for it), rows under a header per ``group`` (in the order given),
an axis in seconds since the earliest start on top and below, and a legend of the outcomes shown.
No script, no external font or stylesheet: it reads the same in a browser, a CI artifact viewer or
an image converter.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import xml.etree.ElementTree as ET

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    format_duration, format_iso_z, from_epoch_seconds,
)

COLORS = {
    "succeeded": "#2e7d32",
    "failed": "#c62828",
    "timeout": "#ef6c00",
    "error": "#6a1b9a",
    "unfinished": "#90a4ae",
    "vanished": "#b0bec5",
}
OTHER_COLOR = "#607d8b"
WAIT_COLOR = "#37474f"
WIDTH = 1000
LABEL_WIDTH = 300
CHART_LEFT = LABEL_WIDTH + 12
CHART_RIGHT = WIDTH - 130       # room for "12m30s timeout" after the longest bar
ROW_HEIGHT = 24
BAR_HEIGHT = 14
GROUP_HEIGHT = 24
HEADER_HEIGHT = 96              # title, subtitle, legend, top axis labels
FOOTER_HEIGHT = 48              # bottom axis labels and caption
LABEL_CHARS = 40                # what fits LABEL_WIDTH in 12 px monospace
MAX_TICKS = 10


def nice_step(span, max_ticks=MAX_TICKS):
    """The smallest 1/2/5 x 10^k step that cuts ``span`` seconds into at most ``max_ticks`` parts."""
    span = max(float(span), 1e-9)
    exponent = math.floor(math.log10(span / max_ticks))
    for factor in (1, 2, 5, 10):
        step = factor * 10 ** exponent
        if span / step <= max_ticks:
            return step
    return 10 ** (exponent + 1)


def _tick_text(value):
    return "%gs" % round(value, 6)


def _short(text, limit=LABEL_CHARS):
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + u"\u2026"


def _text(parent, x, y, content, **attributes):
    attributes = dict((key.replace("_", "-"), str(value)) for key, value in attributes.items())
    element = ET.SubElement(parent, "text", dict(attributes, x="%.1f" % x, y="%.1f" % y))
    element.text = content
    return element


def _rect(parent, x, y, width, height, fill, **attributes):
    attributes = dict((key.replace("_", "-"), str(value)) for key, value in attributes.items())
    return ET.SubElement(parent, "rect", dict(attributes, x="%.1f" % x, y="%.1f" % y, width="%.1f" % width,
                                              height="%.1f" % height, fill=fill))


def _layout(rows):
    """[(kind, y, row or group name)] top to bottom, and the height of the row area."""
    placed = []
    y = 0
    group = object()
    for row in rows:
        if row.get("group") != group:
            group = row.get("group")
            placed.append(("group", y, group))
            y += GROUP_HEIGHT
        placed.append(("row", y, row))
        y += ROW_HEIGHT
    return placed, y


def _axis(svg, y_label, top, bottom, origin_span, scale, step):
    span = origin_span
    count = int(math.floor(span / step + 1e-9))
    for index in range(count + 1):
        value = index * step
        x = CHART_LEFT + value * scale
        ET.SubElement(svg, "line", {"x1": "%.1f" % x, "x2": "%.1f" % x, "y1": "%.1f" % top, "y2": "%.1f" % bottom,
                                    "stroke": "#dfe3e8", "stroke-width": "1"})
        _text(svg, x, y_label, _tick_text(value), font_size=11, fill="#555", text_anchor="middle", **{"class": "tick"})
        _text(svg, x, bottom + 16, _tick_text(value), font_size=11, fill="#555", text_anchor="middle")


def render_svg(rows, title="taskgate gates"):
    """SVG text (UTF-8, standalone) of the chart; ``rows`` as in the module docstring."""
    rows = [row for row in rows if row.get("start") is not None and row.get("end") is not None]
    placed, rows_height = _layout(rows)
    height = HEADER_HEIGHT + max(rows_height, ROW_HEIGHT) + FOOTER_HEIGHT
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "width": str(WIDTH), "height": str(height),
                             "viewBox": "0 0 %d %d" % (WIDTH, height), "font-family": "DejaVu Sans, Arial, sans-serif",
                             "role": "img"})
    ET.SubElement(svg, "title").text = title
    _rect(svg, 0, 0, WIDTH, height, "#ffffff")
    _text(svg, 16, 26, title, font_size=17, font_weight="bold", fill="#222")
    if not rows:
        _text(svg, 16, 50, "No wait_for_task gate ran.", font_size=12, fill="#555")
        return _serialize(svg)

    origin = min([row["start"] for row in rows] + [row["wait_start"] for row in rows if row.get("wait_start") is not None])
    latest = max([row["end"] for row in rows] + [row["wait_end"] for row in rows if row.get("wait_end") is not None])
    span = max(latest - origin, 1.0)
    step = nice_step(span)
    span = math.ceil(span / step - 1e-9) * step
    scale = (CHART_RIGHT - CHART_LEFT) / span
    groups = len([1 for kind, _y, _item in placed if kind == "group"])
    _text(svg, 16, 46, "%d task%s in %d play%s; bars from the job's creation (or first sighting) to its end; "
          "0s = %s" % (len(rows), "" if len(rows) == 1 else "s", groups, "" if groups == 1 else "s",
                       format_iso_z(from_epoch_seconds(origin))), font_size=12, fill="#444")
    shown = [outcome for outcome in COLORS if any(row["outcome"] == outcome for row in rows)]
    shown += sorted(set(row["outcome"] for row in rows) - set(COLORS))
    x = 16
    for outcome in shown:
        _rect(svg, x, 58, 12, 12, COLORS.get(outcome, OTHER_COLOR), rx=2)
        _text(svg, x + 17, 68.5, outcome, font_size=12, fill="#333", **{"class": "legend"})
        x += 30 + 7.5 * len(outcome)
    if any(row.get("wait_start") is not None for row in rows):
        _rect(svg, x, 63, 16, 3, WAIT_COLOR)
        _text(svg, x + 21, 68.5, "gate waiting", font_size=12, fill="#333", **{"class": "legend"})

    top = HEADER_HEIGHT
    bottom = HEADER_HEIGHT + rows_height
    _axis(svg, top - 6, top, bottom, span, scale, step)
    for index, (kind, y, item) in enumerate(placed):
        y += top
        if kind == "group":
            _text(svg, 16, y + 16, _short("play: %s" % (item or "(unnamed)"), 110), font_size=12, font_weight="bold",
                  fill="#222", **{"class": "group"})
            continue
        if index % 2:
            _rect(svg, 0, y, WIDTH, ROW_HEIGHT, "#f5f7f9", fill_opacity="0.6")
        row = item
        x0 = CHART_LEFT + (row["start"] - origin) * scale
        width = max((row["end"] - row["start"]) * scale, 2.0)
        _text(svg, LABEL_WIDTH, y + ROW_HEIGHT / 2.0 + 4, _short(row["label"]), font_size=12, fill="#222",
              text_anchor="end", font_family="DejaVu Sans Mono, Menlo, Consolas, monospace", **{"class": "label"})
        drawn = _rect(svg, x0, y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0, width, BAR_HEIGHT, COLORS.get(row["outcome"], OTHER_COLOR),
                      rx=3, **{"class": "bar %s" % row["outcome"], "data-outcome": row["outcome"]})
        ET.SubElement(drawn, "title").text = row.get("tooltip") or row["label"]
        text_x = x0 + width
        if row.get("wait_start") is not None and row.get("wait_end") is not None:
            wait_x = CHART_LEFT + (row["wait_start"] - origin) * scale
            wait_width = max((row["wait_end"] - row["wait_start"]) * scale, 1.0)
            _rect(svg, wait_x, y + (ROW_HEIGHT + BAR_HEIGHT) / 2.0 + 1, wait_width, 2.5, WAIT_COLOR, **{"class": "wait"})
            text_x = max(text_x, wait_x + wait_width)
        _text(svg, text_x + 6, y + ROW_HEIGHT / 2.0 + 4, "%s %s" % (format_duration(row["end"] - row["start"]), row["outcome"]),
              font_size=11, fill="#444", **{"class": "duration"})
    ET.SubElement(svg, "line", {"x1": str(CHART_LEFT), "x2": str(CHART_RIGHT), "y1": str(bottom), "y2": str(bottom),
                                "stroke": "#888", "stroke-width": "1"})
    _text(svg, (CHART_LEFT + CHART_RIGHT) / 2.0, bottom + 36, "seconds since %s" % format_iso_z(from_epoch_seconds(origin)),
          font_size=12, fill="#444", text_anchor="middle", **{"class": "axis-caption"})
    return _serialize(svg)


def _serialize(svg):
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode") + "\n"
