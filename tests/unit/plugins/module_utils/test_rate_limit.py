# -*- coding: utf-8 -*-
# Copyright: (c) 2026, taskgate maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rate_limit: the learnt pacing of one endpoint, on the fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.taskgate.huaweicloud.plugins.module_utils.catalog import service_entry
from ansible_collections.taskgate.huaweicloud.plugins.module_utils import rate_limit
from ansible_collections.taskgate.huaweicloud.plugins.module_utils.rate_limit import (
    BETA,
    MAX_IN_FLIGHT,
    RateLimiter,
    cubic_rate,
    limiter_for,
)

from client_fakes import make_client, ok, throttled

PATH = "/v3/{project_id}/tasklist"


def _send(limiter, clock, latency=0.1, refused=False, retry_after=None):
    """One request through the limiter: wait for it, take ``latency`` to answer; returns the wait."""
    ticket = limiter.acquire()
    if ticket.wait:
        clock.sleep(ticket.wait)
    clock.advance(latency)
    if refused:
        limiter.throttled(ticket, retry_after)
    else:
        limiter.answered(ticket)
    return ticket.wait


class Gateway(object):
    """The API gateway's token bucket (rate per second, burst), on the same fake clock."""

    def __init__(self, clock, rate, burst):
        self.clock, self.rate, self.burst = clock, rate, burst
        self.tokens, self.at = float(burst), clock()

    def admit(self):
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def test_unpaced_until_the_first_429(fake_clock):
    limiter = RateLimiter(fake_clock)
    waits = [_send(limiter, fake_clock, latency=0.01) for _unused in range(50)]
    assert waits == [0.0] * 50 and limiter.rate is None and fake_clock.sleeps == []


def test_a_429_cuts_the_rate_to_beta_times_what_was_sent(fake_clock):
    limiter = RateLimiter(fake_clock)
    for _unused in range(40):
        _send(limiter, fake_clock, latency=0.05)    # 20 requests/s for two seconds
    _send(limiter, fake_clock, latency=0.05, refused=True)
    assert limiter.rate == pytest.approx(20 * BETA, rel=0.15)


def test_the_first_cut_trusts_what_got_through_in_the_last_second_over_a_burst(fake_clock):
    """A gateway with a burst allowance lets a fast start through: the send rate before the first 429
    overshoots the quota, the answers of the last second do not."""
    limiter = RateLimiter(fake_clock)
    for _unused in range(20):
        _send(limiter, fake_clock, latency=0.01)    # 20 answers in 0.2 s: 100 requests/s sent
    _send(limiter, fake_clock, latency=0.01, refused=True)
    assert limiter.rate == pytest.approx(20 * BETA)
    # From now on requests are spaced by 1 / rate.
    first, second = limiter.acquire(), limiter.acquire()
    assert second.send_at - first.send_at == pytest.approx(1 / limiter.rate)


def test_answers_to_requests_sent_before_the_cut_do_not_cut_again(fake_clock):
    limiter = RateLimiter(fake_clock)
    tickets = [limiter.acquire() for _unused in range(8)]   # eight in flight
    fake_clock.advance(0.1)
    for ticket in tickets:
        limiter.throttled(ticket)
    assert limiter.refused == 8
    once = limiter.rate
    later = limiter.acquire()
    fake_clock.advance(0.1)
    limiter.throttled(later)
    assert limiter.rate == pytest.approx(once * BETA)


def test_retry_after_holds_every_send(fake_clock):
    limiter = RateLimiter(fake_clock)
    _send(limiter, fake_clock, latency=0.0, refused=True, retry_after=3)
    assert limiter.acquire().wait == pytest.approx(3.0)


def test_cubic_regrows_to_the_refused_rate_after_k_seconds():
    w_max = 20.0
    k = (w_max * (1 - BETA) / rate_limit.SCALE) ** (1 / 3.0)
    assert cubic_rate(w_max, 0) == pytest.approx(w_max * BETA)
    assert cubic_rate(w_max, k) == pytest.approx(w_max)
    assert cubic_rate(w_max, k + 2) > w_max


def test_the_rate_grows_back_while_answers_succeed_but_not_past_twice_what_is_sent(fake_clock):
    limiter = RateLimiter(fake_clock)
    for _unused in range(20):
        _send(limiter, fake_clock, latency=0.05)
    _send(limiter, fake_clock, latency=0.05, refused=True)
    cut = limiter.rate
    for _unused in range(100):
        _send(limiter, fake_clock, latency=0.0)
    assert limiter.rate > cut
    # A quiet client: one request per 2 s says nothing about a higher quota.
    for _unused in range(10):
        fake_clock.advance(2.0)
        _send(limiter, fake_clock, latency=0.0)
    assert limiter.rate <= 2.0 * 1.0 + 1e-9


