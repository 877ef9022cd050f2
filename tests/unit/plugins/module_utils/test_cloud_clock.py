# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cloud_clock: the cloud's clock learned from Date headers; windows that reach "now" by it (issue 12)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.cloud_clock import (
    CLOCK_SKEW_ALLOWANCE, DATE_MARGIN, CloudClock, header_value, parse_http_date,
)
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import from_epoch_seconds

UTC = timezone.utc
# 2026-01-01T00:00:00Z: the fake clock reads epoch seconds here.
EPOCH_2026 = 1767225600.0


@pytest.fixture
def host(fake_clock):
    """This host's wall clock as the TaskService sees it (callable -> datetime), on the shared fake clock."""
    fake_clock.now = fake_clock.start = EPOCH_2026
    return lambda: from_epoch_seconds(fake_clock())


@pytest.mark.parametrize("value, expected", [
    ("Thu, 01 Jan 2026 00:10:00 GMT", datetime(2026, 1, 1, 0, 10, tzinfo=UTC)),
    ("Thu, 01 Jan 2026 08:10:00 +0800", datetime(2026, 1, 1, 0, 10, tzinfo=UTC)),
    ("  Thu, 01 Jan 2026 00:10:00 GMT ", datetime(2026, 1, 1, 0, 10, tzinfo=UTC)),
    ("yesterday", None), ("", None), (None, None), (1767226200, None),
])
def test_parse_http_date(value, expected):
    assert parse_http_date(value) == expected


def test_header_value_ignores_the_case_of_a_plain_dict():
    assert header_value({"date": "x"}, "Date") == "x"
    assert header_value({"Date": "y"}, "Date") == "y"
    assert header_value({}, "Date") is None and header_value(None, "Date") is None


@pytest.mark.parametrize("skew", [300, -300, 3600, -3600])
def test_the_offset_comes_from_the_date_header(host, fake_clock, skew):
    cloud = CloudClock(host)
    served = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=skew)
    cloud.learn({"Date": served.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    assert cloud.offset == timedelta(seconds=skew)
    fake_clock.advance(90)
    assert cloud.now() == served + timedelta(seconds=90)
    assert cloud.horizon() == served + timedelta(seconds=90) + DATE_MARGIN


def test_before_any_date_the_horizon_covers_any_plausible_skew(host):
    cloud = CloudClock(host)
    assert cloud.offset is None
    assert cloud.now() == datetime(2026, 1, 1, tzinfo=UTC)
    assert cloud.horizon() == datetime(2026, 1, 1, tzinfo=UTC) + CLOCK_SKEW_ALLOWANCE


def test_an_unreadable_date_changes_nothing(host):
    cloud = CloudClock(host)
    cloud.learn({"Date": "Thu, 01 Jan 2026 01:00:00 GMT"})
    for headers in ({"Date": "garbage"}, {}, None):
        cloud.learn(headers)
    assert cloud.offset == timedelta(hours=1)


def test_the_latest_answer_wins(host):
    cloud = CloudClock(host)
    cloud.learn({"Date": "Thu, 01 Jan 2026 01:00:00 GMT"})
    cloud.learn({"Date": "Wed, 31 Dec 2025 23:55:00 GMT"})
    assert cloud.offset == timedelta(minutes=-5)
