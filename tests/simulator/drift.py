# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The "drift" fault: a job answer in a shape the official SDK still reads, as real regions and API
versions send it (issue 21). It rewrites the JSON of a 200 GET the service produced.

Ids and statuses (``EXACT_KEYS``, any letter case) are never changed by the tolerated variants:
they are what a client decides on. Variants:

- ``other-form``: every other primitive in the other form the SDK's deserializer converts: numeric
  text becomes a number ("60" -> 60, "60%" -> 60), numbers become text, times become epoch
  milliseconds (the SDK declares them ``str`` and reads a number as its text);
- ``nulls``: every other field null (containers too, unless they hold an id or a status);
- ``absent``: every other field left out (same rule);
- ``extra``: an unknown field added to every object;
- ``no-status``: the job's status left out: not tolerated, the client must name the field.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from datetime import datetime, timezone

VARIANTS = ("other-form", "nulls", "absent", "extra", "no-status")
# CCE names its job metadata.uid (its status is an object, kept whole), a BSS order order_info.order_id.
EXACT_KEYS = frozenset(("id", "job_id", "task_id", "status", "execution_status", "task_status", "uid", "order_id"))
STATUS_KEYS = frozenset(("status", "execution_status"))
EXTRA_FIELD = "x_drift_unknown"

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")


def check_variant(variant):
    if variant not in VARIANTS:
        raise ValueError("inject_fault: variant must be one of %s for a drift fault, got %r" % (", ".join(VARIANTS), variant))
    return variant


def apply(variant, payload):
    """The drifted copy of ``payload`` (a service's JSON answer)."""
    if variant == "other-form":
        return _map_primitives(payload, _other_form)
    if variant in ("nulls", "absent"):
        return _strip(payload, keep_key=variant == "nulls")
    if variant == "extra":
        return _with_extra(payload)
    if variant == "no-status":
        return _without_status(payload)
    raise ValueError("unknown drift variant %r" % (variant,))


def _exact(key):
    return isinstance(key, str) and key.lower() in EXACT_KEYS


def _holds_exact(value):
    if isinstance(value, dict):
        return any(_exact(key) or _holds_exact(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_exact(item) for item in value)
    return False


def _map_primitives(value, convert):
    if isinstance(value, dict):
        return dict((key, item if _exact(key) else _map_primitives(item, convert)) for key, item in value.items())
    if isinstance(value, list):
        return [_map_primitives(item, convert) for item in value]
    return convert(value)


def _other_form(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER.match(text):
            number = float(text.rstrip("%"))
            return int(number) if number == int(number) else number
        if _TIME.match(text):
            return _epoch_ms(text)
    return value


def _epoch_ms(text):
    text = text.replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(round(moment.timestamp() * 1000))


def _strip(value, keep_key):
    if isinstance(value, list):
        return [_strip(item, keep_key) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if _exact(key):
            result[key] = item
        elif _holds_exact(item):
            result[key] = _strip(item, keep_key)
        elif keep_key:
            result[key] = None
    return result


def _with_extra(value):
    if isinstance(value, list):
        return [_with_extra(item) for item in value]
    if not isinstance(value, dict):
        return value
    result = dict((key, _with_extra(item)) for key, item in value.items())
    result[EXTRA_FIELD] = {"added_by": "a newer API version", "values": [1, "two", None]}
    return result


def _without_status(value):
    """The job's own status removed (the first level that has one: a listing's items, a job object)."""
    if isinstance(value, list):
        return [_without_status(item) for item in value]
    if not isinstance(value, dict):
        return value
    if any(isinstance(key, str) and key.lower() in STATUS_KEYS for key in value):
        return dict((key, item) for key, item in value.items() if not (isinstance(key, str) and key.lower() in STATUS_KEYS))
    return dict((key, _without_status(item)) for key, item in value.items())
