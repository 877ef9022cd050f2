# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normalized task model: one plain dict shape for the jobs of every service.

``normalize(entry, item)`` reads an API item through the service's resolved catalog entry
(``catalog.CATALOG``: field map and status phases), so the per-service knowledge stays data.

Choices worth knowing:
- ``phase`` (of the job and of each sub-task) comes from ``rules.match_phase``: the same status
  matching (blanks stripped, case ignored) as the completion rules of wait_for_task.
- ``decode_messages`` is the one decoder of CAS ``MESSAGES``: sub-tasks carry the decoded text in
  ``message``, and the failure report shows it as it is.
- ``ended_at`` is None until the task is terminal: GeminiDB/RDS/DDM fill ``end_time`` with a
  planned end while a job still runs (GeminiDB's own example shows one on a Running job).
- ``progress`` is parsed, never invented: "" after completion gives None, not 100.
- ServiceStage CAS has no progress (None: the sub-task count grows while a job runs, so a share
  would jump backwards), no job times (``created_at`` = the earliest sub-task creation time) and
  no failure text (``fail_reason`` = the first FAILED sub-task's decoded MESSAGES). A SKIPPED
  sub-task counts as succeeded: it was not needed and does not keep its job from succeeding.
- ECS, EVS and BMS jobs hold their sub-jobs inside (``entities.sub_jobs``); a failed job's top level
  often carries only an error code, so ``fail_reason`` is the job's own text, else the first failed
  sub-task's, else the job's code (catalog ``fail_code``). ``instance.id`` of a job with one sub-job
  is what that sub-job made (catalog ``subtask_instance_id``); a batch has none.
- A field path may be a list (catalog ``fields``): the first path that holds a value wins.
- Only ids and statuses are exact (the schemas require them); every other field is read the way the
  official SDK's deserializer reads it (``lenient``): numbers or numeric strings, null for anything,
  and a value that cannot be used (a progress of "abc") is ignored with a debug note.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import TERMINAL_PHASES
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.datapath import lookup_path
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.lenient import as_count, as_text, note_unusable
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rules import match_phase
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.timeutil import parse_api_time

# Keys a decoded CAS MESSAGES object uses for its code and its text.
_MESSAGE_CODE_KEYS = ("Message", "message", "code", "error_code")
_MESSAGE_TEXT_KEYS = ("Detail", "detail", "details", "error_msg")


def parse_progress(value):
    """Int 0-100 from "14%", "14", 14 or 14.7 (truncated, so 99.6 never shows 100); None otherwise.

    Both forms, as the SDK's deserializer converts them: RDS/DDM ``process`` and GeminiDB
    ``progress`` are declared text but arrive as numbers too.

    The one progress parser: the model and the waiter's progress-rate estimate both read progress with it.
    """
    if type(value) is int and 0 <= value <= 100:  # pylint: disable=unidiomatic-typecheck
        return value  # already normalized: the waiter reads every task on every poll
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            text = text[:-1].strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return int(min(max(value, 0), 100))


def _dig(data, path):
    """Value at a dotted ``path`` of the item; None for a field the API does not have (path None).

    ``path`` may be a list of paths (text fields): the first one holding usable text wins, so an
    unusable value (null, blank, an object) in one place does not hide the text in the next.
    """
    if path is None:
        return None
    if isinstance(path, (list, tuple)):
        for one in path:
            value = lookup_path(data, one)
            if _usable_text(value):
                return value
        return None
    return lookup_path(data, path)


def _usable_text(value):
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(entry, data, path):
    """The text at ``path`` (``lenient.as_text``: numbers as text, unusable values noted and ignored)."""
    value = _dig(data, path)
    if value is None:
        return None
    if type(value) is str:  # pylint: disable=unidiomatic-typecheck
        return value if value.strip() else None  # the common case, read on every poll of every task
    return as_text(value, _field_name(entry, path))


def _field_name(entry, path):
    """How a debug note names the field (``lenient.note_unusable`` joins it only when it writes one)."""
    return (entry.get("label", "?"), path)


def _time(entry, data, path):
    """An API time (ISO text or epoch milliseconds, in either form); unusable ones noted and ignored."""
    value = _dig(data, path)
    parsed = parse_api_time(value)
    if parsed is None and _usable_text(value):
        note_unusable(_field_name(entry, path), value, "a time")
    return parsed


def _progress(entry, data, path):
    value = _dig(data, path)
    progress = parse_progress(value)
    if progress is None and _usable_text(value):
        note_unusable(_field_name(entry, path), value, "a progress")
    return progress


def _text_or_none(value):
    """Strings stay (blank ones become None); numbers become text; anything else is None."""
    return as_text(value)


def _fold_keys(data, upper):
    if not isinstance(data, dict):
        return data
    return dict(((key.upper() if upper else key.lower()) if isinstance(key, str) else key, value) for key, value in data.items())


def cas_view(body):
    """A CAS body with the documented key case: top level lower, job and sub-task keys UPPER.

    CAS v2 sends UPPER-CASE keys, v3 lower-case ones; both read alike after this. v3 is not the same
    payload, though: its job has no JOB_NAME or SERVICE_INSTANCE_ID, its sub-tasks no TASK_INDEX
    (the SDK's v3 model), and it adds ROLLBACK_ENABLED and UPDATE_AT.
    """
    if not isinstance(body, dict):
        return body
    view = _fold_keys(body, upper=False)
    view["job"] = _fold_keys(view.get("job"), upper=True)
    if isinstance(view.get("tasks"), list):
        view["tasks"] = [_fold_keys(sub, upper=True) for sub in view["tasks"]]
    return view


def canonical_view(entry, body):
    """The payload as the schemas and field maps of ``entry`` expect it (key case folded where the API varies)."""
    return _entry_view(entry, body)


def _entry_view(entry, body):
    return cas_view(body) if entry.get("key_case") == "cas" else body


def decode_messages(value):
    """Readable text from a CAS ``MESSAGES`` value (a JSON-encoded string by the docs).

    ``{"Message": "ECC00011", "Detail": "Building failed."}`` gives "ECC00011: Building failed.";
    "{}", "" and None give None; text that is not JSON is returned as it is.
    """
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return text
    if value is None or value == {} or value == []:
        return None
    if isinstance(value, dict):
        code = next((value[key] for key in _MESSAGE_CODE_KEYS if _text_or_none(value.get(key))), None)
        detail = next((value[key] for key in _MESSAGE_TEXT_KEYS if _text_or_none(value.get(key))), None)
        if code is not None or detail is not None:
            return ": ".join(str(part) for part in (code, detail) if part is not None)
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    if isinstance(value, str):
        return value if value.strip() else None
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _subtask(entry, raw_sub):
    fields = entry["subtask_fields"]
    return {
        "id": _text(entry, raw_sub, fields["id"]),
        "name": _text(entry, raw_sub, fields["name"]),
        # CAS v2 TASK_INDEX is an int to the SDK, which reads "1" as 1 too.
        "index": as_count(_dig(raw_sub, fields["index"]), _field_name(entry, fields["index"])),
        "status": _dig(raw_sub, fields["status"]),
        "phase": match_phase(entry["subtask_phases"], _dig(raw_sub, fields["status"])),
        "message": decode_messages(_dig(raw_sub, fields["message"])),
        "created_at": _time(entry, raw_sub, fields["created_at"]),
        "entity_id": _text(entry, raw_sub, fields.get("entity_id")),
    }


def _raw_subtasks(entry, view):
    # Absent or null is an empty list (the SDK's models declare every list optional).
    raw_subs = _dig(view, entry.get("subtasks_key"))
    if not isinstance(raw_subs, list):
        return []
    return [sub for sub in raw_subs if isinstance(sub, dict)]


def _subtasks(entry, raw_subs):
    subs = [_subtask(entry, sub) for sub in raw_subs]
    # By index (the execution order); subtasks without one keep their API order at the end.
    return sorted(subs, key=lambda sub: (sub["index"] is None, sub["index"] or 0))


def _subtask_failure(subtasks):
    for sub in subtasks:
        if sub["phase"] == "failed":
            label = sub["name"] or sub["id"] or "sub-task"
            return "%s: %s" % (label, sub["message"]) if sub["message"] else "%s failed" % label
    return None


def _instance_field(entry, fields, view, raw_subs, name):
    """``instance_id``/``instance_name``: the job's own, else its only sub-task's (catalog ``subtask_instance_*``)."""
    found = _text(entry, view, fields[name])
    if found is None and len(raw_subs) == 1 and entry.get("subtask_" + name):
        found = _text(entry, raw_subs[0], entry["subtask_" + name])
    return found


def _fail_reason(entry, fields, view, phase, subtasks):
    reason = _text(entry, view, fields["fail_reason"]) or _subtask_failure(subtasks)
    if reason is None and phase == "failed":
        reason = _text(entry, view, entry.get("fail_code"))
    return reason


def normalize(entry, item, request_id=None, fields=None):
    """The normalized task dict of one API item (see docs/architecture.md).

    ``item`` is one list entry (GeminiDB, RDS), the ``job`` object (DDM) or the whole body (CAS,
    whose sub-tasks sit next to the job; ECS/EVS/BMS). ``raw`` keeps ``item`` untouched. ``fields``
    replaces the entry's field map for an item of another shape (catalog ``id_lookup``). ``entry`` is the
    resolved ``catalog.ServiceEntry``: its ``name`` is the task's ``service``.
    """
    fields = fields or entry["fields"]
    view = _entry_view(entry, item)
    status = _dig(view, fields["status"])
    if isinstance(status, int) and not isinstance(status, bool):
        status = str(status)  # BSS order statuses are integers; every rule matches text
    phase = match_phase(entry["phases"], status)
    raw_subs = _raw_subtasks(entry, view)
    subtasks = _subtasks(entry, raw_subs)
    created_at = _time(entry, view, fields["created_at"])
    if created_at is None and subtasks:
        created_at = min((sub["created_at"] for sub in subtasks if sub["created_at"]), default=None)
    ended_at = _time(entry, view, fields["ended_at"]) if phase in TERMINAL_PHASES else None
    return {
        "id": _text_or_none(_dig(view, fields["id"])),
        "name": _text(entry, view, fields["name"]),
        "service": entry.name,
        "status": status,
        "phase": phase,
        "progress": _progress(entry, view, fields["progress"]),
        "instance": {
            "id": _instance_field(entry, fields, view, raw_subs, "instance_id"),
            "name": _instance_field(entry, fields, view, raw_subs, "instance_name"),
            "status": _text(entry, view, fields["instance_status"]),
        },
        "created_at": created_at,
        "ended_at": ended_at,
        "fail_reason": _fail_reason(entry, fields, view, phase, subtasks),
        "subtasks": subtasks,
        "request_id": request_id,
        "raw": item,
    }
