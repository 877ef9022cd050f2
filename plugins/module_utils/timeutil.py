# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations and times: user options in, API formats out, API times to ISO UTC.

Durations: ``parse_duration`` reads the duration options (``timeout``, ``delay``, ...: seconds or
``90s``/``30m``/``1h30m``), ``format_duration`` writes them back for messages.

Times: every datetime handed out is timezone-aware UTC. Python 3.8's ``fromisoformat`` knows neither
``Z`` nor ``+0000``, and the APIs send both, so ISO 8601 is parsed with one regular expression.
``epoch_seconds`` is the one conversion of a datetime or an ISO 8601 / API time text to epoch seconds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput

_ISO_RE = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?)?"
    r"\s*(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)
_EPOCH_RE = re.compile(r"^\d+(?:\.\d+)?$")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Epoch seconds past this are year 5138: a bigger number is almost surely milliseconds.
_MAX_EPOCH_SECONDS = 10 ** 11

USER_TIME_FORMATS = "ISO 8601 (e.g. 2023-09-12T06:44:01Z, +08:00 offsets; no offset means UTC) or epoch seconds"

_DURATION_PART_RE = re.compile(r"(\d+(?:\.\d+)?)\s*([dhms])")
_DURATION_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_DURATION_ORDER = "dhms"
DURATION_HELP = "use seconds (90, 1.5) or d/h/m/s units such as 90s, 30m, 1h30m, 1h 30m 10s, 1.5h"


# ---------------------------------------------------------------------------
# values in messages


def is_number(value):
    """True for int and float, False for bool (a YAML ``yes`` is not a number of seconds)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def describe_value(value):
    """How a wrong option value is shown in a message: ``5 (int)``, ``'yes' (str)``, ``nothing``."""
    if value is None:
        return "nothing"
    return "%r (%s)" % (value, type(value).__name__)


def plain_number(value):
    """30.0 -> "30", 2.5 -> "2.5" (how a user wrote an option, for messages)."""
    return "%d" % value if float(value) == int(value) else "%g" % value


# ---------------------------------------------------------------------------
# durations


def parse_duration(value, option="timeout"):
    """Return ``value`` as seconds (float >= 0); InvalidInput naming ``option`` otherwise.

    Accepted: a number of seconds (int, float, or a string such as ``"90"``/``"1.5"``) or
    d/h/m/s components, largest unit first, each at most once, optional spaces between
    them, case-insensitive: ``"90s"``, ``"30m"``, ``"1h30m"``, ``"1h 30m 10s"``, ``"1.5h"``,
    ``"2d"``. Empty strings, negative or non-finite numbers and anything else are rejected.
    """
    if is_number(value):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_duration_text(value, option)
    else:
        raise InvalidInput("%s: expected a duration, got %s; %s" % (option, describe_value(value), DURATION_HELP), option=option)
    if math.isnan(seconds) or math.isinf(seconds):
        raise InvalidInput("%s: duration must be finite, got %r" % (option, value), option=option)
    if seconds < 0:
        raise InvalidInput("%s: duration must not be negative, got %r" % (option, value), option=option)
    return seconds


def _parse_duration_text(value, option):
    text = value.strip().lower()
    if not text:
        raise InvalidInput("%s: duration is empty; %s" % (option, DURATION_HELP), option=option)
    try:
        return float(text)
    except ValueError:
        pass
    total = 0.0
    position = 0
    last_unit = -1
    for match in _DURATION_PART_RE.finditer(text):
        gap = text[position:match.start()]
        unit_rank = _DURATION_ORDER.index(match.group(2))
        if gap.strip() or unit_rank <= last_unit:
            break
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
        last_unit = unit_rank
    if last_unit < 0 or text[position:].strip():
        raise InvalidInput("%s: invalid duration %r; %s" % (option, value, DURATION_HELP), option=option)
    return total


def format_duration(seconds):
    """``45`` -> ``"45s"``, ``72`` -> ``"1m12s"``, ``5400`` -> ``"1h30m0s"``, ``2.5`` -> ``"2.5s"``."""
    if seconds is None:
        return "?"
    seconds = max(0.0, float(seconds))
    if seconds < 10 and round(seconds, 1) != int(round(seconds, 1)):
        return "%.1fs" % round(seconds, 1)
    whole = int(round(seconds))
    if whole < 60:
        return "%ds" % whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%dh%dm%ds" % (hours, minutes, secs)
    return "%dm%ds" % (minutes, secs)


# ---------------------------------------------------------------------------
# times


def utc_now(now=None):
    """``now()`` if a clock is injected, else the current time; always aware UTC."""
    value = now() if now is not None else datetime.now(timezone.utc)
    return as_utc(value)


def as_utc(value):
    """Aware UTC copy of a datetime; naive datetimes are taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _parse_zone(zone):
    if zone is None or zone in ("Z", "z"):
        return timezone.utc
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("bad offset %s" % zone)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_iso(text):
    """Aware UTC datetime from an ISO 8601 string; ValueError if it is not one."""
    match = _ISO_RE.match(text.strip())
    if not match:
        raise ValueError("not an ISO 8601 time: %r" % text)
    parts = match.groupdict()
    fraction = (parts["fraction"] or "0")[:6].ljust(6, "0")
    value = datetime(
        int(parts["year"]), int(parts["month"]), int(parts["day"]),
        int(parts["hour"] or 0), int(parts["minute"] or 0), int(parts["second"] or 0), int(fraction),
        tzinfo=_parse_zone(parts["zone"]),
    )
    return value.astimezone(timezone.utc)


