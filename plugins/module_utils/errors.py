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
# A reason (an API's error message, an exception's text) is kept whole; this only stops a runaway body.
REASON_CHARS = 2000
REDACTED = "********"

# (code key, message key) pairs seen across Huawei Cloud gateways, most specific first.
_CODE_KEYS = ("error_code", "errCode", "errorCode", "code")
_MESSAGE_KEYS = ("error_msg", "externalMessage", "errorMsg", "errMsg", "message", "error_description")
_REQUEST_ID_KEYS = ("request_id", "requestId", "request-id")

_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
# urllib3's "HTTPSConnectionPool(host='h', port=1): " / "HTTPConnection(host='h', port=1): " / "<... object at 0x..>: "
_POOL_PREFIX_RE = re.compile(r"^(?:\w+\(host='[^']*', port=\d+\)|<[^<>]* object at 0x[0-9a-fA-F]+>): ")
_SSL_SOURCE_RE = re.compile(r"\s*\(_ssl\.c:\d+\)")
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
    """A call to a cloud API failed (HTTP error, transport error or unusable response).

    ``response_date`` is the raw Date header of an HTTP error answer (None otherwise); it is not a detail.
    """

    response_date = None

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


class CertificateError(ApiError):
    """The endpoint's TLS certificate failed verification. Never retried: it does not heal by itself.

    ``host`` is ``host:port``, ``reason`` what the TLS library said (e.g. ``certificate has expired``).
    """

    def __init__(self, message=None, host=None, reason=None, **kwargs):
        details = dict(kwargs.pop("details", None) or {})
        details.update({"host": host, "reason": reason})
        self.host = host
        self.reason = reason
        super(CertificateError, self).__init__(message, details=details, **kwargs)


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
    """Replace every occurrence of a secret value in ``text``.

    Longest first: a secret that contains another (a password that contains a short project
    secret, say) would otherwise be masked only in part, its remainder left readable.
    """
    if not text:
        return text
    for secret in sorted((secret for secret in secrets or () if secret), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _shorten(text, limit):
    text = _SPACE_RE.sub(" ", text or "").strip()
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + "..."
    return text


def body_excerpt(text, limit=BODY_EXCERPT_CHARS):
    """Readable excerpt of a non-JSON body (an HTML proxy page): tags dropped, whitespace collapsed, short."""
    return _shorten(_TAG_RE.sub(" ", text or ""), limit)


def reason_text(text, limit=REASON_CHARS):
    """A reason kept whole (whitespace collapsed): an API's error message may say ``limit < 100``,
    so no tag stripping; ``limit`` only guards against a runaway body."""
    return _shorten(text, limit)


def exception_chain(exc):
    """``exc`` and what caused it, outermost first: urllib3's ``reason``, an exception in ``args``
    (requests and urllib3 wrap that way), else ``__cause__``."""
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in getattr(exc, "args", ()) if isinstance(arg, BaseException)), None)
        exc = inner if inner is not None else exc.__cause__
    return chain


def _exception_text(exc, inner):
    """What one link of the chain says, or None for a pure wrapper (its text only repeats the inner one)."""
    args = getattr(exc, "args", ())
    wraps = any(isinstance(arg, BaseException) for arg in args)
    if isinstance(exc, OSError) and not wraps:
        text = str(exc)
    else:
        strings = [arg for arg in args if isinstance(arg, str)]
        if not strings:
            return None
        text = " ".join(strings)
        if wraps and inner:
            # ProtocolError("Connection aborted.", RemoteDisconnected(...)) -> "Connection aborted: ..."
            text = "%s: %s" % (text.rstrip(" ."), inner)
    text = _SSL_SOURCE_RE.sub("", _POOL_PREFIX_RE.sub("", text.strip()))
    if not text or "(Caused by " in text:
        return None
    return text


def exception_reason(exc):
    """The whole, readable reason of a (transport) exception: the innermost message, widened by the
    outer ones that only add context (``Read timed out. (read timeout=5)`` over ``timed out``),
    without urllib3's pool and "Max retries exceeded ... (Caused by ...)" wrapper text."""
    reason = ""
    for link in reversed(exception_chain(exc)):
        text = _exception_text(link, reason)
        if text and (not reason or reason in text):
            reason = text
    return reason_text(reason) or type(exc).__name__


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
        message = reason_text(message)
    return code, message, request_id, True


def error_from_response(status, body_text, headers=None, service=None, method=None, path=None, secrets=()):
    """Build the right ApiError subclass for an HTTP error response.

    ``headers`` is only read for X-Request-Id and Date (kept raw as ``response_date``, for the
    clock-skew explanation of AK/SK refusals); secrets are scrubbed from anything the server echoed.
    """
    code, message, body_request_id, _is_json = parse_error_body(body_text)
    request_id = None
    if headers is not None:
        request_id = headers.get("X-Request-Id") or headers.get("x-request-id")
    request_id = request_id or body_request_id
    cls = error_class_for_status(status)
    error = cls(status=status, error_code=redact(code, secrets), error_msg=redact(message, secrets),
                request_id=request_id, method=method, path=path, service=service)
    error.response_date = headers.get("Date") if headers is not None else None
    return error
