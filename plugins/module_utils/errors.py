# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One exception family for the collection.

Every error carries a one-line, human readable message (``str(e)``) and a
``details`` dict (``to_dict()``) that is safe to return in module results:
no tokens, keys, passwords or request headers ever end up in either.

Every module and plugin fails in one shape, built by ``failure_result(exc)``:
``{"failed": True, "msg": str(exc), "error": {"type": ..., ...details}}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from http.client import responses as _HTTP_REASONS


BODY_EXCERPT_CHARS = 200
REDACTED = "********"

# (code key, message key) pairs seen across Huawei Cloud gateways, most specific first.
_CODE_KEYS = ("error_code", "errCode", "errorCode", "code")
_MESSAGE_KEYS = ("error_msg", "externalMessage", "errorMsg", "errMsg", "message", "error_description")
_REQUEST_ID_KEYS = ("request_id", "requestId", "request-id")

_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
_TOKEN_EXPIRED_CODES = ("APIGW.0307",)


class TaskGateError(Exception):
    """Base of every error raised by the collection."""

    def __init__(self, message, details=None):
        super(TaskGateError, self).__init__(message)
        self.message = message
        self.details = dict(details or {})

    def __str__(self):
        return self.message

    def to_dict(self):
        """Plain dict for a result's ``error``: the type and the non-empty details.

        The sentence itself is not repeated here: it is the result's ``msg`` (``str(exc)``).
        """
        result = {"type": type(self).__name__}
        for key, value in self.details.items():
            if value is not None:
                result[key] = value
        return result


class InvalidInput(TaskGateError):
    """An option value is missing or wrong; raised before any request is sent."""

    def __init__(self, message, option=None, allowed=None, details=None):
        merged = dict(details or {})
        merged.update({"option": option, "allowed": list(allowed) if allowed is not None else None})
        super(InvalidInput, self).__init__(message, merged)
        self.option = option
        self.allowed = merged["allowed"]


class ApiError(TaskGateError):
    """A call to a cloud API failed (HTTP error, transport error or unusable response)."""

    def __init__(self, message=None, status=None, error_code=None, error_msg=None, request_id=None,
                 method=None, path=None, service=None, details=None):
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.method = method
        self.path = path
        self.service = service
        if message is None:
            message = format_api_message(service, method, path, status, error_code, error_msg, request_id)
        merged = dict(details or {})
        merged.update({
            "status": status, "error_code": error_code, "error_msg": error_msg, "request_id": request_id,
            "method": method, "path": path, "service": service,
        })
        super(ApiError, self).__init__(message, merged)

    def explain(self, note):
        """Append a short explanation (e.g. why retries stopped) to the one-line message; returns self.

        Not ``add_note``: Python 3.11's BaseException.add_note keeps notes apart from the message.
        """
        self.message = "%s; %s" % (self.message, note)
        self.args = (self.message,)
        return self

    @property
    def token_expired(self):
        """True for the gateway's "token must be updated" answer (APIGW.0307)."""
        if self.status != 401:
            return False
        if self.error_code in _TOKEN_EXPIRED_CODES:
            return True
        return "token must be updated" in (self.error_msg or "").lower()


class AuthError(ApiError):
    """401/403: credentials rejected. Never retried blindly (5 failures lock an AK for 5 minutes)."""


class NotFound(ApiError):
    """404."""


class Throttled(ApiError):
    """429 still returned after the retry budget or deadline ran out.

    ``retry_after`` (seconds or None) is the server's Retry-After hint of the last answer.
    """

    retry_after = None


class ContractError(ApiError):
    """A response broke the documented contract; ``field`` names what was wrong."""

    def __init__(self, message=None, field=None, **kwargs):
        details = dict(kwargs.pop("details", None) or {})
        details["field"] = field
        self.field = field
        super(ContractError, self).__init__(message, details=details, **kwargs)


class WaitTimeout(TaskGateError):
    """A deadline passed."""


def failure_result(exc, **extra):
    """The one failure shape of modules and plugins: ``failed``, ``msg`` (one sentence) and ``error``.

    ``error`` is ``{type, ...safe details}``; ``extra`` (e.g. ``changed=False``) is added as is.
    An exception from outside the family still gets ``{"type": <class name>}``.
    """
    error = exc.to_dict() if isinstance(exc, TaskGateError) else {"type": type(exc).__name__}
    result = {"failed": True, "msg": str(exc), "error": error}
    result.update(extra)
    return result


_STATUS_CLASSES = {401: AuthError, 403: AuthError, 404: NotFound, 429: Throttled}


def error_class_for_status(status):
    return _STATUS_CLASSES.get(status, ApiError)


def format_api_message(service, method, path, status, error_code=None, error_msg=None, request_id=None):
    """One readable line: ``rds GET /v3/{project_id}/tasklist failed: HTTP 400 DBS.200001 Parameter error (request id 7f)``."""
    where = " ".join(part for part in (service, method, path) if part) or "request"
    if status is None:
        what = error_msg or "no response"
    else:
        what = " ".join(str(part) for part in ("HTTP %s" % status, error_code, error_msg) if part)
        if not error_code and not error_msg and _HTTP_REASONS.get(status):
            what = "%s %s" % (what, _HTTP_REASONS[status])
    line = "%s failed: %s" % (where, what)
    if request_id:
        line = "%s (request id %s)" % (line, request_id)
    return line


def redact(text, secrets):
    """Replace every occurrence of a secret value in ``text``."""
    if not text:
        return text
    for secret in secrets or ():
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def body_excerpt(text, limit=BODY_EXCERPT_CHARS):
    """Readable excerpt of a non-JSON body: tags dropped, whitespace collapsed, at most ``limit`` chars."""
    text = _SPACE_RE.sub(" ", _TAG_RE.sub(" ", text or "")).strip()
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + "..."
    return text


def _first_present(mapping, keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ""):
            return value if isinstance(value, str) else str(value)
    return None


def parse_error_body(text):
    """Return (error_code, error_msg, request_id, is_json) from any known error body shape.

    Shapes: error_code/error_msg, errCode/externalMessage, errorCode/errorMsg, code/message,
    each possibly nested under "error"; a non-JSON body becomes a short excerpt in error_msg.
    """
    if not text or not text.strip():
        return None, None, None, False
    try:
        data = json.loads(text)
    except ValueError:
        return None, body_excerpt(text) or None, None, False
    if not isinstance(data, dict):
        return None, body_excerpt(text) or None, None, True
    layers = [data]
    nested = data.get("error")
    if isinstance(nested, dict):
        layers.insert(0, nested)
    code = message = request_id = None
    for layer in layers:
        code = code or _first_present(layer, _CODE_KEYS)
        message = message or _first_present(layer, _MESSAGE_KEYS)
        request_id = request_id or _first_present(layer, _REQUEST_ID_KEYS)
    if message is None and isinstance(nested, str) and nested.strip():
        message = nested
    if message is not None:
        message = body_excerpt(message)
    return code, message, request_id, True


def error_from_response(status, body_text, headers=None, service=None, method=None, path=None, secrets=()):
    """Build the right ApiError subclass for an HTTP error response.

    ``headers`` is only read for X-Request-Id; secrets are scrubbed from anything the server echoed.
    """
    code, message, body_request_id, _is_json = parse_error_body(body_text)
    request_id = None
    if headers is not None:
        request_id = headers.get("X-Request-Id") or headers.get("x-request-id")
    request_id = request_id or body_request_id
    cls = error_class_for_status(status)
    return cls(status=status, error_code=redact(code, secrets), error_msg=redact(message, secrets),
               request_id=request_id, method=method, path=path, service=service)
