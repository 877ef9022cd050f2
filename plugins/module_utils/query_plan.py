# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "which tasks?" options checked once, into a QuerySpec that TaskService trusts.

``plan_query(service, ids, filters, limit, page_size)`` does every check (no I/O) and raises
InvalidInput naming the option as the module user knows it: ``id``, ``status``, ``name``,
``instance_id``, ``order_id``, ``start_time``, ``end_time``, ``limit``, ``page_size``. What the
service's API accepts (filters, page sizes, time window) is read from its catalog entry.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple
from datetime import timedelta

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import ServiceEntry, raw_statuses, service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.cloud_clock import CLOCK_SKEW_ALLOWANCE
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import InvalidInput
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import (
    format_offset_utc, parse_user_time, to_epoch_ms, utc_now,
)

TIME_OPTIONS = ("start_time", "end_time")


class QuerySpec(namedtuple("QuerySpec", "service ids filters local start end end_at_request limit page_size entry")):
    """A checked query; only ``plan_query`` builds one.

    - ``service``: the service's name; ``entry``: its resolved catalog entry (``catalog.ServiceEntry``).
    - ``ids``: cleaned task ids, or None (list every matching task).
    - ``filters``: filters sent to the API as they are (status in its catalog spelling).
    - ``local``: filters applied to the normalized task (the API lacks them; catalog ``local_filters``).
    - ``start``/``end``: the time window (aware datetimes or None); ``end_at_request``: the API needs
      an end with a start, and it is "now" at each request (a plan may serve a whole wait).
    - ``limit``: at most this many tasks, or None; ``page_size``: per listing request (None: per-id service).
    """

    __slots__ = ()

    def api_query(self, now=None):
        """The query parameters of the API (filters and the encoded window).

        ``now`` (callable -> datetime) gives the end of a window left open to "now": TaskService passes
        its ``CloudClock.horizon``, the latest creation time by the cloud's clock, not this host's.
        """
        query = dict(self.filters)
        end = utc_now(now) if self.end_at_request else self.end
        query.update(encode_window(self.entry, self.start, end))
        return query


def encode_window(entry, start, end):
    """``start_time``/``end_time`` query parameters in the time encoding of ``entry`` (None values left out)."""
    query = {}
    if start is None and end is None:
        return query  # per-id services have no time encoding
    encode = format_offset_utc if entry["time_encoding"] == "offset_utc" else to_epoch_ms
    if start is not None:
        query["start_time"] = encode(start)
    if end is not None:
        query["end_time"] = encode(end)
    return query


