# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: throttling, 5xx, dropped connections, slow answers, broken bodies, drifted bodies (drift.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import threading

from . import drift

# kind -> (status, error_code, error_msg) for the JSON gateway errors. The 5xx codes are
# plausible APIGW-style codes; clients must key on the HTTP status, not on these.
GATEWAY_ERRORS = {
    "429": (429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second"),
    "500": (500, "APIGW.0103", "The backend service returned an internal error."),
    "502": (502, "APIGW.0202", "Bad gateway: the backend service is unavailable."),
    "503": (503, "APIGW.0203", "The service is temporarily unavailable."),
    "504": (504, "APIGW.0204", "Backend timeout."),
}
# "html" is a proxy error page (502); "html-200" a 200 with an HTML page (captive portal, misrouted endpoint).
HTML_STATUS = {"html": 502, "html-200": 200}
KINDS = tuple(sorted(GATEWAY_ERRORS)) + ("drop", "slow", "html", "html-200", "bad-json", "drift")
SERVICES = ("geminidb", "rds", "ddm", "servicestage", "ecs", "evs", "bms", "iam",
            "gaussdb", "dds", "taurusdb", "cce", "ims", "dcs", "bss_order")

HTML_BODY = (b"<html><head><title>502 Bad Gateway</title></head>"
             b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
BAD_JSON_BODY = b'{"total_count": 1, "jobs": [{"id": "6f85e061-04dd-42e7-86d6-d3b1e40aac2e", "name": "Crea'


class Fault:
    """One injected fault. ``probability`` (0 < p <= 1, None = always) makes it hit each matching
    request with that chance, drawn from the simulator's seeded fault RNG: a soak run with the
    same seed and the same request order sees the same faults. ``count`` then counts hits."""

    def __init__(self, kind, count=1, service=None, path_contains=None, retry_after=None, delay=None, probability=None,
                 variant=None):
        if kind not in KINDS:
            raise ValueError("inject_fault: kind must be one of %s, got %r" % (", ".join(KINDS), kind))
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ValueError("inject_fault: count must be a positive integer or None (until cleared), got %r" % (count,))
        if service is not None and service not in SERVICES:
            raise ValueError("inject_fault: service must be one of %s or None, got %r" % (", ".join(SERVICES), service))
        if probability is not None:
            if isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 < probability <= 1:
                raise ValueError("inject_fault: probability must be a number in (0, 1] or None, got %r" % (probability,))
            probability = float(probability)
        if kind == "slow":
            delay = 1.0 if delay is None else float(delay)
            if delay < 0:
                raise ValueError("inject_fault: delay must be >= 0 seconds, got %r" % (delay,))
        if kind == "drift":
            variant = drift.check_variant(variant)
        elif variant is not None:
            raise ValueError("inject_fault: variant is only for a drift fault, got %r for %s" % (variant, kind))
        self.kind = kind
        self.variant = variant
        self.remaining = count
        self.service = service
        self.path_contains = path_contains
        self.retry_after = retry_after
        self.delay = delay
        self.probability = probability

    def matches(self, service, path):
        return (self.service is None or self.service == service) and (not self.path_contains or self.path_contains in path)

    def to_dict(self):
        return {"kind": self.kind, "remaining": self.remaining, "service": self.service,
                "path_contains": self.path_contains, "retry_after": self.retry_after, "delay": self.delay,
                "probability": self.probability, "variant": self.variant}


class FaultBook:
    """Faults in the order they were injected; the first match serves (and uses up) one count."""

    def __init__(self, seed=0):
        self._lock = threading.Lock()
        self._faults = []
        # Its own RNG: fault draws never shift the ids and durations the state RNG hands out.
        self._rng = random.Random("faults-%s" % (seed,))

    def add(self, fault):
        with self._lock:
            self._faults.append(fault)

    def clear(self):
        with self._lock:
            self._faults = []

    def pending(self):
        with self._lock:
            return [f.to_dict() for f in self._faults]

    def take(self, service, path):
        with self._lock:
            for fault in self._faults:
                if fault.matches(service, path):
                    if fault.probability is not None and self._rng.random() >= fault.probability:
                        continue
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
        return None


def render(fault, request_id):
    """(status, body bytes, headers) of a fault that produces a response (not drop/slow)."""
    if fault.kind in GATEWAY_ERRORS:
        status, code, msg = GATEWAY_ERRORS[fault.kind]
        headers = {"Content-Type": "application/json"}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        body = json.dumps({"error_code": code, "error_msg": msg, "request_id": request_id}).encode("utf-8")
        return status, body, headers
    if fault.kind in HTML_STATUS:
        return HTML_STATUS[fault.kind], HTML_BODY, {"Content-Type": "text/html"}
    if fault.kind == "bad-json":
        return 200, BAD_JSON_BODY, {"Content-Type": "application/json"}
    raise ValueError("fault kind %r has no response body" % fault.kind)
