# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading the fields nothing is decided on the way the official SDK's deserializer does.

The Huawei Cloud Python SDK (``huaweicloudsdkcore`` ``_deserialize_primitive``) converts a
primitive to the declared type (``str(60)`` -> ``"60"``, ``int("1")`` -> ``1``) and takes ``null``
for any field. The schemas (``schemas.py``) accept the same; these helpers read such a value, and a
value the collection cannot use (a count of ``"abc"``, an object where text belongs) is ignored:
None, with a debug-level log record (logger ``taskgate.huaweicloud``), never a failure.
Ids and statuses are not read here: they stay exact (the schemas require strings).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import logging
import math
import re

LOGGER = logging.getLogger("taskgate.huaweicloud")

_INTEGER_RE = re.compile(r"^[+-]?\d+(\.0*)?$")


def note_unusable(field, value, wanted):
    """The one debug note of a value that was ignored (``wanted``: what would have been usable).

    ``field`` names it: text, or a tuple of parts (a dotted path or a list of paths among them),
    joined only when the note is written: reading a task must not pay for names it never shows.
    """
    if LOGGER.isEnabledFor(logging.DEBUG):
        LOGGER.debug("ignored %s=%s: not %s", _field_text(field), _describe(value), wanted)


def _field_text(field):
    if not isinstance(field, tuple):
        return str(field)
    return " ".join("/".join(part) if isinstance(part, (list, tuple)) else str(part) for part in field)


def _describe(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_text(value, field="value"):
    """Text of a field the SDK declares ``str``: strings stay (blank ones are None), numbers become
    text like the SDK's ``str()``; None for null. Booleans, objects and lists are ignored (noted)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            note_unusable(field, value, "text or a number")
            return None
        return str(value)
    note_unusable(field, value, "text or a number")
    return None


def as_count(value, field="value"):
    """Non-negative int of a field the SDK declares ``int``, from 3, 3.0 or "3" (the SDK's
    ``int()``); None for null, blank or anything else (noted)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value == int(value):
        number = int(value)
    elif isinstance(value, str) and _INTEGER_RE.match(value.strip()):
        number = int(float(value.strip())) if "." in value else int(value.strip())
    else:
        note_unusable(field, value, "a whole number")
        return None
    if number < 0:
        note_unusable(field, value, "a whole number >= 0")
        return None
    return number


def as_list(value, field="value"):
    """The list of a field the SDK declares ``list[...]``: absent or null is an empty list (the
    schemas let nothing else through for a list that holds ids; anything else is ignored, noted)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    note_unusable(field, value, "a list")
    return []
