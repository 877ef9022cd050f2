# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""datapath: the one dotted-path walker (catalog field maps, local filters, expect, job id paths)."""
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import MISSING, lookup_path

DATA = {"job": {"entities": {"sub_jobs": [{"id": "s1"}, {"id": "s2", "status": None}]}, "status": "RUNNING"},
        "list": [10, 20, 30], "dotted.key": "not a path", "zero": 0}


@pytest.mark.parametrize("path, expected", [
    ("job.status", "RUNNING"),
    ("job.entities.sub_jobs.1.id", "s2"),
    ("job.entities.sub_jobs.-1.id", "s2"),      # a negative index counts from the end
    ("list.0", 10),
    ("zero", 0),                                # a falsy value is a value, not absent
    ("job..status", "RUNNING"),                 # an empty part is skipped
])
def test_a_path_reaches_the_value(path, expected):
    assert lookup_path(DATA, path) == expected


@pytest.mark.parametrize("path", [
    "job.missing", "job.entities.sub_jobs.2.id", "job.entities.sub_jobs.-3", "list.first", "job.status.more",
    "list.0.x", "dotted.key",
])
def test_an_absent_part_gives_the_default(path):
    assert lookup_path(DATA, path) is None
    assert lookup_path(DATA, path, default=MISSING) is MISSING


def test_a_present_none_is_not_the_default():
    assert lookup_path(DATA, "job.entities.sub_jobs.1.status", default=MISSING) is None


@pytest.mark.parametrize("path", ["", None])
def test_no_path_is_the_data_itself(path):
    assert lookup_path(DATA, path) is DATA


def test_the_one_key_shortcut_means_the_same_as_the_walk():
    assert lookup_path({"a": 1}, "a") == lookup_path({"a": 1}, "a.") == 1
    assert lookup_path({"a": 1}, "b", default="d") == "d"
    assert lookup_path([5, 6], "1") == 6 and lookup_path("text", "0") is None
