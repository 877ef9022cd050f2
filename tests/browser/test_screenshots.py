# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The docs site and the gate_report timeline as a real browser renders them (headless Chromium).

tests/utils/browser.sh provides the inputs: TASKGATE_DOCS_HTML (the `make docs` site), TASKGATE_DEMO_REPORT
(junit.xml and timeline.svg of a real `make demo` run) and TASKGATE_SCREENSHOTS (where the PNGs stay as build
artifacts). Chromium runs as CI runs it on these machines: as root, so without its sandbox.
"""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"
WAIT_OPTIONS = ("service", "id", "timeout", "poll_interval", "max_poll_interval")


def setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail("%s is not set: run tests/utils/browser.sh (make test)" % name)
    return value


@pytest.fixture(scope="module")
def chromium():
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no chromium on PATH: tests/utils/browser.sh installs Debian's chromium package")
    return path


@pytest.fixture(scope="module")
def shots():
    path = setting("TASKGATE_SCREENSHOTS")
    os.makedirs(path, exist_ok=True)
    return path


def browse(chromium, tmp_path, url, *args):
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-dev-shm-usage", "--user-data-dir=%s" % (tmp_path / "profile")] + list(args) + [url]
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=False)
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    return completed.stdout.decode("utf-8", "replace")


def screenshot(chromium, tmp_path, url, path, width, height):
    browse(chromium, tmp_path, url, "--window-size=%d,%d" % (width, height), "--screenshot=%s" % path)
    image = Image.open(path).convert("RGB")
    assert image.size == (width, height)
    return image


def assert_not_blank(image):
    """More than a background: a real share of the pixels differs from the most common colour."""
    colours = image.getcolors(maxcolors=image.size[0] * image.size[1])
    background = max(colours)[0]
    drawn = image.size[0] * image.size[1] - background
    assert len(colours) > 16 and drawn > 0.02 * image.size[0] * image.size[1], (len(colours), drawn)


def page(relative):
    path = os.path.join(setting("TASKGATE_DOCS_HTML"), relative)
    assert os.path.isfile(path), "%s is not in the docs site (make docs)" % relative
    return "file://" + path


def test_the_docs_start_page_renders(chromium, shots, tmp_path):
    image = screenshot(chromium, tmp_path, page("index.html"), os.path.join(shots, "docs-index.png"), 1280, 900)
    assert_not_blank(image)


def test_the_module_page_shows_its_option_table(chromium, shots, tmp_path):
    url = page("wait_for_task_module.html")
    image = screenshot(chromium, tmp_path, url, os.path.join(shots, "wait_for_task-module.png"), 1280, 2400)
    assert_not_blank(image)
    dom = browse(chromium, tmp_path, url, "--dump-dom")
    tables = re.findall(r"<table\b.*?</table>", dom, flags=re.S)
    options = [table for table in tables if all('id="parameter-%s"' % name in table for name in WAIT_OPTIONS)]
    assert len(options) == 1, "no option table with %s in the rendered page" % ", ".join(WAIT_OPTIONS)
    assert "Parameter" in options[0] and "Comments" in options[0]


def bar_colours(svg):
    return set(rect.get("fill") for rect in svg.iter(SVG + "rect") if (rect.get("class") or "").startswith("bar "))


def rgb(colour):
    return tuple(int(colour[index:index + 2], 16) for index in (1, 3, 5))


def test_the_demo_timeline_draws_one_bar_per_gate(chromium, shots, tmp_path):
    report = setting("TASKGATE_DEMO_REPORT")
    svg = ET.parse(os.path.join(report, "timeline.svg")).getroot()
    tasks = list(ET.parse(os.path.join(report, "junit.xml")).getroot().iter("testcase"))
    width, height = int(float(svg.get("width"))), int(float(svg.get("height")))
    image = screenshot(chromium, tmp_path, "file://" + os.path.join(report, "timeline.svg"),
                       os.path.join(shots, "demo-timeline.png"), width, height)
    assert_not_blank(image)
    # The plot starts at the axis' first grid line; above it the legend shows the same colours.
    grid = next(line for line in svg.iter(SVG + "line") if line.get("x1") == line.get("x2"))
    left, top = int(float(grid.get("x1"))), int(float(grid.get("y1")))
    colours = set(rgb(colour) for colour in bar_colours(svg))
    assert colours, "the SVG has no bars"
    pixels = image.load()
    rows = [y for y in range(top, height) if any(pixels[x, y] in colours for x in range(left, width))]
    bands = [y for y in rows if y - 1 not in rows]
    assert len(bands) == len(tasks) > 0, (len(bands), len(tasks))
