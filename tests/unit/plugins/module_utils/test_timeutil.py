# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations and times: duration options, user times, API times; reference epochs checked with `date -u`."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    describe_value, epoch_seconds, format_duration, format_offset_utc, format_iso_z, parse_api_time, parse_api_time_dt,
    parse_duration, parse_user_time, plain_number, to_epoch_ms, utc_now,
)

UTC = timezone.utc
SEED_TIME = datetime(2023, 9, 12, 6, 44, 1, tzinfo=UTC)  # GeminiDB seed start_time, epoch 1694501041


@pytest.mark.parametrize("value, expected", [
    ("2023-09-12T06:44:01Z", SEED_TIME),
    ("2023-09-12T06:44:01z", SEED_TIME),
    ("2023-09-12T14:44:01+08:00", SEED_TIME),
    ("2023-09-12T14:44:01+0800", SEED_TIME),
    ("2023-09-12T01:44:01-05", SEED_TIME),
    ("2023-09-12T06:44:01", SEED_TIME),
    ("2023-09-12 06:44:01", SEED_TIME),
    ("  2023-09-12T06:44:01+00:00  ", SEED_TIME),
    ("2023-09-12T06:44:01.250Z", SEED_TIME + timedelta(milliseconds=250)),
    ("2023-09-12T06:44", SEED_TIME - timedelta(seconds=1)),
    ("2023-09-12", datetime(2023, 9, 12, tzinfo=UTC)),
    (1694501041, SEED_TIME),
    (1694501041.5, SEED_TIME + timedelta(milliseconds=500)),
    ("1694501041", SEED_TIME),
    (0, datetime(1970, 1, 1, tzinfo=UTC)),
    (datetime(2023, 9, 12, 6, 44, 1), SEED_TIME),
    (datetime(2023, 9, 12, 14, 44, 1, tzinfo=timezone(timedelta(hours=8))), SEED_TIME),
])
def test_parse_user_time_accepts(value, expected):
    parsed = parse_user_time(value, "filters.start_time")
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("value, hint", [
    ("yesterday", "ISO 8601"),
    ("", "ISO 8601"),
    ("2023-13-01T00:00:00Z", "ISO 8601"),
    ("2023-09-12T25:00:00Z", "ISO 8601"),
    ("2023-09-12T06:44:01+2500", "ISO 8601"),
    ("12/09/2023", "ISO 8601"),
    (True, "ISO 8601"),
    (None, "ISO 8601"),
    ([2023], "ISO 8601"),
    (1694501041000, "milliseconds"),
    ("1747919701390", "milliseconds"),
    (-5, "epoch seconds"),
    (float("nan"), "epoch seconds"),
])
def test_parse_user_time_rejects_with_option_name(value, hint):
    with pytest.raises(InvalidInput) as caught:
        parse_user_time(value, "filters.end_time")
    assert caught.value.option == "filters.end_time"
    assert "filters.end_time" in str(caught.value)
    assert hint in str(caught.value)


def test_format_offset_utc_matches_the_documented_shape():
    assert format_offset_utc(SEED_TIME) == "2023-09-12T06:44:01+0000"
    assert format_offset_utc(datetime(2023, 9, 12, 14, 44, 1, 999999, tzinfo=timezone(timedelta(hours=8)))) == "2023-09-12T06:44:01+0000"


def test_format_iso_z():
    assert format_iso_z(datetime(2020, 2, 4, 12, 1, 3, 344000, tzinfo=timezone(timedelta(hours=8)))) == "2020-02-04T04:01:03Z"


@pytest.mark.parametrize("value, expected", [
    # The RDS tasklist example: start_time=1747919701390&end_time=1748524501390
    (datetime(2025, 5, 22, 13, 15, 1, 390000, tzinfo=UTC), 1747919701390),
    (datetime(2025, 5, 29, 13, 15, 1, 390999, tzinfo=UTC), 1748524501390),
    (datetime(1970, 1, 1, 0, 0, 0, tzinfo=UTC), 0),
    (datetime(2025, 5, 22, 21, 15, 1, 390000, tzinfo=timezone(timedelta(hours=8))), 1747919701390),
])
def test_to_epoch_ms(value, expected):
    assert to_epoch_ms(value) == expected
    assert isinstance(to_epoch_ms(value), int)