def positive_int(value, option):
    """``value`` when it is a whole number >= 1; None stays None; InvalidInput naming ``option`` otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("%s must be a whole number of at least 1; got %r" % (option, value), option=option)
    return value


def clean_ids(ids, option="id"):
    """``ids`` (one id or a list) as a list of stripped, de-duplicated ids in order; None stays None.

    InvalidInput naming ``option`` for anything but non-empty strings.
    """
    if ids is None:
        return None
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, (list, tuple)):
        raise InvalidInput("%s must be a list of task id strings; got %r" % (option, ids), option=option)
    cleaned = []
    unique = set()  # a list lookup made every poll of 1000 ids cost 500k comparisons
    for value in ids:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("%s must be non-empty strings; got %r" % (option, value), option=option)
        value = value.strip()
        if value not in unique:
            unique.add(value)
            cleaned.append(value)
    return cleaned


def check_path_ids(service, ids):
    """Ids that go into the request path (per-id services) must not be '.' or '..'; InvalidInput naming ``id``.

    The client sends an id as one encoded path segment (``/`` becomes ``%2F``), but requests decodes
    ``%2E`` back to ``.`` before sending, so '.' and '..' would reach the server as dot segments,
    which URL normalisation removes (another API).
    """
    for task_id in ids:
        if task_id in (".", ".."):
            raise InvalidInput("id %r cannot be looked up on %s: an id sent in the request path cannot be '.' or '..'"
                               % (task_id, service), option="id")


def plan_query(service, ids=None, filters=None, limit=None, page_size=None, now=None):
    """Check the options of one query and return its QuerySpec; InvalidInput naming the option.

    ``filters`` maps filter options (``status``, ``name``, ...) to values; None values are unset. An
    ``id`` in ``filters`` is one more way to give ``ids``. List services combine ids with the other
    filters (the API does); per-id services look jobs up by id only. ``page_size`` only matters to
    list services. ``now`` (callable -> datetime) is the clock of the time-window checks.
    """
    # The planning step: a name is resolved here, once; the plan carries the entry from then on.
    entry = service if isinstance(service, ServiceEntry) else service_entry(service)
    service = entry.name
    filters = _clean_filters(service, entry, filters)
    if "id" in filters:
        if ids:
            raise InvalidInput("id was given twice (as a list and as a filter); give it once", option="id")
        ids = [filters.pop("id")]
    ids = clean_ids(ids) or None
    if not entry["list_capable"]:
        if filters:
            raise InvalidInput("%s supports lookup by id only; give id (%s %s not supported)"
                               % (service, ", ".join(sorted(filters)), "is" if len(filters) == 1 else "are"),
                               option=sorted(filters)[0], allowed=[])
        if ids is None:
            raise InvalidInput("%s supports lookup by id only; give id" % service, option="id")
        check_path_ids(service, ids)
    local = dict((key, filters.pop(key)) for key in list(filters) if key in entry.get("local_filters", {}))
    start = parse_user_time(filters.pop("start_time"), "start_time") if "start_time" in filters else None
    end = parse_user_time(filters.pop("end_time"), "end_time") if "end_time" in filters else None
    start, end, end_at_request = _complete_window(service, entry, start, end, now)
    return QuerySpec(service=service, ids=ids, filters=filters, local=local, start=start, end=end,
                     end_at_request=end_at_request, limit=positive_int(limit, "limit"),
                     page_size=_page_size(service, entry, page_size), entry=entry)


def _clean_filters(service, entry, filters):
    if filters is None:
        return {}
    if not isinstance(filters, dict):
        # A caller's bug, not a user's: modules build this dict from their options.
        raise TypeError("filters must be a dict of filter options; got %r" % (filters,))
    # Ansible passes unset options as None.
    cleaned = dict((key, value) for key, value in filters.items() if value is not None)
    allowed = entry["filters"]
    unknown = sorted(key for key in cleaned if key not in allowed)
    if unknown and allowed:
        raise InvalidInput("unknown filter %s for %s; allowed: %s" % (", ".join(unknown), service, ", ".join(allowed)),
                           option=unknown[0], allowed=allowed)
    for key, value in cleaned.items():
        if key in TIME_OPTIONS or not allowed:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("%s must be a non-empty string; got %r" % (key, value), option=key)
        cleaned[key] = value.strip()
    if "status" in cleaned:
        cleaned["status"] = _canonical_status(service, entry, cleaned["status"])
    return cleaned


def _canonical_status(service, entry, value):
    statuses = raw_statuses(entry)
    for status in statuses:
        if status.lower() == value.lower():
            return status
    raise InvalidInput("status must be one of %s for %s; got %r" % (", ".join(statuses), service, value),
                       option="status", allowed=statuses)


def _page_size(service, entry, page_size):
    if not entry["list_capable"]:
        return None
    if page_size is None:
        return entry["default_page_size"]
    sizes = entry["page_sizes"]
    valid = isinstance(page_size, int) and not isinstance(page_size, bool)
    if sizes:
        if not valid or page_size not in sizes:
            raise InvalidInput("page_size must be one of %s for %s; got %r" % (", ".join(str(s) for s in sizes), service, page_size),
                               option="page_size", allowed=sizes)
    elif not valid or not entry["min_page_size"] <= page_size <= entry["max_page_size"]:
        raise InvalidInput("page_size must be between %d and %d for %s; got %r"
                           % (entry["min_page_size"], entry["max_page_size"], service, page_size),
                           option="page_size", allowed=[entry["min_page_size"], entry["max_page_size"]])
    return page_size


def _complete_window(service, entry, start, end, now):
    """Fill in what the API would reject or misread, and reject what no filling can fix.

    Returns ``(start, end, end_at_request)``.
    """
    if start is None and end is None:
        return None, None, False
    current = utc_now(now)
    window_days = entry["max_window_days"]
    end_at_request = False
    if end is not None and start is None and entry["end_requires_start"]:
        raise InvalidInput("end_time needs start_time for %s: the API reads end_time only together with "
                           "start_time; give start_time too" % service, option="end_time")
    if start is not None and end is None:
        # This host's clock may be behind the cloud's: only a start_time beyond any plausible skew is refused.
        if start >= current + CLOCK_SKEW_ALLOWANCE:
            raise InvalidInput("start_time %s is in the future (more than %d hours ahead of this host's clock)"
                               % (start.isoformat(), CLOCK_SKEW_ALLOWANCE.total_seconds() // 3600), option="start_time")
        if window_days and current - start > timedelta(days=window_days):
            raise InvalidInput("start_time %s is more than %d days before now (the default end_time); %s lists "
                               "at most %d days: give end_time within %d days after it"
                               % (start.isoformat(), window_days, service, window_days, window_days), option="start_time")
        # The API needs an end with a start: "now" by the cloud's clock, at each request (see api_query).
        end_at_request = entry["start_requires_end"]
    elif end is not None and start is None and window_days:
        # The API's default start is relative to today, not to end_time: send the window explicitly.
        start = end - timedelta(days=window_days)
    if start is not None and end is not None:
        if end <= start:
            raise InvalidInput("end_time (%s) must be later than start_time (%s)" % (end.isoformat(), start.isoformat()),
                               option="end_time")
        if window_days and end - start > timedelta(days=window_days):
            raise InvalidInput("%s lists at most %d days: start_time %s is %d days before end_time %s"
                               % (service, window_days, start.isoformat(), (end - start).days, end.isoformat()),
                               option="start_time")
    return start, end, end_at_request