def from_epoch_seconds(seconds):
    return _EPOCH + timedelta(seconds=seconds)


def epoch_seconds(value):
    """Epoch seconds (float) of a datetime (naive = UTC) or of an ISO 8601 / API time text.

    None for None and for a text that is not a time: task times are display data (see
    ``parse_api_time_dt``), so an unreadable one must not end a wait.
    """
    if not isinstance(value, datetime):
        value = parse_api_time_dt(value)
        if value is None:
            return None
    return (as_utc(value) - _EPOCH).total_seconds()


def parse_user_time(value, option):
    """Aware UTC datetime from a user option value.

    Accepts a datetime, ISO 8601 text (``Z``, ``+08:00``/``+0800`` offsets, naive = UTC) or epoch
    seconds (int, float or a digit string). Raises InvalidInput naming ``option`` otherwise.
    """
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, bool) or value is None:
        raise InvalidInput("%s must be a time: %s; got %r" % (option, USER_TIME_FORMATS, value), option=option)
    if isinstance(value, (int, float)):
        return _epoch_option(value, option)
    if isinstance(value, str):
        text = value.strip()
        if _EPOCH_RE.match(text):
            return _epoch_option(float(text), option)
        try:
            return parse_iso(text)
        except (ValueError, OverflowError):
            pass
    raise InvalidInput("%s must be a time: %s; got %r" % (option, USER_TIME_FORMATS, value), option=option)


def _epoch_option(seconds, option):
    if not 0 <= seconds < _MAX_EPOCH_SECONDS:  # also rejects NaN
        hint = " (looks like milliseconds: divide by 1000)" if seconds >= _MAX_EPOCH_SECONDS else ""
        raise InvalidInput("%s must be epoch seconds%s; got %r" % (option, hint, seconds), option=option)
    return from_epoch_seconds(seconds)


def format_offset_utc(value):
    """Query time with a numeric UTC offset (GeminiDB): ``2023-09-12T06:44:01+0000``."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S+0000")


def format_iso_z(value):
    """The collection's output format: ``2023-09-12T06:44:01Z`` (UTC, whole seconds)."""
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_epoch_ms(value):
    """Epoch milliseconds (RDS tasklist filters) as an int."""
    delta = as_utc(value) - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_api_time_dt(value):
    """Aware UTC datetime from an API time field, or None when it is empty or unreadable.

    API times are display data: an unreadable one must not fail a whole query, so it becomes None
    (the original stays in the task's ``raw``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        # Numeric times are epoch milliseconds in Huawei Cloud payloads, seconds if small.
        seconds = value / 1000.0 if value >= _MAX_EPOCH_SECONDS else value
        return from_epoch_seconds(seconds) if 0 <= seconds < _MAX_EPOCH_SECONDS else None
    if not isinstance(value, str):
        return None
    return _parse_api_text(value)[0]


# A waiter sees the same few time strings of every job on every poll: parse each text once.
# Results are immutable (aware datetimes and str), so sharing them is safe.
@lru_cache(maxsize=8192)
def _parse_api_text(value):
    """(datetime or None, its ``format_iso_z`` text or None) of one API time string."""
    text = value.strip()
    if not text:
        return None, None
    if _EPOCH_RE.match(text):
        parsed = parse_api_time_dt(float(text))
    else:
        try:
            parsed = parse_iso(text)
        except (ValueError, OverflowError):
            parsed = None
    return parsed, (format_iso_z(parsed) if parsed is not None else None)


def parse_api_time(value):
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC) from an API time field, or None (empty, missing, unreadable)."""
    if isinstance(value, str):
        return _parse_api_text(value)[1]
    parsed = parse_api_time_dt(value)
    return format_iso_z(parsed) if parsed is not None else None
