# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retry policy of the client: what may be retried, and how long to wait before the next try.

    policy = RetryPolicy(max_retries=4, rng=random.random, wall_clock=time.time)
    policy.may_retry_status("GET", 503)          # 429 always; 5xx only for idempotent methods
    policy.may_retry_failure("POST", exc)        # transport error: idempotent, or failed before sending;
                                                 # never a certificate verification failure
    policy.retry_after(response.headers)         # seconds or None (delta seconds or HTTP date)
    policy.refusal(attempt, retry_after)         # None, or why no further retry is made
    policy.delay(attempt, retry_after)           # the server's hint, else backoff with full jitter

The deadline is not the policy's business: ``Client.send`` checks it before every try and sleep.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import ssl
import time

from email.utils import parsedate_tz, mktime_tz

try:
    from requests.exceptions import ChunkedEncodingError, ConnectTimeout
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import Timeout as RequestsTimeout
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:
    # client.py reports the missing library; without it there is no transport error to classify.
    TRANSPORT_ERRORS = ()
    PRE_SEND_ERRORS = ()
else:
    TRANSPORT_ERRORS = (RequestsConnectionError, RequestsTimeout, ChunkedEncodingError)
    # Raised before a single byte of the request left this host: safe to retry any method.
    PRE_SEND_ERRORS = (ConnectTimeout, NewConnectionError, ConnectTimeoutError)

RETRY_STATUSES = (429, 500, 502, 503, 504)
IDEMPOTENT_METHODS = ("GET", "HEAD", "OPTIONS")
BACKOFF_BASE = 0.5
BACKOFF_CAP = 20.0
# A Retry-After longer than this is not waited for: the error is raised at once instead.
RETRY_AFTER_LIMIT = 300.0


def idempotent(method):
    """Whether a failed call may be repeated after the server may have seen it (5xx, read errors)."""
    return method.upper() in IDEMPOTENT_METHODS


def parse_retry_after(value, wall_clock=time.time):
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date); None if absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, mktime_tz(parsed) - wall_clock())


def backoff_delay(attempt, rng, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**attempt))."""
    return rng() * min(cap, base * (2 ** attempt))


def _find_cause(exc, types):
    """The first exception of ``types`` among ``exc`` and everything that led to it, else None."""
    if not types:
        return None
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, types):
            return current
        pending.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
    return None


def failed_before_sending(exc):
    """True when a transport error happened while connecting, i.e. the server never saw the request."""
    return _find_cause(exc, PRE_SEND_ERRORS) is not None


def certificate_failure(exc):
    """The ``ssl.SSLCertVerificationError`` behind a transport error, or None.

    Its ``verify_code``/``verify_message`` say why (self-signed, expired, name mismatch...); another try
    meets the same certificate, so such a failure is never retried.
    """
    return _find_cause(exc, (ssl.SSLCertVerificationError,))


class RetryPolicy:
    """The retry decisions of one client; ``rng`` drives the jitter, ``wall_clock`` Retry-After dates."""

    def __init__(self, max_retries, rng=random.random, wall_clock=time.time, retry_after_limit=RETRY_AFTER_LIMIT):
        self.max_retries = max_retries
        self.rng = rng
        self.wall_clock = wall_clock
        self.retry_after_limit = retry_after_limit

    @staticmethod
    def may_retry_status(method, status):
        """429 is retried for any method (the server did nothing); 5xx only when repeating is harmless."""
        return status == 429 or (status in RETRY_STATUSES and idempotent(method))

    @staticmethod
    def may_retry_failure(method, exc):
        """A transport error: retried when repeating is harmless or the request never left this host,
        unless the certificate was refused (that does not heal)."""
        if certificate_failure(exc) is not None:
            return False
        return idempotent(method) or failed_before_sending(exc)

    def retry_after(self, headers):
        return parse_retry_after(headers.get("Retry-After"), self.wall_clock)

    def refusal(self, attempt, retry_after):
        """None when retry number ``attempt + 1`` may happen; else the reason, worded for the error message."""
        if attempt >= self.max_retries:
            return "the retry budget ran out after %d retries (max_retries=%d)" % (attempt, self.max_retries)
        if retry_after is not None and retry_after > self.retry_after_limit:
            return "the server asked to retry after %.0f s, longer than the %.0f s this client waits" % (
                retry_after, self.retry_after_limit)
        return None

    def delay(self, attempt, retry_after):
        """Seconds before the next try: the server's Retry-After when it gave one, else jittered backoff."""
        return retry_after if retry_after is not None else backoff_delay(attempt, self.rng)
