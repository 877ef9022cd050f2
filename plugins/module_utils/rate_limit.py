# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Client-side pacing per endpoint: a send rate learnt from the API gateway's 429s.

    limiter = limiter_for("https://ecs.ap-southeast-1.myhuaweicloud.com", clock, ceiling=None)
    ticket = limiter.acquire()            # seconds to wait before sending, and the send's ticket
    sleep(ticket.wait)
    ... send ...
    limiter.answered(ticket)              # a 2xx or any non-429 answer: the rate may grow
    limiter.throttled(ticket, retry_after) # a 429: the rate is cut (once per round trip), Retry-After held

Huawei Cloud's gateway limits each user per API (``APIGW.0308`` "policy user over ratelimit") with
quotas it does not publish to the caller. The design follows botocore's ``adaptive`` retry mode
(``botocore/retries/adaptive.py``, ``bucket.py``, ``throttling.py``): no pacing at all until the
first 429 (no quota costs nothing), then a token bucket whose rate follows CUBIC: cut to BETA x the
rate on a throttle (x the answers of the last second, when fewer: a burst allowance lets a fast start
through that the quota does not sustain), then regrown along ``C * (t - K)**3 + W_max`` (t = seconds since the cut), so
it comes back to the rate that was refused in K seconds, lingers there, then probes beyond it.
Unlike botocore, a cut happens once per round trip: the answers to requests that were sent before
the last cut say nothing about the new rate (several threads meeting one quota would otherwise cut
it to the floor at once). The rate never grows beyond twice what is actually being sent (a quiet
client learns nothing about the quota), and never beyond ``ceiling`` (``max_request_rate``), which
also turns pacing on from the start.

One limiter per (endpoint, clock) for the whole process (``limiter_for``): every thread, every wait
and every write of a module run share the quota the gateway counts. Several processes (forks,
hosts) sharing one quota each learn their share from the 429s they get.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import threading
from collections import deque

# CUBIC's cut (as botocore and RFC 8312). Its growth constant is a quarter of theirs (0.4): a gateway's
# burst allowance hides an overshoot until it is spent, and several processes sharing one quota each
# probe it: gentler probing beyond the last refused rate costs fewer refusals for a slightly slower regrowth.
BETA = 0.7
SCALE = 0.1
# Never paced slower than this (requests/s): a learnt rate that low would make waits hopeless.
MIN_RATE = 0.5
# The send rate is measured over this window (seconds).
MEASURE_WINDOW = 1.0
# Requests in flight at most, and at first (a slow start: several processes meeting one quota each send this
# many before they hear a 429).
MAX_IN_FLIGHT = 64
DEFAULT_IN_FLIGHT = 4
# Unpaced, enough requests are in flight to send every due one within this many seconds.
UNPACED_CYCLE = 0.5
# Weight of the newest latency sample in the running average.
LATENCY_WEIGHT = 0.2
# A limiter that sent nothing for this long forgets what it learnt (a quota may be shared differently by
# then, and a long-lived process such as the event source should not stay slow for an old refusal).
FORGET_AFTER = 300.0

_REGISTRY = {}
_REGISTRY_LOCK = threading.Lock()


class Ticket(object):
    """One permission to send: ``wait`` seconds from now, at clock reading ``send_at``."""

    __slots__ = ("wait", "send_at", "limiter")

    def __init__(self, wait, send_at):
        self.wait = wait
        self.send_at = send_at
        self.limiter = None


def cubic_rate(w_max, since_cut, beta=None, scale=None):
    """CUBIC's window ``since_cut`` seconds after a cut from ``w_max``: beta x w_max at 0, w_max at K."""
    beta = BETA if beta is None else beta
    scale = SCALE if scale is None else scale
    k = (w_max * (1.0 - beta) / scale) ** (1.0 / 3.0)
    return scale * (since_cut - k) ** 3 + w_max


