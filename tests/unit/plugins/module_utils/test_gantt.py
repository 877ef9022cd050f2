# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""gantt: task rows -> a self-contained SVG Gantt chart (the gate_report callback's timeline.svg)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils import gantt

NS = {"svg": "http://www.w3.org/2000/svg"}
T0 = 1767225600.0   # 2026-01-01T00:00:00Z


def parsed(rows, **kwargs):
    text = gantt.render_svg(rows, **kwargs)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.split("\n", 1)[1])


def of_class(svg, tag, name):
    return [node for node in svg.iter("{%s}%s" % (NS["svg"], tag)) if name in (node.get("class") or "").split()]


@pytest.mark.parametrize("span, step", [(1, 0.1), (9, 1), (10, 1), (11, 2), (45, 5), (100, 10), (101, 20), (3600, 500)])
def test_nice_step_cuts_the_span_into_at_most_ten_round_parts(span, step):
    assert gantt.nice_step(span) == pytest.approx(step)
    assert span / gantt.nice_step(span) <= gantt.MAX_TICKS


def test_one_bar_per_row_coloured_by_outcome_in_the_groups_given():
    rows = [
        {"group": "Deploy", "label": "rds CreateInstance 4f2c0a4e", "start": T0, "end": T0 + 6.8, "outcome": "failed",
         "tooltip": "disk full"},
        {"group": "Deploy", "label": "ddm CreateInstance 9a1b", "start": T0 + 1, "end": T0 + 4, "outcome": "succeeded"},
        {"group": "Verify", "label": "ecs job", "start": T0 + 2, "end": T0 + 3, "outcome": "timeout",
         "wait_start": T0 + 1.5, "wait_end": T0 + 5},
        {"group": "Verify", "label": "never seen", "start": None, "end": None, "outcome": "pending"},
    ]
    svg = parsed(rows, title="my gates")
    bars = of_class(svg, "rect", "bar")
    assert [drawn.get("data-outcome") for drawn in bars] == ["failed", "succeeded", "timeout"]
    assert [drawn.get("fill") for drawn in bars] == [gantt.COLORS["failed"], gantt.COLORS["succeeded"], gantt.COLORS["timeout"]]
    assert bars[0].find("svg:title", NS).text == "disk full" and bars[1].find("svg:title", NS).text == "ddm CreateInstance 9a1b"
    # The bars start where their rows start: the second one a second later, on the same scale.
    x0, x1 = float(bars[0].get("x")), float(bars[1].get("x"))
    assert x0 == pytest.approx(gantt.CHART_LEFT) and x1 > x0
    assert float(bars[1].get("width")) == pytest.approx(float(bars[0].get("width")) * 3 / 6.8, abs=0.2)  # drawn to 0.1 px
    assert [node.text for node in of_class(svg, "text", "group")] == ["play: Deploy", "play: Verify"]
    assert len(of_class(svg, "rect", "wait")) == 1
    assert "gate waiting" in [node.text for node in of_class(svg, "text", "legend")]
    assert svg.find("svg:title", NS).text == "my gates"


def test_no_rows_say_so():
    svg = parsed([])
    texts = [node.text for node in svg.iter("{%s}text" % NS["svg"])]
    assert "No wait_for_task gate ran." in texts and not of_class(svg, "rect", "bar")


def test_long_labels_are_cut_and_text_is_escaped():
    label = "<script>alert(1)</script>" + "x" * 80
    text = gantt.render_svg([{"group": None, "label": label, "start": T0, "end": T0 + 1, "outcome": "succeeded"}])
    assert "<script>" not in text
    svg = ET.fromstring(text.split("\n", 1)[1])
    shown = of_class(svg, "text", "label")[0].text
    assert len(shown) == gantt.LABEL_CHARS and shown.endswith(u"\u2026")
    assert of_class(svg, "text", "group")[0].text == "play: (unnamed)"