def test_learns_the_gateway_quota_with_few_refusals(fake_clock):
    """Three requests in flight against a 20/s (burst 20) gateway answering in 0.1 s: after the first
    refusals the limiter settles near the quota and keeps the refused share small."""
    limiter = RateLimiter(fake_clock)
    gateway = Gateway(fake_clock, rate=20, burst=20)
    sent = refused = 0
    start = fake_clock()
    while fake_clock() - start < 60:
        ticket = limiter.acquire()
        if ticket.wait:
            fake_clock.sleep(ticket.wait)
        sent += 1
        if gateway.admit():
            fake_clock.advance(0.02)
            limiter.answered(ticket)
        else:
            refused += 1
            limiter.throttled(ticket)
    answered_rate = (sent - refused) / 60.0
    assert answered_rate >= 16, answered_rate
    assert refused / float(sent) <= 0.05, (refused, sent)


def test_a_ceiling_paces_from_the_first_request_and_caps_the_learnt_rate(fake_clock):
    limiter = RateLimiter(fake_clock, ceiling=10)
    sends = [limiter.acquire().send_at for _unused in range(11)]
    assert sends[-1] - sends[0] == pytest.approx(1.0)
    gateway = Gateway(fake_clock, rate=10, burst=10)
    refused = 0
    for _unused in range(200):
        ticket = limiter.acquire()
        fake_clock.sleep(max(0.0, ticket.wait))
        if not gateway.admit():
            refused += 1
            limiter.throttled(ticket)
        else:
            limiter.answered(ticket)
        assert limiter.rate <= 10
    assert refused == 0


def _round_trip(limiter, clock, count, latency=0.2):
    """``count`` requests sent at once, all answered ``latency`` later."""
    tickets = [limiter.acquire() for _unused in range(count)]
    clock.advance(latency)
    for ticket in tickets:
        limiter.answered(ticket)


def test_in_flight_follows_rate_times_latency(fake_clock):
    limiter = RateLimiter(fake_clock)
    assert limiter.in_flight(1000) == rate_limit.DEFAULT_IN_FLIGHT     # latency unknown
    _send(limiter, fake_clock, latency=0.2)
    # Unpaced, it wants all 200 within half a second, but grows like a slow start: twice what answers carried.
    assert limiter.in_flight(200) == rate_limit.DEFAULT_IN_FLIGHT
    _round_trip(limiter, fake_clock, 8)                              # the last round trip carried 9: twice that
    assert limiter.in_flight(200) == 18
    _round_trip(limiter, fake_clock, 18)
    _round_trip(limiter, fake_clock, 36)
    assert limiter.in_flight(200) == MAX_IN_FLIGHT                   # twice 36 (and more) is beyond it
    _round_trip(limiter, fake_clock, 64)
    assert limiter.in_flight(200) == min(80, MAX_IN_FLIGHT)          # 200 within UNPACED_CYCLE at 0.2 s: 80
    assert limiter.in_flight(3) == 3
    limiter.set_ceiling(20)
    assert limiter.in_flight(200) == 5                               # 20/s x 0.2 s, plus one
    assert limiter.budget(1.0) == 20


def test_a_pause_between_polls_does_not_start_the_slow_start_again(fake_clock):
    """A poll of 200 ids at 0.2 s latency after a pause: it starts where the last poll's round trips got,
    not at DEFAULT_IN_FLIGHT again (each poll would otherwise take seconds to ramp up)."""
    limiter = RateLimiter(fake_clock)
    _send(limiter, fake_clock, latency=0.2)
    for count in (4, 8, 16, 32):
        _round_trip(limiter, fake_clock, count)
    assert limiter.in_flight(200) == 64
    fake_clock.advance(1.5)                                          # the waiter's pause until the next due ids
    assert limiter.in_flight(200) == 64
    assert limiter.in_flight(20) == 8                                # 20 within UNPACED_CYCLE need no more


