# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Response contract checks: is this body what the catalog entry's ``schema`` promises?

``check_response(entry, body)`` raises ContractError naming the first broken field, so a broken
payload never surfaces as a KeyError in the normalizer. Each schema is compiled once into plain
predicates (the fast path); jsonschema runs only on a body the fast path rejects, to decide and to
name the field, and is imported only then.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from importlib.util import find_spec

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import ContractError, TaskGateError

# jsonschema is imported only when the compiled fast check rejects a response (see check_response):
# importing it costs ~0.06 CPU s on every run, more than a whole 200-task wait spends on checks.
HAS_JSONSCHEMA = find_spec("jsonschema") is not None
JSONSCHEMA_IMPORT_ERROR = None if HAS_JSONSCHEMA else "No module named 'jsonschema'"


def require_jsonschema():
    """TaskGateError saying how to install jsonschema when it is missing (checked before any request)."""
    if not HAS_JSONSCHEMA:
        raise TaskGateError("the jsonschema Python library is required to check API responses; "
                            "install it with 'pip install jsonschema' on the host that runs the query "
                            "(import error: %s)" % JSONSCHEMA_IMPORT_ERROR)


# ---------------------------------------------------------------------------- the fast path
# jsonschema spends ~70 us per list item (one validator object per keyword and level), which was
# most of the controller CPU of a 200-job wait. The schemas only use the keywords below, so they
# are compiled once into plain predicates; a predicate accepts only what jsonschema accepts (it
# may reject more, e.g. 1.0 as an integer), and anything it rejects goes through jsonschema,
# which decides and names the field.
_PY_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "null": (type(None),),
             "boolean": (bool,), "integer": (int,), "number": (int, float)}
_ANNOTATIONS = ("title", "description", "$comment", "$schema")
_SUPPORTED_KEYWORDS = frozenset(("type", "required", "properties", "items", "minimum") + _ANNOTATIONS)


class _Unsupported(Exception):
    """The schema uses a keyword the fast path does not implement: jsonschema alone decides."""


def _compile_type(names):
    names = [names] if isinstance(names, str) else list(names)
    if any(name not in _PY_TYPES for name in names):
        raise _Unsupported()
    py_types = tuple(py_type for name in names for py_type in _PY_TYPES[name])
    # bool is an int to Python but not an integer/number to JSON schema.
    if "boolean" in names or not ("integer" in names or "number" in names):
        return lambda value: isinstance(value, py_types)
    return lambda value: isinstance(value, py_types) and not isinstance(value, bool)


def _compile_minimum(minimum):
    def check(value):
        # minimum only constrains numbers; NaN compares False and falls back to jsonschema.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return True
        return value >= minimum
    return check


def _compile_object(required, properties):
    def check(value):
        if not isinstance(value, dict):
            return True
        for name in required:
            if name not in value:
                return False
        for name, check_property in properties:
            if name in value and not check_property(value[name]):
                return False
        return True
    return check


def _compile_items(check_item):
    def check(value):
        if not isinstance(value, list):
            return True
        for item in value:
            if not check_item(item):
                return False
        return True
    return check


def _compile_all(checks):
    def check(value):
        for check_one in checks:
            if not check_one(value):
                return False
        return True
    return check


def _compile_schema(schema):
    """A predicate ``value -> bool`` that is True only where jsonschema finds no error."""
    if not isinstance(schema, dict) or not set(schema) <= _SUPPORTED_KEYWORDS:
        raise _Unsupported()
    checks = []
    if "type" in schema:
        checks.append(_compile_type(schema["type"]))
    if "minimum" in schema:
        checks.append(_compile_minimum(schema["minimum"]))
    if "required" in schema or "properties" in schema:
        properties = [(name, _compile_schema(sub)) for name, sub in sorted((schema.get("properties") or {}).items())]
        checks.append(_compile_object(list(schema.get("required") or ()), properties))
    if "items" in schema:
        checks.append(_compile_items(_compile_schema(schema["items"])))
    if not checks:
        return _accept_any  # a tolerant field (schemas.sdk_field): any value
    return checks[0] if len(checks) == 1 else _compile_all(checks)


def _accept_any(_value):
    return True


def _fast_predicate(schema):
    try:
        return _compile_schema(schema)
    except _Unsupported:
        return None


def _jsonschema_validator(schema):
    import jsonschema  # pylint: disable=import-outside-toplevel
    validator_class = getattr(jsonschema, "Draft7Validator", None) or jsonschema.Draft4Validator
    return validator_class(schema)


# Compiled forms keyed by the schema object itself (id); the schema is kept with them so the id
# cannot be reused while cached, and a service whose schema is swapped gets a fresh compile.
_FAST_CHECKS = {}
_VALIDATORS = {}


def _compiled(cache, schema, build):
    cached = cache.get(id(schema))
    if cached is None or cached[0] is not schema:
        cached = cache[id(schema)] = (schema, build(schema))
    return cached[1]


def _fast_check(schema):
    """The compiled predicate of ``schema``, or None when only jsonschema can check it."""
    return _compiled(_FAST_CHECKS, schema, _fast_predicate)


def _validator(schema):
    """The jsonschema validator of ``schema`` (imports jsonschema on first use)."""
    return _compiled(_VALIDATORS, schema, _jsonschema_validator)


def _field_path(parts):
    text = ""
    for part in parts:
        text += "[%d]" % part if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def check_response(entry, body, method="GET", path=None, status=None, request_id=None, schema=None):
    """Raise ContractError naming the first field of ``body`` that breaks the schema of ``entry`` (a resolved
    ``catalog.ServiceEntry``).

    ``body`` is the canonical view (``task.canonical_view``): CAS keys are compared upper-cased.
    ``schema`` replaces the entry's schema for a response of another endpoint (catalog ``id_lookup``).
    """
    schema = schema or entry["schema"]
    service = entry.name
    fast_check = _fast_check(schema)
    if fast_check is not None and fast_check(body):
        return
    from jsonschema.exceptions import best_match  # pylint: disable=import-outside-toplevel
    error = best_match(_validator(schema).iter_errors(body))
    if error is None:
        return
    parts = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        parts.extend(missing[:1])
    field = _field_path(parts)
    message = "%s response broke the contract at %s: %s" % (service, field or "the top level", error.message)
    raise ContractError(message, field=field or None, service=service, method=method, path=path,
                        status=status, request_id=request_id)
