# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One exception family for the collection, and its one failure shape.

The family's wording of an API error (``format_api_message``) lives here; turning an HTTP error
answer or a transport exception into one of these errors is ``http_errors.py``.

Every error carries a one-line, human readable message (``str(e)``) and a
``details`` dict (``to_dict()``) that is safe to return in module results:
no tokens, keys, passwords or request headers ever end up in either.

Every module and plugin fails in one shape, built by ``failure_result(exc)``:
``{"failed": True, "msg": str(exc), "error": {"type": ..., ...details}}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from http.client import responses as _HTTP_REASONS

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
