# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From what the wire gave to an error of the family: HTTP error bodies and transport exceptions.

``error_from_response(status, body_text, headers, ...)`` picks the ApiError subclass of a status and
reads the error body of any known gateway shape (``parse_error_body``); ``exception_reason(exc)`` is
the readable reason of a transport exception (urllib3's wrappers dropped); ``redact`` masks the
secrets a server may echo; ``strip_ssl_source`` drops OpenSSL's ``(_ssl.c:NNN)`` from a reason.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import (
    ApiError,
    AuthError,
    NotFound,
    Throttled,
)

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


def strip_ssl_source(text):
    """``text`` without OpenSSL's source location (``(_ssl.c:1006)``): noise to the user."""
    return _SSL_SOURCE_RE.sub("", text)


_STATUS_CLASSES = {401: AuthError, 403: AuthError, 404: NotFound, 429: Throttled}


def error_class_for_status(status):
    return _STATUS_CLASSES.get(status, ApiError)


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
    text = strip_ssl_source(_POOL_PREFIX_RE.sub("", text.strip()))
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