def test_answers_slowed_by_a_busy_host_do_not_put_more_in_flight(fake_clock):
    """Unpaced, the in-flight target follows the path's own (shortest) latency: answers that queue behind a busy
    host's CPU come later, and more threads would only make them later still."""
    limiter = RateLimiter(fake_clock)
    _send(limiter, fake_clock, latency=0.0625)
    for count in (4, 8, 16, 32, 64):
        _round_trip(limiter, fake_clock, count, latency=0.0625)
    assert limiter.in_flight(160) == 20                              # 160 within UNPACED_CYCLE at 62.5 ms
    for _unused in range(10):
        _round_trip(limiter, fake_clock, 20, latency=0.25)           # the same path, answers queued 187.5 ms
    assert limiter.latency > 0.2 and limiter.in_flight(160) == 20


def test_a_forgotten_pace_starts_slow_again(fake_clock):
    limiter = RateLimiter(fake_clock)
    _send(limiter, fake_clock, latency=0.2)
    for count in (4, 8, 16, 32):
        _round_trip(limiter, fake_clock, count)
    _send(limiter, fake_clock, latency=0.2, refused=True)
    assert limiter.paced
    fake_clock.advance(rate_limit.FORGET_AFTER + 1)
    limiter.acquire()                                                # the first send after the pause forgets
    assert not limiter.paced and limiter.in_flight(200) == rate_limit.DEFAULT_IN_FLIGHT


def test_one_limiter_per_endpoint_and_clock_shared_by_every_client(fake_clock):
    first, _session, _clock = make_client(fake_clock, [throttled(), ok()])
    second, _session2, _clock2 = make_client(fake_clock, [ok()])
    assert first.limiter(service_entry("rds")) is second.limiter(service_entry("rds"))
    assert first.limiter(service_entry("rds")) is not first.limiter(service_entry("ecs"))
    first.request(service_entry("rds"), "GET", PATH)
    assert second.limiter(service_entry("rds")).refused == 1 and second.limiter(service_entry("rds")).paced
    assert limiter_for("https://other.example", fake_clock) is not first.limiter(service_entry("rds"))


def test_the_client_paces_by_its_max_request_rate(fake_clock):
    client, session, _clock = make_client(fake_clock, [ok()] * 5, max_request_rate=2)
    for _unused in range(5):
        client.request(service_entry("rds"), "GET", PATH)
    gaps = [later.at - earlier.at for earlier, later in zip(session.calls, session.calls[1:])]
    assert gaps == pytest.approx([0.5] * 4)


def test_a_request_the_pace_cannot_send_before_the_deadline_is_not_sent(fake_clock):
    from ansible_collections.taskgate.huaweicloud.plugins.module_utils.errors import WaitTimeout
    client, session, clock = make_client(fake_clock, [ok()], max_request_rate=0.5)
    client.request(service_entry("rds"), "GET", PATH)
    with pytest.raises(WaitTimeout) as info:
        client.request(service_entry("rds"), "GET", PATH, deadline=clock() + 1.0)
    assert len(session.calls) == 1 and "request rate" in str(info.value)


def test_a_limiter_idle_for_long_forgets_what_it_learnt(fake_clock):
    limiter = RateLimiter(fake_clock, ceiling=50)
    _send(limiter, fake_clock)
    _send(limiter, fake_clock, refused=True)
    assert limiter.rate < 50
    fake_clock.advance(rate_limit.FORGET_AFTER + 1)
    assert limiter.acquire().wait == 0.0 and limiter.rate == 50


def test_iam_calls_are_not_paced_even_on_the_job_apis_endpoint(fake_clock):
    """The region's project listing and the agency keys go to IAM, not to the job API whose quota the limiter
    learns: a gateway serving both under one base URL must not make the first job call wait behind them."""
    from client_fakes import reply   # pylint: disable=import-outside-toplevel
    gateway = "https://gateway.example"
    projects = reply(200, {"projects": [{"id": "proj-of-region", "name": "eu-west-101"}]})
    keys = reply(201, {"credential": {"access": "TMPAK", "secret": "TMPSK", "securitytoken": "TMPTOKEN",
                                      "expires_at": "2026-03-05T05:06:07Z"}})
    client, session, _clock = make_client(fake_clock, [keys, projects, ok()], max_request_rate=0.5, project_id=None,
                                          auth_token=None, access_key="AK", secret_key="SK",
                                          assume_role={"agency_name": "ops", "domain_name": "other"},
                                          endpoints={"iam": gateway, "rds": gateway})
    client.request(service_entry("rds"), "GET", PATH)
    assert [call.url.split("?")[0] for call in session.calls] == [
        gateway + "/v3.0/OS-CREDENTIAL/securitytokens", gateway + "/v3/projects", gateway + "/v3/proj-of-region/tasklist"]
    assert fake_clock.sleeps == [] and session.calls[2].at == session.calls[0].at