@pytest.mark.parametrize("value, expected", [
    ("2023-09-12T06:44:01+0000", "2023-09-12T06:44:01Z"),
    ("2018-08-06T18:41:14+0800", "2018-08-06T10:41:14Z"),
    ("2018-08-06T18:41:14+08:00", "2018-08-06T10:41:14Z"),
    ("2018-08-06T05:41:14-0500", "2018-08-06T10:41:14Z"),
    ("2020-02-04T04:01:03.344Z", "2020-02-04T04:01:03Z"),
    ("2020-02-04T04:01:03.999999999Z", "2020-02-04T04:01:03Z"),
    ("2020-02-04T04:01:03Z", "2020-02-04T04:01:03Z"),
    ("2020-02-04T04:01:03", "2020-02-04T04:01:03Z"),
    ("2024-01-01T00:30:00+0100", "2023-12-31T23:30:00Z"),
    (1747919701390, "2025-05-22T13:15:01Z"),
    ("1747919701390", "2025-05-22T13:15:01Z"),
    (1694501041, "2023-09-12T06:44:01Z"),
    ("", None),
    ("   ", None),
    (None, None),
    ("not a time", None),
    ("2023-02-30T00:00:00Z", None),
    (True, None),
    ({"time": 1}, None),
])
def test_parse_api_time(value, expected):
    assert parse_api_time(value) == expected
    # Texts are parsed once and remembered: the second answer must be the same, and agree with the datetime form.
    assert parse_api_time(value) == expected
    parsed = parse_api_time_dt(value)
    assert (format_iso_z(parsed) if parsed is not None else None) == expected


def test_utc_now_uses_the_injected_clock_and_returns_utc():
    beijing = datetime(2024, 1, 1, 8, 0, 0, tzinfo=timezone(timedelta(hours=8)))
    assert utc_now(lambda: beijing) == datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
    assert utc_now(lambda: beijing).tzinfo == UTC
    assert utc_now(lambda: datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)


def test_utc_now_without_clock_is_current_utc():
    before = datetime.now(UTC)
    now = utc_now()
    assert now.tzinfo is not None and before <= now <= datetime.now(UTC)


# ---------------------------------------------------------------------------
# epoch seconds: the one ISO-to-epoch conversion


@pytest.mark.parametrize("value, expected", [
    (SEED_TIME, 1694501041.0),
    (datetime(2023, 9, 12, 6, 44, 1), 1694501041.0),                     # naive = UTC
    (datetime(2023, 9, 12, 14, 44, 1, 500000, tzinfo=timezone(timedelta(hours=8))), 1694501041.5),
    ("2023-09-12T06:44:01Z", 1694501041.0),
    ("2026-01-01T00:00:00Z", 1767225600.0),
    ("2023-09-12T14:44:01+0800", 1694501041.0),
    ("", None),
    (None, None),
    ("not a time", None),
])
def test_epoch_seconds(value, expected):
    assert epoch_seconds(value) == expected


# ---------------------------------------------------------------------------
# durations


@pytest.mark.parametrize("value, seconds", [
    (90, 90.0),
    (1.5, 1.5),
    (0, 0.0),
    ("90", 90.0),
    ("2.5", 2.5),
    ("90s", 90.0),
    ("30m", 1800.0),
    ("1h30m", 5400.0),
    ("1h 30m 10s", 5410.0),
    ("1.5h", 5400.0),
    ("2d", 172800.0),
    ("1H30M", 5400.0),
    (" 45s ", 45.0),
])
def test_parse_duration_accepts(value, seconds):
    assert parse_duration(value, "timeout") == seconds


@pytest.mark.parametrize("value", ["abc", "", "   ", "-5", -5, "-1m", "30m1h", "1h30", "5ms", "1hh", "nan", "inf",
                                   float("nan"), None, True, [30], "1 hour"])
def test_parse_duration_rejects_and_names_the_option(value):
    with pytest.raises(InvalidInput) as caught:
        parse_duration(value, "poll_interval")
    assert caught.value.option == "poll_interval"
    assert str(caught.value).startswith("poll_interval: ")


@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (45, "45s"), (2.5, "2.5s"), (59.6, "1m0s"), (72, "1m12s"), (5400, "1h30m0s"), (3599.6, "1h0m0s"),
    (None, "?"), (-3, "0s"), (12.4, "12s"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_values_in_messages():
    assert (plain_number(30.0), plain_number(2.5), plain_number(7)) == ("30", "2.5", "7")
    assert (describe_value(None), describe_value(5), describe_value("yes")) == ("nothing", "5 (int)", "'yes' (str)")
