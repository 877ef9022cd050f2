# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one dotted-path walker: ``a.b.0.c`` into nested dicts and lists.

Used by the task model (catalog field maps), the query layer (local filters), ``expect`` and
``api_request`` (job id paths) and the provision role, so a path means the same everywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

MISSING = object()


def lookup_path(data, dotted_path, default=None):
    """Value at ``dotted_path`` inside ``data``, or ``default`` when any part is absent.

    Dict keys by name; on a list, a part of digits (optionally negative) is an index. An empty or
    None path returns ``data`` itself. Runs for every field of every job on every poll, so the
    common one-key path takes a shortcut.
    """
    if not dotted_path:
        return data
    if "." not in dotted_path and isinstance(data, dict):
        return data.get(dotted_path, default)
    current = data
    for part in dotted_path.split("."):
        if part == "":
            continue
        if isinstance(current, dict):
            if part not in current:
                return default
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit():
            index = int(part)
            if not -len(current) <= index < len(current):
                return default
            current = current[index]
        else:
            return default
    return current
