# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloud's clock as this host sees it: the local clock plus the offset the ``Date`` headers show.

The controller's clock and the cloud's can disagree by minutes, or by hours with a wrong time zone.
Job times come from the cloud's clock, so a listing window that ends at the local "now" can miss a
job created a moment ago. Every answer of the API gateway carries ``Date`` (RFC 7231, whole
seconds): ``learn`` keeps the offset it shows, and ``horizon`` is the latest time at which a job can
have been created, by the cloud's clock.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import timedelta
from email.utils import parsedate_to_datetime

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import as_utc, utc_now

# How far the two clocks may disagree before anything is known about the cloud's (a host set to the
# wrong time zone is hours off). Also how far ahead of this host a start_time may lie.
CLOCK_SKEW_ALLOWANCE = timedelta(days=1)
# Date has whole seconds and is written before the answer travels back: a minute covers both.
DATE_MARGIN = timedelta(minutes=1)


def header_value(headers, name):
    """A header of a response (a case-insensitive mapping from requests, or a plain dict); None if absent."""
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        wanted = name.lower()
        value = next((text for key, text in headers.items() if str(key).lower() == wanted), None)
    return value


def parse_http_date(value):
    """Aware UTC datetime of an HTTP date (``Thu, 01 Jan 2026 00:10:00 GMT``); None if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return as_utc(parsed) if parsed is not None else None


class CloudClock(object):
    """The local clock (``now``: callable -> datetime, None = the system clock) corrected by the learned offset."""

    def __init__(self, now=None):
        self._now = now
        # cloud - local, None until a response carried a readable Date. One float-like assignment:
        # responses of concurrent requests may set it from several threads.
        self.offset = None

    def learn(self, headers):
        """Take the offset from the ``Date`` header of a response (ignored when missing or unreadable)."""
        served = parse_http_date(header_value(headers, "Date"))
        if served is not None:
            self.offset = served - utc_now(self._now)

    def now(self):
        """The cloud's time as well as it is known (the local time before any Date was seen)."""
        local = utc_now(self._now)
        return local if self.offset is None else local + self.offset

    def horizon(self):
        """The latest creation time a job can have: the end of a window meant to reach "now".

        The cloud's now plus DATE_MARGIN once a Date was seen; before that, CLOCK_SKEW_ALLOWANCE past the
        local clock (no job is created in the future, so a later end lists the same jobs).
        """
        local = utc_now(self._now)
        if self.offset is None:
            return local + CLOCK_SKEW_ALLOWANCE
        return local + self.offset + DATE_MARGIN