class RateLimiter(object):
    """The pacing of one endpoint; thread-safe. See the module docstring.

    ``rate`` is None while unpaced (no 429 seen, no ceiling). ``refused`` counts the 429s it heard of.
    """

    def __init__(self, clock, ceiling=None):
        self.clock = clock
        self._lock = threading.Lock()
        self.ceiling = None
        self.rate = None
        self.refused = 0
        self.latency = None
        self.base_latency = None   # the shortest round trip seen: the path's own, without queueing
        self._next_send = None
        self._hold_until = None
        self._cut_at = None
        self._w_max = None
        self._sends = deque()
        self._answers = deque()
        # Unpaced: the most requests one round trip carried so far (the slow start's window; it does not
        # shrink while the client pauses between polls, as nothing refused it).
        self._carried_most = 0
        self.set_ceiling(ceiling)

    def set_ceiling(self, ceiling):
        """``max_request_rate``: None learns freely; a number caps the rate and paces from the start."""
        with self._lock:
            self.ceiling = float(ceiling) if ceiling else None
            if self.ceiling is not None:
                self.rate = self.ceiling if self.rate is None else min(self.rate, self.ceiling)

    @property
    def paced(self):
        return self.rate is not None

    # -- sending ----------------------------------------------------------

    def acquire(self):
        """A Ticket: how long to wait before this send (0 while unpaced and not held)."""
        with self._lock:
            now = self.clock()
            if self._sends and now - self._sends[-1] > FORGET_AFTER and self._cut_at is not None:
                self._forget()
            start = now
            if self._hold_until is not None:
                start = max(start, self._hold_until)
            if self.rate is not None:
                self._grow(now)
                if self._next_send is not None:
                    start = max(start, self._next_send)
                self._next_send = start + 1.0 / self.rate
            self._sends.append(start)
            while self._sends and self._sends[0] < now - MEASURE_WINDOW:
                self._sends.popleft()
            return Ticket(start - now, start)

    def answered(self, ticket, now=None):
        """The request of ``ticket`` got an answer other than 429: its latency counts; the rate may grow."""
        with self._lock:
            now = self.clock() if now is None else now
            sample = max(0.0, now - ticket.send_at)
            self.latency = sample if self.latency is None else (
                (1 - LATENCY_WEIGHT) * self.latency + LATENCY_WEIGHT * sample)
            self.base_latency = sample if self.base_latency is None else min(self.base_latency, sample)
            self._answers.append(now)
            while self._answers and self._answers[0] < now - MEASURE_WINDOW:
                self._answers.popleft()
            if self.rate is not None:
                self._grow(now)

    def throttled(self, ticket, retry_after=None):
        """The request of ``ticket`` got a 429: hold every send for ``retry_after`` seconds (when given)
        and cut the rate, unless it was already cut after this request was sent."""
        with self._lock:
            now = self.clock()
            self.refused += 1
            if retry_after is not None and retry_after > 0:
                self._hold_until = max(self._hold_until or now, now + float(retry_after))
            if self._cut_at is not None and ticket.send_at < self._cut_at:
                return
            base = self.rate if self.rate is not None else self._send_rate(now)
            # What the gateway let through over the last window is the better estimate of its quota when
            # lower: a burst allowance makes the send rate before the first refusal overshoot it.
            answered = len([at for at in self._answers if at >= now - MEASURE_WINDOW])
            if answered:
                base = min(base, max(MIN_RATE, answered / MEASURE_WINDOW))
            self._w_max = base
            self._cut_at = now
            self.rate = self._capped(max(MIN_RATE, base * BETA))

    # -- what the engine asks ---------------------------------------------

    def budget(self, seconds):
        """How many requests it sends in ``seconds`` at the current rate; None while unpaced."""
        with self._lock:
            if self.rate is None:
                return None
            return max(1, int(self.rate * seconds))

    def in_flight(self, wanted):
        """Requests worth having in flight for a fetch of ``wanted`` requests: rate x latency while paced
        (one more to cover the gaps), enough to send them all within UNPACED_CYCLE otherwise;
        DEFAULT_IN_FLIGHT until a latency is known; never more than ``wanted`` or MAX_IN_FLIGHT.

        Unpaced, it at most doubles the most that one round trip carried so far (TCP's slow start): a
        gateway with a quota answers a sudden crowd of requests with as many 429s. Unlike the round trip
        just past, that most does not drop while the client pauses between polls: each poll would
        otherwise start slow again, and under a long latency a poll of many ids would take seconds.
        """
        with self._lock:
            rate, latency, base_latency = self.rate, self.latency, self.base_latency
            if latency is not None and rate is None:
                now = self.clock()
                # What the last round trip carried (at least the last answer's).
                carried = len([at for at in self._answers if at >= now - latency]) or 1
                self._carried_most = max(self._carried_most, carried)
            carried_most = self._carried_most
        if latency is None:
            count = DEFAULT_IN_FLIGHT
        elif rate is not None:
            count = int(math.ceil(rate * latency)) + 1
        else:
            # The path's own latency, not the average: a busy host (its CPU shared by many threads) slows its
            # own answers, and more requests in flight would only slow them more.
            count = max(DEFAULT_IN_FLIGHT, int(math.ceil(wanted * base_latency / UNPACED_CYCLE)))
            count = min(count, max(DEFAULT_IN_FLIGHT, 2 * carried_most))
        return max(1, min(count, MAX_IN_FLIGHT, wanted))

    # -- internals (lock held) --------------------------------------------

    def _forget(self):
        self.rate = self.ceiling
        self._cut_at = self._w_max = self._hold_until = self._next_send = None
        self._carried_most = 0
        self._sends.clear()
        self._answers.clear()

    def _send_rate(self, now):
        """Requests/s sent over the last MEASURE_WINDOW (at least MIN_RATE)."""
        recent = [at for at in self._sends if at >= now - MEASURE_WINDOW]
        if len(recent) < 2:
            return max(MIN_RATE, float(len(recent)))
        span = max(now - recent[0], MEASURE_WINDOW / 10.0)
        return max(MIN_RATE, len(recent) / span)

    def _grow(self, now):
        if self._cut_at is None:
            return  # paced by the ceiling alone: nothing learnt to regrow
        grown = cubic_rate(self._w_max, now - self._cut_at)
        # Never more than twice what is being sent: an idle client must not talk itself into a big rate.
        self.rate = self._capped(min(grown, 2.0 * self._send_rate(now)))

    def _capped(self, rate):
        rate = max(MIN_RATE, rate)
        return min(rate, self.ceiling) if self.ceiling is not None else rate


def forget_limiters():
    """Drop every limiter of the process (tests: one test's refusals must not pace the next)."""
    with _REGISTRY_LOCK:
        _REGISTRY.clear()


def limiter_for(endpoint, clock, ceiling=None):
    """The process-wide limiter of ``endpoint`` (base URL) on ``clock``; ``ceiling`` updates its cap when given."""
    key = (endpoint, clock)
    with _REGISTRY_LOCK:
        limiter = _REGISTRY.get(key)
        if limiter is None:
            limiter = _REGISTRY[key] = RateLimiter(clock, ceiling)
            return limiter
    if ceiling:
        limiter.set_ceiling(ceiling)
    return limiter
