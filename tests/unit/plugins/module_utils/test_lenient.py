# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""lenient: the SDK deserializer's conversions for the fields nothing is decided on; unusable values are noted."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.lenient import as_count, as_list, as_text


@pytest.mark.parametrize("value, expected", [
    ("abc", "abc"), ("  ", None), ("", None), (None, None), (60, "60"), (1.5, "1.5"),
    (True, None), ({"a": 1}, None), ([1], None), (float("nan"), None),
])
def test_as_text(value, expected):
    assert as_text(value) == expected


@pytest.mark.parametrize("value, expected", [
    (3, 3), ("3", 3), (" 12 ", 12), (3.0, 3), ("3.0", 3), (0, 0), (None, None), ("", None),
    ("abc", None), (1.5, None), ("1.5", None), (True, None), (-1, None), ("-2", None), ({}, None),
    (float("inf"), None),
])
def test_as_count(value, expected):
    assert as_count(value) == expected


@pytest.mark.parametrize("value, expected", [(None, []), ([], []), ([{"id": 1}], [{"id": 1}]), ("x", []), ({"id": 1}, [])])
def test_as_list(value, expected):
    assert as_list(value) == expected


def test_unusable_values_get_a_debug_note_and_usable_ones_none(caplog):
    caplog.set_level(logging.DEBUG, logger="taskgate.huaweicloud")
    assert as_count("abc", "rds total_count") is None
    assert as_text({"code": 1}, "ecs fail_reason") is None
    assert as_count("7", "x") == 7 and as_text(None, "y") is None
    notes = [record for record in caplog.records if record.name == "taskgate.huaweicloud"]
    assert [record.levelno for record in notes] == [logging.DEBUG, logging.DEBUG]
    assert "rds total_count='abc'" in notes[0].getMessage()
    assert "ecs fail_reason={'code': 1}" in notes[1].getMessage()
