# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API gateway's flow control: a token bucket per service, 429 ``APIGW.0308`` beyond it.

Huawei Cloud's APIG throttles per user and per API ("policy user over ratelimit"), with quotas of
10-30 requests/s for many job APIs. The simulator has one user, so one bucket per service stands for
it: ``rate`` tokens per second, at most ``burst`` kept (a quiet client may send ``burst`` at once).
Refused requests are answered at once, without the configured backend latency, as the gateway
answers them before the backend sees them. APIG sends no Retry-After; ``retry_after`` adds one for
tests of that path. Off (no quota) until ``configure`` sets a rate.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading

THROTTLE_CODE = "APIGW.0308"


class _Bucket(object):
    def __init__(self, rate, burst, now):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.at = now

    def take(self, now):
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class GatewayQuota(object):
    """Per-service token buckets on ``clock`` (callable, seconds); thread-safe."""

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self.rate = None
        self.burst = None
        self.services = None
        self.retry_after = None
        self._buckets = {}
        self.admitted = {}
        self.refused = {}

    def configure(self, rate=None, burst=None, services=None, retry_after=None):
        """``rate`` requests/s per service (None or 0: no quota), ``burst`` (default: one second's worth),
        ``services`` (None: every service but IAM), ``retry_after`` (seconds, None: no header). Resets the buckets."""
        if rate is not None and (isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate < 0):
            raise ValueError("quota: rate must be a number of requests per second >= 0, got %r" % (rate,))
        if burst is not None and (isinstance(burst, bool) or not isinstance(burst, (int, float)) or burst < 1):
            raise ValueError("quota: burst must be a number >= 1, got %r" % (burst,))
        with self._lock:
            self.rate = float(rate) if rate else None
            self.burst = float(burst) if burst is not None else (max(1.0, self.rate) if self.rate else None)
            self.services = None if services is None else set(services)
            self.retry_after = retry_after
            self._buckets = {}
        return self.snapshot()

    def admit(self, service):
        """True when the request may pass; counts it either way (IAM is never limited)."""
        if service == "iam":
            return True
        with self._lock:
            if self.rate is None or (self.services is not None and service not in self.services):
                return True
            now = self.clock()
            bucket = self._buckets.get(service)
            if bucket is None:
                bucket = self._buckets[service] = _Bucket(self.rate, self.burst, now)
            passed = bucket.take(now)
            counter = self.admitted if passed else self.refused
            counter[service] = counter.get(service, 0) + 1
            return passed

    def refusal(self, request_id):
        """(status, body bytes, headers) of a refused request, as APIG words it."""
        limit = ("%g" % self.rate) if self.rate else "0"
        body = {"error_code": THROTTLE_CODE,
                "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:%s,time:1 second" % limit,
                "request_id": request_id}
        headers = {"Content-Type": "application/json"}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return 429, json.dumps(body).encode("utf-8"), headers

    def snapshot(self):
        with self._lock:
            return {"rate": self.rate, "burst": self.burst,
                    "services": None if self.services is None else sorted(self.services),
                    "retry_after": self.retry_after, "admitted": dict(self.admitted), "refused": dict(self.refused)}

    def reset_counts(self):
        with self._lock:
            self.admitted = {}
            self.refused = {}
